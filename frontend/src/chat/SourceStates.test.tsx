import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import type { Citation } from "../api/client";
import { RequireAuth } from "../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch } from "../test/utils";
import { ChatThread } from "./ChatThread";
import type { ChatEntry } from "./useChat";

// What the conversation API returns after a source was deleted or closed to the reader
// (agents.selectors.check_answers): the number and the state, nothing of the source.
const GONE: Citation = { number: 1, state: "unavailable", title: null, url: null, passage: null, document_id: null, chunk_id: null };
const CHANGED: Citation = {
  number: 2,
  state: "changed",
  title: "Expense policy 2027",
  url: "https://wiki.example/expenses-v2",
  passage: "Submit expenses within 30 days.",
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
    question: "How fast must I submit expenses?",
    ...overrides,
  };
}

async function renderThread(entries: ChatEntry[], onRetry = vi.fn()) {
  stubFetch({ "GET /api/v1/me": { body: meWithRole("member") } });
  renderWithProviders(
    <RequireAuth>
      <ChatThread entries={entries} workspaceId={1} conversationId={5} agentNames={{ hr: "HR helper" }} onRetry={onRetry} streaming={false} />
    </RequireAuth>,
  );
  await screen.findByRole("log", { name: "Messages" });
  return onRetry;
}

describe("sources that changed after the answer", () => {
  it("shows a source the reader can no longer open without its title, link or passage", async () => {
    await renderThread([entry({ content: "Within 30 days [1], see also [2].", citations: [GONE, CHANGED], sourcesChanged: true })]);
    const answer = screen.getByRole("article", { name: "Answer from HR helper" });
    const sources = within(answer).getByRole("region", { name: "Sources" });
    expect(within(sources).getByText("a source you can no longer open")).toBeInTheDocument();
    // The [1] in the text and the entry in the list, neither a link nor a button.
    expect(within(answer).getAllByLabelText("Source 1: a source you can no longer open")).toHaveLength(2);
    expect(within(answer).queryByRole("link", { name: /Source 1/ })).not.toBeInTheDocument();
    expect(within(answer).queryByRole("button", { name: /Source 1/ })).not.toBeInTheDocument();
  });

  it("marks a changed source and links to its current version", async () => {
    await renderThread([entry({ content: "Within 30 days [2].", citations: [CHANGED], sourcesChanged: true })]);
    const answer = screen.getByRole("article", { name: "Answer from HR helper" });
    expect(within(answer).getByText("changed since this answer")).toBeInTheDocument();
    const link = within(answer).getByRole("link", { name: "Open source 2: Expense policy 2027 (opens in a new tab)" });
    expect(link).toHaveAttribute("href", "https://wiki.example/expenses-v2");
  });

  it("withholds an answer whose sources are closed, and asks again on request", async () => {
    const withheld = entry({ content: "", citations: [GONE], contentWithheld: true, sourcesChanged: true });
    const onRetry = await renderThread([entry({ role: "user", content: "How fast must I submit expenses?" }), withheld]);
    const answer = screen.getByRole("article", { name: "Answer from HR helper" });
    expect(within(answer).getByText("This answer cited sources you can no longer open")).toBeInTheDocument();
    await userEvent.click(within(answer).getByRole("button", { name: "Ask again" }));
    expect(onRetry).toHaveBeenCalledWith(withheld);
  });
});
