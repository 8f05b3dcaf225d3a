import { Anchor, Box, Breadcrumbs, Button, Card, ScrollArea, Select, Stack, Text, Title } from "@mantine/core";
import { IconArrowLeft, IconRobot } from "@tabler/icons-react";
import { useEffect, useMemo, useRef, useState } from "react";
import { Link, useNavigate, useParams, useSearchParams } from "react-router-dom";
import { useAgents } from "../../api/agents";
import type { Agent } from "../../api/client";
import { useConversation, useCreateConversationMutation } from "../../api/conversations";
import { ApiError, errorMessage } from "../../api/errors";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { ChatThread } from "../../chat/ChatThread";
import { AttachmentChips } from "../../chat/AttachmentChips";
import { Composer } from "../../chat/Composer";
import { useConversationAttachments } from "../../chat/useAttachments";
import { entriesFromMessages, useChat } from "../../chat/useChat";
import { EmptyState, ErrorState, PageLoader } from "../../components/states";
import { formatDateTime } from "../../lib/format";
import { AgentAvatar, canBuildAgents } from "../agents/badges";
import { ConversationTitle } from "./ConversationTitle";

function Greeting({ agent }: { agent: Agent | undefined }) {
  if (!agent) return null;
  return (
    <Stack align="center" gap={8} ta="center" py={56} px="md">
      <AgentAvatar name={agent.name} handle={agent.handle} size={52} />
      <Title order={2} mt={4}>
        Ask {agent.name}
      </Title>
      <Text size="sm" c="dimmed" maw={460}>
        {agent.description || "It answers from the company's knowledge that you can open, and cites every source."}
      </Text>
    </Stack>
  );
}

/**
 * One conversation: its messages with citations and feedback, and a composer that streams the
 * next answer. `/conversations/new` starts one; the first question creates it.
 */
export function ConversationPage() {
  const { conversationId: param } = useParams();
  const [searchParams] = useSearchParams();
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const navigate = useNavigate();
  const isNew = param === "new";
  const conversationId = isNew ? null : Number(param);
  // A conversation this page just created is already on screen: do not load it over the stream.
  const createdHere = useRef<number | null>(null);
  const [firstQuestion, setFirstQuestion] = useState("");

  const chat = useChat({
    workspaceId,
    onConversationCreated: (id) => {
      createdHere.current = id;
      navigate(`/conversations/${id}`, { replace: true });
    },
  });
  const { reset } = chat;
  const { mutateAsync: createConversation } = useCreateConversationMutation(workspaceId);
  const files = useConversationAttachments({
    workspaceId,
    conversationId: chat.conversationId,
    // Files attached before the first question: the conversation is created for them first.
    ensureConversation: async () => {
      if (chat.conversationId != null) return chat.conversationId;
      const created = await createConversation("");
      createdHere.current = created.id;
      reset([], created.id);
      navigate(`/conversations/${created.id}`, { replace: true });
      return created.id;
    },
  });

  const agents = useAgents(workspaceId);
  const skipLoad = conversationId == null || conversationId === createdHere.current;
  const conversation = useConversation(workspaceId, skipLoad || !Number.isInteger(conversationId) ? null : conversationId);

  useEffect(() => {
    if (conversation.data) reset(entriesFromMessages(conversation.data.messages), conversation.data.id);
  }, [conversation.data, reset]);
  useEffect(() => {
    if (isNew) {
      createdHere.current = null;
      setFirstQuestion("");
      reset();
    }
  }, [isNew, reset]);

  const usable = useMemo(() => agents.data ?? [], [agents.data]);
  const names = useMemo(() => Object.fromEntries(usable.map((agent) => [agent.handle, agent.name])), [usable]);
  const lastAgentHandle = [...chat.entries].reverse().find((entry) => entry.role === "agent")?.agentHandle;
  const [chosen, setChosen] = useState<string | null>(null);
  const preferred = chosen ?? searchParams.get("agent") ?? lastAgentHandle ?? null;
  const selected = usable.find((agent) => agent.handle === preferred)?.handle ?? usable[0]?.handle ?? null;
  const selectedAgent = usable.find((agent) => agent.handle === selected);

  if (!isNew && !Number.isInteger(conversationId)) {
    return <ErrorState error={new Error("This address does not name a conversation. Open one from your list.")} title="Not a conversation" />;
  }

  const loaded = conversation.data && conversation.data.id === conversationId ? conversation.data : null;
  const title = loaded?.title || firstQuestion || (isNew ? "New conversation" : "Conversation");
  const header = (
    <Stack gap={6} mb="md">
      <Breadcrumbs separator="/">
        <Anchor component={Link} to="/conversations" size="sm">
          Conversations
        </Anchor>
        <Text size="sm" c="dimmed" lineClamp={1}>
          {isNew ? "New" : `#${conversationId}`}
        </Text>
      </Breadcrumbs>
      {loaded ? (
        <ConversationTitle workspaceId={workspaceId} conversation={loaded} />
      ) : (
        <Title order={1} lineClamp={2}>
          {title}
        </Title>
      )}
      {loaded && (
        <Text size="sm" c="dimmed">
          Started {formatDateTime(loaded.created_at)}
        </Text>
      )}
    </Stack>
  );

  if (conversation.error != null) {
    const missing = conversation.error instanceof ApiError && conversation.error.status === 404;
    return (
      <>
        {header}
        <ErrorState
          error={conversation.error}
          onRetry={missing ? undefined : () => void conversation.refetch()}
          title={missing ? "This conversation is not available" : "Could not load the conversation"}
        />
        <Button component={Link} to="/conversations" variant="subtle" leftSection={<IconArrowLeft size={16} />} mt="md">
          Back to conversations
        </Button>
      </>
    );
  }
  if (!skipLoad && !loaded) {
    return (
      <>
        {header}
        <PageLoader label="Loading the conversation" />
      </>
    );
  }

  const noAgents = agents.data != null && usable.length === 0;
  const agentPicker = (
    <Select
      aria-label="Agent"
      size="xs"
      variant="filled"
      radius="xl"
      w={220}
      data={usable.map((agent) => ({ value: agent.handle, label: agent.name }))}
      value={selected}
      onChange={(value) => value && setChosen(value)}
      allowDeselect={false}
      placeholder={agents.isPending ? "Loading agents…" : "Choose an agent"}
      leftSection={<IconRobot size={14} />}
      comboboxProps={{ position: "top-start" }}
      disabled={chat.streaming}
    />
  );

  return (
    <Box className="conversation-page" maw={880}>
      {header}
      <Card p={0} className="conversation-thread">
        <ScrollArea style={{ flex: 1, minHeight: 0 }} type="auto" offsetScrollbars>
          <Box px={{ base: "md", sm: "xl" }} py="lg">
            <ChatThread
              entries={chat.entries}
              workspaceId={workspaceId}
              conversationId={chat.conversationId}
              agentNames={names}
              streaming={chat.streaming}
              onRetry={(entry) => void chat.send(entry.agentHandle ?? selected ?? "", entry.question)}
              empty={
                noAgents ? (
                  <EmptyState
                    icon={IconRobot}
                    title="No agents you can use yet"
                    description={
                      canBuildAgents(workspace.role)
                        ? "Build an agent over your data first, then come back to ask it."
                        : "Agents appear once a builder publishes one for your spaces. Ask a builder or an admin."
                    }
                    action={
                      <Button component={Link} to={canBuildAgents(workspace.role) ? "/agents/new" : "/agents"} variant="light">
                        {canBuildAgents(workspace.role) ? "Build an agent" : "See agents"}
                      </Button>
                    }
                  />
                ) : (
                  <Greeting agent={selectedAgent} />
                )
              }
            />
          </Box>
        </ScrollArea>
        <Box px={{ base: "md", sm: "xl" }} pb="md" pt="xs">
          <Composer
            onSend={(content) => {
              if (!selected) return;
              if (chat.entries.length === 0) setFirstQuestion(content);
              void chat.send(selected, content);
            }}
            onStop={chat.stop}
            streaming={chat.streaming}
            disabled={!selected}
            disabledReason={
              agents.error != null ? (
                <>
                  Could not load the agents you can ask: {errorMessage(agents.error)}{" "}
                  <Anchor component="button" type="button" size="xs" onClick={() => void agents.refetch()}>
                    Retry
                  </Anchor>
                </>
              ) : noAgents ? (
                "There is no agent to ask yet."
              ) : (
                "Choose an agent to ask."
              )
            }
            placeholder={selectedAgent ? `Ask ${selectedAgent.name}…` : "Ask a question…"}
            footer={usable.length > 0 ? agentPicker : undefined}
            attachments={{
              onAttach: (picked) => void files.attach(picked),
              chips: <AttachmentChips items={files.items} onRemove={files.remove} />,
              hint: files.hint,
              accept: files.accept,
              reading: files.reading,
              problem: files.problem,
            }}
            autoFocus
          />
        </Box>
      </Card>
    </Box>
  );
}
