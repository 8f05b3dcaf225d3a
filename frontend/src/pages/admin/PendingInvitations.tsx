import { Badge, Button, Group, Text, Title } from "@mantine/core";
import { IconLink } from "@tabler/icons-react";
import type { UseQueryResult } from "@tanstack/react-query";
import type { Invitation } from "../../api/client";
import { QueryTable, type Column } from "../../components/DataTable";
import { formatDateTime, ROLE_LABELS } from "../../lib/format";

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
export function PendingInvitations({
  invitations,
  onCopyLink,
  onRevoke,
  reissuing,
}: {
  invitations: UseQueryResult<Invitation[]>;
  onCopyLink: (invitation: Invitation) => void;
  onRevoke: (invitation: Invitation) => void;
  reissuing: number | null;
}) {
  const open = (invitations.data ?? []).filter(
    (item) => item.status === "pending" || item.status === "expired",
  );
  // Nothing to say while loading or when none are open: the section only appears when useful.
  if (invitations.error == null && open.length === 0) return null;

  const columns: Column<Invitation>[] = [
    {
      key: "email",
      header: "Email",
      render: (invitation) => (
        <Text size="sm" fw={600} truncate>
          {invitation.email}
        </Text>
      ),
    },
    {
      key: "role",
      header: "Role",
      width: 110,
      render: (invitation) => <Text size="sm">{ROLE_LABELS[invitation.role] ?? invitation.role}</Text>,
    },
    {
      key: "invited-by",
      header: "Invited by",
      render: (invitation) => (
        <Text size="sm" c="dimmed" truncate>
          {invitation.invited_by_email ?? "—"}
        </Text>
      ),
    },
    {
      key: "expires",
      header: "Expires",
      width: 170,
      render: (invitation) => (
        <Text size="sm" c="dimmed">
          {formatDateTime(invitation.expires_at)}
        </Text>
      ),
    },
    {
      key: "status",
      header: "Status",
      width: 100,
      render: (invitation) => (
        <Badge variant="light" color={STATUS_COLORS[invitation.status] ?? "gray"}>
          {STATUS_LABELS[invitation.status] ?? invitation.status}
        </Badge>
      ),
    },
    {
      key: "actions",
      header: "Actions",
      hiddenHeader: true,
      width: 230,
      render: (invitation) =>
        invitation.status === "pending" ? (
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
        ),
    },
  ];

  return (
    <section aria-labelledby="pending-invitations-title">
      <Title order={2} size="h4" mt={32} mb="sm" id="pending-invitations-title">
        Pending invitations
      </Title>
      <QueryTable
        query={{ ...invitations, data: invitations.data ? open : undefined }}
        errorTitle="Could not load invitations"
        skeletonRows={2}
        skeletonColumns={5}
        empty={null}
        columns={columns}
        rowKey={(invitation) => invitation.id}
        minWidth={720}
        aria-label="Pending invitations"
      />
    </section>
  );
}
