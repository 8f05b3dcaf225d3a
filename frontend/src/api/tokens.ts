import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Token } from "./client";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";

export const tokenKeys = {
  list: (workspaceId: number) => workspaceKey(workspaceId, "api-tokens"),
};

export function useTokens(workspaceId: number) {
  return useQuery({
    queryKey: tokenKeys.list(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/api-tokens", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
  });
}

/** Creates a token; the list keeps it without its secret, which is shown once by the caller. */
export function useCreateTokenMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/api-tokens", {
          params: { path: { workspace_id: workspaceId } },
          body: { name },
        }),
      ),
    onSuccess: (created) => {
      const { token: _secret, ...listed } = created;
      void _secret;
      queryClient.setQueryData<Token[]>(tokenKeys.list(workspaceId), (list) => [listed, ...(list ?? [])]);
    },
  });
}

export function useRevokeTokenMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: Token) =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/api-tokens/{token_id}", {
          params: { path: { workspace_id: workspaceId, token_id: token.id } },
        }),
      ),
    onSuccess: (updated, token) =>
      queryClient.setQueryData<Token[]>(tokenKeys.list(workspaceId), (list) =>
        list?.map((item) => (item.id === token.id ? { ...item, ...updated } : item)),
      ),
  });
}
