import { useQueries } from "@tanstack/react-query";
import { api } from "./client";
import { unwrap } from "./errors";

/**
 * The lists the overview counts. The keys are the ones the admin pages' own lists use
 * (["workspaces", id, "<resource>"]), so a change made there shows here without a reload.
 */
export const overviewKeys = {
  members: (workspaceId: number) => ["workspaces", workspaceId, "members"] as const,
  spaces: (workspaceId: number) => ["workspaces", workspaceId, "spaces"] as const,
  groups: (workspaceId: number) => ["workspaces", workspaceId, "groups"] as const,
};

export interface WorkspaceCounts {
  data: { members: number; spaces: number; groups: number } | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** How many members, spaces (the ones the member can open) and groups the workspace has. */
export function useWorkspaceCounts(workspaceId: number): WorkspaceCounts {
  const path = { params: { path: { workspace_id: workspaceId } } };
  const [members, spaces, groups] = useQueries({
    queries: [
      {
        queryKey: overviewKeys.members(workspaceId),
        queryFn: () => unwrap(api.GET("/api/v1/workspaces/{workspace_id}/members", path)),
      },
      {
        queryKey: overviewKeys.spaces(workspaceId),
        queryFn: () => unwrap(api.GET("/api/v1/workspaces/{workspace_id}/spaces", path)),
      },
      {
        queryKey: overviewKeys.groups(workspaceId),
        queryFn: () => unwrap(api.GET("/api/v1/workspaces/{workspace_id}/groups", path)),
      },
    ],
  });
  const all = [members, spaces, groups];
  const failed = all.find((query) => query.error != null);
  return {
    data:
      members.data && spaces.data && groups.data
        ? { members: members.data.length, spaces: spaces.data.length, groups: groups.data.length }
        : undefined,
    error: failed?.error ?? null,
    loading: all.some((query) => query.isFetching),
    reload: () => all.filter((query) => query.error != null).forEach((query) => void query.refetch()),
  };
}
