import { Button, Card, Divider, Group, SimpleGrid, Skeleton, Stack, Text, Tooltip } from "@mantine/core";
import { IconCpu, IconDatabase, IconLock, IconMessageCircle, IconPencil, IconPlus, IconRobot } from "@tabler/icons-react";
import { Link } from "react-router-dom";
import { useAgents } from "../../api/agents";
import type { Agent } from "../../api/client";
import { withReload } from "../../api/queryState";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, QueryStates } from "../../components/states";
import { formatDateTime, formatRelative } from "../../lib/format";
import { modelLabel } from "./agentForm";
import { AgentAvatar, AgentStatusBadge, canBuildAgents } from "./badges";

export function chatPath(agent: Pick<Agent, "handle">): string {
  return `/conversations/new?agent=${encodeURIComponent(agent.handle)}`;
}

function AgentCard({ agent }: { agent: Agent }) {
  const views = agent.view_ids.length;
  return (
    <Card p="lg" component="article" aria-label={agent.name} style={{ display: "flex", flexDirection: "column" }}>
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <AgentAvatar name={agent.name} handle={agent.handle} />
          <div style={{ minWidth: 0 }}>
            <Text fw={650} truncate>
              {agent.name}
            </Text>
            <Text size="xs" c="dimmed" className="mono" truncate>
              @{agent.handle}
            </Text>
          </div>
        </Group>
        <AgentStatusBadge status={agent.status} />
      </Group>

      <Text size="sm" c={agent.description ? undefined : "dimmed"} lineClamp={2} mt="md" mih={44}>
        {agent.description || "No description yet."}
      </Text>

      <Stack gap={6} mt="md" style={{ flex: 1 }} justify="flex-end">
        <Group gap={6} wrap="nowrap" c="dimmed">
          <IconCpu size={14} stroke={1.7} aria-hidden />
          <Text size="xs" c="dimmed" truncate>
            {modelLabel(agent.model_id)}
          </Text>
        </Group>
        <Group gap={6} wrap="nowrap" c="dimmed">
          <IconDatabase size={14} stroke={1.7} aria-hidden />
          <Text size="xs" c={views ? "dimmed" : "orange.7"}>
            {views === 0 ? "No data views yet" : `${views} data view${views === 1 ? "" : "s"}`}
          </Text>
          {agent.visibility === "editors" && (
            <Tooltip label="Only its editors and admins can use it">
              <Group gap={4} wrap="nowrap" ml={6}>
                <IconLock size={13} stroke={1.7} aria-hidden />
                <Text size="xs" c="dimmed">
                  Editors only
                </Text>
              </Group>
            </Tooltip>
          )}
        </Group>
      </Stack>

      <Divider my="md" color="var(--app-border)" />
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Tooltip label={`Version ${agent.version}, saved ${formatDateTime(agent.updated_at)}`}>
          <Text size="xs" c="dimmed" truncate>
            Updated {formatRelative(agent.updated_at)}
          </Text>
        </Tooltip>
        <Group gap="xs" wrap="nowrap">
          {agent.can_edit && (
            <Button
              component={Link}
              to={`/agents/${agent.id}`}
              size="xs"
              variant="default"
              leftSection={<IconPencil size={14} />}
              aria-label={`Edit ${agent.name}`}
            >
              Edit
            </Button>
          )}
          <Button
            component={Link}
            to={chatPath(agent)}
            size="xs"
            variant="light"
            leftSection={<IconMessageCircle size={14} />}
            aria-label={`Chat with ${agent.name}`}
          >
            Chat
          </Button>
        </Group>
      </Group>
    </Card>
  );
}

function CardsSkeleton() {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" role="status" aria-live="polite" aria-label="Loading agents">
      {[0, 1, 2].map((index) => (
        <Card key={index} p="lg">
          <Group gap="sm">
            <Skeleton h={40} w={40} radius="md" />
            <Stack gap={6}>
              <Skeleton h={12} w={120} radius="xl" />
              <Skeleton h={10} w={80} radius="xl" />
            </Stack>
          </Group>
          <Skeleton h={10} mt="lg" radius="xl" />
          <Skeleton h={10} w="70%" mt={8} radius="xl" />
          <Skeleton h={10} w="40%" mt="lg" radius="xl" />
        </Card>
      ))}
    </SimpleGrid>
  );
}

export function AgentsPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const canBuild = canBuildAgents(workspace.role);

  const agents = withReload(useAgents(workspaceId));

  const createButton = canBuild ? (
    <Button component={Link} to="/agents/new" leftSection={<IconPlus size={16} />}>
      New agent
    </Button>
  ) : undefined;

  const body = (
    <QueryStates
      query={agents}
      errorTitle="Could not load agents"
      loading={<CardsSkeleton />}
      empty={
        <EmptyState
          icon={IconRobot}
          title={canBuild ? "Build your first agent" : "No agents for you yet"}
          description={
            canBuild
              ? "An agent answers questions from the data views you give it, and cites every passage it uses. Start with a folder of uploaded files under Data sources, then create an agent over it."
              : "Agents appear here once a builder publishes one over data in your spaces. Ask a builder or an admin which agents your team uses."
          }
          action={createButton}
        />
      }
    >
      {(items) => (
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
          {items.map((agent) => (
            <AgentCard key={agent.id} agent={agent} />
          ))}
        </SimpleGrid>
      )}
    </QueryStates>
  );

  return (
    <>
      <PageHeader
        title="Agents"
        description={
          canBuild
            ? "Assistants that answer from your company's knowledge and cite their sources. Drafts are visible to their editors until you publish them."
            : "Assistants that answer from your company's knowledge and cite their sources."
        }
        actions={agents.data?.length ? createButton : undefined}
      />
      {body}
    </>
  );
}
