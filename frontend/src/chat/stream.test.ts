import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { eventStreamResponse, sse, stubFetch } from "../test/utils";
import { SseParser, streamAnswer, toAnswerEvent, type AnswerEvent } from "./stream";

const CITATION = {
  number: 1,
  title: "Travel policy",
  url: "",
  passage: "Everyone gets 25 vacation days a year.",
  document_id: 4,
  chunk_id: 9,
};
const DONE = {
  id: 12,
  role: "agent",
  content: "You get 25 days [1].",
  status: "complete",
  error_code: "",
  agent_handle: "hr",
  agent_version: 2,
  used_model: true,
  citations: [CITATION],
  created_at: "2026-11-25T10:00:00Z",
};

describe("SseParser", () => {
  it("parses the events agents/api.py writes", () => {
    const parser = new SseParser();
    const events = parser.feed(sse("message", { answer_id: 3 }) + sse("token", { text: "Hi " }));
    expect(events).toEqual([
      { event: "message", data: '{"answer_id":3}' },
      { event: "token", data: '{"text":"Hi "}' },
    ]);
  });

  it("keeps partial lines and events until the rest arrives, however the chunks split", () => {
    const whole = sse("token", { text: "You " }) + sse("citation", CITATION) + sse("done", DONE);
    const expected = new SseParser().feed(whole);
    expect(expected).toHaveLength(3);
    for (const size of [1, 2, 3, 7, 50]) {
      const parser = new SseParser();
      const seen = [];
      for (let start = 0; start < whole.length; start += size) seen.push(...parser.feed(whole.slice(start, start + size)));
      seen.push(...parser.end());
      expect(seen).toEqual(expected);
    }
  });

  it("handles CRLF and CR line ends, even a CRLF split between chunks", () => {
    const parser = new SseParser();
    expect(parser.feed("event: token\r")).toEqual([]);
    // The blank line's CR may be half of a CRLF: nothing is dispatched until the next chunk.
    expect(parser.feed('\ndata: {"text":"a"}\r\n\r')).toEqual([]);
    expect(parser.feed('\nevent: token\rdata: {"text":"b"}\r\r')).toEqual([{ event: "token", data: '{"text":"a"}' }]);
    expect(parser.end()).toEqual([{ event: "token", data: '{"text":"b"}' }]);
  });

  it("joins data lines, skips comments, and names unnamed events 'message'", () => {
    const parser = new SseParser();
    expect(parser.feed(": keep-alive\n\ndata: one\ndata:two\n\n")).toEqual([{ event: "message", data: "one\ntwo" }]);
  });

  it("still delivers a last event the server did not close with a blank line", () => {
    const parser = new SseParser();
    expect(parser.feed('event: done\ndata: {"id":1}')).toEqual([]);
    expect(parser.end()).toEqual([{ event: "done", data: '{"id":1}' }]);
  });
});

describe("toAnswerEvent", () => {
  it("types each event of the answer stream", () => {
    expect(toAnswerEvent({ event: "message", data: '{"conversation_id":1,"question_id":2,"answer_id":3}' })).toEqual({
      type: "message",
      conversationId: 1,
      questionId: 2,
      answerId: 3,
    });
    expect(toAnswerEvent({ event: "citation", data: JSON.stringify(CITATION) })).toEqual({ type: "citation", citation: CITATION });
    expect(toAnswerEvent({ event: "error", data: '{"code":"model_timeout","message":"Ask again.","answer_id":3}' })).toEqual({
      type: "error",
      code: "model_timeout",
      message: "Ask again.",
      answerId: 3,
    });
  });

  it("ignores unknown events and broken data", () => {
    expect(toAnswerEvent({ event: "ping", data: "{}" })).toBeNull();
    expect(toAnswerEvent({ event: "token", data: "not json" })).toBeNull();
    expect(toAnswerEvent({ event: "token", data: '{"nope":1}' })).toBeNull();
  });
});

describe("streamAnswer", () => {
  const URL_PATH = "POST /api/v1/workspaces/1/conversations/5/messages/stream";

  it("posts the question with the CSRF token and reports events as they arrive", async () => {
    document.cookie = "csrftoken=tok; path=/";
    const { requests } = stubFetch({
      [URL_PATH]: () =>
        eventStreamResponse([
          sse("message", { conversation_id: 5, question_id: 11, answer_id: 12 }),
          sse("token", { text: "You get 25 days " }).slice(0, 20),
          sse("token", { text: "You get 25 days " }).slice(20) + sse("token", { text: "[1]." }),
          sse("citation", CITATION),
          sse("done", DONE),
        ]),
    });
    const events: AnswerEvent[] = [];
    const result = await streamAnswer({
      workspaceId: 1,
      conversationId: 5,
      agent: "hr",
      content: "How many days?",
      onEvent: (event) => events.push(event),
    });
    expect(result).toEqual({ finished: true });
    expect(events.map((event) => event.type)).toEqual(["message", "token", "token", "citation", "done"]);
    expect(events[1]).toEqual({ type: "token", text: "You get 25 days " });
    expect(requests[0].headers.get("X-CSRFToken")).toBe("tok");
    expect(requests[0].body).toEqual({ agent: "hr", content: "How many days?" });
  });

  it("says when the stream was cut off before done or error", async () => {
    document.cookie = "csrftoken=tok; path=/";
    stubFetch({ [URL_PATH]: () => eventStreamResponse([sse("token", { text: "You get" })]) });
    const result = await streamAnswer({ workspaceId: 1, conversationId: 5, agent: "hr", content: "Q", onEvent: () => {} });
    expect(result).toEqual({ finished: false });
  });

  it("throws the API's message when it refuses before streaming", async () => {
    document.cookie = "csrftoken=tok; path=/";
    stubFetch({
      [URL_PATH]: {
        status: 404,
        body: { error: { code: "not_found", message: "Agent '@hr' does not exist in this workspace or you cannot use it." } },
      },
    });
    const call = streamAnswer({ workspaceId: 1, conversationId: 5, agent: "hr", content: "Q", onEvent: () => {} });
    await expect(call).rejects.toBeInstanceOf(ApiError);
    await expect(call).rejects.toThrow("Agent '@hr' does not exist in this workspace or you cannot use it.");
  });
});
