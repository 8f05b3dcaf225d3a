import { Button, Group, Stack, Text } from "@mantine/core";
import { IconChevronRight, IconPlugConnected, IconPlus } from "@tabler/icons-react";
import { Link, useNavigate } from "react-router-dom";
import type { Connection } from "../../../api/client";
import { isActiveRun, useConnections } from "../../../api/connections";
import { useCurrentWorkspace } from "../../../auth/WorkspaceContext";
import { QueryTable, type Column } from "../../../components/DataTable";
import { PageHeader } from "../../../components/PageHeader";
import { EmptyState } from "../../../components/states";
import { kindLabel } from "../../knowledge/badges";
import { ConnectionStatusBadge, LastSyncSummary, SourceIcon } from "./syncStatus";

const connectionPath = (connection: Connection) => `/admin/connections/${connection.id}`;

const COLUMNS: Column<Connection>[] = [
  {
    key: "connection",
    header: "Connection",
    render: (connection) => (
      <Group gap="sm" wrap="nowrap">
        <SourceIcon kind={connection.kind} />
        <div style={{ minWidth: 0 }}>
          <Text
            size="sm"
            fw={600}
            component={Link}
            to={connectionPath(connection)}
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
    ),
  },
  {
    key: "status",
    header: "Status",
    width: 200,
    render: (connection) => (
      <Stack gap={4} align="flex-start">
        <ConnectionStatusBadge status={connection.status} />
        {connection.status === "needs_credentials" && (
          <Text size="xs" c="red.7">
            Replace its credentials to resume
          </Text>
        )}
      </Stack>
    ),
  },
  {
    key: "documents",
    header: "Documents",
    width: 110,
    align: "right",
    render: (connection) => (
      <Text size="sm" style={{ fontVariantNumeric: "tabular-nums" }}>
        {connection.document_count.toLocaleString()}
      </Text>
    ),
  },
  { key: "last-sync", header: "Last sync", width: 300, render: (connection) => <LastSyncSummary connection={connection} /> },
  {
    key: "open",
    width: 48,
    render: () => <IconChevronRight size={16} color="var(--mantine-color-dimmed)" aria-hidden />,
  },
];

export function ConnectionsPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const navigate = useNavigate();

  // Refreshes every few seconds on its own while any connection syncs.
  const connections = useConnections(workspaceId);
  const anyActive = connections.data?.some((connection) => isActiveRun(connection.latest_run)) ?? false;

  const addButton = (
    <Button component={Link} to="/admin/connections/new" leftSection={<IconPlus size={16} />}>
      Add connection
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Connections"
        description="Connections keep documents from Slack, Notion, Google Drive and GitHub in sync. Agents cite them, and people only find what the source lets them open."
        actions={addButton}
      />
      <QueryTable
        query={connections}
        errorTitle="Could not load the connections"
        skeletonRows={3}
        skeletonColumns={5}
        empty={
          <EmptyState
            icon={IconPlugConnected}
            title="No connections yet"
            description="Connect Slack, Notion, Google Drive or GitHub: their documents stay in sync and agents can search and cite them."
            action={addButton}
          />
        }
        columns={COLUMNS}
        rowKey={(connection) => connection.id}
        minWidth={760}
        aria-label="Connections"
        busy={connections.isFetching}
        rowProps={(connection) => ({
          style: { cursor: "pointer" },
          onClick: () => navigate(connectionPath(connection)),
        })}
      />
      {anyActive && (
        <Text size="xs" c="dimmed" mt="sm" aria-live="polite">
          Refreshing every few seconds while a sync runs.
        </Text>
      )}
    </>
  );
}
