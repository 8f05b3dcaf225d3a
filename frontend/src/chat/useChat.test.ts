import { describe, expect, it } from "vitest";
import { applyAnswerEvent, entriesFromMessages, type ChatEntry } from "./useChat";

function pending(): ChatEntry {
  return {
    key: "answer-1",
    role: "agent",
    content: "",
    status: "pending",
    citations: [],
    messageId: null,
    agentHandle: "hr",
    usedModel: false,
    errorCode: "",
    question: "How many days?",
  };
}

describe("applyAnswerEvent", () => {
  const citation = { number: 2, state: "available" as const, title: "Policy", url: "", passage: "25 days", document_id: 4, chunk_id: 1 };

  it("grows the answer token by token and adds each citation once, in order", () => {
    let entry = applyAnswerEvent(pending(), { type: "message", conversationId: 5, questionId: 10, answerId: 11 });
    entry = applyAnswerEvent(entry, { type: "token", text: "25 " });
    entry = applyAnswerEvent(entry, { type: "token", text: "days [2][1]" });
    entry = applyAnswerEvent(entry, { type: "citation", citation });
    entry = applyAnswerEvent(entry, { type: "citation", citation: { ...citation, number: 1 } });
    entry = applyAnswerEvent(entry, { type: "citation", citation });
    expect(entry.messageId).toBe(11);
    expect(entry.content).toBe("25 days [2][1]");
    expect(entry.citations.map((c) => c.number)).toEqual([1, 2]);
    expect(entry.status).toBe("pending");
  });

  it("ends with the saved message, or with the error saying what to do", () => {
    const done = applyAnswerEvent(pending(), {
      type: "done",
      message: {
        id: 11,
        role: "agent",
        content: "25 days [2]",
        status: "complete",
        error_code: "",
        agent_handle: "hr",
        agent_version: 1,
        used_model: false,
        citations: [citation],
        content_withheld: false,
        sources_changed: false,
        created_at: "2026-11-25T10:00:00Z",
      },
    });
    expect(done).toMatchObject({ key: "answer-1", status: "complete", messageId: 11, question: "How many days?" });

    const failed = applyAnswerEvent(pending(), {
      type: "error",
      code: "model_timeout",
      message: "The model did not answer. Ask again.",
      answerId: 11,
    });
    expect(failed).toMatchObject({ status: "error", content: "The model did not answer. Ask again.", errorCode: "model_timeout" });
  });

  it("pairs each saved answer with the question before it, for Ask again", () => {
    const base = {
      status: "complete",
      error_code: "",
      agent_version: 1,
      used_model: false,
      citations: [],
      content_withheld: false,
      sources_changed: false,
      created_at: "",
    };
    const entries = entriesFromMessages([
      { ...base, id: 1, role: "user", content: "First?", agent_handle: null },
      { ...base, id: 2, role: "agent", content: "Sorry", agent_handle: "hr", status: "error" },
    ]);
    expect(entries[1]).toMatchObject({ status: "error", question: "First?", agentHandle: "hr" });
  });
});
