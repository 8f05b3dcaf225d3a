import { useQuery } from "@tanstack/react-query";
import { api, type Schemas } from "./client";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";

export type SamlServiceProvider = Schemas["SamlServiceProviderOut"];
// The provider itself (read and saved by both tabs) comes from ./sso: one query, one cache entry.
export {
  type SsoProvider as IdentityProvider,
  type SsoProviderInput as IdentityProviderIn,
  useSaveSsoProviderMutation as useSaveIdentityProviderMutation,
  useSsoProvider as useIdentityProvider,
} from "./sso";

export const samlKeys = {
  serviceProvider: (workspaceId: number) => workspaceKey(workspaceId, "sso-saml-sp"),
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
