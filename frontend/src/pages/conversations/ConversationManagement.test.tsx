import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes, useLocation } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { RequireAuth } from "../../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch } from "../../test/utils";
import { ConversationPage } from "./ConversationPage";
import { SharedConversationPage } from "./SharedConversationPage";

const QUESTION = {
  id: 11,
  role: "user",
  content: "When are laptops replaced?",
  status: "complete",
  error_code: "",
  agent_handle: null,
  agent_version: null,
  used_model: false,
  citations: [],
  feedback: null,
  created_at: "2026-11-25T10:00:00Z",
};
const ANSWER = {
  ...QUESTION,
  id: 12,
  role: "agent",
  content: "Every three years [1].",
  agent_handle: "it-desk",
  agent_version: 1,
  used_model: true,
  citations: [{ number: 1, title: "Laptop policy", url: "https://wiki.example/laptops", passage: "Every 3 years.", document_id: 8, chunk_id: 2 }],
  feedback: { message_id: 12, rating: "down", comment: "" },
  created_at: "2026-11-25T10:00:01Z",
};
const CONVERSATION = {
  id: 5,
  title: "Laptops",
  shared: false,
  created_at: "2026-11-25T10:00:00Z",
  updated_at: "2026-11-25T10:00:01Z",
  messages: [QUESTION, ANSWER],
};

function Where() {
  return <output aria-label="Location">{useLocation().pathname}</output>;
}

function renderAt(path: string, routes: Parameters<typeof stubFetch>[0]) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("member") },
    "GET /api/v1/workspaces/1/agents": { body: [] },
    "GET /api/v1/workspaces/1/conversations": { body: [] },
    ...routes,
  });
  renderWithProviders(
    <RequireAuth>
      <Routes>
        <Route path="/conversations" element={<p>The list</p>} />
        <Route path="/conversations/:conversationId" element={<ConversationPage />} />
        <Route path="/shared/:token" element={<SharedConversationPage />} />
      </Routes>
      <Where />
    </RequireAuth>,
    { path },
  );
  return stub;
}

describe("Managing a conversation", () => {
  it("shows the saved rating, renames inline and deletes after a confirm", async () => {
    const { requests } = renderAt("/conversations/5", {
      "GET /api/v1/workspaces/1/conversations/5": { body: CONVERSATION },
      "PATCH /api/v1/workspaces/1/conversations/5": (request) => ({
        body: { ...CONVERSATION, messages: undefined, title: (request.body as { title: string }).title },
      }),
      "DELETE /api/v1/workspaces/1/conversations/5": { status: 204 },
    });
    expect(await screen.findByRole("heading", { name: "Laptops" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Not helpful" })).toHaveAttribute("aria-pressed", "true");
    expect(screen.getByRole("button", { name: "Helpful" })).toHaveAttribute("aria-pressed", "false");

    await userEvent.click(screen.getByRole("button", { name: "Rename the conversation" }));
    const input = screen.getByRole("textbox", { name: "Conversation title" });
    await userEvent.clear(input);
    await userEvent.type(input, "Laptop refresh{Enter}");
    expect(await screen.findByRole("heading", { name: "Laptop refresh" })).toBeInTheDocument();
    expect(requests.find((r) => r.method === "PATCH")?.body).toEqual({ title: "Laptop refresh" });

    await userEvent.click(screen.getByRole("button", { name: "Delete the conversation" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete this conversation?" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Delete conversation" }));
    await waitFor(() => expect(screen.getByRole("status", { name: "Location" })).toHaveTextContent("/conversations"));
    expect(requests.some((r) => r.method === "DELETE")).toBe(true);
  });

  it("makes a share link to copy once, and revokes it", async () => {
    const { requests } = renderAt("/conversations/5", {
      "GET /api/v1/workspaces/1/conversations/5": { body: CONVERSATION },
      "POST /api/v1/workspaces/1/conversations/5/share": { status: 201, body: { token: "tok123", path: "/shared/tok123" } },
      "DELETE /api/v1/workspaces/1/conversations/5/share": { status: 204 },
    });
    await userEvent.click(await screen.findByRole("button", { name: "Share" }));
    const dialog = await screen.findByRole("dialog", { name: "Share this conversation" });
    await userEvent.click(within(dialog).getByRole("button", { name: "Create link" }));
    expect(await within(dialog).findByTestId("share-link")).toHaveTextContent(`${window.location.origin}/shared/tok123`);
    await userEvent.click(within(dialog).getByRole("button", { name: "Revoke link" }));
    await waitFor(() => expect(requests.some((r) => r.method === "DELETE" && r.url.pathname.endsWith("/share"))).toBe(true));
    await waitFor(() => expect(within(dialog).queryByTestId("share-link")).not.toBeInTheDocument());
  });

  it("opens a shared conversation read-only", async () => {
    renderAt("/shared/tok123", {
      "GET /api/v1/workspaces/1/shared-conversations/tok123": { body: { ...CONVERSATION, shared: true } },
    });
    expect(await screen.findByRole("heading", { name: "Laptops" })).toBeInTheDocument();
    expect(screen.getByText(/Read-only/)).toBeInTheDocument();
    expect(screen.getByText("Laptop policy")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Helpful" })).not.toBeInTheDocument();
    expect(screen.queryByRole("textbox")).not.toBeInTheDocument();
  });

  it("tells a reader who may not open it that it is not available", async () => {
    renderAt("/shared/gone", {});
    expect(await screen.findByText("This shared conversation is not available to you")).toBeInTheDocument();
  });
});
