import { Badge, Group, Loader, Progress, Stack, Text, ThemeIcon, Tooltip } from "@mantine/core";
import { IconAlertTriangle, IconCircleCheck, IconClock, IconKeyOff, IconPlayerPause, IconPlayerStop, IconX } from "@tabler/icons-react";
import type { Connection, SyncRun } from "../../../api/client";
import { isActiveRun } from "../../../api/connections";
import { formatDateTime, formatRelative, plural } from "../../../lib/format";
import { kindLook } from "../../knowledge/badges";

// Whether a run counts as queued or running is the API layer's rule (it also decides polling).
export { ACTIVE_RUN_STATUSES, isActiveRun } from "../../../api/connections";

export function ConnectionStatusBadge({ status }: { status: string }) {
  if (status === "active") {
    return (
      <Badge variant="light" color="teal" leftSection={<IconCircleCheck size={12} />}>
        Active
      </Badge>
    );
  }
  if (status === "needs_credentials") {
    return (
      <Badge
        variant="light"
        color="red"
        leftSection={<IconKeyOff size={12} />}
        style={{ flexShrink: 0, overflow: "visible" }}
      >
        Needs credentials
      </Badge>
    );
  }
  if (status === "paused") {
    return (
      <Badge variant="light" color="gray" leftSection={<IconPlayerPause size={12} />}>
        Paused
      </Badge>
    );
  }
  return (
    <Badge variant="light" color="gray">
      {status}
    </Badge>
  );
}

export function SyncRunBadge({ run }: { run: SyncRun }) {
  switch (run.status) {
    case "queued":
      return (
        <Badge variant="light" color="gray" leftSection={<IconClock size={12} />}>
          Queued
        </Badge>
      );
    case "running":
      return run.cancel_requested ? (
        <Badge variant="light" color="gray" leftSection={<Loader size={9} color="gray" />}>
          Stopping
        </Badge>
      ) : (
        <Badge variant="light" color="brand" leftSection={<Loader size={9} color="brand" />}>
          Syncing
        </Badge>
      );
    case "succeeded":
      return run.documents_failed > 0 ? (
        <Badge variant="light" color="yellow" leftSection={<IconAlertTriangle size={12} />}>
          Succeeded with errors
        </Badge>
      ) : (
        <Badge variant="light" color="teal" leftSection={<IconCircleCheck size={12} />}>
          Succeeded
        </Badge>
      );
    case "failed":
      return (
        <Badge variant="light" color="red" leftSection={<IconX size={12} />}>
          Failed
        </Badge>
      );
    case "cancelled":
      return (
        <Badge variant="light" color="gray" leftSection={<IconPlayerStop size={12} />}>
          Cancelled
        </Badge>
      );
    default:
      return (
        <Badge variant="light" color="gray">
          {run.status}
        </Badge>
      );
  }
}

const MODE_LABELS: Record<string, string> = {
  full: "Full sync",
  incremental: "Incremental",
  items: "Selected items",
};

const TRIGGER_LABELS: Record<string, string> = {
  created: "first sync",
  admin: "started by an admin",
  schedule: "scheduled",
  selection: "selection changed",
  credentials: "new credentials",
  webhook: "webhook",
  item: "item resync",
};

export function modeLabel(mode: string): string {
  return MODE_LABELS[mode] ?? mode;
}

export function triggerLabel(trigger: string): string {
  return TRIGGER_LABELS[trigger] ?? trigger;
}

export interface RunProgress {
  /** Percent done, or null when the total is unknown (an indeterminate bar). */
  percent: number | null;
  label: string;
}

/**
 * How far a queued or running sync is. A total is used only when it is known and not passed
 * (some sources count documents done against a total of channels or repositories).
 */
export function runProgress(run: SyncRun): RunProgress {
  if (run.status === "queued") return { percent: null, label: "Waiting to start" };
  const done = run.progress_done;
  const total = run.progress_total;
  if (total != null && total > 0 && done <= total) {
    return {
      percent: Math.round((done / total) * 100),
      label: `${done.toLocaleString()} of ${total.toLocaleString()}`,
    };
  }
  if (done === 0) return { percent: null, label: "Starting…" };
  return { percent: null, label: `${plural(done, "item")} so far` };
}

/** The progress bar of a queued or running sync, with its text for screen readers. */
export function SyncProgress({
  run,
  size = "md",
  label = "Sync progress",
}: {
  run: SyncRun;
  size?: string;
  label?: string;
}) {
  const progress = runProgress(run);
  const indeterminate = progress.percent == null;
  return (
    <Progress.Root
      size={size}
      radius="xl"
      role="progressbar"
      aria-label={label}
      aria-valuemin={indeterminate ? undefined : 0}
      aria-valuemax={indeterminate ? undefined : 100}
      aria-valuenow={progress.percent ?? undefined}
      aria-valuetext={progress.label}
    >
      <Progress.Section
        withAria={false}
        value={indeterminate ? 100 : Math.max(progress.percent ?? 0, 3)}
        color={run.status === "queued" ? "gray.4" : "brand"}
        striped={indeterminate}
        animated={indeterminate}
        style={indeterminate ? { opacity: 0.55 } : undefined}
      />
    </Progress.Root>
  );
}

/** "12 added or updated · 30 unchanged · 2 deleted · 1 failed", leaving out the zeros. */
export function runCountsText(run: SyncRun): string {
  const parts = [
    run.documents_upserted ? `${run.documents_upserted.toLocaleString()} added or updated` : "",
    run.documents_unchanged ? `${run.documents_unchanged.toLocaleString()} unchanged` : "",
    run.documents_deleted ? `${run.documents_deleted.toLocaleString()} deleted` : "",
    run.documents_failed ? `${run.documents_failed.toLocaleString()} failed` : "",
  ].filter(Boolean);
  return parts.length ? parts.join(" · ") : "No documents changed";
}

export function LastSyncSummary({ connection }: { connection: Connection }) {
  const run = connection.latest_run;
  if (!run) {
    return (
      <Text size="sm" c="dimmed">
        Never synced
      </Text>
    );
  }
  if (isActiveRun(run)) {
    const progress = runProgress(run);
    return (
      <Stack gap={4} maw={260}>
        <Group gap={6} justify="space-between" wrap="nowrap">
          <Text size="xs" fw={600} c={run.status === "queued" ? "dimmed" : "brand.7"}>
            {run.status === "queued" ? "Queued" : `${modeLabel(run.mode)} running`}
          </Text>
          <Text size="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
            {progress.label}
          </Text>
        </Group>
        <SyncProgress run={run} size="sm" label={`Sync progress of ${connection.name}`} />
      </Stack>
    );
  }
  const when = run.finished_at ?? run.started_at ?? run.queued_at;
  return (
    <Stack gap={2}>
      <Group gap={8} wrap="nowrap">
        <SyncRunBadge run={run} />
        <Tooltip label={formatDateTime(when)}>
          <Text size="sm" c="dimmed" style={{ whiteSpace: "nowrap" }}>
            {formatRelative(when)}
          </Text>
        </Tooltip>
      </Group>
      {run.status === "failed" ? (
        <Text size="xs" c="red.7" lineClamp={1} maw={320}>
          {run.error_message || "The sync failed."}
        </Text>
      ) : (
        <Text size="xs" c="dimmed" lineClamp={1}>
          {runCountsText(run)}
        </Text>
      )}
    </Stack>
  );
}

/** The source's icon in its colour. */
export function SourceIcon({ kind, size = 36 }: { kind: string; size?: number }) {
  const { icon: IconComponent, color } = kindLook(kind);
  return (
    <ThemeIcon size={size} radius="md" variant="light" color={color} aria-hidden>
      <IconComponent size={Math.round(size * 0.55)} stroke={1.7} />
    </ThemeIcon>
  );
}
