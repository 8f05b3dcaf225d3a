import { Stack } from "@mantine/core";
import { useCurrentWorkspace } from "../../../auth/WorkspaceContext";
import { PageHeader } from "../../../components/PageHeader";
import { ProvisioningEvents } from "./ProvisioningEvents";
import { ScimBaseUrlCard } from "./ScimBaseUrlCard";
import { ScimTokensSection } from "./ScimTokensSection";

/** Admin → Provisioning: SCIM 2.0 from Okta, Entra or any SCIM client. */
export function ProvisioningPage() {
  const workspaceId = useCurrentWorkspace().workspace_id;
  return (
    <>
      <PageHeader
        title="Provisioning"
        description="Let your identity provider add, update and deactivate this workspace's people and groups over SCIM 2.0."
      />
      <Stack gap="xl">
        <ScimBaseUrlCard workspaceId={workspaceId} />
        <ScimTokensSection workspaceId={workspaceId} />
        <ProvisioningEvents workspaceId={workspaceId} />
      </Stack>
    </>
  );
}
