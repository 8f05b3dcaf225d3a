import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea } from "@mantine/core";
import { useState } from "react";
import { useMembers } from "../../../api/members";
import { type LegalHold, usePlaceLegalHoldMutation } from "../../../api/retention";
import { useSubmit } from "../../../lib/useSubmit";

const WHOLE_WORKSPACE = "workspace";

/** Place a hold on the whole workspace or on one member, with the reason (a case reference). */
export function PlaceHoldModal({
  opened,
  onClose,
  workspaceId,
}: {
  opened: boolean;
  onClose: () => void;
  workspaceId: number;
}) {
  const members = useMembers(workspaceId);
  const place = usePlaceLegalHoldMutation(workspaceId);
  const [scope, setScope] = useState<string>(WHOLE_WORKSPACE);
  const [reason, setReason] = useState("");
  const { busy, error, submit, close } = useSubmit<LegalHold>(
    () =>
      place.mutateAsync({
        reason: reason.trim(),
        membership_id: scope === WHOLE_WORKSPACE ? null : Number(scope),
      }),
    {
      reset: () => {
        setScope(WHOLE_WORKSPACE);
        setReason("");
      },
      onClose,
      onDone: () => undefined,
    },
  );
  const options = [
    { value: WHOLE_WORKSPACE, label: "The whole workspace" },
    ...(members.data ?? []).map((member) => ({ value: String(member.id), label: member.email })),
  ];

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={650}>Place a legal hold</Text>}>
      <form onSubmit={submit}>
        <Stack gap="md">
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          <Select
            label="Hold"
            description="A workspace hold stops every deletion; a person's hold keeps their conversations, uploads and the audit events they caused."
            data={options}
            value={scope}
            onChange={(value) => setScope(value ?? WHOLE_WORKSPACE)}
            allowDeselect={false}
            searchable
          />
          <Textarea
            label="Reason"
            placeholder="e.g. Matter 2026-14, counsel's request of 3 December"
            required
            value={reason}
            onChange={(event) => setReason(event.currentTarget.value)}
            autosize
            minRows={2}
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!reason.trim()}>
              Place hold
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
