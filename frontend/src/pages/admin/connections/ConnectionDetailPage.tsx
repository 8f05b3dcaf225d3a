import { Anchor, Breadcrumbs, Button, Grid, Group, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { IconPlugConnected } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import {
  isActiveRun,
  isConnectionSyncing,
  useCancelSyncMutation,
  useConnectionDetail,
  useConnectors,
  useDeleteConnectionMutation,
  useStartSyncMutation,
  useUpdateConnectionMutation,
} from "../../../api/connections";
import { useCurrentWorkspace } from "../../../auth/WorkspaceContext";
import { ConfirmModal } from "../../../components/ConfirmModal";
import { EmptyState, ErrorState, PageLoader } from "../../../components/states";
import { formatDate, formatDateTime, formatRelative, plural } from "../../../lib/format";
import { notifyError, notifySuccess } from "../../../lib/notify";
import { NotFoundPage } from "../../NotFoundPage";
import { kindLabel } from "../../knowledge/badges";
import { ConnectionHeader } from "./ConnectionHeader";
import { KIND_INFO, partsLabel } from "./connectorInfo";
import { CurrentSync } from "./CurrentSync";
import { Section, Stat, WebhookCard } from "./detailCards";
import { VerificationTokenCard } from "./VerificationTokenCard";
import { ReplaceCredentialsModal } from "./ReplaceCredentialsModal";
import { SelectionEditor } from "./SelectionEditor";
import { SettingsCard } from "./SettingsCard";
import { SlackBotSection } from "./SlackBotSection";
import { SyncHistory } from "./SyncHistory";
import { SyncRunBadge } from "./syncStatus";

export function ConnectionDetailPage() {
  const { connectionId: rawId } = useParams();
  const connectionId = Number(rawId);
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const navigate = useNavigate();
  const [replacing, setReplacing] = useState(false);
  const [confirmResync, setConfirmResync] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [pending, setPending] = useState<"sync" | "pause" | null>(null);

  // Refreshes every few seconds on its own while a sync is queued or running.
  const data = useConnectionDetail(workspaceId, connectionId);
  const connectors = useConnectors(workspaceId);
  const startSyncMutation = useStartSyncMutation(workspaceId, connectionId);
  const updateMutation = useUpdateConnectionMutation(workspaceId, connectionId);
  const deleteMutation = useDeleteConnectionMutation(workspaceId, connectionId);
  const cancelMutation = useCancelSyncMutation(workspaceId, connectionId);
  const anyActive = isConnectionSyncing(data.data);
  const reload = () => void data.refetch();

  if (!Number.isInteger(connectionId)) return <NotFoundPage />;

  const breadcrumbs = (
    <Breadcrumbs separator="/" mb="xs">
      <Anchor component={Link} to="/admin/connections" size="sm">
        Connections
      </Anchor>
      <Text size="sm" c="dimmed">
        {data.data?.connection.name ?? "…"}
      </Text>
    </Breadcrumbs>
  );

  if (data.error != null && !data.data) {
    const missing = (data.error as { status?: number }).status === 404;
    return (
      <>
        {breadcrumbs}
        {missing ? (
          <EmptyState
            icon={IconPlugConnected}
            title="This connection does not exist"
            description="It was deleted, or it belongs to another workspace."
            action={
              <Button component={Link} to="/admin/connections" variant="light">
                All connections
              </Button>
            }
          />
        ) : (
          <ErrorState error={data.error} onRetry={reload} title="Could not load this connection" />
        )}
      </>
    );
  }
  if (!data.data) {
    return (
      <>
        {breadcrumbs}
        <PageLoader label="Loading connection" />
      </>
    );
  }

  const { connection, runs } = data.data;
  const connector = connectors.data?.find((item) => item.kind === connection.kind);
  const source = connector?.display_name ?? kindLabel(connection.kind);
  const parts = partsLabel(connection.kind);
  const lastFinished = runs.find((run) => !isActiveRun(run)) ?? null;
  const activeRuns = runs.filter(isActiveRun);
  const activeRun =
    activeRuns.find((run) => run.status === "running") ??
    activeRuns[0] ??
    (isActiveRun(connection.latest_run) ? connection.latest_run : null);
  const queuedNext = activeRuns.find((run) => run.status === "queued" && run.id !== activeRun?.id) ?? null;
  const isPaused = connection.status === "paused";
  const showWebhook = connector?.handles_webhooks ?? Boolean(KIND_INFO[connection.kind]?.webhookSetup);

  const startSync = async (mode: "incremental" | "full") => {
    await startSyncMutation.mutateAsync(mode);
    notifySuccess(
      mode === "full" ? "A full resync is queued." : "A sync is queued. New and changed documents follow shortly.",
    );
  };

  const syncNow = async () => {
    setPending("sync");
    try {
      await startSync("incremental");
    } catch (error) {
      notifyError(error, "The sync did not start");
    } finally {
      setPending(null);
    }
  };

  const togglePause = async () => {
    setPending("pause");
    try {
      await updateMutation.mutateAsync({ paused: !isPaused });
      notifySuccess(
        isPaused
          ? "Syncing resumed. The next scheduled sync catches up on what changed."
          : "Paused. No syncs run until you resume; synced documents stay searchable.",
      );
    } catch (error) {
      notifyError(error, isPaused ? "Could not resume" : "Could not pause");
    } finally {
      setPending(null);
    }
  };

  const cancelSync = async (runId: number, queued: boolean) => {
    try {
      await cancelMutation.mutateAsync(runId);
      notifySuccess(
        queued
          ? "The queued sync is cancelled."
          : "The sync stops after the page it is on. The next sync goes on from there.",
      );
    } catch (error) {
      notifyError(error, "Could not cancel the sync");
    }
  };

  const deleteConnection = async () => {
    await deleteMutation.mutateAsync();
    notifySuccess(`“${connection.name}” and its documents were deleted.`);
    navigate("/admin/connections");
  };

  const subtitle = [
    source,
    `added ${formatDate(connection.created_at)}`,
    connection.api_base_url ? `API at ${connection.api_base_url}` : null,
  ]
    .filter(Boolean)
    .join(" · ");

  return (
    <>
      {breadcrumbs}
      <ConnectionHeader
        connection={connection}
        source={source}
        subtitle={subtitle}
        canReplace={connector != null}
        pending={pending}
        onTogglePause={togglePause}
        onSyncNow={syncNow}
        onResync={() => setConfirmResync(true)}
        onReplace={() => setReplacing(true)}
        onDelete={() => setConfirmDelete(true)}
      />

      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="md" mb="lg">
        <Stat label="Documents" value={connection.document_count.toLocaleString()} />
        <Stat
          label="Last successful sync"
          value={formatRelative(connection.last_successful_sync_at)}
          hint={connection.last_successful_sync_at ? formatDateTime(connection.last_successful_sync_at) : undefined}
        />
        <Stat
          label="Last full sync"
          value={formatRelative(connection.last_full_sync_at)}
          hint={connection.last_full_sync_at ? formatDateTime(connection.last_full_sync_at) : undefined}
        />
        <Stat
          label="Last result"
          value={lastFinished ? <SyncRunBadge run={lastFinished} /> : "None yet"}
          hint={lastFinished?.finished_at ? `Finished ${formatDateTime(lastFinished.finished_at)}` : undefined}
        />
      </SimpleGrid>

      {activeRun && (
        <div style={{ marginBottom: "var(--mantine-spacing-lg)" }}>
          <CurrentSync
            run={activeRun}
            next={queuedNext}
            source={source}
            onCancel={() => void cancelSync(activeRun.id, activeRun.status === "queued")}
            cancelling={cancelMutation.isPending}
          />
        </div>
      )}

      <Grid gutter="lg" mb="xl">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Section
            id="what-to-sync-title"
            title="What to sync"
            description={`Pick ${parts} to sync; picking one includes everything inside it. Pick nothing to sync everything the credentials can reach.`}
          >
            <SelectionEditor workspaceId={workspaceId} connection={connection} onSaved={reload} />
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="lg">
            {showWebhook && <WebhookCard connection={connection} />}
            {connection.webhook_verification_token && <VerificationTokenCard connection={connection} />}
            <SettingsCard workspaceId={workspaceId} connection={connection} />
          </Stack>
        </Grid.Col>
      </Grid>

      {connection.kind === "slack" && (
        <div style={{ marginBottom: "var(--mantine-spacing-xl)" }}>
          <SlackBotSection
            workspaceId={workspaceId}
            connectionId={connection.id}
            canAskSlack={connection.status !== "needs_credentials"}
          />
        </div>
      )}

      <Group justify="space-between" align="flex-end" mb="sm">
        <Title order={2} id="sync-history-title">
          Sync history
        </Title>
        {anyActive && (
          <Text size="xs" c="dimmed">
            Refreshing every few seconds while a sync runs
          </Text>
        )}
      </Group>
      <section aria-labelledby="sync-history-title">
        <SyncHistory runs={runs} />
      </section>

      {connector && (
        <ReplaceCredentialsModal
          opened={replacing}
          onClose={() => setReplacing(false)}
          workspaceId={workspaceId}
          connection={connection}
          connector={connector}
          onReplaced={() => {
            notifySuccess("Credentials replaced. Syncing resumes with a sync of what changed.");
            reload();
          }}
        />
      )}
      <ConfirmModal
        opened={confirmResync}
        title="Resync everything"
        confirmLabel="Resync everything"
        danger={false}
        onClose={() => setConfirmResync(false)}
        onConfirm={() => startSync("full")}
      >
        Read {connection.selected_ids.length ? `the picked ${parts}` : `all ${parts}`} of <b>{connection.name}</b> from{" "}
        {source} again: new and changed documents are added, and documents that are gone there are deleted. On a large
        source this takes a while and uses its API quota; the documents stay searchable meanwhile.
      </ConfirmModal>
      <ConfirmModal
        opened={confirmDelete}
        title="Delete connection"
        confirmLabel="Delete connection"
        onClose={() => setConfirmDelete(false)}
        onConfirm={deleteConnection}
      >
        Delete <b>{connection.name}</b>? The {plural(connection.document_count, "document")} synced through it will be
        deleted too: search stops finding them and agents can no longer cite them. Nothing changes in {source}.
      </ConfirmModal>
    </>
  );
}
