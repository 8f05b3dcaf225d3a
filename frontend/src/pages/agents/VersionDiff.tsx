import { Badge, Code, Group, Stack, Table, Text } from "@mantine/core";
import { useAgentVersionDiff } from "../../api/agents";
import type { Schemas } from "../../api/client";
import { ErrorState, PageLoader } from "../../components/states";

type FieldChange = Schemas["FieldChangeOut"];

const FIELD_LABELS: Record<string, string> = {
  model_id: "Model",
  temperature: "Temperature",
  tools: "Tools",
  views: "Data",
  visibility: "Visibility",
};

function shown(value: unknown): string {
  if (Array.isArray(value)) return value.length ? value.join(", ") : "none";
  if (value === "" || value == null) return "none";
  return String(value);
}

const LINE_COLORS: Record<string, string | undefined> = {
  same: undefined,
  changed: "var(--mantine-color-yellow-light)",
  added: "var(--mantine-color-teal-light)",
  removed: "var(--mantine-color-red-light)",
};

/** Two versions side by side: the instructions line by line, then the settings that differ. */
export function VersionDiff({ workspaceId, agentId, from, to }: { workspaceId: number; agentId: number; from: number; to: number }) {
  const diff = useAgentVersionDiff(workspaceId, agentId, from, to);
  if (diff.error != null) return <ErrorState error={diff.error} onRetry={() => void diff.refetch()} title="Could not compare the versions" />;
  if (!diff.data) return <PageLoader label="Comparing versions" />;
  const changed = diff.data.fields.filter((field: FieldChange) => field.changed);
  const instructionsChanged = diff.data.instructions.some((line) => line.kind !== "same");
  return (
    <Stack gap="sm" aria-label={`Changes from version ${from} to version ${to}`} role="region">
      <Text fw={650} size="sm">
        Version {from} → version {to}
      </Text>
      <Table withTableBorder withColumnBorders layout="fixed" fz="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Version {from}</Table.Th>
            <Table.Th>Version {to}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          <Table.Tr>
            <Table.Td colSpan={2}>
              <Group gap="xs">
                <Text size="xs" fw={600}>
                  Instructions
                </Text>
                {!instructionsChanged && (
                  <Badge size="xs" variant="light" color="gray">
                    unchanged
                  </Badge>
                )}
              </Group>
            </Table.Td>
          </Table.Tr>
          {diff.data.instructions.map((line, index) => (
            <Table.Tr key={index} data-kind={line.kind} style={{ background: LINE_COLORS[line.kind] }}>
              <Table.Td style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{line.before ?? ""}</Table.Td>
              <Table.Td style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{line.after ?? ""}</Table.Td>
            </Table.Tr>
          ))}
          {diff.data.fields.map((field: FieldChange) => (
            <Table.Tr key={field.field} style={{ background: field.changed ? LINE_COLORS.changed : undefined }}>
              <Table.Td>
                <Text size="xs" c="dimmed">
                  {FIELD_LABELS[field.field] ?? field.field}
                </Text>
                <Code>{shown(field.before)}</Code>
              </Table.Td>
              <Table.Td>
                <Text size="xs" c="dimmed">
                  {FIELD_LABELS[field.field] ?? field.field}
                </Text>
                <Code>{shown(field.after)}</Code>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {changed.length === 0 && !instructionsChanged && (
        <Text size="sm" c="dimmed">
          These versions answer the same way.
        </Text>
      )}
    </Stack>
  );
}
