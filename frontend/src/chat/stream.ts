import { csrfToken, reportUnauthenticated } from "../api/client";
import { ApiError, toApiError } from "../api/errors";
import type { components } from "../api/schema";

type Schemas = components["schemas"];

/** One server-sent event: its name (`message` when the stream names none) and its data. */
export interface SseEvent {
  event: string;
  data: string;
}

const LINE_END = /\r\n|\r|\n/;

/**
 * An incremental parser of the `text/event-stream` format: feed it text as it arrives (in
 * chunks split anywhere, even inside a line or a CRLF) and it returns the events completed
 * so far. Follows the HTML spec's rules for `event:` and `data:` fields, comments (`:`) and
 * the one optional space after the colon.
 */
export class SseParser {
  private buffer = "";
  private eventName = "";
  private dataLines: string[] = [];
  private hasData = false;

  feed(chunk: string): SseEvent[] {
    this.buffer += chunk;
    const events: SseEvent[] = [];
    for (;;) {
      const match = LINE_END.exec(this.buffer);
      if (!match) break;
      // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
      if (match[0] === "\r" && match.index === this.buffer.length - 1) break;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      const event = this.line(line);
      if (event) events.push(event);
    }
    return events;
  }

  /** The stream ended: a last event without its closing blank line still counts. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.buffer) {
      const event = this.line(this.buffer.replace(/\r$/, ""));
      this.buffer = "";
      if (event) events.push(event);
    }
    const last = this.dispatch();
    if (last) events.push(last);
    return events;
  }

  private line(line: string): SseEvent | null {
    if (line === "") return this.dispatch();
    if (line.startsWith(":")) return null;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.eventName = value;
    else if (field === "data") {
      this.dataLines.push(value);
      this.hasData = true;
    }
    return null;
  }

  private dispatch(): SseEvent | null {
    const event = this.hasData
      ? { event: this.eventName || "message", data: this.dataLines.join("\n") }
      : null;
    this.eventName = "";
    this.dataLines = [];
    this.hasData = false;
    return event;
  }
}

/**
 * The JSON data of each event of POST .../messages/stream, by the event's name: the schemas
 * of agents/api.py's ANSWER_STREAM_EVENTS, generated into schema.d.ts (npm run gen:api).
 */
export interface AnswerStreamData {
  message: Schemas["AnswerStartedEvent"];
  token: Schemas["AnswerTokenEvent"];
  citation: Schemas["CitationOut"];
  done: Schemas["MessageOut"];
  error: Schemas["AnswerErrorEvent"];
}

type Started = AnswerStreamData["message"];
type Failed = AnswerStreamData["error"];

/** The events of POST .../messages/stream (agents/api.py), typed. */
export type AnswerEvent =
  | {
      type: "message";
      conversationId: Started["conversation_id"];
      questionId: Started["question_id"];
      answerId: Started["answer_id"];
    }
  | { type: "token"; text: AnswerStreamData["token"]["text"] }
  | { type: "citation"; citation: AnswerStreamData["citation"] }
  | { type: "done"; message: AnswerStreamData["done"] }
  | { type: "error"; code: Failed["code"]; message: Failed["message"]; answerId: Failed["answer_id"] };

/** The typed answer event of a server-sent event; null for unknown names or broken data. */
export function toAnswerEvent(event: SseEvent): AnswerEvent | null {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(event.data) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (!data || typeof data !== "object") return null;
  switch (event.event) {
    case "message":
      return {
        type: "message",
        conversationId: Number(data.conversation_id),
        questionId: Number(data.question_id),
        answerId: Number(data.answer_id),
      };
    case "token":
      return typeof data.text === "string" ? { type: "token", text: data.text } : null;
    case "citation":
      return {
        type: "citation",
        // Streamed citations were just read under the asker's access: "available" when unsaid.
        citation: {
          number: Number(data.number),
          ...(data.state === "changed" || data.state === "unavailable" || data.state === "available"
            ? { state: data.state }
            : {}),
          title: String(data.title ?? ""),
          url: String(data.url ?? ""),
          passage: String(data.passage ?? ""),
          document_id: data.document_id == null ? null : Number(data.document_id),
          chunk_id: data.chunk_id == null ? null : Number(data.chunk_id),
          // A file attached to the conversation (no document).
          ...(data.attachment_id != null ? { attachment_id: Number(data.attachment_id) } : {}),
        } as components["schemas"]["CitationOut"],
      };
    case "done":
      return { type: "done", message: data as unknown as AnswerStreamData["done"] };
    case "error":
      return {
        type: "error",
        code: String(data.code ?? "error"),
        message: String(data.message ?? "The answer failed. Ask again."),
        answerId: data.answer_id == null ? null : Number(data.answer_id),
      };
    default:
      return null;
  }
}

export interface StreamAnswerOptions {
  workspaceId: number;
  conversationId: number;
  /** The agent's handle. */
  agent: string;
  content: string;
  signal?: AbortSignal;
  onEvent: (event: AnswerEvent) => void;
}

const NETWORK_MESSAGE = "Could not reach the server. Check your connection and retry.";

/**
 * Asks an agent and reports the answer's events as they arrive. Access and input errors come
 * back before the stream starts, as JSON: they throw an ApiError with the API's message.
 * Resolves with whether the stream ended with `done` or `error` (false: it was cut off).
 */
export async function streamAnswer({
  workspaceId,
  conversationId,
  agent,
  content,
  signal,
  onEvent,
}: StreamAnswerOptions): Promise<{ finished: boolean }> {
  const url = `/api/v1/workspaces/${workspaceId}/conversations/${conversationId}/messages/stream`;
  let response: Response;
  try {
    response = await globalThis.fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "text/event-stream",
        "X-CSRFToken": await csrfToken(),
      },
      body: JSON.stringify({ agent, content }),
      signal,
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, "network_error", NETWORK_MESSAGE);
  }
  if (!response.ok) {
    if (response.status === 401) reportUnauthenticated();
    const body: unknown = await response.json().catch(() => undefined);
    throw toApiError(response.status, body);
  }
  if (!response.body) throw new ApiError(response.status, "empty_stream", "The server sent no answer. Ask again.");

  const parser = new SseParser();
  const decoder = new TextDecoder();
  const reader = response.body.getReader();
  let finished = false;
  const deliver = (events: SseEvent[]) => {
    for (const raw of events) {
      const event = toAnswerEvent(raw);
      if (!event) continue;
      if (event.type === "done" || event.type === "error") finished = true;
      onEvent(event);
    }
  };
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      deliver(parser.feed(decoder.decode(value, { stream: true })));
    }
  } catch (error) {
    if (signal?.aborted) throw error;
    return { finished };
  }
  deliver(parser.feed(decoder.decode()));
  deliver(parser.end());
  return { finished };
}
