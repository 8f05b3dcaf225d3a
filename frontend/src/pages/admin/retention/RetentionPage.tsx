import { Stack } from "@mantine/core";
import { useRetentionPolicy } from "../../../api/retention";
import { useCurrentWorkspace } from "../../../auth/WorkspaceContext";
import { PageHeader } from "../../../components/PageHeader";
import { ErrorState, PageLoader, retryOf } from "../../../components/states";
import { LegalHoldsSection } from "./LegalHoldsSection";
import { LastEnforcement, RetentionPoliciesCard } from "./RetentionPoliciesCard";
import { RevokedAnswersCard } from "./RevokedAnswersCard";

/** How long the workspace keeps conversations, uploads, audit events and sync logs; legal holds. */
export function RetentionPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const policy = useRetentionPolicy(workspaceId);

  return (
    <>
      <PageHeader
        title="Retention"
        description="How long this workspace keeps what it holds. An hourly task deletes what is older than each period, in batches, and records the counts in the audit log. A legal hold stops deletion."
      />
      {policy.data ? (
        <Stack gap="lg">
          <RetentionPoliciesCard workspaceId={workspaceId} policy={policy.data} />
          <LastEnforcement policy={policy.data} />
        </Stack>
      ) : policy.error != null ? (
        <ErrorState error={policy.error} onRetry={retryOf(policy)} title="Could not load the retention policy" />
      ) : (
        <PageLoader />
      )}
      <LegalHoldsSection workspaceId={workspaceId} />
      <RevokedAnswersCard workspaceId={workspaceId} />
    </>
  );
}
