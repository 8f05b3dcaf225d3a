import { Badge, Button, Grid, Group, Select, Skeleton, Stack, Text } from "@mantine/core";
import { IconBrandSlack } from "@tabler/icons-react";
import { useState } from "react";
import type { Agent, HierarchyNode } from "../../../api/client";
import { useAgents } from "../../../api/agents";
import { type SlackBotSettings, useSaveSlackBotMutation, useSlackBotSettings, useSlackChannels } from "../../../api/slackBot";
import { DataTable, type Column } from "../../../components/DataTable";
import { EmptyState, ErrorState } from "../../../components/states";
import { notifyError, notifySuccess } from "../../../lib/notify";
import { Section } from "./detailCards";
import { SlackAskRules } from "./SlackAskRules";

export interface ChannelRow {
  id: string;
  name: string;
  isPrivate: boolean;
  members: number | null;
  botIsMember: boolean;
}

/** The channels the bot is in, then any channel that still has an agent but lost the bot. */
export function channelRows(nodes: HierarchyNode[], settings: SlackBotSettings): ChannelRow[] {
  const rows: ChannelRow[] = nodes
    .filter((node) => node.kind === "channel" && node.details.bot_is_member === true)
    .map((node) => ({
      id: node.id,
      name: node.title,
      isPrivate: node.details.private === true,
      members: typeof node.details.members === "number" ? node.details.members : null,
      botIsMember: true,
    }));
  for (const channel of settings.channels) {
    if (rows.some((row) => row.id === channel.channel_id)) continue;
    const node = nodes.find((item) => item.id === channel.channel_id);
    rows.push({
      id: channel.channel_id,
      name: node?.title ?? channel.channel_id,
      isPrivate: node?.details.private === true,
      members: null,
      botIsMember: false,
    });
  }
  return rows;
}

function agentOptions(agents: Agent[]) {
  return agents
    .filter((agent) => agent.status === "published")
    .map((agent) => ({ value: String(agent.id), label: `${agent.name} (~${agent.handle})` }));
}

function SlackBotForm({
  workspaceId,
  connectionId,
  rows,
  settings,
  agents,
}: {
  workspaceId: number;
  connectionId: number;
  rows: ChannelRow[];
  settings: SlackBotSettings;
  agents: Agent[];
}) {
  const save = useSaveSlackBotMutation(workspaceId, connectionId);
  const [defaultAgent, setDefaultAgent] = useState<string | null>(
    settings.default_agent_id == null ? null : String(settings.default_agent_id),
  );
  const [choices, setChoices] = useState<Record<string, string | null>>(() =>
    Object.fromEntries(settings.channels.map((row) => [row.channel_id, String(row.agent_id)])),
  );
  const options = agentOptions(agents);
  const noAgents = options.length === 0;

  const submit = async () => {
    try {
      await save.mutateAsync({
        default_agent_id: defaultAgent == null ? null : Number(defaultAgent),
        channels: Object.entries(choices)
          .filter((entry): entry is [string, string] => entry[1] != null && entry[1] !== "")
          .map(([channelId, agentId]) => ({ channel_id: channelId, agent_id: Number(agentId) })),
      });
      notifySuccess("The Slack bot's agents are saved.");
    } catch (error) {
      notifyError(error, "Could not save the Slack bot's agents");
    }
  };

  const columns: Column<ChannelRow>[] = [
    {
      key: "channel",
      header: "Channel",
      render: (row) => (
        <Group gap="xs">
          <Text size="sm" fw={500}>
            {row.name}
          </Text>
          {row.isPrivate && (
            <Badge size="xs" variant="light" color="gray">
              private
            </Badge>
          )}
          {!row.botIsMember && (
            <Badge size="xs" variant="light" color="orange">
              bot not in it
            </Badge>
          )}
          {row.members != null && (
            <Text size="xs" c="dimmed">
              {row.members} members
            </Text>
          )}
        </Group>
      ),
    },
    {
      key: "agent",
      header: "Agent that answers",
      width: 300,
      render: (row) => (
        <Select
          aria-label={`Agent for ${row.name}`}
          placeholder="The workspace-wide default"
          data={options}
          value={choices[row.id] ?? null}
          onChange={(value) => setChoices((previous) => ({ ...previous, [row.id]: value }))}
          clearable
          disabled={noAgents}
        />
      ),
    },
  ];

  return (
    <Stack gap="md">
      <Select
        label="Workspace-wide default agent"
        description="Answers in direct messages and in channels without their own agent."
        placeholder="None: the asker names one with ~handle"
        data={options}
        value={defaultAgent}
        onChange={setDefaultAgent}
        clearable
        disabled={noAgents}
        maw={420}
      />
      {noAgents && (
        <Text size="sm" c="dimmed">
          No agent is published yet. Publish one under Agents, then pick it here.
        </Text>
      )}
      {rows.length === 0 ? (
        <EmptyState
          icon={IconBrandSlack}
          title="The bot is in no channel yet"
          description="Invite it in Slack (type /invite @ and the bot's name in a channel), then reload this page. It answers direct messages meanwhile."
        />
      ) : (
        <DataTable
          rows={rows}
          columns={columns}
          rowKey={(row) => row.id}
          minWidth={560}
          highlightOnHover={false}
          aria-label="Channels the bot is in"
        />
      )}
      <Group>
        <Button onClick={() => void submit()} loading={save.isPending} disabled={noAgents}>
          Save agents
        </Button>
      </Group>
    </Stack>
  );
}

/** The Slack bot of a Slack connection: its channels and their agents, and who may ask. */
export function SlackBotSection({
  workspaceId,
  connectionId,
  canAskSlack = true,
}: {
  workspaceId: number;
  connectionId: number;
  /** False while Slack refuses the connection's credentials: its channels are not asked for. */
  canAskSlack?: boolean;
}) {
  const settings = useSlackBotSettings(workspaceId, connectionId);
  const channels = useSlackChannels(workspaceId, connectionId, canAskSlack);
  const agents = useAgents(workspaceId);
  const failed = [settings, channels, agents].find((query) => query.error != null && !query.data);

  let body;
  if (!canAskSlack) {
    body = (
      <Text size="sm" c="dimmed" role="note">
        Slack refused this connection&apos;s credentials, so the bot&apos;s channels cannot be listed. Replace the
        credentials, then pick the agents here.
      </Text>
    );
  } else if (failed) {
    body = (
      <ErrorState
        error={failed.error}
        title="Could not load the Slack bot's channels"
        onRetry={() => {
          for (const query of [settings, channels, agents]) if (query.error) void query.refetch();
        }}
      />
    );
  } else if (!settings.data || !channels.data || !agents.data) {
    body = (
      <Stack gap="sm" role="status" aria-label="Loading the Slack bot's channels">
        <Skeleton h={56} radius="md" />
        <Skeleton h={140} radius="md" />
      </Stack>
    );
  } else {
    body = (
      <SlackBotForm
        workspaceId={workspaceId}
        connectionId={connectionId}
        rows={channelRows(channels.data, settings.data)}
        settings={settings.data}
        agents={agents.data}
      />
    );
  }

  return (
    <Section
      id="slack-bot-title"
      title="Slack bot"
      description="Mention the bot in a channel, or message it directly, and an agent answers in the thread with its sources. Pick which agent answers where."
    >
      <Grid gutter="xl">
        <Grid.Col span={{ base: 12, lg: 7 }}>{body}</Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <SlackAskRules />
        </Grid.Col>
      </Grid>
    </Section>
  );
}
