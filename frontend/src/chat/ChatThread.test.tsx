import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Citation } from "../api/client";
import { RequireAuth } from "../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch } from "../test/utils";
import { ChatThread } from "./ChatThread";
import type { ChatEntry } from "./useChat";

const UPLOAD: Citation = {
  number: 1,
  state: "available",
  title: "Travel policy",
  url: "",
  passage: "Everyone gets 25 vacation days a year.",
  document_id: 4,
  chunk_id: 9,
};
const PAGE: Citation = {
  number: 2,
  state: "available",
  title: "Expenses in Notion",
  url: "https://notion.example/expenses",
  passage: "Meals are covered up to 60 EUR a day.",
  document_id: 5,
  chunk_id: 10,
};

function entry(overrides: Partial<ChatEntry>): ChatEntry {
  return {
    key: `k-${Math.random()}`,
    role: "agent",
    content: "",
    status: "complete",
    citations: [],
    messageId: 12,
    agentHandle: "hr",
    usedModel: true,
    errorCode: "",
    question: "How many days?",
    ...overrides,
  };
}

async function renderThread(entries: ChatEntry[], { onRetry = vi.fn(), streaming = false } = {}) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("member") },
    "GET /api/v1/workspaces/1/documents/4": {
      body: {
        id: 4,
        external_id: "file:travel.md",
        title: "Travel policy",
        url: "",
        mime_type: "text/markdown",
        status: "ready",
        error_code: "",
        error_message: "",
        chunk_count: 1,
        size_bytes: 120,
        source_created_at: null,
        source_updated_at: null,
        updated_at: "2026-11-25T10:00:00Z",
        data_source_id: 3,
        text: "# Travel policy\n\nEveryone gets 25 vacation days a year.",
      },
    },
    "POST /api/v1/workspaces/1/conversations/5/messages/12/feedback": {
      status: 201,
      body: { message_id: 12, rating: "up", comment: "" },
    },
  });
  renderWithProviders(
    // Renders once the session is known, so every test waits for the app to settle.
    <RequireAuth>
      <ChatThread
        entries={entries}
        workspaceId={1}
        conversationId={5}
        agentNames={{ hr: "HR helper" }}
        onRetry={onRetry}
        streaming={streaming}
      />
    </RequireAuth>,
  );
  await screen.findByRole("log", { name: "Messages" });
  return { ...stub, onRetry };
}

describe("ChatThread", () => {
  it("turns [n] into buttons named after their sources, and lists the sources", async () => {
    await renderThread([
      entry({ role: "user", content: "How many days?", messageId: 11 }),
      entry({ content: "You get 25 days [1]. Meals are covered [2]. Unknown [7].", citations: [UPLOAD, PAGE] }),
    ]);
    const answer = screen.getByRole("article", { name: "Answer from HR helper" });
    expect(within(answer).getByRole("button", { name: "Source 1: Travel policy" })).toBeInTheDocument();
    const link = within(answer).getByRole("link", { name: "Source 2: Expenses in Notion (opens in a new tab)" });
    expect(link).toHaveAttribute("href", "https://notion.example/expenses");
    expect(link).toHaveAttribute("target", "_blank");
    // A number the answer did not cite stays as written.
    expect(answer).toHaveTextContent("Unknown [7].");
    const sources = within(answer).getByRole("region", { name: "Sources" });
    expect(within(sources).getAllByRole("listitem")).toHaveLength(2);
  });

  it("opens an uploaded source in the document drawer, with the cited passage first", async () => {
    await renderThread([entry({ content: "You get 25 days [1].", citations: [UPLOAD] })]);
    await userEvent.setup().click(screen.getByRole("button", { name: "Source 1: Travel policy" }));
    const drawer = await screen.findByRole("dialog");
    expect(await within(drawer).findByRole("heading", { name: "Travel policy" })).toBeInTheDocument();
    expect(within(drawer).getByLabelText("Cited passage")).toHaveTextContent("Everyone gets 25 vacation days a year.");
  });

  it("shows the extractive note apart from the quotes", async () => {
    await renderThread([
      entry({
        content:
          "No language model is configured for this agent, so this answer quotes the most relevant passages from its sources.\n\n[1] Travel policy: Everyone gets 25 days.",
        usedModel: false,
        citations: [UPLOAD],
      }),
    ]);
    expect(screen.getByText("Quoted answer")).toBeInTheDocument();
    expect(screen.getByText(/No language model is configured/)).toBeInTheDocument();
  });

  it("says what went wrong and offers to ask again", async () => {
    const { onRetry } = await renderThread([
      entry({ status: "error", content: "The model provider did not answer within 60 s. Ask again in a moment." }),
    ]);
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("No answer this time");
    expect(alert).toHaveTextContent("did not answer within 60 s");
    await userEvent.setup().click(within(alert).getByRole("button", { name: "Ask again" }));
    expect(onRetry).toHaveBeenCalledWith(expect.objectContaining({ question: "How many days?" }));
  });

  it("marks the log busy while an answer streams, and shows progress", async () => {
    await renderThread([entry({ role: "user", content: "Q" }), entry({ status: "pending", content: "", messageId: null })], {
      streaming: true,
    });
    expect(screen.getByRole("log", { name: "Messages" })).toHaveAttribute("aria-busy", "true");
    expect(screen.getByText("Searching the sources…")).toBeInTheDocument();
    expect(screen.queryByRole("group", { name: "Rate this answer" })).not.toBeInTheDocument();
  });

  it("sends feedback on a saved answer", async () => {
    const { requests } = await renderThread([entry({ content: "25 days." })]);
    const helpful = screen.getByRole("button", { name: "Helpful" });
    await userEvent.setup().click(helpful);
    expect(helpful).toHaveAttribute("aria-pressed", "true");
    const post = requests.find((request) => request.method === "POST");
    expect(post?.url.pathname).toBe("/api/v1/workspaces/1/conversations/5/messages/12/feedback");
    expect(post?.body).toEqual({ rating: "up", comment: "" });
  });
});
