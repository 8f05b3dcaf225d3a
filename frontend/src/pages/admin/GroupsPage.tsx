import {
  ActionIcon,
  Alert,
  Avatar,
  Badge,
  Button,
  Drawer,
  Group as MantineGroup,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from "@mantine/core";
import { IconPlus, IconTrash, IconUserMinus, IconUsersGroup } from "@tabler/icons-react";
import { useMemo, useState } from "react";
import { api, type Group, type Member } from "../../api/client";
import { unwrap } from "../../api/errors";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { ConfirmModal } from "../../components/ConfirmModal";
import { PageHeader } from "../../components/PageHeader";
import { RoleBadge } from "../../components/RoleBadge";
import { EmptyState, ErrorState, TableSkeleton } from "../../components/states";
import { initials } from "../../lib/format";
import { notifyError, notifySuccess } from "../../lib/notify";
import { useApiQuery } from "../../lib/useApiQuery";
import { useSubmit } from "../../lib/useSubmit";

function CreateGroupModal({
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
  const { busy, error, submit, close } = useSubmit(
    () =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/groups", {
          params: { path: { workspace_id: workspaceId } },
          body: { name: name.trim() },
        }),
      ),
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

function GroupMembersDrawer({
  group,
  members,
  workspaceId,
  onClose,
  onChanged,
}: {
  group: Group | null;
  members: Member[];
  workspaceId: number;
  onClose: () => void;
  onChanged: (group: Group) => void;
}) {
  const [adding, setAdding] = useState<string | null>(null);
  const [busy, setBusy] = useState<number | "add" | null>(null);
  const byId = useMemo(() => new Map(members.map((member) => [member.id, member])), [members]);

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
      const updated = await unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/groups/{group_id}/members", {
          params: { path: { workspace_id: workspaceId, group_id: group.id } },
          body: { membership_id: Number(adding) },
        }),
      );
      onChanged(updated);
      setAdding(null);
    } catch (error) {
      notifyError(error, "Could not add the member");
    } finally {
      setBusy(null);
    }
  };

  const removeMember = async (member: Member) => {
    setBusy(member.id);
    try {
      await unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/groups/{group_id}/members/{membership_id}", {
          params: {
            path: { workspace_id: workspaceId, group_id: group.id, membership_id: member.id },
          },
        }),
      );
      onChanged({ ...group, member_ids: group.member_ids.filter((id) => id !== member.id) });
    } catch (error) {
      notifyError(error, "Could not remove the member");
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
                      onClick={() => void removeMember(member)}
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
    </Drawer>
  );
}

export function GroupsPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const [createOpen, setCreateOpen] = useState(false);
  const [managingId, setManagingId] = useState<number | null>(null);
  const [deleting, setDeleting] = useState<Group | null>(null);
  const path = { params: { path: { workspace_id: workspaceId } } };

  const data = useApiQuery(async () => {
    const [groups, members] = await Promise.all([
      unwrap(api.GET("/api/v1/workspaces/{workspace_id}/groups", path)),
      unwrap(api.GET("/api/v1/workspaces/{workspace_id}/members", path)),
    ]);
    return { groups, members };
  }, ["groups", workspaceId]);

  const membersById = useMemo(
    () => new Map((data.data?.members ?? []).map((member) => [member.id, member])),
    [data.data],
  );

  const replaceGroup = (group: Group) =>
    data.setData((current) =>
      current && {
        ...current,
        groups: current.groups.map((item) => (item.id === group.id ? group : item)),
      },
    );

  const deleteGroup = async (group: Group) => {
    await unwrap(
      api.DELETE("/api/v1/workspaces/{workspace_id}/groups/{group_id}", {
        params: { path: { workspace_id: workspaceId, group_id: group.id } },
      }),
    );
    data.setData(
      (current) => current && { ...current, groups: current.groups.filter((g) => g.id !== group.id) },
    );
    notifySuccess(`Group “${group.name}” was deleted.`);
  };

  const createButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreateOpen(true)}>
      New group
    </Button>
  );

  let body;
  if (data.error != null && !data.data) {
    body = <ErrorState error={data.error} onRetry={data.reload} title="Could not load groups" />;
  } else if (!data.data) {
    body = <TableSkeleton rows={3} columns={3} />;
  } else if (data.data.groups.length === 0) {
    body = (
      <EmptyState
        icon={IconUsersGroup}
        title="No groups yet"
        description="Groups bundle members — a team, a department — so you can grant a space to all of them at once."
        action={createButton}
      />
    );
  } else {
    body = (
      <div className="table-card">
        <Table.ScrollContainer minWidth={600}>
          <Table highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Group</Table.Th>
                <Table.Th w={220}>Members</Table.Th>
                <Table.Th w={200}>
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.data.groups.map((group) => (
                <Table.Tr key={group.id}>
                  <Table.Td>
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
                  </Table.Td>
                  <Table.Td>
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
                  </Table.Td>
                  <Table.Td>
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
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </div>
    );
  }

  return (
    <>
      <PageHeader
        title="Groups"
        description="Sets of members that you can grant access to together."
        actions={createButton}
      />
      {body}
      <CreateGroupModal
        opened={createOpen}
        onClose={() => setCreateOpen(false)}
        workspaceId={workspaceId}
        onCreated={(group) => {
          data.setData((current) => current && { ...current, groups: [...current.groups, group] });
          notifySuccess(`Group “${group.name}” was created.`);
          setManagingId(group.id);
        }}
      />
      <GroupMembersDrawer
        group={data.data?.groups.find((group) => group.id === managingId) ?? null}
        members={data.data?.members ?? []}
        workspaceId={workspaceId}
        onClose={() => setManagingId(null)}
        onChanged={replaceGroup}
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
