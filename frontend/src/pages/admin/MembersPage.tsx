import {
  ActionIcon,
  Alert,
  Avatar,
  Badge,
  Button,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
  VisuallyHidden,
} from "@mantine/core";
import { IconLink, IconTrash, IconUserPlus, IconUsers } from "@tabler/icons-react";
import { useState } from "react";
import { api, type Invitation, type InvitationCreated, type Member, type Role } from "../../api/client";
import { unwrap } from "../../api/errors";
import { useAuth } from "../../auth/AuthContext";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { ConfirmModal } from "../../components/ConfirmModal";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, QueryStates, TableSkeleton } from "../../components/states";
import { formatDate, formatDateTime, initials, ROLE_DESCRIPTIONS, ROLE_LABELS } from "../../lib/format";
import { notifyError, notifySuccess } from "../../lib/notify";
import { useApiQuery, type QueryState } from "../../lib/useApiQuery";
import { useSubmit } from "../../lib/useSubmit";
import { InviteLinkModal } from "./InviteLinkModal";

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
  onInvited: (invitation: InvitationCreated) => void;
}) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");

  const reset = () => {
    setEmail("");
    setRole("member");
  };

  // Email and role only: the person sets their own name and password from the link.
  const { busy, error, submit, close } = useSubmit(
    () =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/invitations", {
          params: { path: { workspace_id: workspaceId } },
          body: { email: email.trim(), role },
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
          <Select
            label="Role"
            data={ROLE_OPTIONS}
            value={role}
            onChange={(value) => value && setRole(value as Role)}
            allowDeselect={false}
            description={ROLE_DESCRIPTIONS[role]}
          />
          <Text size="xs" c="dimmed">
            They get an email with a link to join; you also get the link to send yourself. They set
            their own password, or accept with the account they already have.
          </Text>
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

const STATUS_COLORS: Record<string, string> = {
  pending: "blue",
  expired: "gray",
  revoked: "red",
  accepted: "teal",
};

const STATUS_LABELS: Record<string, string> = {
  pending: "Pending",
  expired: "Expired",
  revoked: "Revoked",
  accepted: "Accepted",
};

/** Invitations nobody has answered yet; accepted ones show up as members, revoked ones are gone. */
function PendingInvitations({
  invitations,
  onCopyLink,
  onRevoke,
  reissuing,
}: {
  invitations: QueryState<Invitation[]>;
  onCopyLink: (invitation: Invitation) => void;
  onRevoke: (invitation: Invitation) => void;
  reissuing: number | null;
}) {
  const open = (invitations.data ?? []).filter(
    (item) => item.status === "pending" || item.status === "expired",
  );
  // Nothing to say while loading or when none are open: the section only appears when useful.
  if (invitations.error == null && open.length === 0) return null;
  return (
    <section aria-labelledby="pending-invitations-title">
      <Title order={2} size="h4" mt={32} mb="sm" id="pending-invitations-title">
        Pending invitations
      </Title>
      <QueryStates
        query={{ ...invitations, data: invitations.data ? open : undefined }}
        errorTitle="Could not load invitations"
        loading={<TableSkeleton rows={2} columns={5} />}
        empty={null}
      >
        {(items) => (
          <div className="table-card">
            <Table.ScrollContainer minWidth={720}>
              <Table highlightOnHover aria-label="Pending invitations">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Email</Table.Th>
                    <Table.Th w={110}>Role</Table.Th>
                    <Table.Th>Invited by</Table.Th>
                    <Table.Th w={170}>Expires</Table.Th>
                    <Table.Th w={100}>Status</Table.Th>
                    <Table.Th w={230}>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {items.map((invitation) => (
                    <Table.Tr key={invitation.id}>
                      <Table.Td>
                        <Text size="sm" fw={600} truncate>
                          {invitation.email}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{ROLE_LABELS[invitation.role] ?? invitation.role}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed" truncate>
                          {invitation.invited_by_email ?? "—"}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" c="dimmed">
                          {formatDateTime(invitation.expires_at)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={STATUS_COLORS[invitation.status] ?? "gray"}>
                          {STATUS_LABELS[invitation.status] ?? invitation.status}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {invitation.status === "pending" ? (
                          <Group gap="xs" wrap="nowrap" justify="flex-end">
                            <Button
                              size="xs"
                              variant="light"
                              leftSection={<IconLink size={14} />}
                              loading={reissuing === invitation.id}
                              onClick={() => onCopyLink(invitation)}
                              aria-label={`Copy invite link for ${invitation.email}`}
                            >
                              Copy invite link
                            </Button>
                            <Button
                              size="xs"
                              variant="subtle"
                              color="red"
                              onClick={() => onRevoke(invitation)}
                              aria-label={`Revoke the invitation for ${invitation.email}`}
                            >
                              Revoke
                            </Button>
                          </Group>
                        ) : (
                          <Text size="xs" c="dimmed" ta="right">
                            Invite them again to send a new link.
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          </div>
        )}
      </QueryStates>
    </section>
  );
}

export function MembersPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const { me } = useAuth();
  const [inviteOpen, setInviteOpen] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [savingRole, setSavingRole] = useState<number | null>(null);
  const [shownLink, setShownLink] = useState<{ invitation: InvitationCreated; reissued: boolean } | null>(
    null,
  );
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const [reissuing, setReissuing] = useState<number | null>(null);

  const invitations = useApiQuery(
    () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/invitations", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
    ["invitations", workspaceId],
  );

  // The API keeps only a hash of the token, so "copy" issues a fresh link (and re-sends the email).
  const copyLink = async (invitation: Invitation) => {
    setReissuing(invitation.id);
    try {
      const created = await unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/invitations/{invitation_id}/link", {
          params: { path: { workspace_id: workspaceId, invitation_id: invitation.id } },
        }),
      );
      setShownLink({ invitation: created, reissued: true });
      invitations.reload();
    } catch (error) {
      notifyError(error, "Could not make a new invite link");
    } finally {
      setReissuing(null);
    }
  };

  const revoke = async (invitation: Invitation) => {
    await unwrap(
      api.DELETE("/api/v1/workspaces/{workspace_id}/invitations/{invitation_id}", {
        params: { path: { workspace_id: workspaceId, invitation_id: invitation.id } },
      }),
    );
    invitations.setData((list) =>
      list?.map((item) => (item.id === invitation.id ? { ...item, status: "revoked" } : item)),
    );
    notifySuccess(`The invitation for ${invitation.email} was revoked; its link no longer works.`);
  };

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
      <PendingInvitations
        invitations={invitations}
        onCopyLink={(invitation) => void copyLink(invitation)}
        onRevoke={setRevoking}
        reissuing={reissuing}
      />
      <InviteModal
        opened={inviteOpen}
        onClose={() => setInviteOpen(false)}
        workspaceId={workspaceId}
        onInvited={(invitation) => {
          setShownLink({ invitation, reissued: false });
          invitations.reload();
        }}
      />
      <InviteLinkModal
        invitation={shownLink?.invitation ?? null}
        reissued={shownLink?.reissued ?? false}
        onClose={() => setShownLink(null)}
      />
      <ConfirmModal
        opened={revoking != null}
        title="Revoke invitation"
        confirmLabel="Revoke invitation"
        onClose={() => setRevoking(null)}
        onConfirm={() => (revoking ? revoke(revoking) : Promise.resolve())}
      >
        {revoking && (
          <>
            The invitation link sent to <b>{revoking.email}</b> stops working. You can invite them
            again later.
          </>
        )}
      </ConfirmModal>
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
