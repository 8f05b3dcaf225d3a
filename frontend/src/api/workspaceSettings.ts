import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "./client";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";

export type WorkspaceSettings = Schemas["WorkspaceOut"];
export type RevokedSourcesPolicy = Schemas["RevokedSourcesPolicy"];

export const workspaceSettingsKeys = {
  detail: (workspaceId: number) => workspaceKey(workspaceId, "settings"),
};

/** The workspace itself: its name and its policies. */
export function useWorkspaceSettings(workspaceId: number) {
  return useQuery({
    queryKey: workspaceSettingsKeys.detail(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
  });
}

/** Whether old answers whose sources a reader can no longer open still show their text. */
export function useRevokedSourcesPolicyMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (policy: RevokedSourcesPolicy) =>
      unwrap(
        api.PATCH("/api/v1/workspaces/{workspace_id}", {
          params: { path: { workspace_id: workspaceId } },
          body: { answers_with_revoked_sources: policy },
        }),
      ),
    onSuccess: (workspace) =>
      queryClient.setQueryData(workspaceSettingsKeys.detail(workspaceId), workspace),
  });
}
