import { Badge, Button, Drawer, Group, Paper, Stack, Text, Timeline } from "@mantine/core";
import { IconHistory } from "@tabler/icons-react";
import { useState } from "react";
import { useAgentVersions, useRestoreVersionMutation } from "../../api/agents";
import type { Agent, AgentVersion } from "../../api/client";
import { EmptyState, ErrorState, PageLoader } from "../../components/states";
import { formatDateTime, formatRelative } from "../../lib/format";
import { notifyError } from "../../lib/notify";
import { changedFields } from "./agentForm";
import { VersionDiff } from "./VersionDiff";

function summary(version: AgentVersion, previous: AgentVersion | undefined): string {
  if (!previous) return "Created";
  const changed = changedFields(version.snapshot, previous.snapshot);
  if (changed.includes("status") && version.snapshot.status === "published") {
    const others = changed.filter((field) => field !== "status");
    return others.length ? `Published; changed ${others.join(", ")}` : "Published";
  }
  return changed.length ? `Changed ${changed.join(", ")}` : "Saved without changes";
}

/**
 * Every saved version of an agent, newest first, with what each changed. "Compare" shows a
 * version beside the one before it; "Restore as draft" brings an older one back as unpublished
 * changes of a published agent (publish to make it live), or as the next version of a draft.
 */
export function VersionsDrawer({
  opened,
  onClose,
  workspaceId,
  agentId,
  currentVersion,
  onRestored,
}: {
  opened: boolean;
  onClose: () => void;
  workspaceId: number;
  agentId: number;
  currentVersion: number;
  onRestored: (agent: Agent, number: number) => void;
}) {
  // Saving a version refreshes this list (see api/agents.ts); it is read only while open.
  const versions = useAgentVersions(workspaceId, agentId, opened);
  const restore = useRestoreVersionMutation(workspaceId);
  const [compared, setCompared] = useState<{ from: number; to: number } | null>(null);
  const restoreVersion = async (number: number) => {
    try {
      onRestored(await restore.mutateAsync({ agentId, number }), number);
    } catch (error) {
      notifyError(error, `Could not restore version ${number}`);
    }
  };

  let body;
  if (versions.error != null) {
    body = <ErrorState error={versions.error} onRetry={() => void versions.refetch()} title="Could not load the versions" />;
  } else if (!versions.data) {
    body = <PageLoader label="Loading versions" />;
  } else if (versions.data.length === 0) {
    body = <EmptyState icon={IconHistory} title="No versions yet" description="Every save makes a version." />;
  } else {
    const list = versions.data;
    body = (
      <Timeline active={0} bulletSize={14} lineWidth={2} mt="xs">
        {list.map((version, index) => {
          const current = version.number === currentVersion;
          return (
            <Timeline.Item
              key={version.number}
              title={
                <Group gap="xs">
                  <Text fw={650} size="sm">
                    Version {version.number}
                  </Text>
                  {current && (
                    <Badge size="xs" variant="filled">
                      Current
                    </Badge>
                  )}
                  <Badge size="xs" variant="light" color={version.snapshot.status === "published" ? "teal" : "yellow"}>
                    {version.snapshot.status === "published" ? "Published" : "Draft"}
                  </Badge>
                </Group>
              }
            >
              <Paper withBorder={false} bg="transparent" mt={4}>
                <Text size="sm">{summary(version, list[index + 1])}</Text>
                <Text size="xs" c="dimmed" mt={2} title={formatDateTime(version.created_at)}>
                  {version.created_by_email ?? "Someone who has left"} · {formatRelative(version.created_at)}
                </Text>
                <Group gap={4} mt={6} ml={-6}>
                  {list[index + 1] && (
                    <Button
                      size="compact-xs"
                      variant={compared?.to === version.number ? "light" : "subtle"}
                      onClick={() => setCompared({ from: list[index + 1].number, to: version.number })}
                      aria-label={`Compare version ${version.number} with version ${list[index + 1].number}`}
                    >
                      Compare with previous
                    </Button>
                  )}
                  {!current && (
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={() => void restoreVersion(version.number)}
                      loading={restore.isPending && restore.variables?.number === version.number}
                      aria-label={`Restore version ${version.number} as a draft`}
                    >
                      Restore as draft
                    </Button>
                  )}
                </Group>
                {compared?.to === version.number && (
                  <Paper withBorder p="xs" mt="xs">
                    <VersionDiff workspaceId={workspaceId} agentId={agentId} from={compared.from} to={compared.to} />
                  </Paper>
                )}
              </Paper>
            </Timeline.Item>
          );
        })}
      </Timeline>
    );
  }

  return (
    <Drawer
      opened={opened}
      onClose={onClose}
      position="right"
      size="xl"
      title={
        <Stack gap={0}>
          <Text fw={650}>Version history</Text>
          <Text size="xs" c="dimmed">
            Every published or draft save is kept. Conversations record the version that answered.
          </Text>
        </Stack>
      }
    >
      {body}
    </Drawer>
  );
}
