import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes, useLocation } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { RequireAuth } from "../../auth/RequireAuth";
import { eventStreamResponse, meWithRole, renderWithProviders, sse, stubFetch } from "../../test/utils";
import { ConversationPage } from "./ConversationPage";
import { ConversationsPage } from "./ConversationsPage";

const AGENTS = [
  { id: 9, handle: "hr-helper", name: "HR helper", description: "Leave and benefits.", status: "published" },
  { id: 10, handle: "it-desk", name: "IT desk", description: "Laptops and accounts.", status: "published" },
].map((agent) => ({
  instructions: "",
  model_id: "",
  temperature: 0.2,
  tools: ["search"],
  view_ids: [3],
  space_ids: [1],
  editor_ids: [],
  visibility: "workspace",
  version: 1,
  can_edit: false,
  created_at: "2026-11-20T10:00:00Z",
  updated_at: "2026-11-21T10:00:00Z",
  ...agent,
}));
const CITATION = { number: 1, title: "Laptop policy", url: "https://wiki.example/laptops", passage: "Laptops are replaced every 3 years.", document_id: 8, chunk_id: 2 };
const ANSWER = {
  id: 12,
  role: "agent",
  content: "Every three years [1].",
  status: "complete",
  error_code: "",
  agent_handle: "it-desk",
  agent_version: 1,
  used_model: true,
  citations: [CITATION],
  created_at: "2026-11-25T10:00:01Z",
};

function Where() {
  const location = useLocation();
  return <output aria-label="Location">{location.pathname}</output>;
}

function renderAt(path: string, routes: Parameters<typeof stubFetch>[0] = {}) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("member") },
    "GET /api/v1/workspaces/1/agents": { body: AGENTS },
    ...routes,
  });
  renderWithProviders(
    <RequireAuth>
      <Routes>
        <Route path="/conversations" element={<ConversationsPage />} />
        <Route path="/conversations/:conversationId" element={<ConversationPage />} />
      </Routes>
      <Where />
    </RequireAuth>,
    { path },
  );
  return stub;
}

describe("ConversationPage", () => {
  it("starts a conversation with the agent from the address and streams the cited answer", async () => {
    const { requests } = renderAt("/conversations/new?agent=it-desk", {
      "POST /api/v1/workspaces/1/conversations": { status: 201, body: { id: 5, title: "", created_at: "", updated_at: "" } },
      "POST /api/v1/workspaces/1/conversations/5/messages/stream": () =>
        eventStreamResponse([
          sse("message", { conversation_id: 5, question_id: 11, answer_id: 12 }),
          sse("token", { text: "Every three years " }),
          sse("token", { text: "[1]." }),
          sse("citation", CITATION),
          sse("done", ANSWER),
        ]),
    });
    const user = userEvent.setup();
    expect(await screen.findByRole("heading", { name: "Ask IT desk" })).toBeInTheDocument();
    await user.type(screen.getByRole("textbox", { name: "Your question" }), "When do I get a new laptop?{Enter}");

    const answer = await screen.findByRole("article", { name: "Answer from IT desk" });
    expect(await within(answer).findByRole("group", { name: "Rate this answer" })).toBeInTheDocument();
    expect(within(answer).getByRole("link", { name: "Source 1: Laptop policy (opens in a new tab)" })).toHaveAttribute(
      "href",
      "https://wiki.example/laptops",
    );
    // The new conversation's address replaces /new without reloading the thread.
    await waitFor(() => expect(screen.getByLabelText("Location")).toHaveTextContent("/conversations/5"));
    expect(screen.getByRole("heading", { name: "When do I get a new laptop?" })).toBeInTheDocument();
    expect(requests.some((request) => request.method === "GET" && request.url.pathname.endsWith("/conversations/5"))).toBe(false);
    const stream = requests.find((request) => request.url.pathname.endsWith("/stream"));
    expect(stream?.body).toEqual({ agent: "it-desk", content: "When do I get a new laptop?" });
  });

  it("shows a saved conversation and continues it with the agent that answered last", async () => {
    const { requests } = renderAt("/conversations/5", {
      "GET /api/v1/workspaces/1/conversations/5": {
        body: {
          id: 5,
          title: "When do I get a new laptop?",
          created_at: "2026-11-25T10:00:00Z",
          updated_at: "2026-11-25T10:00:01Z",
          messages: [
            { ...ANSWER, id: 11, role: "user", content: "When do I get a new laptop?", agent_handle: null, citations: [] },
            ANSWER,
          ],
        },
      },
      "POST /api/v1/workspaces/1/conversations/5/messages/stream": {
        status: 404,
        body: { error: { code: "not_found", message: "Agent '@it-desk' does not exist in this workspace or you cannot use it." } },
      },
    });
    const user = userEvent.setup();
    expect(await screen.findByRole("heading", { name: "When do I get a new laptop?" })).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Agent" })).toHaveValue("IT desk");
    await user.type(screen.getByRole("textbox", { name: "Your question" }), "And phones?{Enter}");
    // A refusal before streaming is said in the thread, with what to do.
    expect(await screen.findByText(/does not exist in this workspace or you cannot use it/)).toBeInTheDocument();
    await waitFor(() => expect(requests.filter((request) => request.method === "POST")).toHaveLength(1));
  });

  it("says when a conversation is not available", async () => {
    renderAt("/conversations/77", {
      "GET /api/v1/workspaces/1/conversations/77": {
        status: 404,
        body: { error: { code: "not_found", message: "Conversation 77 does not exist or you cannot read it." } },
      },
    });
    expect(await screen.findByText("This conversation is not available")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Back to conversations" })).toHaveAttribute("href", "/conversations");
  });
});

describe("ConversationsPage", () => {
  it("lists conversations newest first, linking to each", async () => {
    renderAt("/conversations", {
      "GET /api/v1/workspaces/1/conversations": {
        body: [{ id: 5, title: "When do I get a new laptop?", created_at: "2026-11-25T10:00:00Z", updated_at: "2026-11-25T10:00:00Z" }],
      },
    });
    expect(await screen.findByRole("link", { name: "When do I get a new laptop?" })).toHaveAttribute("href", "/conversations/5");
  });

  it("invites to start one when there are none", async () => {
    renderAt("/conversations", { "GET /api/v1/workspaces/1/conversations": { body: [] } });
    expect(await screen.findByText("No conversations yet")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "New conversation" })).toHaveAttribute("href", "/conversations/new");
  });
});
