import { ActionIcon, Avatar, Button, Drawer, Group as MantineGroup, Select, Stack, Text, Tooltip } from "@mantine/core";
import { IconUserMinus } from "@tabler/icons-react";
import { useMemo, useState } from "react";
import { useAccessPreview } from "../../api/accessPreview";
import type { Group, Member } from "../../api/client";
import { useAddGroupMemberMutation, useRemoveGroupMemberMutation } from "../../api/groups";
import { ConfirmModal } from "../../components/ConfirmModal";
import { RoleBadge } from "../../components/RoleBadge";
import { initials } from "../../lib/format";
import { notifyError } from "../../lib/notify";
import { AccessPreviewNote } from "./AccessPreviewNote";

/** Who is in one group, with adding and removing members. */
export function GroupMembersDrawer({
  group,
  members,
  workspaceId,
  onClose,
}: {
  group: Group | null;
  members: Member[];
  workspaceId: number;
  onClose: () => void;
}) {
  // Both answers update the cached group list, which the drawer's group is read from.
  const addMutation = useAddGroupMemberMutation(workspaceId);
  const removeMutation = useRemoveGroupMemberMutation(workspaceId);
  const [adding, setAdding] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | "add" | null>(null);
  const [removing, setRemoving] = useState<Member | null>(null);
  const byId = useMemo(() => new Map(members.map((member) => [member.id, member])), [members]);
  // What the change would open or close: shown for the chosen candidate before "Add", and in
  // the removal's confirm step.
  const addPreview = useAccessPreview(
    workspaceId,
    group && adding ? { kind: "group_add", group_id: group.id, membership_id: Number(adding) } : null,
  );
  const removePreview = useAccessPreview(
    workspaceId,
    group && removing ? { kind: "group_remove", group_id: group.id, membership_id: removing.id } : null,
  );

  if (!group) return <Drawer opened={false} onClose={onClose} />;

  const inGroup = group.member_ids.map((id) => byId.get(id)).filter((m): m is Member => !!m);
  const candidates = members
    .filter((member) => !group.member_ids.includes(member.id))
    .map((member) => ({
      value: String(member.id),
      label: member.full_name ? `${member.full_name} (${member.email})` : member.email,
    }));

  const add = async () => {
    if (!adding) return;
    setBusy("add");
    try {
      await addMutation.mutateAsync({ group, membershipId: Number(adding) });
      setAdding(null);
    } catch (error) {
      notifyError(error, "Could not add the member");
    } finally {
      setBusy(null);
    }
  };

  // The confirm modal shows a failure itself and stays open.
  const removeMember = async (member: Member) => {
    setBusy(member.id);
    try {
      await removeMutation.mutateAsync({ group, membershipId: member.id });
    } finally {
      setBusy(null);
    }
  };

  return (
    <Drawer
      opened
      onClose={onClose}
      position="right"
      size="md"
      title={
        <div>
          <Text fw={650}>{group.name}</Text>
          <Text size="xs" c="dimmed">
            {group.member_ids.length} {group.member_ids.length === 1 ? "member" : "members"}
          </Text>
        </div>
      }
    >
      <Stack gap="lg">
        <MantineGroup align="flex-end" gap="sm" wrap="nowrap">
          <Select
            label="Add a member"
            placeholder={candidates.length ? "Search members" : "Everyone is in this group"}
            data={candidates}
            value={adding}
            onChange={setAdding}
            searchable
            nothingFoundMessage="No member matches"
            disabled={!candidates.length}
            style={{ flex: 1 }}
          />
          <Button onClick={add} disabled={!adding} loading={busy === "add"}>
            Add
          </Button>
        </MantineGroup>
        {adding && <AccessPreviewNote preview={addPreview} />}

        {inGroup.length === 0 ? (
          <Text size="sm" c="dimmed" ta="center" py="xl">
            No one is in this group yet. Add members above.
          </Text>
        ) : (
          <Stack gap={4} component="ul" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {inGroup.map((member) => (
              <MantineGroup
                key={member.id}
                component="li"
                justify="space-between"
                wrap="nowrap"
                py={8}
                px={4}
                style={{ borderBottom: "1px solid var(--app-border)" }}
              >
                <MantineGroup gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                  <Avatar radius="xl" size={30} color="brand" aria-hidden>
                    {initials(member.full_name, member.email)}
                  </Avatar>
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" fw={500} truncate>
                      {member.full_name || member.email}
                    </Text>
                    <Text size="xs" c="dimmed" truncate>
                      {member.email}
                    </Text>
                  </div>
                </MantineGroup>
                <MantineGroup gap="xs" wrap="nowrap">
                  <RoleBadge role={member.role} />
                  <Tooltip label="Remove from group">
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={`Remove ${member.email} from ${group.name}`}
                      loading={busy === member.id}
                      onClick={() => setRemoving(member)}
                    >
                      <IconUserMinus size={16} />
                    </ActionIcon>
                  </Tooltip>
                </MantineGroup>
              </MantineGroup>
            ))}
          </Stack>
        )}
      </Stack>
      <ConfirmModal
        opened={removing != null}
        title="Remove from group"
        confirmLabel="Remove"
        details={removing && <AccessPreviewNote preview={removePreview} />}
        onClose={() => setRemoving(null)}
        onConfirm={() => (removing ? removeMember(removing) : Promise.resolve())}
      >
        {removing && (
          <>
            Remove <b>{removing.email}</b> from <b>{group.name}</b>? They lose what the group gives them.
          </>
        )}
      </ConfirmModal>
    </Drawer>
  );
}
