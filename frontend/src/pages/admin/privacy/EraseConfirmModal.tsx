import { Alert, Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import type { Member } from "../../../api/client";
import { errorMessage } from "../../../api/errors";

/**
 * Erasure cannot be undone, so the admin types the member's email to confirm (a click alone
 * is too easy to give by mistake).
 */
export function EraseConfirmModal({
  member,
  onClose,
  onConfirm,
}: {
  member: Member | null;
  onClose: () => void;
  onConfirm: (member: Member) => Promise<void>;
}) {
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const matches = member != null && typed.trim().toLowerCase() === member.email.toLowerCase();

  const close = () => {
    if (busy) return;
    setTyped("");
    setError(null);
    onClose();
  };

  const confirm = async () => {
    if (!member || !matches) return;
    setBusy(true);
    setError(null);
    try {
      await onConfirm(member);
      setBusy(false);
      setTyped("");
      onClose();
    } catch (caught) {
      setBusy(false);
      setError(caught);
    }
  };

  return (
    <Modal opened={member != null} onClose={close} title={<Text fw={650}>Erase a member</Text>}>
      {member && (
        <Stack gap="md">
          {error != null && (
            <Alert color="red" variant="light" role="alert">
              {errorMessage(error)}
            </Alert>
          )}
          <Text size="sm">
            This deletes <b>{member.email}</b>'s conversations, feedback and uploads and removes them
            from this workspace; their account goes too if they belong to no other workspace. Audit
            events stay, with the person replaced by a pseudonym. Synced documents that name them are
            listed afterwards, to exclude at their source. This cannot be undone.
          </Text>
          <TextInput
            label={`Type ${member.email} to confirm`}
            value={typed}
            onChange={(event) => setTyped(event.currentTarget.value)}
            autoComplete="off"
            data-autofocus
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button color="red" onClick={() => void confirm()} loading={busy} disabled={!matches}>
              Erase member
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
