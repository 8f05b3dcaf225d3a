import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Code,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from "@mantine/core";
import { IconBan, IconKey, IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import { api, type Token, type TokenCreated } from "../../api/client";
import { unwrap } from "../../api/errors";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { ConfirmModal } from "../../components/ConfirmModal";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, QueryStates, TableSkeleton } from "../../components/states";
import { formatDate, formatDateTime, formatRelative } from "../../lib/format";
import { notifySuccess } from "../../lib/notify";
import { useApiQuery } from "../../lib/useApiQuery";
import { useSubmit } from "../../lib/useSubmit";
import { TokenCreatedModal } from "./TokenCreatedModal";

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
  const [name, setName] = useState("");
  const { busy, error, submit, close } = useSubmit(
    () =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/api-tokens", {
          params: { path: { workspace_id: workspaceId } },
          body: { name: name.trim() },
        }),
      ),
    { reset: () => setName(""), onClose, onDone: onCreated },
  );

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={650}>Create an API token</Text>}>
      <form onSubmit={submit}>
        <Stack gap="md">
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label="Name"
            description="What will use it, so you can tell tokens apart later."
            placeholder="e.g. Nightly export script"
            required
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!name.trim()}>
              Create token
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
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

  const tokens = useApiQuery(
    () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/api-tokens", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
    ["tokens", workspaceId],
  );

  const revoke = async (token: Token) => {
    const updated = await unwrap(
      api.DELETE("/api/v1/workspaces/{workspace_id}/api-tokens/{token_id}", {
        params: { path: { workspace_id: workspaceId, token_id: token.id } },
      }),
    );
    tokens.setData((list) => list?.map((item) => (item.id === token.id ? { ...item, ...updated } : item)));
    notifySuccess(`Token “${token.name}” was revoked.`);
  };

  const createButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreateOpen(true)}>
      New token
    </Button>
  );

  const body = (
    <QueryStates
      query={tokens}
      errorTitle="Could not load API tokens"
      loading={<TableSkeleton rows={3} columns={5} />}
      empty={
        <EmptyState
          icon={IconKey}
          title="No API tokens yet"
          description="Tokens let scripts and integrations call the API as a member of this workspace."
          action={createButton}
        />
      }
    >
      {(items) => (
        <div className="table-card">
          <Table.ScrollContainer minWidth={760}>
            <Table highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th w={150}>Prefix</Table.Th>
                  <Table.Th w={130}>Created</Table.Th>
                  <Table.Th w={140}>Last used</Table.Th>
                  <Table.Th w={130}>Status</Table.Th>
                  <Table.Th w={60}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((token) => (
                  <Table.Tr key={token.id} style={token.revoked_at ? { opacity: 0.6 } : undefined}>
                    <Table.Td>
                      <Text size="sm" fw={600}>
                        {token.name}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {token.member_email}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Code>{token.prefix}…</Code>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {formatDate(token.created_at)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={formatDateTime(token.last_used_at)} disabled={!token.last_used_at}>
                        <Text size="sm" c="dimmed">
                          {formatRelative(token.last_used_at)}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    <Table.Td>
                      <TokenStatus token={token} />
                    </Table.Td>
                    <Table.Td>
                      {!token.revoked_at && (
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
        onCreated={(token) => {
          const { token: _secret, ...listed } = token;
          void _secret;
          tokens.setData((list) => [listed, ...(list ?? [])]);
          setCreated(token);
        }}
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
