import { ActionIcon, Badge, Button, Code, Text, Tooltip } from "@mantine/core";
import { IconBan, IconKey, IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import type { Token, TokenCreated } from "../../api/client";
import { useCreateTokenMutation, useRevokeTokenMutation, useTokens } from "../../api/tokens";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { ConfirmModal } from "../../components/ConfirmModal";
import { PageHeader } from "../../components/PageHeader";
import { QueryTable, type Column } from "../../components/DataTable";
import { EmptyState } from "../../components/states";
import { formatDate, formatDateTime, formatRelative } from "../../lib/format";
import { notifySuccess } from "../../lib/notify";
import { TokenCreatedModal } from "./TokenCreatedModal";
import { NameFormModal } from "../../components/form/NameFormModal";

function CreateTokenModal({
  opened,
  onClose,
  workspaceId,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  workspaceId: number;
  onCreated: (token: TokenCreated) => void;
}) {
  const create = useCreateTokenMutation(workspaceId);
  return (
    <NameFormModal
      opened={opened}
      onClose={onClose}
      title="Create an API token"
      submitLabel="Create token"
      description="What will use it, so you can tell tokens apart later."
      placeholder="e.g. Nightly export script"
      create={(name) => create.mutateAsync(name)}
      onCreated={onCreated}
    />
  );
}

function TokenStatus({ token }: { token: Token }) {
  if (token.revoked_at) {
    return (
      <Tooltip label={`Revoked ${formatDateTime(token.revoked_at)}`}>
        <Badge variant="light" color="red">
          Revoked
        </Badge>
      </Tooltip>
    );
  }
  return (
    <Badge variant="light" color="teal">
      Active
    </Badge>
  );
}

export function TokensPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const [createOpen, setCreateOpen] = useState(false);
  const [created, setCreated] = useState<TokenCreated | null>(null);
  const [revoking, setRevoking] = useState<Token | null>(null);

  const tokens = useTokens(workspaceId);
  const revokeMutation = useRevokeTokenMutation(workspaceId);

  const revoke = async (token: Token) => {
    await revokeMutation.mutateAsync(token);
    notifySuccess(`Token “${token.name}” was revoked.`);
  };

  const createButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreateOpen(true)}>
      New token
    </Button>
  );

  const columns: Column<Token>[] = [
    {
      key: "name",
      header: "Name",
      render: (token) => (
        <>
          <Text size="sm" fw={600}>
            {token.name}
          </Text>
          <Text size="xs" c="dimmed">
            {token.member_email}
          </Text>
        </>
      ),
    },
    { key: "prefix", header: "Prefix", width: 150, render: (token) => <Code>{token.prefix}…</Code> },
    {
      key: "created",
      header: "Created",
      width: 130,
      render: (token) => (
        <Text size="sm" c="dimmed">
          {formatDate(token.created_at)}
        </Text>
      ),
    },
    {
      key: "last-used",
      header: "Last used",
      width: 140,
      render: (token) => (
        <Tooltip label={formatDateTime(token.last_used_at)} disabled={!token.last_used_at}>
          <Text size="sm" c="dimmed">
            {formatRelative(token.last_used_at)}
          </Text>
        </Tooltip>
      ),
    },
    { key: "status", header: "Status", width: 130, render: (token) => <TokenStatus token={token} /> },
    {
      key: "actions",
      header: "Actions",
      hiddenHeader: true,
      width: 60,
      render: (token) =>
        !token.revoked_at && (
          <Tooltip label="Revoke token">
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={`Revoke token ${token.name}`}
              onClick={() => setRevoking(token)}
            >
              <IconBan size={16} />
            </ActionIcon>
          </Tooltip>
        ),
    },
  ];

  const body = (
    <QueryTable
      query={tokens}
      errorTitle="Could not load API tokens"
      skeletonRows={3}
      skeletonColumns={5}
      empty={
        <EmptyState
          icon={IconKey}
          title="No API tokens yet"
          description="Tokens let scripts and integrations call the API as a member of this workspace."
          action={createButton}
        />
      }
      columns={columns}
      rowKey={(token) => token.id}
      minWidth={760}
      rowProps={(token) => ({ style: token.revoked_at ? { opacity: 0.6 } : undefined })}
    />
  );

  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens authenticate scripts and integrations as the member who created them. Admins see every token in the workspace."
        actions={createButton}
      />
      {body}
      <CreateTokenModal
        opened={createOpen}
        onClose={() => setCreateOpen(false)}
        workspaceId={workspaceId}
        onCreated={setCreated}
      />
      <TokenCreatedModal token={created} onClose={() => setCreated(null)} />
      <ConfirmModal
        opened={revoking != null}
        title="Revoke token"
        confirmLabel="Revoke token"
        onClose={() => setRevoking(null)}
        onConfirm={() => (revoking ? revoke(revoking) : Promise.resolve())}
      >
        {revoking && (
          <>
            Anything using <b>{revoking.name}</b> ({revoking.prefix}…) stops working immediately.
            This cannot be undone.
          </>
        )}
      </ConfirmModal>
    </>
  );
}
