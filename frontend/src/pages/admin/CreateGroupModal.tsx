import { Alert, Button, Group as MantineGroup, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import type { Group } from "../../api/client";
import { useCreateGroupMutation } from "../../api/groups";
import { useSubmit } from "../../lib/useSubmit";

export function CreateGroupModal({
  opened,
  onClose,
  workspaceId,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  workspaceId: number;
  onCreated: (group: Group) => void;
}) {
  const [name, setName] = useState("");
  const create = useCreateGroupMutation(workspaceId);
  const { busy, error, submit, close } = useSubmit(
    () => create.mutateAsync(name.trim()),
    { reset: () => setName(""), onClose, onDone: onCreated },
  );

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={650}>Create a group</Text>}>
      <form onSubmit={submit}>
        <Stack gap="md">
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label="Name"
            placeholder="e.g. Engineering"
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            data-autofocus
          />
          <MantineGroup justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!name.trim()}>
              Create group
            </Button>
          </MantineGroup>
        </Stack>
      </form>
    </Modal>
  );
}
