import { Button, Table, Text } from "@mantine/core";
import { IconChevronRight, IconDatabase, IconFolderPlus } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { useDataSources } from "../../api/dataSources";
import { withReload } from "../../api/queryState";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, QueryStates, TableSkeleton } from "../../components/states";
import { formatDate } from "../../lib/format";
import { notifySuccess } from "../../lib/notify";
import { canManageKnowledge, DataSourceKindBadge } from "./badges";
import { FOLDER_EXPLAINER } from "./folderText";
import { NewFolderModal } from "./NewFolderModal";

export function DataSourcesPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const canManage = canManageKnowledge(workspace.role);
  const navigate = useNavigate();
  const [createOpen, setCreateOpen] = useState(false);

  const sources = withReload(useDataSources(workspaceId));

  const createButton = canManage ? (
    <Button leftSection={<IconFolderPlus size={16} />} onClick={() => setCreateOpen(true)}>
      New folder
    </Button>
  ) : undefined;

  const body = (
    <QueryStates
      query={sources}
      errorTitle="Could not load data sources"
      loading={<TableSkeleton rows={3} columns={4} />}
      empty={
        <EmptyState
          icon={IconDatabase}
          title="No data sources yet"
          description={
            canManage
              ? `${FOLDER_EXPLAINER} Create one to start.`
              : `${FOLDER_EXPLAINER} None is shared with you yet; ask a builder or an admin.`
          }
          action={createButton}
        />
      }
    >
      {(items) => (
        <div className="table-card">
          <Table.ScrollContainer minWidth={620}>
            <Table highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Data source</Table.Th>
                  <Table.Th w={170}>Kind</Table.Th>
                  <Table.Th w={130} ta="right">
                    Documents
                  </Table.Th>
                  <Table.Th w={150}>Created</Table.Th>
                  <Table.Th w={48} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((source) => (
                  <Table.Tr
                    key={source.id}
                    style={{ cursor: "pointer" }}
                    onClick={() => navigate(`/data/${source.id}`)}
                  >
                    <Table.Td>
                      <Text
                        size="sm"
                        fw={600}
                        component={Link}
                        to={`/data/${source.id}`}
                        c="var(--mantine-color-text)"
                        onClick={(event) => event.stopPropagation()}
                      >
                        {source.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <DataSourceKindBadge kind={source.kind} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm" style={{ fontVariantNumeric: "tabular-nums" }}>
                        {source.document_count.toLocaleString()}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {formatDate(source.created_at)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <IconChevronRight size={16} color="var(--mantine-color-dimmed)" aria-hidden />
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
        title="Data sources"
        description="The knowledge your agents search: folders of uploaded files and synced tools. You see the ones in the spaces you can open."
        actions={sources.data?.length ? createButton : undefined}
      />
      {body}
      {canManage && (
        <NewFolderModal
          opened={createOpen}
          onClose={() => setCreateOpen(false)}
          workspaceId={workspaceId}
          onCreated={(view) => {
            notifySuccess(`Folder “${view.data_source_name}” was created in ${view.space_name}.`);
            navigate(`/data/${view.data_source_id}`);
          }}
        />
      )}
    </>
  );
}
