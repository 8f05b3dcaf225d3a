import { useQuery } from "@tanstack/react-query";
import { api } from "./client";
import { unwrap } from "./errors";

export const modelCredentialKeys = {
  list: (workspaceId: number) => ["workspaces", workspaceId, "model-credentials"] as const,
};

/**
 * The workspace's model keys (which providers have one; never the secrets). Only admins may
 * read them, so for others (`enabled` false) and on a refusal the data is null: callers then
 * say something general instead.
 */
export function useModelCredentials(workspaceId: number, enabled: boolean) {
  return useQuery({
    queryKey: modelCredentialKeys.list(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/model-credentials", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ).catch(() => null),
    enabled,
  });
}
