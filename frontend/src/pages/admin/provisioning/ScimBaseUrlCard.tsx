import { Card, Code, Skeleton, Stack, Text } from "@mantine/core";
import { useScimSettings } from "../../../api/scim";
import { CopyableValue } from "../../../components/CopyableValue";
import { ErrorState, retryOf } from "../../../components/states";

/** The SCIM base URL an admin pastes into Okta ("SCIM connector base URL") or Entra ("Tenant URL"). */
export function ScimBaseUrlCard({ workspaceId }: { workspaceId: number }) {
  const settings = useScimSettings(workspaceId);
  return (
    <Card withBorder padding="lg">
      <Stack gap="sm">
        <Text fw={650}>Connect your identity provider</Text>
        {settings.data ? (
          <CopyableValue
            label="SCIM base URL"
            value={settings.data.base_url}
            testId="scim-base-url"
            copyLabel="Copy"
            copyAriaLabel="Copy SCIM base URL"
            copiedAriaLabel="SCIM base URL copied"
          />
        ) : settings.error != null ? (
          <ErrorState error={settings.error} onRetry={retryOf(settings)} title="Could not load the SCIM settings" />
        ) : (
          <Skeleton height={36} aria-label="Loading the SCIM base URL" />
        )}
        <Text size="sm" c="dimmed">
          In <b>Okta</b> paste it as the SCIM connector base URL, with <Code>userName</Code> as the unique
          identifier and HTTP Header authentication. In <b>Microsoft Entra ID</b> paste it as the Tenant URL. Use a
          token below as the bearer token / secret token. Deactivating a person there ends their access here at
          once; their conversations are kept.
        </Text>
      </Stack>
    </Card>
  );
}
