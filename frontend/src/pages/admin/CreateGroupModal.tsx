import type { Group } from "../../api/client";
import { useCreateGroupMutation } from "../../api/groups";
import { NameFormModal } from "../../components/form/NameFormModal";

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
  const create = useCreateGroupMutation(workspaceId);
  return (
    <NameFormModal
      opened={opened}
      onClose={onClose}
      title="Create a group"
      submitLabel="Create group"
      placeholder="e.g. Engineering"
      create={(name) => create.mutateAsync(name)}
      onCreated={onCreated}
    />
  );
}
