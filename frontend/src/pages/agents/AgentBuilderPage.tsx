import { Alert, Button, Grid, Stack } from "@mantine/core";
import { IconAlertTriangle, IconArrowLeft, IconLock } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { useViews } from "../../api/dataSources";
import { ApiError } from "../../api/errors";
import { useModelCredentials } from "../../api/models";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { ErrorState, PageLoader } from "../../components/states";
import { notifySuccess } from "../../lib/notify";
import { NotFoundPage } from "../NotFoundPage";
import { canManageKnowledge } from "../knowledge/badges";
import { AgentHeader, saveLabel } from "./AgentHeader";
import { AgentSettingsForm } from "./AgentSettingsForm";
import { canBuildAgents } from "./badges";
import { BuildersOnly } from "./BuildersOnly";
import { TestChat } from "./TestChat";
import { useAgentEditor } from "./useAgentEditor";
import { VersionsDrawer } from "./VersionsDrawer";

/** The agent builder: the form on the left, a live test chat on the right. */
export function AgentBuilderPage() {
  const { agentId: agentParam } = useParams();
  const agentId = agentParam === undefined ? null : Number(agentParam);
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;

  const editor = useAgentEditor({ workspaceId, agentId });
  const { isNew, loaded, agent, values } = editor;
  const views = useViews(workspaceId);
  // Only admins may read the workspace's model keys; for others the hint stays general.
  const credentials = useModelCredentials(workspaceId, workspace.role === "admin");
  const [versionsOpen, setVersionsOpen] = useState(false);

  if (!canBuildAgents(workspace.role)) return <BuildersOnly />;
  if (!isNew && !Number.isInteger(agentId)) return <NotFoundPage />;
  if (loaded.error != null) {
    const missing = loaded.error instanceof ApiError && loaded.error.status === 404;
    return (
      <Stack gap="md">
        <ErrorState
          error={loaded.error}
          onRetry={missing ? undefined : () => void loaded.refetch()}
          title={missing ? "This agent is not available" : "Could not load the agent"}
        />
        <div>
          <Button component={Link} to="/agents" variant="subtle" leftSection={<IconArrowLeft size={16} />}>
            Back to agents
          </Button>
        </div>
      </Stack>
    );
  }
  if (!isNew && !agent) return <PageLoader label="Loading the agent" />;

  const readOnly = agent != null && !agent.can_edit;
  const name = values.name.trim() || (isNew ? "New agent" : (agent?.name ?? "Agent"));

  return (
    <>
      <AgentHeader
        isNew={isNew}
        agent={agent}
        name={name}
        handle={values.handle}
        dirty={editor.dirty}
        readOnly={readOnly}
        busy={editor.busy}
        onSave={() => void editor.onSave()}
        onPublish={() => void editor.onPublish()}
        onVersions={() => setVersionsOpen(true)}
      />

      {readOnly && (
        <Alert color="blue" variant="light" icon={<IconLock size={18} />} mb="md" title="You can use this agent but not change it">
          Ask one of its editors or an admin to add you as an editor. You can still try it in the test chat.
        </Alert>
      )}
      {editor.saveError && (
        <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} mb="md" title="Not saved" role="alert" withCloseButton onClose={editor.clearSaveError}>
          {editor.saveError}
        </Alert>
      )}

      <Grid gutter="lg" align="flex-start">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <AgentSettingsForm
            editor={editor}
            readOnly={readOnly}
            submitLabel={saveLabel(isNew, agent)}
            views={{
              data: views.data,
              loading: views.isFetching,
              error: views.error,
              reload: () => void views.refetch(),
            }}
            credentials={credentials.data}
            canAddData={canManageKnowledge(workspace.role)}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <TestChat workspaceId={workspaceId} agent={agent} dirty={editor.dirty} />
        </Grid.Col>
      </Grid>

      {agent && (
        <VersionsDrawer
          opened={versionsOpen}
          onClose={() => setVersionsOpen(false)}
          workspaceId={workspaceId}
          agentId={agent.id}
          currentVersion={agent.version}
          onRestored={(restored, number) => {
            setVersionsOpen(false);
            notifySuccess(
              restored.has_unpublished_changes
                ? `Version ${number} is back as unpublished changes. Publish them to make them live.`
                : `Version ${number} is restored as version ${restored.version}.`,
            );
          }}
        />
      )}
    </>
  );
}
