import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "./client";
import { ApiError, unwrap } from "./errors";
import { workspaceKey } from "./keys";

export type SsoProvider = Schemas["ProviderOut"];
export type SsoProviderInput = Schemas["ProviderIn"];
export type ClaimedDomain = Schemas["DomainOut"];
export type SsoTestResult = Schemas["TestResultOut"];
export type SsoDiscovery = Schemas["DiscoverOut"];

export const ssoKeys = {
  provider: (workspaceId: number) => workspaceKey(workspaceId, "sso-provider"),
  domains: (workspaceId: number) => workspaceKey(workspaceId, "sso-domains"),
  testResult: (workspaceId: number) => workspaceKey(workspaceId, "sso-test-result"),
};

/** The messages of the codes the SSO routes redirect to /login with (?sso_error=<code>). */
export const SSO_ERROR_MESSAGES: Record<string, string> = {
  state_mismatch:
    "This sign-in was not started in this browser, or it expired. Start again from the login page.",
  idp_refused:
    "Your identity provider did not sign you in. Try again, or ask your admin whether you are assigned to this application.",
  code_missing: "The identity provider sent no sign-in code. Start again.",
  token_refused: "The identity provider refused the sign-in code (used already, or expired). Start again.",
  id_token_missing: "The identity provider sent no ID token. Ask your admin to check the provider.",
  id_token_invalid: "The identity provider's answer does not hold. Start again; if it keeps failing, ask your admin.",
  id_token_expired: "The sign-in took too long or a clock is wrong. Start again.",
  nonce_mismatch: "The identity provider's answer does not belong to this sign-in. Start again.",
  unknown_signing_key:
    "The answer is signed by a key the identity provider does not publish. Try again; if it keeps failing, ask your admin.",
  issuer_refused:
    "This platform may not reach the identity provider. Ask your operator to allow it (OUTBOUND_ALLOWED_HOSTS).",
  issuer_unreachable: "The identity provider did not answer. Try again in a moment.",
  issuer_invalid: "The identity provider's configuration is unusable. Ask your admin to check it.",
  issuer_mismatch: "The identity provider names another issuer than the one configured. Ask your admin.",
  email_missing: "Your identity provider sent no email address. Ask your admin to release the email claim.",
  email_unverified:
    "Your identity provider says your email address is not verified. Verify it there, then sign in again.",
  domain_not_claimed: "Your email domain is not set up for single sign-on in this workspace. Ask your admin.",
  not_invited: "This workspace lets in only invited people. Ask a workspace admin to invite you.",
  hd_mismatch: "Sign in with your company's Google Workspace account, not a personal one.",
  tenant_mismatch: "This account belongs to another Microsoft Entra tenant.",
  account_inactive: "This account is deactivated. Ask your admin.",
  sso_disabled: "Single sign-on is turned off for this workspace. Sign in with your password.",
  sso_not_configured: "Single sign-on is not set up for this workspace. Sign in with your password, or ask your admin.",
  sso_misconfigured: "Single sign-on of this workspace is misconfigured. Ask your admin to check it.",
  test_needs_admin: "Only a workspace admin can run a test sign-in.",
  // SAML (sso/saml.py): the codes the assertion consumer service sends back here.
  saml_not_configured: "SAML sign-in is not set up for this workspace. Ask your admin.",
  saml_invalid_response: "The identity provider's SAML answer could not be read. Start again; if it keeps failing, ask your admin.",
  saml_too_large: "The identity provider's SAML answer is too large. Ask your admin to check the attributes it sends.",
  saml_idp_refused: "Your identity provider did not sign you in. Try again, or ask your admin whether you are assigned to this application.",
  saml_signature_invalid: "The SAML answer is not signed by your identity provider's key. Ask your admin to check the IdP metadata.",
  saml_signature_wrapping: "The SAML answer was altered after it was signed, so it was refused.",
  saml_weak_signature: "The identity provider signs with SHA-1, which is refused. Ask your admin to switch it to SHA-256.",
  saml_wrong_audience: "The SAML answer is meant for another application. Ask your admin to check the entity ID in the IdP.",
  saml_wrong_destination: "The SAML answer was sent to another address. Ask your admin to check the ACS URL in the IdP.",
  saml_wrong_issuer: "The SAML answer comes from another identity provider than the one configured. Ask your admin.",
  saml_expired: "The sign-in took too long or a clock is wrong. Start again.",
  saml_not_yet_valid: "The identity provider's clock is ahead of ours. Start again in a minute, or ask your admin.",
  saml_wrong_request: "This SAML answer does not belong to the sign-in started here. Start again from the login page.",
  saml_replayed: "This SAML answer was used already. Start again from the login page.",
  saml_unsolicited: "Sign-in started at the identity provider is turned off for this workspace. Start from the login page.",
  saml_browser_mismatch: "This sign-in was started in another browser. Start again from the login page.",
  saml_no_email: "Your identity provider sent no email address. Ask your admin to send the email as the NameID.",
};

export function ssoErrorMessage(code: string): string {
  return SSO_ERROR_MESSAGES[code] ?? "Single sign-on failed. Try again, or ask your workspace admin.";
}

/** Where this email signs in: a workspace's identity provider when its domain is claimed. */
export async function discoverSso(email: string): Promise<SsoDiscovery> {
  return unwrap(api.POST("/api/v1/auth/sso/discover", { body: { email } }));
}

/** The workspace's identity provider, or null before one is set up (the API answers 404). */
export function useSsoProvider(workspaceId: number) {
  return useQuery({
    queryKey: ssoKeys.provider(workspaceId),
    queryFn: async () => {
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

export function useSaveSsoProviderMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SsoProviderInput) =>
      unwrap(
        api.PUT("/api/v1/workspaces/{workspace_id}/sso/provider", {
          params: { path: { workspace_id: workspaceId } },
          body,
        }),
      ),
    onSuccess: (provider) => queryClient.setQueryData(ssoKeys.provider(workspaceId), provider),
  });
}

export function useSsoDomains(workspaceId: number) {
  return useQuery({
    queryKey: ssoKeys.domains(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/sso/domains", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
  });
}

export function useClaimDomainMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (domain: string) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/sso/domains", {
          params: { path: { workspace_id: workspaceId } },
          body: { domain },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ssoKeys.domains(workspaceId) }),
  });
}

export function useReleaseDomainMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (domain: ClaimedDomain) =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/sso/domains/{domain_id}", {
          params: { path: { workspace_id: workspaceId, domain_id: domain.id } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ssoKeys.domains(workspaceId) }),
  });
}

/** The claims of the admin's last test sign-in (kept in their session). */
export function useSsoTestResult(workspaceId: number, enabled: boolean) {
  return useQuery({
    queryKey: ssoKeys.testResult(workspaceId),
    enabled,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/sso/test-result", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
  });
}

/** The browser route that starts an admin's test sign-in (opened in a new tab). */
export function testSignInUrl(workspaceId: number): string {
  return `/sso/${workspaceId}/oidc/start?test=1`;
}
