import { Alert, Avatar, Badge, Box, Button, Group, Loader, Paper, Stack, Text, Tooltip } from "@mantine/core";
import { IconAlertTriangle, IconLock, IconQuote, IconRefresh, IconSparkles } from "@tabler/icons-react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { DocumentDrawer } from "../pages/knowledge/DocumentDrawer";
import { AttachmentDrawer } from "./AttachmentDrawer";
import { AnswerText, SourceList, type OpenDocument } from "./AnswerText";
import { FeedbackButtons } from "./FeedbackButtons";
import type { ChatEntry } from "./useChat";

function UserMessage({ entry }: { entry: ChatEntry }) {
  return (
    <Group justify="flex-end" wrap="nowrap">
      <Paper className="chat-question" px="md" py={10} radius="lg" maw="85%">
        <Text size="sm" lh={1.6} style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
          {entry.content}
        </Text>
      </Paper>
    </Group>
  );
}

function AgentMessage({
  entry,
  agentName,
  workspaceId,
  conversationId,
  onOpenDocument,
  onRetry,
}: {
  entry: ChatEntry;
  agentName: string;
  workspaceId: number;
  conversationId: number | null;
  onOpenDocument: OpenDocument;
  onRetry?: (entry: ChatEntry) => void;
}) {
  const pending = entry.status === "pending";
  return (
    <Group align="flex-start" wrap="nowrap" gap="sm" component="article" aria-label={`Answer from ${agentName}`}>
      <Avatar size={32} radius="md" color="brand" variant="light" aria-hidden>
        <IconSparkles size={17} stroke={1.8} />
      </Avatar>
      <Stack gap="sm" style={{ flex: 1, minWidth: 0 }}>
        <Group gap="xs" mih={20}>
          <Text size="sm" fw={650}>
            {agentName}
          </Text>
          {entry.status === "complete" && !entry.usedModel && (
            <Tooltip label="No model is configured for this agent: it quotes the best passages from its sources">
              <Badge size="xs" variant="light" color="gray" leftSection={<IconQuote size={10} />}>
                Quoted answer
              </Badge>
            </Tooltip>
          )}
        </Group>
        {entry.status === "error" ? (
          <Alert
            variant="light"
            color="red"
            radius="md"
            icon={<IconAlertTriangle size={18} />}
            title="No answer this time"
            role="alert"
          >
            <Stack gap="xs" align="flex-start">
              <Text size="sm">{entry.content}</Text>
              {onRetry && entry.question && (
                <Button
                  size="xs"
                  variant="white"
                  color="red"
                  leftSection={<IconRefresh size={14} />}
                  onClick={() => onRetry(entry)}
                >
                  Ask again
                </Button>
              )}
            </Stack>
          </Alert>
        ) : entry.contentWithheld ? (
          <Alert
            variant="light"
            color="yellow"
            radius="md"
            icon={<IconLock size={18} />}
            title="This answer cited sources you can no longer open"
          >
            <Stack gap="xs" align="flex-start">
              <Text size="sm">Its text is hidden. Ask again for an answer from what you can open today.</Text>
              {onRetry && entry.question && (
                <Button size="xs" variant="white" leftSection={<IconRefresh size={14} />} onClick={() => onRetry(entry)}>
                  Ask again
                </Button>
              )}
            </Stack>
          </Alert>
        ) : pending && !entry.content ? (
          <Group gap="xs" c="dimmed" role="status">
            <Loader type="dots" size="sm" />
            <Text size="sm" c="dimmed">
              Searching the sources…
            </Text>
          </Group>
        ) : (
          <AnswerText
            text={entry.content}
            citations={entry.citations}
            onOpenDocument={onOpenDocument}
            trailing={pending ? <Loader type="dots" size="xs" aria-label="Still answering" /> : undefined}
          />
        )}
        {entry.status !== "error" && <SourceList citations={entry.citations} onOpenDocument={onOpenDocument} />}
        {entry.status === "complete" && entry.messageId != null && conversationId != null && (
          <FeedbackButtons
            workspaceId={workspaceId}
            conversationId={conversationId}
            messageId={entry.messageId}
            initialRating={entry.rating ?? null}
          />
        )}
      </Stack>
    </Group>
  );
}

/**
 * The messages of a conversation, newest at the bottom, scrolled into view as answers stream.
 * Citations of uploads open the document in a drawer beside the thread.
 */
export function ChatThread({
  entries,
  workspaceId,
  conversationId,
  agentNames,
  onRetry,
  empty,
  streaming,
}: {
  entries: ChatEntry[];
  workspaceId: number;
  conversationId: number | null;
  /** Display names by handle; unknown handles show as @handle. */
  agentNames?: Record<string, string>;
  onRetry?: (entry: ChatEntry) => void;
  empty?: ReactNode;
  streaming: boolean;
}) {
  const [opened, setOpened] = useState<{ documentId: number; passage: string; number: number } | null>(null);
  const [openedFile, setOpenedFile] = useState<{ attachmentId: number; passage: string; number: number } | null>(null);
  const openDocument: OpenDocument = (citation) => {
    const cited = { passage: citation.passage ?? "", number: citation.number };
    if (citation.attachment_id != null) setOpenedFile({ attachmentId: citation.attachment_id, ...cited });
    else if (citation.document_id != null) setOpened({ documentId: citation.document_id, ...cited });
  };
  const endRef = useRef<HTMLDivElement>(null);
  const last = entries[entries.length - 1];

  useEffect(() => {
    endRef.current?.scrollIntoView({ block: "end", behavior: "smooth" });
  }, [entries.length, last?.content.length, last?.citations.length]);

  const nameOf = (handle: string | null) => (handle ? (agentNames?.[handle] ?? `@${handle}`) : "Agent");

  return (
    <>
      {entries.length === 0 ? (
        empty
      ) : (
        // aria-busy: screen readers wait for the answer to finish instead of reading every token.
        <Stack gap="lg" role="log" aria-label="Messages" aria-busy={streaming} aria-live="polite">
          {entries.map((entry) =>
            entry.role === "user" ? (
              <UserMessage key={entry.key} entry={entry} />
            ) : (
              <AgentMessage
                key={entry.key}
                entry={entry}
                agentName={nameOf(entry.agentHandle)}
                workspaceId={workspaceId}
                conversationId={conversationId}
                onOpenDocument={openDocument}
                onRetry={streaming ? undefined : onRetry}
              />
            ),
          )}
          <Box ref={endRef} h={1} />
        </Stack>
      )}
      <DocumentDrawer
        workspaceId={workspaceId}
        documentId={opened?.documentId ?? null}
        cited={opened ? { number: opened.number, passage: opened.passage } : undefined}
        onClose={() => setOpened(null)}
      />
      <AttachmentDrawer
        workspaceId={workspaceId}
        conversationId={conversationId}
        attachmentId={openedFile?.attachmentId ?? null}
        cited={openedFile ? { number: openedFile.number, passage: openedFile.passage } : undefined}
        onClose={() => setOpenedFile(null)}
      />
    </>
  );
}
