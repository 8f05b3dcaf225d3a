import { Stack, Tabs } from "@mantine/core";
import { useSsoProvider } from "../../../api/sso";
import { useCurrentWorkspace } from "../../../auth/WorkspaceContext";
import { PageHeader } from "../../../components/PageHeader";
import { ErrorState, PageLoader, retryOf } from "../../../components/states";
import { DomainsCard } from "./DomainsCard";
import { OidcSettings } from "./OidcSettings";
import { SamlSettings } from "./SamlSettings";
import { TestSignInCard } from "./TestSignInCard";

/** Admin → Authentication: the workspace's identity provider (OIDC or SAML) and its domains. */
export function AuthenticationPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const provider = useSsoProvider(workspaceId);

  return (
    <>
      <PageHeader
        title="Authentication"
        description="Let people sign in with your company's identity provider (single sign-on), claim your email domains, and decide who joins and whether passwords still work."
      />
      <Stack gap="lg">
        <DomainsCard workspaceId={workspaceId} />
        {provider.data !== undefined ? (
          <Tabs defaultValue={provider.data?.kind === "saml" ? "saml" : "oidc"} keepMounted={false}>
            <Tabs.List mb="md">
              <Tabs.Tab value="oidc">OpenID Connect</Tabs.Tab>
              <Tabs.Tab value="saml">SAML</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="oidc">
              <Stack gap="lg">
                <OidcSettings workspaceId={workspaceId} provider={provider.data} />
                <TestSignInCard workspaceId={workspaceId} configured={provider.data?.kind === "oidc"} />
              </Stack>
            </Tabs.Panel>
            <Tabs.Panel value="saml">
              <SamlSettings workspaceId={workspaceId} />
            </Tabs.Panel>
          </Tabs>
        ) : provider.error != null ? (
          <ErrorState error={provider.error} onRetry={retryOf(provider)} title="Could not load the identity provider" />
        ) : (
          <PageLoader />
        )}
      </Stack>
    </>
  );
}
