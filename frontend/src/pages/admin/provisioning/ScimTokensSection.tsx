import { ActionIcon, Badge, Button, Code, Group, Stack, Text, Title, Tooltip } from "@mantine/core";
import { IconBan, IconKey, IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import {
  type ScimToken,
  type ScimTokenCreated,
  useCreateScimTokenMutation,
  useRevokeScimTokenMutation,
  useScimTokens,
} from "../../../api/scim";
import { ConfirmModal } from "../../../components/ConfirmModal";
import { QueryTable, type Column } from "../../../components/DataTable";
import { NameFormModal } from "../../../components/form/NameFormModal";
import { EmptyState } from "../../../components/states";
import { formatDate, formatDateTime, formatRelative } from "../../../lib/format";
import { notifySuccess } from "../../../lib/notify";
import { ScimTokenCreatedModal } from "./ScimTokenCreatedModal";

function columns(onRevoke: (token: ScimToken) => void): Column<ScimToken>[] {
  return [
    { key: "name", header: "Name", render: (token) => <Text size="sm" fw={600}>{token.name}</Text> },
    { key: "prefix", header: "Prefix", width: 150, render: (token) => <Code>{token.prefix}…</Code> },
    {
      key: "created",
      header: "Created",
      width: 130,
      render: (token) => <Text size="sm" c="dimmed">{formatDate(token.created_at)}</Text>,
    },
    {
      key: "last-used",
      header: "Last used",
      width: 140,
      render: (token) => (
        <Tooltip label={formatDateTime(token.last_used_at)} disabled={!token.last_used_at}>
          <Text size="sm" c="dimmed">{formatRelative(token.last_used_at)}</Text>
        </Tooltip>
      ),
    },
    {
      key: "status",
      header: "Status",
      width: 110,
      render: (token) =>
        token.revoked_at ? (
          <Badge variant="light" color="red">Revoked</Badge>
        ) : (
          <Badge variant="light" color="teal">Active</Badge>
        ),
    },
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
              aria-label={`Revoke SCIM token ${token.name}`}
              onClick={() => onRevoke(token)}
            >
              <IconBan size={16} />
            </ActionIcon>
          </Tooltip>
        ),
    },
  ];
}

/** The workspace's SCIM tokens: create (the secret shown once), list, revoke. */
export function ScimTokensSection({ workspaceId }: { workspaceId: number }) {
  const tokens = useScimTokens(workspaceId);
  const create = useCreateScimTokenMutation(workspaceId);
  const revokeMutation = useRevokeScimTokenMutation(workspaceId);
  const [createOpen, setCreateOpen] = useState(false);
  const [created, setCreated] = useState<ScimTokenCreated | null>(null);
  const [revoking, setRevoking] = useState<ScimToken | null>(null);

  const createButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreateOpen(true)}>
      New SCIM token
    </Button>
  );
  const revoke = async (token: ScimToken) => {
    await revokeMutation.mutateAsync(token);
    notifySuccess(`SCIM token “${token.name}” was revoked.`);
  };

  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Title order={2} size="h4" id="scim-tokens-title">
          Tokens
        </Title>
        {createButton}
      </Group>
      <QueryTable
        query={tokens}
        errorTitle="Could not load SCIM tokens"
        skeletonRows={2}
        empty={
          <EmptyState
            icon={IconKey}
            title="No SCIM tokens yet"
            description="Create one and paste it into Okta or Entra to start provisioning."
            action={createButton}
          />
        }
        columns={columns(setRevoking)}
        rowKey={(token) => token.id}
        minWidth={700}
        aria-labelledby="scim-tokens-title"
        rowProps={(token) => ({ style: token.revoked_at ? { opacity: 0.6 } : undefined })}
      />
      <NameFormModal
        opened={createOpen}
        onClose={() => setCreateOpen(false)}
        title="Create a SCIM token"
        submitLabel="Create token"
        description="Name it after the identity provider that will use it."
        placeholder="e.g. Okta"
        create={(name) => create.mutateAsync(name)}
        onCreated={setCreated}
      />
      <ScimTokenCreatedModal token={created} onClose={() => setCreated(null)} />
      <ConfirmModal
        opened={revoking != null}
        title="Revoke SCIM token"
        confirmLabel="Revoke token"
        onClose={() => setRevoking(null)}
        onConfirm={() => (revoking ? revoke(revoking) : Promise.resolve())}
      >
        {revoking && (
          <>
            Provisioning with <b>{revoking.name}</b> ({revoking.prefix}…) stops at once. People already provisioned
            keep their access.
          </>
        )}
      </ConfirmModal>
    </Stack>
  );
}
