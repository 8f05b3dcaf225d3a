import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "./client";
import { ApiError, unwrap } from "./errors";
import { workspaceKey } from "./keys";

export type SamlServiceProvider = Schemas["SamlServiceProviderOut"];
export type IdentityProvider = Schemas["ProviderOut"];
export type IdentityProviderIn = Schemas["ProviderIn"];

export const samlKeys = {
  serviceProvider: (workspaceId: number) => workspaceKey(workspaceId, "sso-saml-sp"),
  provider: (workspaceId: number) => workspaceKey(workspaceId, "sso-provider"),
};

/** The values an admin pastes into their IdP (entity id, ACS URL, metadata URL, NameID). */
export function useSamlServiceProvider(workspaceId: number) {
  return useQuery({
    queryKey: samlKeys.serviceProvider(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/sso/saml/service-provider", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
  });
}

/** The workspace's identity provider, or null before one is set up (the API answers 404). */
export function useIdentityProvider(workspaceId: number) {
  return useQuery({
    queryKey: samlKeys.provider(workspaceId),
    queryFn: async (): Promise<IdentityProvider | null> => {
      try {
        return await unwrap(
          api.GET("/api/v1/workspaces/{workspace_id}/sso/provider", {
            params: { path: { workspace_id: workspaceId } },
          }),
        );
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

/** Saves the provider (PUT replaces it); the answer replaces the cached one. */
export function useSaveIdentityProviderMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: IdentityProviderIn) =>
      unwrap(
        api.PUT("/api/v1/workspaces/{workspace_id}/sso/provider", {
          params: { path: { workspace_id: workspaceId } },
          body,
        }),
      ),
    onSuccess: (provider) => queryClient.setQueryData(samlKeys.provider(workspaceId), provider),
  });
}
