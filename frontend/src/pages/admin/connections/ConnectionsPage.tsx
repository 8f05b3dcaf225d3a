import { Button, Group, Stack, Table, Text } from "@mantine/core";
import { IconChevronRight, IconPlugConnected, IconPlus } from "@tabler/icons-react";
import { Link, useNavigate } from "react-router-dom";
import { api } from "../../../api/client";
import { unwrap } from "../../../api/errors";
import { useCurrentWorkspace } from "../../../auth/WorkspaceContext";
import { PageHeader } from "../../../components/PageHeader";
import { EmptyState, QueryStates, TableSkeleton } from "../../../components/states";
import { useApiQuery } from "../../../lib/useApiQuery";
import { usePolling } from "../../../lib/usePolling";
import { kindLabel } from "../../knowledge/badges";
import { ConnectionStatusBadge, isActiveRun, LastSyncSummary, SourceIcon } from "./syncStatus";

export function ConnectionsPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const navigate = useNavigate();

  const connections = useApiQuery(
    () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/connections", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
    ["connections", workspaceId],
  );
  const anyActive = connections.data?.some((connection) => isActiveRun(connection.latest_run)) ?? false;
  usePolling(anyActive, connections.reload, connections.data, connections.error);

  const addButton = (
    <Button component={Link} to="/admin/connections/new" leftSection={<IconPlus size={16} />}>
      Add connection
    </Button>
  );

  const body = (
    <QueryStates
      query={connections}
      errorTitle="Could not load the connections"
      loading={<TableSkeleton rows={3} columns={5} />}
      empty={
        <EmptyState
          icon={IconPlugConnected}
          title="No connections yet"
          description="Connect Slack, Notion, Google Drive or GitHub: their documents stay in sync and agents can search and cite them."
          action={addButton}
        />
      }
    >
      {(items) => (
        <div className="table-card" aria-busy={connections.loading}>
          <Table.ScrollContainer minWidth={760}>
            <Table highlightOnHover aria-label="Connections">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Connection</Table.Th>
                  <Table.Th w={200}>Status</Table.Th>
                  <Table.Th w={110} ta="right">
                    Documents
                  </Table.Th>
                  <Table.Th w={300}>Last sync</Table.Th>
                  <Table.Th w={48} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((connection) => {
                  const to = `/admin/connections/${connection.id}`;
                  return (
                    <Table.Tr key={connection.id} style={{ cursor: "pointer" }} onClick={() => navigate(to)}>
                      <Table.Td>
                        <Group gap="sm" wrap="nowrap">
                          <SourceIcon kind={connection.kind} />
                          <div style={{ minWidth: 0 }}>
                            <Text
                              size="sm"
                              fw={600}
                              component={Link}
                              to={to}
                              c="var(--mantine-color-text)"
                              onClick={(event) => event.stopPropagation()}
                            >
                              {connection.name}
                            </Text>
                            <Text size="xs" c="dimmed">
                              {kindLabel(connection.kind)}
                              {connection.selected_ids.length > 0
                                ? ` · ${connection.selected_ids.length} picked`
                                : " · everything it can reach"}
                            </Text>
                          </div>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <Stack gap={4} align="flex-start">
                          <ConnectionStatusBadge status={connection.status} />
                          {connection.status === "needs_credentials" && (
                            <Text size="xs" c="red.7">
                              Replace its credentials to resume
                            </Text>
                          )}
                        </Stack>
                      </Table.Td>
                      <Table.Td ta="right">
                        <Text size="sm" style={{ fontVariantNumeric: "tabular-nums" }}>
                          {connection.document_count.toLocaleString()}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <LastSyncSummary connection={connection} />
                      </Table.Td>
                      <Table.Td>
                        <IconChevronRight size={16} color="var(--mantine-color-dimmed)" aria-hidden />
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
        title="Connections"
        description="Connections keep documents from Slack, Notion, Google Drive and GitHub in sync. Agents cite them, and people only find what the source lets them open."
        actions={addButton}
      />
      {body}
      {anyActive && (
        <Text size="xs" c="dimmed" mt="sm" aria-live="polite">
          Refreshing every few seconds while a sync runs.
        </Text>
      )}
    </>
  );
}
