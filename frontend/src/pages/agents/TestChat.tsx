import { ActionIcon, Alert, Box, Card, Group, ScrollArea, Stack, Text, ThemeIcon, Tooltip } from "@mantine/core";
import { IconExternalLink, IconInfoCircle, IconMessageCircle, IconMessagePlus } from "@tabler/icons-react";
import { Link } from "react-router-dom";
import type { Agent } from "../../api/client";
import { ChatThread } from "../../chat/ChatThread";
import { Composer } from "../../chat/Composer";
import { useChat } from "../../chat/useChat";

/**
 * The builder's live test chat: asks the agent's last saved version and streams the answer,
 * citations included. Each test chat is a conversation of its own, listed under Conversations.
 */
export function TestChat({ workspaceId, agent, dirty }: { workspaceId: number; agent: Agent | null; dirty: boolean }) {
  const chat = useChat({ workspaceId });
  const handle = agent?.handle;

  const empty = (
    <Stack align="center" gap={6} ta="center" py={48} px="md">
      <ThemeIcon size={44} radius="xl" variant="light" aria-hidden>
        <IconMessageCircle size={22} stroke={1.6} />
      </ThemeIcon>
      <Text fw={600} size="sm" mt={4}>
        {agent ? `Try @${agent.handle}` : "Test the agent here"}
      </Text>
      <Text size="xs" c="dimmed" maw={300}>
        {agent
          ? "Ask something its data views answer. Citations open the passage they quote."
          : "Save the agent first; then ask it questions here while you tune it."}
      </Text>
    </Stack>
  );

  return (
    <Card p={0} className="test-chat" component="section" aria-label="Test chat">
      <Group justify="space-between" px="md" py="sm" className="test-chat-header" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Text fw={650} size="sm">
            Test chat
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {agent ? `Answers as @${agent.handle}, version ${agent.version}` : "Not saved yet"}
          </Text>
        </div>
        <Group gap={4} wrap="nowrap">
          {chat.conversationId != null && (
            <Tooltip label="Open in Conversations">
              <ActionIcon
                component={Link}
                to={`/conversations/${chat.conversationId}`}
                variant="subtle"
                color="gray"
                aria-label="Open in Conversations"
              >
                <IconExternalLink size={17} />
              </ActionIcon>
            </Tooltip>
          )}
          <Tooltip label="New test chat">
            <ActionIcon
              variant="subtle"
              color="gray"
              aria-label="New test chat"
              onClick={() => chat.reset()}
              disabled={chat.entries.length === 0}
            >
              <IconMessagePlus size={18} />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>

      {dirty && agent && (
        <Alert
          variant="light"
          color="yellow"
          radius={0}
          py={8}
          icon={<IconInfoCircle size={16} />}
          styles={{ message: { fontSize: "var(--mantine-font-size-xs)" } }}
        >
          You have unsaved changes. The test chat answers with the last saved version: save to try them.
        </Alert>
      )}

      <ScrollArea style={{ flex: 1, minHeight: 0 }} type="auto" offsetScrollbars>
        <Box px="md" py="md">
          <ChatThread
            entries={chat.entries}
            workspaceId={workspaceId}
            conversationId={chat.conversationId}
            agentNames={agent ? { [agent.handle]: agent.name } : undefined}
            onRetry={(entry) => handle && void chat.send(handle, entry.question)}
            empty={empty}
            streaming={chat.streaming}
          />
        </Box>
      </ScrollArea>

      <Box px="md" pb="md" pt={4}>
        <Composer
          onSend={(content) => handle && void chat.send(handle, content)}
          onStop={chat.stop}
          streaming={chat.streaming}
          disabled={!agent}
          disabledReason="Save the agent to test it."
          placeholder={agent ? `Ask @${agent.handle} a question…` : "Ask a question…"}
        />
      </Box>
    </Card>
  );
}
