import { Code, Stack, Table, Text, Title } from "@mantine/core";
import { IconGauge } from "@tabler/icons-react";
import { api, type LimitEntry } from "../../api/client";
import { unwrap } from "../../api/errors";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, QueryStates, TableSkeleton } from "../../components/states";
import { useApiQuery } from "../../lib/useApiQuery";

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

function LimitsTable({ group, entries }: { group: string; entries: LimitEntry[] }) {
  const headingId = `limits-${group.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`;
  return (
    <Stack gap="xs">
      <Title order={2} size="h4" id={headingId}>
        {group}
      </Title>
      <div className="table-card">
        <Table.ScrollContainer minWidth={820}>
          <Table aria-labelledby={headingId} verticalSpacing="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Limit</Table.Th>
                <Table.Th w={220}>Value</Table.Th>
                <Table.Th w={260}>Setting</Table.Th>
                <Table.Th w={280}>When it is reached</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.map((entry) => (
                <Table.Tr key={`${entry.setting}:${entry.name}`}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {entry.name}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{entry.value}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Code>{entry.setting}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {entry.refusal}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </div>
    </Stack>
  );
}

export function LimitsPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const limits = useApiQuery(
    () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/limits", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ).then((answer) => answer.entries),
    ["limits", workspaceId],
  );

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
