import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "./client";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";

export type AccessPreview = Schemas["AccessPreviewOut"];

/** A change of who reads what, as the preview route takes it (one shape per kind). */
export type AccessChange =
  | Schemas["GrantPreviewIn"]
  | Schemas["RevokePreviewIn"]
  | Schemas["GroupMemberPreviewIn"]
  | Schemas["ViewAddPreviewIn"]
  | Schemas["ViewRemovePreviewIn"];

export const accessPreviewKeys = {
  change: (workspaceId: number, change: AccessChange | null) =>
    [...workspaceKey(workspaceId, "access-preview"), change] as const,
  selection: (workspaceId: number, connectionId: number, selectedIds: string[] | null) =>
    [...workspaceKey(workspaceId, "access-preview"), "selection", connectionId, selectedIds] as const,
};

// A preview is true only of the moment it is asked: never served from an old cache entry.
const FRESH = { staleTime: 0, gcTime: 0, retry: false } as const;

/**
 * What `change` would open and close (documents, people), by the search's own permission SQL;
 * nothing is changed. `null` asks nothing (no change chosen yet).
 */
export function useAccessPreview(workspaceId: number, change: AccessChange | null) {
  return useQuery({
    queryKey: accessPreviewKeys.change(workspaceId, change),
    enabled: change != null,
    ...FRESH,
    queryFn: () =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/access-preview", {
          params: { path: { workspace_id: workspaceId } },
          body: change!,
        }),
      ),
  });
}

/** What saving `selectedIds` on a connection would drop (and whether its sync may add more). */
export function useSelectionPreview(workspaceId: number, connectionId: number, selectedIds: string[] | null) {
  return useQuery({
    queryKey: accessPreviewKeys.selection(workspaceId, connectionId, selectedIds),
    enabled: selectedIds != null,
    ...FRESH,
    // While the admin keeps ticking boxes, the last answer stays up until the next arrives.
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/connections/{connection_id}/selection-preview", {
          params: { path: { workspace_id: workspaceId, connection_id: connectionId } },
          body: { selected_ids: selectedIds! },
        }),
      ),
  });
}
