import { Code, List, Stack, Text, Title } from "@mantine/core";

/**
 * Who may ask the bot, which agent answers and what a channel answer may draw on: what
 * agents/slack/bot.py, agents/access.py (usable_agents) and knowledge.access.reader_scope do.
 * Change this text when that code changes.
 */
export function SlackAskRules() {
  return (
    <Stack gap="sm" component="aside" aria-labelledby="slack-ask-rules-title">
      <Title order={4} id="slack-ask-rules-title">
        Who may ask in a shared channel
      </Title>
      <List size="sm" spacing="xs">
        <List.Item>
          <Text size="sm" span fw={600}>
            Only members answer.{" "}
          </Text>
          The bot answers a Slack user whose profile email is the verified email of a member of this workspace. Anyone
          else (a Slack Connect user from another organisation, a guest, someone not invited here) gets a reply only
          they can see, asking them to accept an invitation with that email; nothing is searched for them.
        </List.Item>
        <List.Item>
          <Text size="sm" span fw={600}>
            Which agent.{" "}
          </Text>
          An agent named in the message (<Code>~handle</Code>) answers; else the channel&apos;s agent; else the
          workspace-wide default. The asker must be able to use it: belong to every space its data comes from, and it
          is published for the workspace (or they edit it, or are an admin). Otherwise the bot privately asks them to
          name one they can use.
        </List.Item>
        <List.Item>
          <Text size="sm" span fw={600}>
            What a channel answer may use.{" "}
          </Text>
          Everyone in the channel reads the answer, so it draws only on passages that every workspace member there may
          open: data in spaces they all belong to, allowed by each source&apos;s own sharing. If anyone in the channel
          (bots and deactivated accounts aside) is not a member of this workspace, the answer uses no sources at all
          and says so.
        </List.Item>
        <List.Item>
          <Text size="sm" span fw={600}>
            Direct messages.{" "}
          </Text>
          In a direct message the asker is the only reader, so the answer draws on everything they may open.
        </List.Item>
      </List>
    </Stack>
  );
}
