import { Badge, Button, Drawer, Group, Paper, Stack, Text, Timeline } from "@mantine/core";
import { IconHistory } from "@tabler/icons-react";
import { useAgentVersions } from "../../api/agents";
import type { AgentVersion } from "../../api/client";
import { EmptyState, ErrorState, PageLoader } from "../../components/states";
import { formatDateTime, formatRelative } from "../../lib/format";
import { changedFields } from "./agentForm";

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
 * Every saved version of an agent, newest first, with what each changed. Loading an older one
 * fills the form with it; saving then makes it the newest version.
 */
export function VersionsDrawer({
  opened,
  onClose,
  workspaceId,
  agentId,
  currentVersion,
  onLoad,
}: {
  opened: boolean;
  onClose: () => void;
  workspaceId: number;
  agentId: number;
  currentVersion: number;
  onLoad: (version: AgentVersion) => void;
}) {
  // Saving a version refreshes this list (see api/agents.ts); it is read only while open.
  const versions = useAgentVersions(workspaceId, agentId, opened);

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
                {!current && (
                  <Button
                    size="compact-xs"
                    variant="subtle"
                    mt={6}
                    ml={-6}
                    onClick={() => onLoad(version)}
                    aria-label={`Load version ${version.number} into the form`}
                  >
                    Load into the form
                  </Button>
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
      size="md"
      title={
        <Stack gap={0}>
          <Text fw={650}>Version history</Text>
          <Text size="xs" c="dimmed">
            Every save is kept. Conversations record the version that answered.
          </Text>
        </Stack>
      }
    >
      {body}
    </Drawer>
  );
}
