import { Button, Stack, Table, Text, Tooltip } from "@mantine/core";
import { IconChevronDown, IconChevronRight, IconHistory } from "@tabler/icons-react";
import { Fragment, useState } from "react";
import type { SyncRun } from "../../../api/client";
import { EmptyState } from "../../../components/states";
import { formatDateTime, formatDuration, formatMoment, formatRelative, plural } from "../../../lib/format";
import {
  isActiveRun,
  modeLabel,
  runProgress,
  SyncProgress,
  SyncRunBadge,
  triggerLabel,
} from "./syncStatus";
import { ItemErrorList, RunErrorMessage } from "./runErrors";

function Count({ value, color }: { value: number; color?: string }) {
  return (
    <Text size="sm" ta="right" c={value === 0 ? "dimmed" : color} style={{ fontVariantNumeric: "tabular-nums" }}>
      {value.toLocaleString()}
    </Text>
  );
}

/** The latest syncs of a connection: counts, duration, errors, and each run's failed items. */
export function SyncHistory({ runs }: { runs: SyncRun[] }) {
  const [open, setOpen] = useState<Set<number>>(() => new Set());

  if (runs.length === 0) {
    return (
      <EmptyState
        icon={IconHistory}
        title="No syncs yet"
        description="Syncs appear here as soon as one is queued: the first starts when the connection is added."
      />
    );
  }

  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  return (
    <div className="table-card">
      <Table.ScrollContainer minWidth={900}>
        <Table aria-label="Sync history">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={140}>Started</Table.Th>
              <Table.Th w={170}>Sync</Table.Th>
              <Table.Th>Result</Table.Th>
              <Table.Th w={130} ta="right" style={{ whiteSpace: "nowrap" }}>
                Added/updated
              </Table.Th>
              <Table.Th w={96} ta="right">
                Unchanged
              </Table.Th>
              <Table.Th w={82} ta="right">
                Deleted
              </Table.Th>
              <Table.Th w={72} ta="right">
                Failed
              </Table.Th>
              <Table.Th w={96} ta="right">
                Duration
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {runs.map((run) => {
              const active = isActiveRun(run);
              const errorCount = run.errors.length;
              const expanded = open.has(run.id);
              const when = run.started_at ?? run.queued_at;
              return (
                <Fragment key={run.id}>
                  <Table.Tr data-run-id={run.id} style={expanded ? { borderBottom: 0 } : undefined}>
                    <Table.Td>
                      <Tooltip label={`${run.started_at ? "Started" : "Queued"} ${formatDateTime(when)}`}>
                        <Text size="sm" style={{ whiteSpace: "nowrap" }}>
                          {formatRelative(when)}
                        </Text>
                      </Tooltip>
                      <Text size="xs" c="dimmed" style={{ whiteSpace: "nowrap" }}>
                        {formatMoment(when)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {modeLabel(run.mode)}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {triggerLabel(run.trigger)}
                        {run.attempts > 1 && ` · attempt ${run.attempts}`}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={6} align="flex-start">
                        <SyncRunBadge run={run} />
                        {active && (
                          <Stack gap={3} w="100%" maw={280}>
                            <SyncProgress
                              run={run}
                              size="sm"
                              label={`Progress of the ${modeLabel(run.mode).toLowerCase()}`}
                            />
                            <Text size="xs" c="dimmed">
                              {runProgress(run).label}
                            </Text>
                          </Stack>
                        )}
                        <RunErrorMessage run={run} />
                        {run.note && (
                          <Text size="xs" c="dimmed" maw={320}>
                            {run.note}
                          </Text>
                        )}
                        {errorCount > 0 && (
                          <Button
                            variant="subtle"
                            color="red"
                            size="compact-xs"
                            px={4}
                            leftSection={expanded ? <IconChevronDown size={13} /> : <IconChevronRight size={13} />}
                            onClick={() => toggle(run.id)}
                            aria-expanded={expanded}
                            aria-controls={`run-errors-${run.id}`}
                          >
                            {expanded ? "Hide" : "Show"} {plural(errorCount, "item error")}
                          </Button>
                        )}
                      </Stack>
                    </Table.Td>
                    <Table.Td>
                      <Count value={run.documents_upserted} />
                    </Table.Td>
                    <Table.Td>
                      <Count value={run.documents_unchanged} />
                    </Table.Td>
                    <Table.Td>
                      <Count value={run.documents_deleted} />
                    </Table.Td>
                    <Table.Td>
                      <Count value={run.documents_failed} color="red.7" />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ta="right" c="dimmed" style={{ whiteSpace: "nowrap" }}>
                        {run.status === "queued" ? "—" : formatDuration(run.duration_seconds)}
                        {active && run.status === "running" && " so far"}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                  {expanded && (
                    <Table.Tr>
                      <Table.Td colSpan={8} pt={0}>
                        <ItemErrorList run={run} id={`run-errors-${run.id}`} />
                      </Table.Td>
                    </Table.Tr>
                  )}
                </Fragment>
              );
            })}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </div>
  );
}
