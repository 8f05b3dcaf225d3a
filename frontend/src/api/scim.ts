import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "./client";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";

export type ScimToken = Schemas["ScimTokenOut"];
export type ScimTokenCreated = Schemas["ScimTokenCreatedOut"];

/** The audit actions of provisioning (tokens and every SCIM request that changed something). */
export const SCIM_AUDIT_PREFIX = "scim.";

export const scimKeys = {
  settings: (workspaceId: number) => workspaceKey(workspaceId, "scim"),
  tokens: (workspaceId: number) => [...workspaceKey(workspaceId, "scim"), "tokens"] as const,
  events: (workspaceId: number) => [...workspaceKey(workspaceId, "audit-events"), "scim"] as const,
};

/** The SCIM base URL to paste into the identity provider. */
export function useScimSettings(workspaceId: number) {
  return useQuery({
    queryKey: scimKeys.settings(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/scim", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
  });
}

export function useScimTokens(workspaceId: number) {
  return useQuery({
    queryKey: scimKeys.tokens(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/scim/tokens", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
  });
}

/** Creates a token; the list keeps it without its secret, which the caller shows once. */
export function useCreateScimTokenMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/scim/tokens", {
          params: { path: { workspace_id: workspaceId } },
          body: { name },
        }),
      ),
    onSuccess: (created) => {
      const { token: _secret, ...listed } = created;
      void _secret;
      queryClient.setQueryData<ScimToken[]>(scimKeys.tokens(workspaceId), (list) => [listed, ...(list ?? [])]);
      void queryClient.invalidateQueries({ queryKey: scimKeys.events(workspaceId) });
    },
  });
}

export function useRevokeScimTokenMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (token: ScimToken) =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/scim/tokens/{token_id}", {
          params: { path: { workspace_id: workspaceId, token_id: token.id } },
        }),
      ),
    onSuccess: (updated, token) => {
      queryClient.setQueryData<ScimToken[]>(scimKeys.tokens(workspaceId), (list) =>
        list?.map((item) => (item.id === token.id ? { ...item, ...updated } : item)),
      );
      void queryClient.invalidateQueries({ queryKey: scimKeys.events(workspaceId) });
    },
  });
}

/** The latest provisioning events from the audit log (newest first). */
export function useProvisioningEvents(workspaceId: number, limit = 20) {
  return useQuery({
    queryKey: [...scimKeys.events(workspaceId), limit] as const,
    queryFn: async () => {
      const page = await unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/audit-events", {
          params: { path: { workspace_id: workspaceId }, query: { action: SCIM_AUDIT_PREFIX, limit } },
        }),
      );
      return page.items;
    },
  });
}
