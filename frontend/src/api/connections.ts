import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Connection, type SyncRun } from "./client";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";
import type { Schemas } from "./client";

/** How often pages refresh while a sync is queued or running. */
export const SYNC_POLL_MS = 3000;

export const ACTIVE_RUN_STATUSES = new Set(["queued", "running"]);

export function isActiveRun(run: SyncRun | null | undefined): boolean {
  return run != null && ACTIVE_RUN_STATUSES.has(run.status);
}

export interface ConnectionDetail {
  connection: Connection;
  runs: SyncRun[];
}

export const connectionKeys = {
  all: (workspaceId: number) => workspaceKey(workspaceId, "connections"),
  list: (workspaceId: number) => [...workspaceKey(workspaceId, "connections"), "list"] as const,
  detail: (workspaceId: number, connectionId: number) =>
    [...workspaceKey(workspaceId, "connections"), connectionId] as const,
  hierarchy: (workspaceId: number, connectionId: number, parentId: string | null) =>
    [...workspaceKey(workspaceId, "connections"), connectionId, "hierarchy", parentId] as const,
  connectors: (workspaceId: number) => workspaceKey(workspaceId, "connectors"),
};

/** The workspace's connections, refreshed every few seconds only while one of them syncs. */
export function useConnections(workspaceId: number) {
  return useQuery({
    queryKey: connectionKeys.list(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/connections", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
    refetchInterval: (query) =>
      query.state.data?.some((connection) => isActiveRun(connection.latest_run)) ? SYNC_POLL_MS : false,
  });
}

/** The connector kinds this instance offers, with the credential fields each needs. */
export function useConnectors(workspaceId: number) {
  return useQuery({
    queryKey: connectionKeys.connectors(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/connectors", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
  });
}

function detailActive(detail: ConnectionDetail | undefined): boolean {
  return detail != null && (isActiveRun(detail.connection.latest_run) || detail.runs.some(isActiveRun));
}

/**
 * One connection with its sync history, asked together so the page never shows a run the
 * connection does not know of yet; refreshed every few seconds while a sync is queued or running.
 */
export function useConnectionDetail(workspaceId: number, connectionId: number) {
  return useQuery({
    queryKey: connectionKeys.detail(workspaceId, connectionId),
    enabled: Number.isInteger(connectionId),
    queryFn: async (): Promise<ConnectionDetail> => {
      const path = { params: { path: { workspace_id: workspaceId, connection_id: connectionId } } };
      const [connection, runs] = await Promise.all([
        unwrap(api.GET("/api/v1/workspaces/{workspace_id}/connections/{connection_id}", path)),
        unwrap(api.GET("/api/v1/workspaces/{workspace_id}/connections/{connection_id}/syncs", path)),
      ]);
      return { connection, runs };
    },
    refetchInterval: (query) => (detailActive(query.state.data) ? SYNC_POLL_MS : false),
  });
}

export { detailActive as isConnectionSyncing };

type Cache = ReturnType<typeof useQueryClient>;

function storeConnection(queryClient: Cache, workspaceId: number, connection: Connection) {
  queryClient.setQueryData<ConnectionDetail>(
    connectionKeys.detail(workspaceId, connection.id),
    (current) => current && { ...current, connection },
  );
}

export function useCreateConnectionMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["ConnectionIn"]) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/connections", {
          params: { path: { workspace_id: workspaceId } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: connectionKeys.list(workspaceId) }),
  });
}

/** Changes a connection's settings, selection or paused state; the answer replaces it in the cache. */
export function useUpdateConnectionMutation(workspaceId: number, connectionId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["ConnectionPatch"]) =>
      unwrap(
        api.PATCH("/api/v1/workspaces/{workspace_id}/connections/{connection_id}", {
          params: { path: { workspace_id: workspaceId, connection_id: connectionId } },
          body,
        }),
      ),
    onSuccess: (updated) => storeConnection(queryClient, workspaceId, updated),
  });
}

/** Queues a sync; the run shows at once as the latest, ahead of the history. */
export function useStartSyncMutation(workspaceId: number, connectionId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (mode: "incremental" | "full") =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/connections/{connection_id}/syncs", {
          params: { path: { workspace_id: workspaceId, connection_id: connectionId } },
          body: { mode, item_ids: [] },
        }),
      ),
    onSuccess: (run) =>
      queryClient.setQueryData<ConnectionDetail>(
        connectionKeys.detail(workspaceId, connectionId),
        (current) =>
          current && {
            connection: { ...current.connection, latest_run: run },
            runs: [run, ...current.runs.filter((other) => other.id !== run.id)],
          },
      ),
  });
}

function storeRun(queryClient: Cache, workspaceId: number, connectionId: number, run: SyncRun) {
  queryClient.setQueryData<ConnectionDetail>(connectionKeys.detail(workspaceId, connectionId), (current) => {
    if (!current) return current;
    const latest = current.connection.latest_run;
    return {
      connection: { ...current.connection, latest_run: latest == null || latest.id === run.id ? run : latest },
      runs: current.runs.some((other) => other.id === run.id)
        ? current.runs.map((other) => (other.id === run.id ? run : other))
        : [run, ...current.runs],
    };
  });
}

/**
 * Cancels a sync: a queued one never starts, a running one stops at its next page (its
 * checkpoint kept, so the next sync of the same kind goes on from there).
 */
export function useCancelSyncMutation(workspaceId: number, connectionId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (runId: number) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/connections/{connection_id}/syncs/{run_id}/cancel", {
          params: { path: { workspace_id: workspaceId, connection_id: connectionId, run_id: runId } },
        }),
      ),
    onSuccess: (run) => storeRun(queryClient, workspaceId, connectionId, run),
  });
}

/** Syncs just these items (external ids, as the picker lists them) now. */
export function useResyncItemsMutation(workspaceId: number, connectionId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (itemIds: string[]) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/connections/{connection_id}/items/resync", {
          params: { path: { workspace_id: workspaceId, connection_id: connectionId } },
          body: { item_ids: itemIds },
        }),
      ),
    onSuccess: (run) => storeRun(queryClient, workspaceId, connectionId, run),
  });
}

export function useDeleteConnectionMutation(workspaceId: number, connectionId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/connections/{connection_id}", {
          params: { path: { workspace_id: workspaceId, connection_id: connectionId } },
        }),
      ),
    onSuccess: () => {
      queryClient.removeQueries({ queryKey: connectionKeys.detail(workspaceId, connectionId) });
      void queryClient.invalidateQueries({ queryKey: connectionKeys.list(workspaceId) });
    },
  });
}

/** Replaces the credentials; the page then asks again for the connection and its runs. */
export function useReplaceCredentialsMutation(workspaceId: number, connectionId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: Record<string, string>) =>
      unwrap(
        api.PUT("/api/v1/workspaces/{workspace_id}/connections/{connection_id}/credentials", {
          params: { path: { workspace_id: workspaceId, connection_id: connectionId } },
          body: { credentials },
        }),
      ),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: connectionKeys.detail(workspaceId, connectionId) }),
  });
}

/** One level of what a connection can sync (children of `parentId`, or the top level). */
export function fetchHierarchy(workspaceId: number, connectionId: number, parentId: string | null) {
  return unwrap(
    api.GET("/api/v1/workspaces/{workspace_id}/connections/{connection_id}/hierarchy", {
      params: {
        path: { workspace_id: workspaceId, connection_id: connectionId },
        query: parentId == null ? {} : { parent_id: parentId },
      },
    }),
  );
}
