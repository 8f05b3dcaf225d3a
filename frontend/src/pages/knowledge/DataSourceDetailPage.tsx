import {
  ActionIcon,
  Anchor,
  Breadcrumbs,
  Code,
  Group,
  Pagination,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
  VisuallyHidden,
} from "@mantine/core";
import { IconFileText, IconTrash } from "@tabler/icons-react";
import { useEffect, useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { api, type KnowledgeDocument } from "../../api/client";
import { unwrap } from "../../api/errors";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { ConfirmModal } from "../../components/ConfirmModal";
import { EmptyState, ErrorState, PageLoader, TableSkeleton } from "../../components/states";
import { formatBytes, formatDateTime, formatRelative } from "../../lib/format";
import { notifySuccess } from "../../lib/notify";
import { useApiQuery } from "../../lib/useApiQuery";
import { NotFoundPage } from "../NotFoundPage";
import { canManageKnowledge, DataSourceKindBadge, DocumentStatusBadge } from "./badges";
import { FOLDER_EXPLAINER } from "./DataSourcesPage";
import { DocumentDrawer } from "./DocumentDrawer";
import { UploadArea } from "./UploadArea";

export const DOCUMENTS_PAGE_SIZE = 25;
/** How often the table refreshes while a document is still being indexed. */
export const PENDING_REFRESH_MS = 3000;

const STATUS_FILTERS = [
  { value: "", label: "All" },
  { value: "pending", label: "Pending" },
  { value: "ready", label: "Ready" },
  { value: "failed", label: "Failed" },
];

function readPage(search: URLSearchParams): number {
  const page = Number(search.get("page") ?? "1");
  return Number.isInteger(page) && page > 0 ? page : 1;
}

export function DataSourceDetailPage() {
  const { dataSourceId: rawId } = useParams();
  const dataSourceId = Number(rawId);
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const canManage = canManageKnowledge(workspace.role);
  const [search, setSearch] = useSearchParams();
  const status = STATUS_FILTERS.some((option) => option.value === search.get("status"))
    ? (search.get("status") ?? "")
    : "";
  const page = readPage(search);
  const [openDocumentId, setOpenDocumentId] = useState<number | null>(null);
  const [deleting, setDeleting] = useState<KnowledgeDocument | null>(null);

  // There is no GET for one data source: its name and kind come from the list.
  const sources = useApiQuery(
    () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/data-sources", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
    ["data-sources", workspaceId],
  );
  const source = sources.data?.find((item) => item.id === dataSourceId);

  const queryKey = JSON.stringify([workspaceId, dataSourceId, status, page]);
  const documents = useApiQuery(async () => {
    const result = await unwrap(
      api.GET("/api/v1/workspaces/{workspace_id}/data-sources/{data_source_id}/documents", {
        params: {
          path: { workspace_id: workspaceId, data_source_id: dataSourceId },
          query: {
            ...(status ? { status } : {}),
            limit: DOCUMENTS_PAGE_SIZE,
            offset: (page - 1) * DOCUMENTS_PAGE_SIZE,
          },
        },
      }),
    );
    return { key: queryKey, ...result };
  }, ["documents", queryKey]);

  const anyPending = documents.data?.items.some((item) => item.status === "pending") ?? false;
  const { reload: reloadDocuments } = documents;
  useEffect(() => {
    if (!anyPending) return;
    const timer = window.setTimeout(reloadDocuments, PENDING_REFRESH_MS);
    return () => window.clearTimeout(timer);
  }, [anyPending, documents.data, reloadDocuments]);

  if (!Number.isInteger(dataSourceId)) return <NotFoundPage />;

  const setFilter = (nextStatus: string, nextPage = 1) => {
    const next = new URLSearchParams();
    if (nextStatus) next.set("status", nextStatus);
    if (nextPage > 1) next.set("page", String(nextPage));
    setSearch(next);
  };

  const deleteDocument = async (target: KnowledgeDocument) => {
    await unwrap(
      api.DELETE("/api/v1/workspaces/{workspace_id}/data-sources/{data_source_id}/documents/{document_id}", {
        params: { path: { workspace_id: workspaceId, data_source_id: dataSourceId, document_id: target.id } },
      }),
    );
    notifySuccess(`“${target.title || "The document"}” was deleted.`);
    documents.reload();
  };

  const name = source?.name ?? (sources.data ? `Data source ${dataSourceId}` : "…");
  const breadcrumbs = (
    <Breadcrumbs separator="/" mb="xs">
      <Anchor component={Link} to="/data" size="sm">
        Data sources
      </Anchor>
      <Text size="sm" c="dimmed">
        {name}
      </Text>
    </Breadcrumbs>
  );

  if (sources.error != null && !sources.data) {
    return (
      <>
        {breadcrumbs}
        <ErrorState error={sources.error} onRetry={sources.reload} title="Could not load this data source" />
      </>
    );
  }
  if (!sources.data) {
    return (
      <>
        {breadcrumbs}
        <PageLoader label="Loading data source" />
      </>
    );
  }
  if (!source) {
    return (
      <>
        {breadcrumbs}
        <EmptyState
          icon={IconFileText}
          title="This data source is not available"
          description="It does not exist, or it is not in a space you can open."
        />
      </>
    );
  }

  const isFolder = source.kind === "folder";
  const total = documents.data?.count ?? 0;
  const pages = Math.max(1, Math.ceil(total / DOCUMENTS_PAGE_SIZE));
  const first = total === 0 ? 0 : (page - 1) * DOCUMENTS_PAGE_SIZE + 1;
  const last = Math.min(total, page * DOCUMENTS_PAGE_SIZE);
  const stale = documents.loading && documents.data?.key !== queryKey;

  let table;
  if (documents.error != null && !documents.data) {
    table = <ErrorState error={documents.error} onRetry={documents.reload} title="Could not load documents" />;
  } else if (!documents.data) {
    table = <TableSkeleton rows={4} columns={5} />;
  } else if (documents.data.items.length === 0) {
    table = (
      <EmptyState
        icon={IconFileText}
        title={status ? `No ${status} documents` : "No documents yet"}
        description={
          status
            ? "Pick another status to see the rest."
            : isFolder
              ? canManage
                ? "Drop files above to add them. Each one is parsed, split into passages and indexed for search."
                : "No one has uploaded files into this folder yet."
              : "Nothing has been synced from this source yet."
        }
      />
    );
  } else {
    table = (
      <>
        <div className="table-card" aria-busy={documents.loading}>
          <Table.ScrollContainer minWidth={760}>
            <Table highlightOnHover style={{ opacity: stale ? 0.6 : 1 }}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Document</Table.Th>
                  <Table.Th w={130} miw={120}>
                    Status
                  </Table.Th>
                  <Table.Th w={90} ta="right">
                    Chunks
                  </Table.Th>
                  <Table.Th w={100} ta="right">
                    Size
                  </Table.Th>
                  <Table.Th w={150} miw={120}>
                    Updated
                  </Table.Th>
                  {canManage && (
                    <Table.Th w={56}>
                      <VisuallyHidden>Actions</VisuallyHidden>
                    </Table.Th>
                  )}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {documents.data.items.map((doc) => (
                  <Table.Tr
                    key={doc.id}
                    style={{ cursor: "pointer" }}
                    onClick={() => setOpenDocumentId(doc.id)}
                  >
                    <Table.Td>
                      <Anchor
                        component="button"
                        type="button"
                        size="sm"
                        fw={600}
                        c="var(--mantine-color-text)"
                        ta="left"
                        style={{ overflowWrap: "anywhere" }}
                        onClick={(event) => {
                          event.stopPropagation();
                          setOpenDocumentId(doc.id);
                        }}
                      >
                        {doc.title || "Untitled"}
                      </Anchor>
                      {doc.status === "failed" ? (
                        <Text size="xs" c="red.7" mt={2} data-testid={`document-error-${doc.id}`}>
                          {doc.error_message || "The file could not be read."}
                          {doc.error_code && (
                            <>
                              {" "}
                              <Code fz={11} c="red.7" bg="var(--mantine-color-red-light)">
                                {doc.error_code}
                              </Code>
                            </>
                          )}
                        </Text>
                      ) : (
                        doc.mime_type && (
                          <Text size="xs" c="dimmed" truncate>
                            {doc.mime_type}
                          </Text>
                        )
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: "nowrap" }}>
                      <DocumentStatusBadge status={doc.status} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm" style={{ fontVariantNumeric: "tabular-nums" }}>
                        {doc.status === "ready" ? doc.chunk_count : "—"}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm" c="dimmed" style={{ whiteSpace: "nowrap" }}>
                        {formatBytes(doc.size_bytes)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={formatDateTime(doc.updated_at)}>
                        <Text size="sm" c="dimmed" style={{ whiteSpace: "nowrap" }}>
                          {formatRelative(doc.updated_at)}
                        </Text>
                      </Tooltip>
                    </Table.Td>
                    {canManage && (
                      <Table.Td>
                        <Tooltip label="Delete document">
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`Delete ${doc.title || "document"}`}
                            onClick={(event) => {
                              event.stopPropagation();
                              setDeleting(doc);
                            }}
                          >
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Table.Td>
                    )}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </div>
        <Group justify="space-between" mt="md">
          <Text size="sm" c="dimmed" aria-live="polite">
            Showing {first}–{last} of {total} {total === 1 ? "document" : "documents"}
            {anyPending && " · refreshing while indexing"}
          </Text>
          {pages > 1 && (
            <Pagination
              total={pages}
              value={Math.min(page, pages)}
              onChange={(next) => setFilter(status, next)}
              size="sm"
              getControlProps={(control) => ({
                "aria-label": control === "previous" ? "Previous page" : control === "next" ? "Next page" : control,
              })}
              getItemProps={(item) => ({ "aria-label": `Page ${item}` })}
            />
          )}
        </Group>
      </>
    );
  }

  return (
    <>
      {breadcrumbs}
      <Stack gap={6} mb="lg">
        <Group gap="sm">
          <Title order={1}>{source.name}</Title>
          <DataSourceKindBadge kind={source.kind} />
        </Group>
        <Text c="dimmed" size="sm" maw={640}>
          {isFolder ? FOLDER_EXPLAINER : `Synced from ${source.kind}. Documents you can open are listed below.`}
        </Text>
      </Stack>

      {canManage && isFolder && (
        <Stack gap={0} mb="xl">
          <UploadArea
            workspaceId={workspaceId}
            dataSourceId={dataSourceId}
            onUploaded={() => {
              documents.reload();
              sources.reload();
            }}
          />
        </Stack>
      )}

      <Group justify="space-between" align="flex-end" mb="sm" gap="sm">
        <Title order={2}>Documents</Title>
        <SegmentedControl
          aria-label="Filter by status"
          size="xs"
          value={status}
          onChange={(value) => setFilter(value)}
          data={STATUS_FILTERS}
        />
      </Group>
      {table}

      <DocumentDrawer
        workspaceId={workspaceId}
        documentId={openDocumentId}
        onClose={() => setOpenDocumentId(null)}
      />
      <ConfirmModal
        opened={deleting != null}
        title="Delete document"
        confirmLabel="Delete"
        onClose={() => setDeleting(null)}
        onConfirm={() => (deleting ? deleteDocument(deleting) : Promise.resolve())}
      >
        {deleting && (
          <>
            Delete <b>{deleting.title || "this document"}</b> from <b>{source.name}</b>? Agents will no
            longer find or cite it. Upload the file again to bring it back.
          </>
        )}
      </ConfirmModal>
    </>
  );
}
