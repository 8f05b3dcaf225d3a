import {
  ActionIcon,
  Alert,
  Avatar,
  Button,
  Group,
  Modal,
  PasswordInput,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from "@mantine/core";
import { IconTrash, IconUserPlus, IconUsers } from "@tabler/icons-react";
import { useState } from "react";
import { api, type Member, type Role } from "../../api/client";
import { unwrap } from "../../api/errors";
import { useAuth } from "../../auth/AuthContext";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { ConfirmModal } from "../../components/ConfirmModal";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, QueryStates, TableSkeleton } from "../../components/states";
import { formatDate, initials, ROLE_DESCRIPTIONS, ROLE_LABELS } from "../../lib/format";
import { notifyError, notifySuccess } from "../../lib/notify";
import { useApiQuery } from "../../lib/useApiQuery";
import { useSubmit } from "../../lib/useSubmit";

const ROLE_OPTIONS = (["admin", "builder", "member"] as const).map((value) => ({
  value,
  label: ROLE_LABELS[value],
}));

function InviteModal({
  opened,
  onClose,
  workspaceId,
  onInvited,
}: {
  opened: boolean;
  onClose: () => void;
  workspaceId: number;
  onInvited: (member: Member) => void;
}) {
  const [email, setEmail] = useState("");
  const [fullName, setFullName] = useState("");
  const [role, setRole] = useState<Role>("member");
  const [password, setPassword] = useState("");

  const reset = () => {
    setEmail("");
    setFullName("");
    setRole("member");
    setPassword("");
  };

  const { busy, error, submit, close } = useSubmit(
    () =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/members", {
          params: { path: { workspace_id: workspaceId } },
          body: {
            email: email.trim(),
            role,
            full_name: fullName.trim(),
            password: password ? password : null,
          },
        }),
      ),
    { reset, onClose, onDone: onInvited },
  );

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={650}>Invite a member</Text>}>
      <form onSubmit={submit}>
        <Stack gap="md">
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label="Email"
            type="email"
            required
            placeholder="name@company.com"
            value={email}
            onChange={(event) => setEmail(event.currentTarget.value)}
            data-autofocus
          />
          <TextInput
            label="Full name"
            placeholder="Optional"
            value={fullName}
            onChange={(event) => setFullName(event.currentTarget.value)}
          />
          <Select
            label="Role"
            data={ROLE_OPTIONS}
            value={role}
            onChange={(value) => value && setRole(value as Role)}
            allowDeselect={false}
            description={ROLE_DESCRIPTIONS[role]}
          />
          <PasswordInput
            label="Initial password"
            description="Optional. At least 8 characters; leave empty if they already have an account."
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            autoComplete="new-password"
          />
          <Group justify="flex-end" gap="sm" mt="xs">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!email.trim()}>
              Send invite
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function MembersPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const { me } = useAuth();
  const [inviteOpen, setInviteOpen] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [savingRole, setSavingRole] = useState<number | null>(null);

  const members = useApiQuery(
    () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/members", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
    ["members", workspaceId],
  );

  const changeRole = async (member: Member, role: Role) => {
    if (role === member.role) return;
    setSavingRole(member.id);
    try {
      const updated = await unwrap(
        api.PATCH("/api/v1/workspaces/{workspace_id}/members/{membership_id}", {
          params: { path: { workspace_id: workspaceId, membership_id: member.id } },
          body: { role },
        }),
      );
      members.setData((list) => list?.map((item) => (item.id === updated.id ? updated : item)));
      notifySuccess(`${member.email} is now ${ROLE_LABELS[role].toLowerCase()}.`);
    } catch (error) {
      notifyError(error, "Could not change the role");
    } finally {
      setSavingRole(null);
    }
  };

  const remove = async (member: Member) => {
    await unwrap(
      api.DELETE("/api/v1/workspaces/{workspace_id}/members/{membership_id}", {
        params: { path: { workspace_id: workspaceId, membership_id: member.id } },
      }),
    );
    members.setData((list) => list?.filter((item) => item.id !== member.id));
    notifySuccess(`${member.email} was removed from the workspace.`);
  };

  const inviteButton = (
    <Button leftSection={<IconUserPlus size={16} />} onClick={() => setInviteOpen(true)}>
      Invite member
    </Button>
  );

  const body = (
    <QueryStates
      query={members}
      errorTitle="Could not load members"
      loading={<TableSkeleton rows={4} columns={4} />}
      empty={
        <EmptyState
          icon={IconUsers}
          title="No members yet"
          description="Invite the people who will build and use agents in this workspace."
          action={inviteButton}
        />
      }
    >
      {(items) => (
        <div className="table-card">
          <Table.ScrollContainer minWidth={640}>
            <Table highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Member</Table.Th>
                  <Table.Th w={200}>Role</Table.Th>
                  <Table.Th w={140}>Joined</Table.Th>
                  <Table.Th w={60}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((member) => {
                  const isSelf = member.user_id === me?.id;
                  return (
                    <Table.Tr key={member.id}>
                      <Table.Td>
                        <Group gap="sm" wrap="nowrap">
                          <Avatar radius="xl" size={34} color="brand" aria-hidden>
                            {initials(member.full_name, member.email)}
                          </Avatar>
                          <div style={{ minWidth: 0 }}>
                            <Text size="sm" fw={600} truncate>
                              {member.full_name || member.email}
                              {isSelf && (
                                <Text span size="xs" c="dimmed" fw={500}>
                                  {" "}
                                  (you)
                                </Text>
                              )}
                            </Text>
                            <Text size="xs" c="dimmed" truncate>
                              {member.email}
                            </Text>
                          </div>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Select
                          aria-label={`Role of ${member.email}`}
                          data={ROLE_OPTIONS}
                          value={member.role}
                          onChange={(value) => value && void changeRole(member, value as Role)}
                          allowDeselect={false}
                          size="xs"
                          w={150}
                          disabled={savingRole === member.id}
                          comboboxProps={{ withinPortal: true }}
                        />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed">
                          {formatDate(member.created_at)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {!isSelf && (
                          <Tooltip label="Remove from workspace">
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              aria-label={`Remove ${member.email}`}
                              onClick={() => setRemoving(member)}
                            >
                              <IconTrash size={16} />
                            </ActionIcon>
                          </Tooltip>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </div>
      )}
    </QueryStates>
  );

  return (
    <>
      <PageHeader
        title="Members & roles"
        description="Everyone in this workspace and what they can do. Admins manage access; builders create agents; members use them."
        actions={inviteButton}
      />
      {body}
      <InviteModal
        opened={inviteOpen}
        onClose={() => setInviteOpen(false)}
        workspaceId={workspaceId}
        onInvited={(member) => {
          members.setData((list) => [...(list ?? []).filter((item) => item.id !== member.id), member]);
          notifySuccess(`${member.email} was added as ${ROLE_LABELS[member.role].toLowerCase()}.`);
        }}
      />
      <ConfirmModal
        opened={removing != null}
        title="Remove member"
        confirmLabel="Remove member"
        onClose={() => setRemoving(null)}
        onConfirm={() => (removing ? remove(removing) : Promise.resolve())}
      >
        {removing && (
          <>
            <b>{removing.full_name || removing.email}</b> will lose access to this workspace, its
            spaces and its agents.
          </>
        )}
      </ConfirmModal>
    </>
  );
}
