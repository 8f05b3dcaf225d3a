import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useEffect, useRef, useState } from "react";
import type { ChatMessage, Citation, FeedbackRating } from "../api/client";
import { conversationKeys, useCreateConversationMutation } from "../api/conversations";
import { errorMessage } from "../api/errors";
import { streamAnswer, type AnswerEvent } from "./stream";

/** A message on screen: a saved one, or one being asked and streamed right now. */
export interface ChatEntry {
  key: string;
  role: "user" | "agent";
  content: string;
  /** pending: the answer is streaming. */
  status: "pending" | "complete" | "error";
  citations: Citation[];
  /** The saved message's id, once the server has said it. */
  messageId: number | null;
  agentHandle: string | null;
  usedModel: boolean;
  errorCode: string;
  /** For an agent entry: the question it answers, so a failed answer can be asked again. */
  question: string;
  /** The server held the text back: it cited sources the reader can no longer open. */
  contentWithheld?: boolean;
  /** A cited source was deleted, closed or changed since the answer. */
  sourcesChanged?: boolean;
  /** The reader's own rating of this answer, as saved. */
  rating?: FeedbackRating | null;
}

let sequence = 0;
function nextKey(prefix: string): string {
  sequence += 1;
  return `${prefix}-${sequence}`;
}

export function entryFromMessage(message: ChatMessage, question = ""): ChatEntry {
  return {
    key: `message-${message.id}`,
    role: message.role === "user" ? "user" : "agent",
    content: message.content,
    status: message.status === "pending" ? "pending" : message.status === "error" ? "error" : "complete",
    citations: [...message.citations].sort((a, b) => a.number - b.number),
    messageId: message.id,
    agentHandle: message.agent_handle,
    usedModel: message.used_model,
    errorCode: message.error_code,
    question,
    contentWithheld: Boolean(message.content_withheld),
    sourcesChanged: Boolean(message.sources_changed),
    rating: message.feedback?.rating ?? null,
  };
}

/** A saved conversation's messages as entries; each answer remembers the question before it. */
export function entriesFromMessages(messages: ChatMessage[]): ChatEntry[] {
  let lastQuestion = "";
  return messages.map((message) => {
    if (message.role === "user") lastQuestion = message.content;
    return entryFromMessage(message, message.role === "user" ? "" : lastQuestion);
  });
}

export const CUT_OFF_MESSAGE =
  "The connection closed before the answer finished. Your question is saved: ask again, or reload the conversation to see whether the answer arrived.";
export const STOPPED_MESSAGE = "You stopped this answer. Your question is saved; ask again to get an answer.";

/** Applies one streamed event to the pending answer. Pure, for the reducer and its tests. */
export function applyAnswerEvent(entry: ChatEntry, event: AnswerEvent): ChatEntry {
  switch (event.type) {
    case "message":
      return { ...entry, messageId: event.answerId };
    case "token":
      return { ...entry, content: entry.content + event.text };
    case "citation":
      return entry.citations.some((c) => c.number === event.citation.number)
        ? entry
        : { ...entry, citations: [...entry.citations, event.citation].sort((a, b) => a.number - b.number) };
    case "done":
      return { ...entryFromMessage(event.message, entry.question), key: entry.key };
    case "error":
      return {
        ...entry,
        status: "error",
        content: event.message,
        errorCode: event.code,
        messageId: event.answerId ?? entry.messageId,
      };
  }
}

export interface UseChatOptions {
  workspaceId: number;
  /** Title for a conversation this chat creates; empty lets the API use the first question. */
  title?: string;
  /** Called once the first question has created a conversation. */
  onConversationCreated?: (conversationId: number) => void;
}

export interface ChatState {
  entries: ChatEntry[];
  conversationId: number | null;
  streaming: boolean;
  /** Asks `agent` (a handle); creates the conversation first when there is none. */
  send: (agent: string, content: string) => Promise<void>;
  /** Stops the answer that is streaming. */
  stop: () => void;
  /** Shows another conversation (or a blank one); stops any answer that is streaming. */
  reset: (entries?: ChatEntry[], conversationId?: number | null) => void;
}

/** A conversation that streams its answers: the state behind the test chat and the thread. */
export function useChat({ workspaceId, title = "", onConversationCreated }: UseChatOptions): ChatState {
  const [entries, setEntries] = useState<ChatEntry[]>([]);
  const [conversationId, setConversationId] = useState<number | null>(null);
  const [streaming, setStreaming] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const conversationRef = useRef<number | null>(null);
  const createdRef = useRef(onConversationCreated);
  createdRef.current = onConversationCreated;
  const queryClient = useQueryClient();
  const { mutateAsync: createConversation } = useCreateConversationMutation(workspaceId);

  useEffect(() => () => abortRef.current?.abort(), []);

  const update = useCallback((key: string, change: (entry: ChatEntry) => ChatEntry) => {
    setEntries((current) => current.map((entry) => (entry.key === key ? change(entry) : entry)));
  }, []);

  const reset = useCallback((next: ChatEntry[] = [], id: number | null = null) => {
    abortRef.current?.abort();
    abortRef.current = null;
    conversationRef.current = id;
    setConversationId(id);
    setEntries(next);
    setStreaming(false);
  }, []);

  const stop = useCallback(() => abortRef.current?.abort(), []);

  const send = useCallback(
    async (agent: string, content: string) => {
      const question = content.trim();
      if (!question || abortRef.current) return;
      const controller = new AbortController();
      abortRef.current = controller;
      const questionKey = nextKey("question");
      const answerKey = nextKey("answer");
      setEntries((current) => [
        ...current,
        {
          key: questionKey,
          role: "user",
          content: question,
          status: "complete",
          citations: [],
          messageId: null,
          agentHandle: null,
          usedModel: false,
          errorCode: "",
          question: "",
        },
        {
          key: answerKey,
          role: "agent",
          content: "",
          status: "pending",
          citations: [],
          messageId: null,
          agentHandle: agent,
          usedModel: false,
          errorCode: "",
          question,
        },
      ]);
      setStreaming(true);
      const fail = (message: string, code: string) =>
        update(answerKey, (entry) => ({ ...entry, status: "error", content: message, errorCode: code }));
      try {
        let id = conversationRef.current;
        if (id == null) {
          const created = await createConversation(title.slice(0, 200));
          id = created.id;
          conversationRef.current = id;
          setConversationId(id);
          createdRef.current?.(id);
        }
        const { finished } = await streamAnswer({
          workspaceId,
          conversationId: id,
          agent,
          content: question,
          signal: controller.signal,
          onEvent: (event) => {
            if (event.type === "message") update(questionKey, (entry) => ({ ...entry, messageId: event.questionId }));
            update(answerKey, (entry) => applyAnswerEvent(entry, event));
          },
        });
        if (!finished) fail(controller.signal.aborted ? STOPPED_MESSAGE : CUT_OFF_MESSAGE, "interrupted");
      } catch (error) {
        if (controller.signal.aborted) fail(STOPPED_MESSAGE, "interrupted");
        else fail(errorMessage(error), "request_failed");
      } finally {
        // The list orders by last activity and titles a new thread by its first question.
        void queryClient.invalidateQueries({ queryKey: conversationKeys.list(workspaceId) });
        if (abortRef.current === controller) {
          abortRef.current = null;
          setStreaming(false);
        }
      }
    },
    [workspaceId, title, update, createConversation, queryClient],
  );

  return { entries, conversationId, streaming, send, stop, reset };
}
