import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { RequireAuth } from "../../auth/RequireAuth";
import { eventStreamResponse, meWithRole, renderWithProviders, sse, stubFetch } from "../../test/utils";
import { ConversationPage } from "./ConversationPage";
import { ConversationsPage } from "./ConversationsPage";

const AGENT = {
  id: 10,
  handle: "it-desk",
  name: "IT desk",
  description: "Laptops and accounts.",
  status: "published",
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
};
const ANSWER = {
  id: 12,
  role: "agent",
  content: "Every three years.",
  status: "complete",
  error_code: "",
  agent_handle: "it-desk",
  agent_version: 1,
  used_model: false,
  citations: [],
  created_at: "2026-11-25T10:00:01Z",
};
const CONVERSATION = { id: 5, title: "When do I get a new laptop?", created_at: "2026-11-25T10:00:00Z", updated_at: "2026-11-25T10:00:01Z" };

describe("the conversations cache", () => {
  it("lists a conversation started a moment ago when going back to the list", async () => {
    let created = false;
    stubFetch({
      "GET /api/v1/me": { body: meWithRole("member") },
      "GET /api/v1/workspaces/1/agents": { body: [AGENT] },
      "GET /api/v1/workspaces/1/conversations": () => ({ body: created ? [CONVERSATION] : [] }),
      "POST /api/v1/workspaces/1/conversations": () => {
        created = true;
        return { status: 201, body: { ...CONVERSATION, title: "" } };
      },
      "POST /api/v1/workspaces/1/conversations/5/messages/stream": () =>
        eventStreamResponse([
          sse("message", { conversation_id: 5, question_id: 11, answer_id: 12 }),
          sse("token", { text: "Every three years." }),
          sse("done", ANSWER),
        ]),
    });
    renderWithProviders(
      <RequireAuth>
        <Routes>
          <Route path="/conversations" element={<ConversationsPage />} />
          <Route path="/conversations/:conversationId" element={<ConversationPage />} />
        </Routes>
      </RequireAuth>,
      { path: "/conversations" },
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole("link", { name: "New conversation" }));
    await user.type(await screen.findByRole("textbox", { name: "Your question" }), "When do I get a new laptop?{Enter}");
    expect(await screen.findByRole("group", { name: "Rate this answer" })).toBeInTheDocument();

    await user.click(screen.getByRole("link", { name: "Conversations" }));
    await waitFor(() =>
      expect(screen.getByRole("link", { name: "When do I get a new laptop?" })).toHaveAttribute("href", "/conversations/5"),
    );
  });
});
