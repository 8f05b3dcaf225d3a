import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type ModelCredential, type ModelProvider, type Schemas } from "./client";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";

export type CredentialTestResult = Schemas["CredentialTestOut"];
export type ProviderModels = Schemas["ProviderModelsOut"];

export const modelCredentialKeys = {
  list: (workspaceId: number) => workspaceKey(workspaceId, "model-credentials"),
  admin: (workspaceId: number) => [...workspaceKey(workspaceId, "model-credentials"), "admin"] as const,
  models: (workspaceId: number, provider: ModelProvider) =>
    [...workspaceKey(workspaceId, "model-credentials"), provider, "models"] as const,
};

function listCredentials(workspaceId: number) {
  return unwrap(
    api.GET("/api/v1/workspaces/{workspace_id}/model-credentials", {
      params: { path: { workspace_id: workspaceId } },
    }),
  );
}

/**
 * The workspace's model keys (which providers have one; never the secrets). Only admins may
 * read them, so for others (`enabled` false) and on a refusal the data is null: callers then
 * say something general instead.
 */
export function useModelCredentials(workspaceId: number, enabled: boolean) {
  return useQuery({
    queryKey: modelCredentialKeys.list(workspaceId),
    queryFn: () => listCredentials(workspaceId).catch(() => null),
    enabled,
  });
}

/** The same list for Admin → Models, where a failure is shown (with a retry), not hidden. */
export function useModelCredentialList(workspaceId: number) {
  return useQuery({
    queryKey: modelCredentialKeys.admin(workspaceId),
    queryFn: () => listCredentials(workspaceId),
  });
}

/** Sets or replaces a provider's key (and an OpenAI-compatible server's base URL). */
export function useSetModelCredentialMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ provider, apiKey, baseUrl }: { provider: ModelProvider; apiKey: string; baseUrl: string }) =>
      unwrap(
        api.PUT("/api/v1/workspaces/{workspace_id}/model-credentials/{provider}", {
          params: { path: { workspace_id: workspaceId, provider } },
          body: { api_key: apiKey, base_url: baseUrl },
        }),
      ) as Promise<ModelCredential>,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: modelCredentialKeys.list(workspaceId) }),
  });
}

export function useDeleteModelCredentialMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (provider: ModelProvider) =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/model-credentials/{provider}", {
          params: { path: { workspace_id: workspaceId, provider } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: modelCredentialKeys.list(workspaceId) }),
  });
}

/** One small real call with the stored key; a refusal comes back as `ok` false with why. */
export function useTestModelCredentialMutation(workspaceId: number) {
  return useMutation({
    mutationFn: ({ provider, model = "" }: { provider: ModelProvider; model?: string }) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/model-credentials/{provider}/test", {
          params: { path: { workspace_id: workspaceId, provider } },
          body: { model },
        }),
      ),
  });
}

/** The models an OpenAI-style server lists (builders and admins), for a model field. */
export function useProviderModels(workspaceId: number, provider: ModelProvider, enabled: boolean) {
  return useQuery({
    queryKey: modelCredentialKeys.models(workspaceId, provider),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/model-credentials/{provider}/models", {
          params: { path: { workspace_id: workspaceId, provider } },
        }),
      ),
    enabled,
    staleTime: 60_000,
  });
}
