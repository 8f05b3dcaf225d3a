import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client";
import { unwrap } from "./errors";

/** Query keys of the data sources, their views and the spaces a folder may go in. */
export const dataSourceKeys = {
  all: (workspaceId: number) => ["workspaces", workspaceId, "data-sources"] as const,
  list: (workspaceId: number) => [...dataSourceKeys.all(workspaceId), "list"] as const,
  /** Everything read about one data source (its documents' pages live under it). */
  source: (workspaceId: number, dataSourceId: number) => [...dataSourceKeys.all(workspaceId), dataSourceId] as const,
  views: (workspaceId: number) => ["workspaces", workspaceId, "views"] as const,
  /** The same list as the spaces admin pages read (GET .../spaces), so one write refreshes both. */
  spaces: (workspaceId: number) => ["workspaces", workspaceId, "spaces"] as const,
  /** The upload limits are the server's, the same for every workspace. */
  uploadLimits: () => ["limits"] as const,
};

/** The data sources in the spaces the member can open, with their document counts. */
export function useDataSources(workspaceId: number) {
  return useQuery({
    queryKey: dataSourceKeys.list(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/data-sources", { params: { path: { workspace_id: workspaceId } } }),
      ),
  });
}

/** The data views the member can open: what agents search and search results can be narrowed to. */
export function useViews(workspaceId: number) {
  return useQuery({
    queryKey: dataSourceKeys.views(workspaceId),
    queryFn: () =>
      unwrap(api.GET("/api/v1/workspaces/{workspace_id}/views", { params: { path: { workspace_id: workspaceId } } })),
  });
}

/** The spaces a new folder can go in; read only while `enabled` (the dialog is open). */
export function useFolderSpaces(workspaceId: number, enabled: boolean) {
  return useQuery({
    queryKey: dataSourceKeys.spaces(workspaceId),
    queryFn: () =>
      unwrap(api.GET("/api/v1/workspaces/{workspace_id}/spaces", { params: { path: { workspace_id: workspaceId } } })),
    enabled,
  });
}

/** Creates a folder data source in a space; answers with the folder's view. */
export function useCreateFolderMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ spaceId, name }: { spaceId: number; name: string }) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/spaces/{space_id}/folders", {
          params: { path: { workspace_id: workspaceId, space_id: spaceId } },
          body: { name },
        }),
      ),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: dataSourceKeys.list(workspaceId) });
      void queryClient.invalidateQueries({ queryKey: dataSourceKeys.views(workspaceId) });
    },
  });
}

/** The server's upload limits (size per file, files per upload, accepted extensions). */
export function useUploadLimits() {
  return useQuery({
    queryKey: dataSourceKeys.uploadLimits(),
    queryFn: () => unwrap(api.GET("/api/v1/limits")),
  });
}

/**
 * Uploads files into a folder data source as multipart `files` (one part per file). Goes
 * through the typed client, so the CSRF header and the 401 hook apply as for any other call.
 */
export function uploadFiles(workspaceId: number, dataSourceId: number, files: File[]) {
  return api.POST("/api/v1/workspaces/{workspace_id}/data-sources/{data_source_id}/files", {
    params: { path: { workspace_id: workspaceId, data_source_id: dataSourceId } },
    // The schema types the parts as strings (binary); the serializer sends the File objects.
    body: { files: files as unknown as string[] },
    bodySerializer: () => {
      const form = new FormData();
      for (const file of files) form.append("files", file, file.name);
      return form;
    },
  });
}

/** Uploads files into a folder, then reads its documents and the sources' counts again. */
export function useUploadFilesMutation(workspaceId: number, dataSourceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (files: File[]) => unwrap(uploadFiles(workspaceId, dataSourceId, files)),
    // Not awaited: the outcomes show at once, the table catches up.
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: dataSourceKeys.source(workspaceId, dataSourceId) });
      void queryClient.invalidateQueries({ queryKey: dataSourceKeys.list(workspaceId) });
    },
  });
}
