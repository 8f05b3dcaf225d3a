import { Button, Card, Group, Text, Title } from "@mantine/core";
import { IconPlayerStop } from "@tabler/icons-react";
import type { SyncRun } from "../../../api/client";
import { formatRelative } from "../../../lib/format";
import { modeLabel, runCountsText, runProgress, SyncProgress, SyncRunBadge, triggerLabel } from "./syncStatus";

/** The sync that is queued or running: what it is, how far it got, what it did so far. */
export function CurrentSync({
  run,
  next,
  source,
  onCancel,
  cancelling = false,
}: {
  run: SyncRun;
  next: SyncRun | null;
  source: string;
  /** Cancel this run: a queued one never starts, a running one stops at its next page. */
  onCancel?: () => void;
  cancelling?: boolean;
}) {
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
        <Group gap="sm">
          <Text size="sm" c="dimmed">
            {triggerLabel(run.trigger)} ·{" "}
            {run.started_at ? `started ${formatRelative(run.started_at)}` : `queued ${formatRelative(run.queued_at)}`}
          </Text>
          {onCancel && (
            <Button
              size="xs"
              variant="default"
              leftSection={<IconPlayerStop size={14} />}
              onClick={onCancel}
              loading={cancelling}
              disabled={run.cancel_requested}
            >
              {run.cancel_requested ? "Stopping…" : "Cancel sync"}
            </Button>
          )}
        </Group>
      </Group>
      <SyncProgress run={run} label="Progress of the current sync" />
      <Group justify="space-between" mt={8} gap="sm">
        <Text size="sm" aria-live="polite">
          {progress.label}
        </Text>
        <Text size="sm" c="dimmed">
          {run.cancel_requested
            ? "Stops after the page it is on; the next sync goes on from there"
            : run.status !== "running"
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
