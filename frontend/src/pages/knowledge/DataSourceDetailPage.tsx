import { Anchor, Breadcrumbs, Group, SegmentedControl, Stack, Text, Title } from "@mantine/core";
import { IconFileText } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import type { KnowledgeDocument } from "../../api/client";
import { useDataSources } from "../../api/dataSources";
import { anyPending, useDeleteDocumentMutation, useDocumentPage } from "../../api/documents";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { ConfirmModal } from "../../components/ConfirmModal";
import { EmptyState, ErrorState, PageLoader, TableSkeleton } from "../../components/states";
import { notifySuccess } from "../../lib/notify";
import { NotFoundPage } from "../NotFoundPage";
import { canManageKnowledge, DataSourceKindBadge } from "./badges";
import { DocumentDrawer } from "./DocumentDrawer";
import { DocumentsTable } from "./DocumentsTable";
import { FOLDER_EXPLAINER } from "./folderText";
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
  const sources = useDataSources(workspaceId);
  const source = sources.data?.find((item) => item.id === dataSourceId);

  const documents = useDocumentPage(
    workspaceId,
    dataSourceId,
    { status, limit: DOCUMENTS_PAGE_SIZE, offset: (page - 1) * DOCUMENTS_PAGE_SIZE },
    PENDING_REFRESH_MS,
  );
  const deletion = useDeleteDocumentMutation(workspaceId, dataSourceId);
  const refreshing = anyPending(documents.data);

  if (!Number.isInteger(dataSourceId)) return <NotFoundPage />;

  const setFilter = (nextStatus: string, nextPage = 1) => {
    const next = new URLSearchParams();
    if (nextStatus) next.set("status", nextStatus);
    if (nextPage > 1) next.set("page", String(nextPage));
    setSearch(next);
  };

  const deleteDocument = async (target: KnowledgeDocument) => {
    // The mutation reads the table and the sources' counts again.
    await deletion.mutateAsync(target.id);
    notifySuccess(`“${target.title || "The document"}” was deleted.`);
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
        <ErrorState error={sources.error} onRetry={() => void sources.refetch()} title="Could not load this data source" />
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

  let table;
  if (documents.error != null && !documents.data) {
    table = (
      <ErrorState error={documents.error} onRetry={() => void documents.refetch()} title="Could not load documents" />
    );
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
      <DocumentsTable
        items={documents.data.items}
        total={documents.data.count}
        page={page}
        pageSize={DOCUMENTS_PAGE_SIZE}
        busy={documents.isFetching}
        stale={documents.isPlaceholderData}
        refreshing={refreshing}
        canManage={canManage}
        onOpen={setOpenDocumentId}
        onDelete={setDeleting}
        onPage={(next) => setFilter(status, next)}
      />
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
