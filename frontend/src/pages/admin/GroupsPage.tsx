import { ActionIcon, Avatar, Badge, Button, Group as MantineGroup, Text, Tooltip } from "@mantine/core";
import { IconPlus, IconTrash, IconUsersGroup } from "@tabler/icons-react";
import { useMemo, useState } from "react";
import type { Group, Member } from "../../api/client";
import { useDeleteGroupMutation, useGroups } from "../../api/groups";
import { useMembers } from "../../api/members";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { ConfirmModal } from "../../components/ConfirmModal";
import { QueryTable, type Column } from "../../components/DataTable";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState } from "../../components/states";
import { initials } from "../../lib/format";
import { notifySuccess } from "../../lib/notify";
import { CreateGroupModal } from "./CreateGroupModal";
import { GroupMembersDrawer } from "./GroupMembersDrawer";

function GroupMembersCell({ group, membersById }: { group: Group; membersById: Map<number, Member> }) {
  return (
    <MantineGroup gap="sm" wrap="nowrap">
      {group.member_ids.length > 0 && (
        <Avatar.Group spacing={6}>
          {group.member_ids.slice(0, 4).map((id) => {
            const member = membersById.get(id);
            return (
              <Avatar
                key={id}
                radius="xl"
                size={28}
                variant="filled"
                color={member ? "initials" : "gray"}
                name={member ? member.full_name || member.email : undefined}
                aria-hidden
              >
                {member ? initials(member.full_name, member.email) : "?"}
              </Avatar>
            );
          })}
        </Avatar.Group>
      )}
      <Text size="sm" c="dimmed">
        {group.member_ids.length} {group.member_ids.length === 1 ? "member" : "members"}
      </Text>
    </MantineGroup>
  );
}

export function GroupsPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const [createOpen, setCreateOpen] = useState(false);
  const [managingId, setManagingId] = useState<number | null>(null);
  const [deleting, setDeleting] = useState<Group | null>(null);

  const groups = useGroups(workspaceId);
  const members = useMembers(workspaceId);
  const deleteMutation = useDeleteGroupMutation(workspaceId);
  // The page needs both lists: it shows the groups once the members (for their avatars) are in.
  const both = {
    data: groups.data && members.data ? groups.data : undefined,
    error: groups.error ?? members.error,
    reload: () => {
      if (groups.error) void groups.refetch();
      if (members.error) void members.refetch();
    },
  };

  const membersById = useMemo(
    () => new Map((members.data ?? []).map((member) => [member.id, member])),
    [members.data],
  );

  const deleteGroup = async (group: Group) => {
    await deleteMutation.mutateAsync(group);
    notifySuccess(`Group “${group.name}” was deleted.`);
  };

  const createButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreateOpen(true)}>
      New group
    </Button>
  );

  const columns: Column<Group>[] = [
    {
      key: "group",
      header: "Group",
      render: (group) => (
        <MantineGroup gap="sm">
          <Text size="sm" fw={600}>
            {group.name}
          </Text>
          {group.source !== "manual" && (
            <Badge variant="outline" color="gray" size="sm">
              Synced from {group.source}
            </Badge>
          )}
        </MantineGroup>
      ),
    },
    {
      key: "members",
      header: "Members",
      width: 220,
      render: (group) => <GroupMembersCell group={group} membersById={membersById} />,
    },
    {
      key: "actions",
      header: "Actions",
      hiddenHeader: true,
      width: 200,
      render: (group) => (
        <MantineGroup gap="xs" justify="flex-end" wrap="nowrap">
          <Button size="xs" variant="light" onClick={() => setManagingId(group.id)}>
            Manage members
          </Button>
          <Tooltip label="Delete group">
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={`Delete group ${group.name}`}
              onClick={() => setDeleting(group)}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </MantineGroup>
      ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Groups"
        description="Sets of members that you can grant access to together."
        actions={createButton}
      />
      <QueryTable
        query={both}
        errorTitle="Could not load groups"
        skeletonRows={3}
        empty={
          <EmptyState
            icon={IconUsersGroup}
            title="No groups yet"
            description="Groups bundle members — a team, a department — so you can grant a space to all of them at once."
            action={createButton}
          />
        }
        columns={columns}
        rowKey={(group) => group.id}
        minWidth={600}
      />
      <CreateGroupModal
        opened={createOpen}
        onClose={() => setCreateOpen(false)}
        workspaceId={workspaceId}
        onCreated={(group) => {
          notifySuccess(`Group “${group.name}” was created.`);
          setManagingId(group.id);
        }}
      />
      <GroupMembersDrawer
        group={groups.data?.find((group) => group.id === managingId) ?? null}
        members={members.data ?? []}
        workspaceId={workspaceId}
        onClose={() => setManagingId(null)}
      />
      <ConfirmModal
        opened={deleting != null}
        title="Delete group"
        confirmLabel="Delete group"
        onClose={() => setDeleting(null)}
        onConfirm={() => (deleting ? deleteGroup(deleting) : Promise.resolve())}
      >
        {deleting && (
          <>
            Delete <b>{deleting.name}</b>? Its members lose the space access that was granted to the
            group; their own grants stay.
          </>
        )}
      </ConfirmModal>
    </>
  );
}
