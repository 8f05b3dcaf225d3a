import { Code, Stack, Text, Title } from "@mantine/core";
import { IconGauge } from "@tabler/icons-react";
import type { LimitEntry } from "../../api/client";
import { useLimits } from "../../api/limits";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { DataTable, type Column } from "../../components/DataTable";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, QueryStates, TableSkeleton } from "../../components/states";

/** The entries in the order the API gives them, one list per group, groups in first-seen order. */
export function groupLimits(entries: LimitEntry[]): [string, LimitEntry[]][] {
  const groups = new Map<string, LimitEntry[]>();
  for (const entry of entries) {
    const list = groups.get(entry.group) ?? [];
    list.push(entry);
    groups.set(entry.group, list);
  }
  return [...groups.entries()];
}

const LIMIT_COLUMNS: Column<LimitEntry>[] = [
  {
    key: "name",
    header: "Limit",
    render: (entry) => (
      <Text size="sm" fw={500}>
        {entry.name}
      </Text>
    ),
  },
  { key: "value", header: "Value", width: 220, render: (entry) => <Text size="sm">{entry.value}</Text> },
  { key: "setting", header: "Setting", width: 260, render: (entry) => <Code>{entry.setting}</Code> },
  {
    key: "refusal",
    header: "When it is reached",
    width: 280,
    render: (entry) => (
      <Text size="sm" c="dimmed">
        {entry.refusal}
      </Text>
    ),
  },
];

function LimitsTable({ group, entries }: { group: string; entries: LimitEntry[] }) {
  const headingId = `limits-${group.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <Stack gap="xs">
      <Title order={2} size="h4" id={headingId}>
        {group}
      </Title>
      <DataTable
        rows={entries}
        columns={LIMIT_COLUMNS}
        rowKey={(entry) => `${entry.setting}:${entry.name}`}
        minWidth={820}
        highlightOnHover={false}
        verticalSpacing="sm"
        aria-labelledby={headingId}
      />
    </Stack>
  );
}

export function LimitsPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const limits = useLimits(workspaceId);

  return (
    <>
      <PageHeader
        title="Limits"
        description="Every limit this instance enforces, the environment variable that sets it, and what a person or script gets when they reach it. The operator changes them; they apply to every workspace."
      />
      <QueryStates
        query={limits}
        errorTitle="Could not load the limits"
        loading={<TableSkeleton rows={6} columns={4} />}
        empty={<EmptyState icon={IconGauge} title="No limits reported" />}
      >
        {(entries) => (
          <Stack gap="xl">
            {groupLimits(entries).map(([group, items]) => (
              <LimitsTable key={group} group={group} entries={items} />
            ))}
          </Stack>
        )}
      </QueryStates>
    </>
  );
}
