import {
  ActionIcon,
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Card,
  CopyButton,
  Grid,
  Group,
  Menu,
  NumberInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import {
  IconCheck,
  IconCopy,
  IconDots,
  IconKey,
  IconKeyOff,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlugConnected,
  IconRefresh,
  IconReload,
  IconTrash,
  IconWebhook,
} from "@tabler/icons-react";
import { useEffect, useState, type FormEvent, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, type Connection, type SyncRun } from "../../../api/client";
import { errorMessage, unwrap } from "../../../api/errors";
import { useCurrentWorkspace } from "../../../auth/WorkspaceContext";
import { ConfirmModal } from "../../../components/ConfirmModal";
import { EmptyState, ErrorState, PageLoader } from "../../../components/states";
import { formatDate, formatDateTime, formatRelative, plural } from "../../../lib/format";
import { notifyError, notifySuccess } from "../../../lib/notify";
import { useApiQuery } from "../../../lib/useApiQuery";
import { usePolling } from "../../../lib/usePolling";
import { NotFoundPage } from "../../NotFoundPage";
import { kindLabel } from "../../knowledge/badges";
import { KIND_INFO, partsLabel, webhookUrl } from "./connectorInfo";
import { ReplaceCredentialsModal } from "./ReplaceCredentialsModal";
import { SelectionEditor } from "./SelectionEditor";
import { SyncHistory } from "./SyncHistory";
import {
  ConnectionStatusBadge,
  isActiveRun,
  modeLabel,
  runCountsText,
  runProgress,
  SourceIcon,
  SyncProgress,
  SyncRunBadge,
  triggerLabel,
} from "./syncStatus";

function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: string }) {
  return (
    <Card p="md">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: "0.04em" }}>
        {label}
      </Text>
      <Tooltip label={hint} disabled={!hint}>
        <Text fw={650} size="lg" mt={4} style={{ fontVariantNumeric: "tabular-nums" }}>
          {value}
        </Text>
      </Tooltip>
    </Card>
  );
}

function Section({
  title,
  description,
  children,
  id,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  id: string;
}) {
  return (
    <Card p="lg" component="section" aria-labelledby={id}>
      <Stack gap={2} mb="md">
        <Title order={3} id={id}>
          {title}
        </Title>
        {description && (
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        )}
      </Stack>
      {children}
    </Card>
  );
}

/** The sync that is queued or running: what it is, how far it got, what it did so far. */
function CurrentSync({ run, next, source }: { run: SyncRun; next: SyncRun | null; source: string }) {
  const progress = runProgress(run);
  const started = run.documents_upserted + run.documents_unchanged + run.documents_deleted + run.documents_failed > 0;
  return (
    <Card p="lg" component="section" aria-labelledby="current-sync-title" className="current-sync">
      <Group justify="space-between" mb="sm" gap="sm">
        <Group gap="sm">
          <Title order={3} id="current-sync-title">
            {run.status === "queued" ? `${modeLabel(run.mode)} queued` : `${modeLabel(run.mode)} in progress`}
          </Title>
          <SyncRunBadge run={run} />
        </Group>
        <Text size="sm" c="dimmed">
          {triggerLabel(run.trigger)} ·{" "}
          {run.started_at ? `started ${formatRelative(run.started_at)}` : `queued ${formatRelative(run.queued_at)}`}
        </Text>
      </Group>
      <SyncProgress run={run} label="Progress of the current sync" />
      <Group justify="space-between" mt={8} gap="sm">
        <Text size="sm" aria-live="polite">
          {progress.label}
        </Text>
        <Text size="sm" c="dimmed">
          {run.status !== "running"
            ? "Starts when a worker is free"
            : started
              ? `So far: ${runCountsText(run)}`
              : `Reading from ${source}…`}
        </Text>
      </Group>
      {next && (
        <Text size="sm" c="dimmed" mt={6}>
          Then: {modeLabel(next.mode).toLowerCase()} ({triggerLabel(next.trigger)}), queued{" "}
          {formatRelative(next.queued_at)}. One sync runs per connection at a time.
        </Text>
      )}
    </Card>
  );
}

function WebhookCard({ connection }: { connection: Connection }) {
  const url = webhookUrl(connection.webhook_path);
  const setup = KIND_INFO[connection.kind]?.webhookSetup;
  return (
    <Section
      id="webhook-title"
      title="Real-time updates"
      description={`Without a webhook, changes arrive with the next scheduled sync (every ${plural(connection.sync_interval_minutes, "minute")}).`}
    >
      <Stack gap="sm">
        <TextInput
          label="Webhook URL"
          readOnly
          value={url}
          className="mono-input"
          onFocus={(event) => event.currentTarget.select()}
          leftSection={<IconWebhook size={16} />}
          rightSectionWidth={40}
          rightSection={
            <CopyButton value={url} timeout={2000}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? "Copied" : "Copy webhook URL"}>
                  <ActionIcon
                    variant={copied ? "light" : "subtle"}
                    color={copied ? "teal" : "gray"}
                    onClick={copy}
                    aria-label={copied ? "Webhook URL copied" : "Copy webhook URL"}
                  >
                    {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          }
        />
        {setup && (
          <Text size="xs" c="dimmed">
            {setup}
          </Text>
        )}
      </Stack>
    </Section>
  );
}

function SettingsCard({
  workspaceId,
  connection,
  onSaved,
}: {
  workspaceId: number;
  connection: Connection;
  onSaved: (connection: Connection) => void;
}) {
  const [name, setName] = useState(connection.name);
  const [interval, setSyncInterval] = useState<number | string>(connection.sync_interval_minutes);
  const [rate, setRate] = useState<number | string>(connection.requests_per_minute ?? "");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setName(connection.name);
    setSyncInterval(connection.sync_interval_minutes);
    setRate(connection.requests_per_minute ?? "");
  }, [connection.name, connection.sync_interval_minutes, connection.requests_per_minute]);

  const changes: { name?: string; sync_interval_minutes?: number; requests_per_minute?: number } = {};
  if (name.trim() && name.trim() !== connection.name) changes.name = name.trim();
  if (typeof interval === "number" && interval !== connection.sync_interval_minutes)
    changes.sync_interval_minutes = interval;
  if (typeof rate === "number" && rate !== connection.requests_per_minute) changes.requests_per_minute = rate;
  const dirty = Object.keys(changes).length > 0;

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (!dirty) return;
    setBusy(true);
    setError(null);
    try {
      const updated = await unwrap(
        api.PATCH("/api/v1/workspaces/{workspace_id}/connections/{connection_id}", {
          params: { path: { workspace_id: workspaceId, connection_id: connection.id } },
          body: changes,
        }),
      );
      notifySuccess("Settings saved.");
      onSaved(updated);
    } catch (reason) {
      setError(errorMessage(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section id="settings-title" title="Settings">
      <form onSubmit={save}>
        <Stack gap="sm">
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label="Name"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            disabled={busy}
          />
          <NumberInput
            label="Sync every"
            description="Minutes between incremental syncs. A full sync runs once a day."
            min={1}
            max={10080}
            allowDecimal={false}
            suffix=" min"
            value={interval}
            onChange={setSyncInterval}
            disabled={busy}
          />
          <NumberInput
            label="Requests per minute"
            description="The most this connection asks of the source's API. Empty: the source's default."
            placeholder="Source default"
            min={1}
            allowDecimal={false}
            value={rate}
            onChange={setRate}
            disabled={busy}
          />
          <Group justify="flex-end" mt={4}>
            <Button type="submit" variant="default" loading={busy} disabled={!dirty}>
              Save settings
            </Button>
          </Group>
        </Stack>
      </form>
    </Section>
  );
}

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

  const path = { params: { path: { workspace_id: workspaceId, connection_id: connectionId } } };
  const data = useApiQuery(async () => {
    const [connection, runs] = await Promise.all([
      unwrap(api.GET("/api/v1/workspaces/{workspace_id}/connections/{connection_id}", path)),
      unwrap(api.GET("/api/v1/workspaces/{workspace_id}/connections/{connection_id}/syncs", path)),
    ]);
    return { connection, runs };
  }, ["connection", workspaceId, connectionId]);
  const connectors = useApiQuery(
    () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/connectors", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
    ["connectors", workspaceId],
  );

  const anyActive =
    data.data != null && (isActiveRun(data.data.connection.latest_run) || data.data.runs.some(isActiveRun));
  usePolling(anyActive, data.reload, data.data, data.error);

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
          <ErrorState error={data.error} onRetry={data.reload} title="Could not load this connection" />
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
  const needsCredentials = connection.status === "needs_credentials";
  const canSync = connection.status === "active";
  const showWebhook = connector?.handles_webhooks ?? Boolean(KIND_INFO[connection.kind]?.webhookSetup);

  const setConnection = (updated: Connection) =>
    data.setData((current) => current && { ...current, connection: updated });

  const startSync = async (mode: "incremental" | "full") => {
    const run = await unwrap(
      api.POST("/api/v1/workspaces/{workspace_id}/connections/{connection_id}/syncs", {
        ...path,
        body: { mode, item_ids: [] },
      }),
    );
    data.setData(
      (current) =>
        current && {
          connection: { ...current.connection, latest_run: run },
          runs: [run, ...current.runs.filter((other) => other.id !== run.id)],
        },
    );
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
      const updated = await unwrap(
        api.PATCH("/api/v1/workspaces/{workspace_id}/connections/{connection_id}", {
          ...path,
          body: { paused: !isPaused },
        }),
      );
      setConnection(updated);
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

  const deleteConnection = async () => {
    await unwrap(api.DELETE("/api/v1/workspaces/{workspace_id}/connections/{connection_id}", path));
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
      <Group justify="space-between" align="flex-start" mb="lg" gap="md">
        <Group gap="md" wrap="nowrap" align="center" style={{ minWidth: 0 }}>
          <SourceIcon kind={connection.kind} size={48} />
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Group gap="sm">
              <Title order={1}>{connection.name}</Title>
              <ConnectionStatusBadge status={connection.status} />
            </Group>
            <Text c="dimmed" size="sm" style={{ overflowWrap: "anywhere" }}>
              {subtitle}
            </Text>
          </Stack>
        </Group>
        <Group gap="sm">
          {!needsCredentials && (
            <Button
              variant="default"
              leftSection={isPaused ? <IconPlayerPlay size={16} /> : <IconPlayerPause size={16} />}
              onClick={togglePause}
              loading={pending === "pause"}
            >
              {isPaused ? "Resume" : "Pause"}
            </Button>
          )}
          <Tooltip label={isPaused ? "Resume the connection first" : "Enter new credentials first"} disabled={canSync}>
            <Button
              variant="default"
              leftSection={<IconReload size={16} />}
              onClick={() => setConfirmResync(true)}
              disabled={!canSync}
            >
              Resync everything
            </Button>
          </Tooltip>
          <Tooltip label={isPaused ? "Resume the connection first" : "Enter new credentials first"} disabled={canSync}>
            <Button
              leftSection={<IconRefresh size={16} />}
              onClick={syncNow}
              loading={pending === "sync"}
              disabled={!canSync}
            >
              Sync now
            </Button>
          </Tooltip>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="default" size={36} aria-label="More actions">
                <IconDots size={18} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconKey size={15} />} onClick={() => setReplacing(true)} disabled={!connector}>
                Replace credentials
              </Menu.Item>
              <Menu.Divider />
              <Menu.Item color="red" leftSection={<IconTrash size={15} />} onClick={() => setConfirmDelete(true)}>
                Delete connection
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>

      {needsCredentials && (
        <Alert
          color="red"
          variant="light"
          radius="lg"
          mb="lg"
          icon={<IconKeyOff size={20} />}
          title={`${source} refused the credentials: syncing has stopped`}
          role="alert"
        >
          <Stack gap="sm" align="flex-start">
            <Text size="sm">
              {connection.status_message ||
                "Syncing is paused and the documents already synced stay searchable; enter new credentials to resume."}
            </Text>
            <Button
              size="xs"
              color="red"
              leftSection={<IconKey size={14} />}
              onClick={() => setReplacing(true)}
              disabled={!connector}
            >
              Replace credentials
            </Button>
          </Stack>
        </Alert>
      )}
      {isPaused && (
        <Alert
          color="gray"
          variant="light"
          radius="lg"
          mb="lg"
          icon={<IconPlayerPause size={20} />}
          title="Paused"
          role="status"
        >
          <Stack gap="sm" align="flex-start">
            <Text size="sm">
              {connection.status_message ||
                "No syncs run while the connection is paused. The documents already synced stay searchable."}
            </Text>
            <Button
              size="xs"
              variant="white"
              color="dark"
              leftSection={<IconPlayerPlay size={14} />}
              onClick={togglePause}
              loading={pending === "pause"}
            >
              Resume syncing
            </Button>
          </Stack>
        </Alert>
      )}

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
          <CurrentSync run={activeRun} next={queuedNext} source={source} />
        </div>
      )}

      <Grid gutter="lg" mb="xl">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Section
            id="what-to-sync-title"
            title="What to sync"
            description={`Pick ${parts} to sync; picking one includes everything inside it. Pick nothing to sync everything the credentials can reach.`}
          >
            <SelectionEditor workspaceId={workspaceId} connection={connection} onSaved={() => data.reload()} />
          </Section>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="lg">
            {showWebhook && <WebhookCard connection={connection} />}
            <SettingsCard workspaceId={workspaceId} connection={connection} onSaved={setConnection} />
          </Stack>
        </Grid.Col>
      </Grid>

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
            data.reload();
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
