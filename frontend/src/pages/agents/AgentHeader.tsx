import { Anchor, Badge, Breadcrumbs, Button, Group, Stack, Text, Title } from "@mantine/core";
import { IconDeviceFloppy, IconHistory, IconRocket } from "@tabler/icons-react";
import { Link } from "react-router-dom";
import type { Agent } from "../../api/client";
import { AgentAvatar, AgentStatusBadge } from "./badges";

/** What the save button says: a new agent is created as a draft, a published one changes live. */
export function saveLabel(isNew: boolean, agent: Agent | null): string {
  return isNew ? "Create draft" : agent?.status === "published" ? "Save unpublished changes" : "Save draft";
}

/** The builder's title row: where it is, which agent, and its save, publish and versions actions. */
export function AgentHeader({
  isNew,
  agent,
  name,
  handle,
  dirty,
  readOnly,
  busy,
  onSave,
  onPublish,
  onVersions,
}: {
  isNew: boolean;
  agent: Agent | null;
  /** The name as typed, for the title. */
  name: string;
  handle: string;
  dirty: boolean;
  readOnly: boolean;
  busy: "save" | "publish" | null;
  onSave: () => void;
  onPublish: () => void;
  onVersions: () => void;
}) {
  const published = agent?.status === "published";
  const pending = published && Boolean(agent?.has_unpublished_changes);
  const actions = readOnly ? null : (
    <Group gap="sm">
      {dirty && !isNew && (
        <Badge variant="dot" color="yellow" size="lg" tt="none" fw={500}>
          Unsaved changes
        </Badge>
      )}
      {pending && !dirty && (
        <Badge variant="dot" color="orange" size="lg" tt="none" fw={500}>
          Unpublished changes
        </Badge>
      )}
      {agent && (
        <Button variant="default" leftSection={<IconHistory size={16} />} onClick={onVersions}>
          Versions
        </Button>
      )}
      <Button
        variant="default"
        leftSection={<IconDeviceFloppy size={16} />}
        onClick={onSave}
        loading={busy === "save"}
        disabled={busy != null || (!isNew && !dirty)}
      >
        {saveLabel(isNew, agent)}
      </Button>
      {(!published || pending || dirty) && (
        <Button leftSection={<IconRocket size={16} />} onClick={onPublish} loading={busy === "publish"} disabled={busy != null}>
          {published ? "Publish changes" : "Publish"}
        </Button>
      )}
    </Group>
  );

  return (
    <Stack gap={6} mb="lg">
      <Breadcrumbs separator="/">
        <Anchor component={Link} to="/agents" size="sm">
          Agents
        </Anchor>
        <Text size="sm" c="dimmed">
          {isNew ? "New agent" : `@${agent?.handle}`}
        </Text>
      </Breadcrumbs>
      <Group justify="space-between" align="center" gap="md" wrap="wrap">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <AgentAvatar name={name} handle={handle || "new"} size={44} />
          <div style={{ minWidth: 0 }}>
            <Group gap="xs" wrap="nowrap">
              <Title order={1} style={{ overflowWrap: "anywhere" }}>
                {name}
              </Title>
              {agent && <AgentStatusBadge status={agent.status} />}
            </Group>
            <Text size="sm" c="dimmed">
              {agent
                ? `Version ${agent.version} · ${published ? "edits wait as unpublished changes until you publish them" : "only its editors and admins can use a draft"}`
                : "Describe what it answers, pick its sources, and try it beside the form."}
            </Text>
          </div>
        </Group>
        {actions}
      </Group>
    </Stack>
  );
}
