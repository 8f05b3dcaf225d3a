import { ActionIcon, Avatar, Badge, Button, Group, Select, Text, Tooltip } from "@mantine/core";
import { IconTrash, IconUserPlus, IconUsers } from "@tabler/icons-react";
import { useState } from "react";
import type { Invitation, InvitationCreated, Member, Role } from "../../api/client";
import { useInvitations, useReissueLinkMutation, useRevokeInvitationMutation } from "../../api/invitations";
import { useChangeRoleMutation, useMembers, useRemoveMemberMutation } from "../../api/members";
import { useAuth } from "../../auth/AuthContext";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { ConfirmModal } from "../../components/ConfirmModal";
import { QueryTable, type Column } from "../../components/DataTable";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState } from "../../components/states";
import { formatDate, initials, ROLE_LABELS } from "../../lib/format";
import { notifyError, notifySuccess } from "../../lib/notify";
import { InviteLinkModal } from "./InviteLinkModal";
import { InviteModal, ROLE_OPTIONS } from "./InviteModal";
import { PendingInvitations } from "./PendingInvitations";

function MemberCell({ member, isSelf }: { member: Member; isSelf: boolean }) {
  return (
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
  );
}

export function MembersPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const { me } = useAuth();
  const [inviteOpen, setInviteOpen] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);
  const [shownLink, setShownLink] = useState<{ invitation: InvitationCreated; reissued: boolean } | null>(
    null,
  );
  const [revoking, setRevoking] = useState<Invitation | null>(null);

  const members = useMembers(workspaceId);
  const invitations = useInvitations(workspaceId);
  const changeRoleMutation = useChangeRoleMutation(workspaceId);
  const removeMutation = useRemoveMemberMutation(workspaceId);
  const reissueMutation = useReissueLinkMutation(workspaceId);
  const revokeMutation = useRevokeInvitationMutation(workspaceId);
  const savingRole = changeRoleMutation.isPending ? (changeRoleMutation.variables?.member.id ?? null) : null;
  const reissuing = reissueMutation.isPending ? (reissueMutation.variables?.id ?? null) : null;

  const copyLink = async (invitation: Invitation) => {
    try {
      const created = await reissueMutation.mutateAsync(invitation);
      setShownLink({ invitation: created, reissued: true });
    } catch (error) {
      notifyError(error, "Could not make a new invite link");
    }
  };

  const revoke = async (invitation: Invitation) => {
    await revokeMutation.mutateAsync(invitation);
    notifySuccess(`The invitation for ${invitation.email} was revoked; its link no longer works.`);
  };

  const changeRole = async (member: Member, role: Role) => {
    if (role === member.role) return;
    try {
      await changeRoleMutation.mutateAsync({ member, role });
      notifySuccess(`${member.email} is now ${ROLE_LABELS[role].toLowerCase()}.`);
    } catch (error) {
      notifyError(error, "Could not change the role");
    }
  };

  const remove = async (member: Member) => {
    await removeMutation.mutateAsync(member);
    notifySuccess(`${member.email} was removed from the workspace.`);
  };

  const inviteButton = (
    <Button leftSection={<IconUserPlus size={16} />} onClick={() => setInviteOpen(true)}>
      Invite member
    </Button>
  );

  const columns: Column<Member>[] = [
    {
      key: "member",
      header: "Member",
      render: (member) => <MemberCell member={member} isSelf={member.user_id === me?.id} />,
    },
    {
      key: "role",
      header: "Role",
      width: 200,
      render: (member) => (
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
      ),
    },
    {
      key: "joined",
      header: "Joined",
      width: 140,
      render: (member) =>
        member.deactivated_at ? (
          <Tooltip label={`Deactivated by the identity provider ${formatDate(member.deactivated_at)}`}>
            <Badge variant="light" color="gray">
              Deactivated
            </Badge>
          </Tooltip>
        ) : (
          <Text size="sm" c="dimmed">
            {formatDate(member.created_at)}
          </Text>
        ),
    },
    {
      key: "actions",
      header: "Actions",
      hiddenHeader: true,
      width: 60,
      render: (member) =>
        member.user_id !== me?.id && (
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
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Members & roles"
        description="Everyone in this workspace and what they can do. Admins manage access; builders create agents; members use them."
        actions={inviteButton}
      />
      <QueryTable
        query={members}
        errorTitle="Could not load members"
        empty={
          <EmptyState
            icon={IconUsers}
            title="No members yet"
            description="Invite the people who will build and use agents in this workspace."
            action={inviteButton}
          />
        }
        columns={columns}
        rowKey={(member) => member.id}
        minWidth={640}
      />
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
        onInvited={(invitation) => setShownLink({ invitation, reissued: false })}
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
