import { TextInput } from "@mantine/core";
import { useState } from "react";
import type { Group } from "../../api/client";
import { useCreateGroupMutation } from "../../api/groups";
import { useSubmit } from "../../lib/useSubmit";
import { FormModal } from "../../components/form/FormModal";

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
    <FormModal
      opened={opened}
      onClose={close}
      title="Create a group"
      error={error}
      onSubmit={submit}
      submitLabel="Create group"
      busy={busy}
      submitDisabled={!name.trim()}
    >
      <TextInput
        label="Name"
        placeholder="e.g. Engineering"
        required
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
        data-autofocus
      />
    </FormModal>
  );
}
