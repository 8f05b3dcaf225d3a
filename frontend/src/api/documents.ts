import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type DocumentPage } from "./client";
import { dataSourceKeys } from "./dataSources";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";

export interface DocumentFilter {
  /** "" for every status. */
  status: string;
  limit: number;
  offset: number;
}

/** Query keys of documents: the pages of one data source's table, and one document. */
export const documentKeys = {
  ofSource: (workspaceId: number, dataSourceId: number) =>
    [...dataSourceKeys.source(workspaceId, dataSourceId), "documents"] as const,
  page: (workspaceId: number, dataSourceId: number, filter: DocumentFilter) =>
    [...documentKeys.ofSource(workspaceId, dataSourceId), filter] as const,
  detail: (workspaceId: number, documentId: number) => ["workspaces", workspaceId, "documents", documentId] as const,
};

/**
 * One page of a data source's documents. The previous page stays on screen while the next
 * loads (`isPlaceholderData`), and while any document on the page is still being indexed
 * the page is read again every `pendingRefreshMs`.
 */
export function useDocumentPage(
  workspaceId: number,
  dataSourceId: number,
  filter: DocumentFilter,
  pendingRefreshMs: number,
) {
  return useQuery({
    queryKey: documentKeys.page(workspaceId, dataSourceId, filter),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/data-sources/{data_source_id}/documents", {
          params: {
            path: { workspace_id: workspaceId, data_source_id: dataSourceId },
            query: {
              ...(filter.status ? { status: filter.status } : {}),
              limit: filter.limit,
              offset: filter.offset,
            },
          },
        }),
      ),
    enabled: Number.isInteger(dataSourceId),
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (anyPending(query.state.data) ? pendingRefreshMs : false),
  });
}

export function anyPending(page: DocumentPage | undefined): boolean {
  return page?.items.some((item) => item.status === "pending") ?? false;
}

/** One document with its full text; `documentId` null reads nothing. */
export function useDocument(workspaceId: number, documentId: number | null) {
  return useQuery({
    queryKey: documentKeys.detail(workspaceId, documentId ?? -1),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/documents/{document_id}", {
          params: { path: { workspace_id: workspaceId, document_id: documentId ?? -1 } },
        }),
      ),
    enabled: documentId != null,
  });
}

/** Deletes a document from its data source; the source's table and the sources' counts are read again. */
export function useDeleteDocumentMutation(workspaceId: number, dataSourceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (documentId: number) =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/data-sources/{data_source_id}/documents/{document_id}", {
          params: { path: { workspace_id: workspaceId, data_source_id: dataSourceId, document_id: documentId } },
        }),
      ),
    onSuccess: (_data, documentId) => {
      queryClient.removeQueries({ queryKey: documentKeys.detail(workspaceId, documentId) });
      void queryClient.invalidateQueries({ queryKey: documentKeys.ofSource(workspaceId, dataSourceId) });
      void queryClient.invalidateQueries({ queryKey: dataSourceKeys.list(workspaceId) });
    },
  });
}

/**
 * Syncs one document again from its source (admins; an item sync of its connection). The
 * document is read again once the sync has run; connections pages poll their runs.
 */
export function useResyncDocumentMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (documentId: number) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/documents/{document_id}/resync", {
          params: { path: { workspace_id: workspaceId, document_id: documentId } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: workspaceKey(workspaceId, "connections") }),
  });
}
