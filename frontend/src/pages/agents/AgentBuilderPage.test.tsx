import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { RequireAuth } from "../../auth/RequireAuth";
import { eventStreamResponse, meWithRole, renderWithProviders, sse, stubFetch } from "../../test/utils";
import { AgentBuilderPage } from "./AgentBuilderPage";

const VIEWS = [
  { id: 3, data_source_id: 30, data_source_name: "HR handbook", data_source_kind: "folder", space_id: 1, space_name: "Company", parent_ids: [] },
  { id: 4, data_source_id: 40, data_source_name: "Board notes", data_source_kind: "notion", space_id: 2, space_name: "Leadership", parent_ids: ["p1", "p2"] },
];

const CITATION = { number: 1, title: "Leave policy", url: "", passage: "25 days", document_id: 4, chunk_id: 1 };

function agent(overrides: Record<string, unknown> = {}) {
  return {
    id: 9,
    handle: "hr-helper",
    name: "HR helper",
    description: "",
    instructions: "",
    model_id: "",
    temperature: 0.2,
    tools: ["search"],
    view_ids: [3],
    space_ids: [1],
    editor_ids: [7],
    status: "draft",
    visibility: "workspace",
    version: 1,
    can_edit: true,
    created_at: "2026-11-25T10:00:00Z",
    updated_at: "2026-11-25T10:00:00Z",
    ...overrides,
  };
}

function renderBuilder(role: "admin" | "builder" | "member", path: string, routes: Parameters<typeof stubFetch>[0] = {}) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole(role) },
    "GET /api/v1/workspaces/1/views": { body: VIEWS },
    "GET /api/v1/workspaces/1/model-credentials": { body: [] },
    ...routes,
  });
  renderWithProviders(
    <RequireAuth>
      <Routes>
        <Route path="/agents/new" element={<AgentBuilderPage />} />
        <Route path="/agents/:agentId" element={<AgentBuilderPage />} />
      </Routes>
    </RequireAuth>,
    { path },
  );
  return stub;
}

describe("AgentBuilderPage", () => {
  it("says what is missing instead of sending an incomplete agent", async () => {
    const { requests } = renderBuilder("builder", "/agents/new");
    const user = userEvent.setup();
    const form = await screen.findByRole("form", { name: "Agent settings" });
    await user.click(within(form).getByRole("button", { name: "Create draft" }));

    expect(await screen.findByText("Give the agent a name, like “HR helper”.")).toBeInTheDocument();
    expect(screen.getByText(/Choose a handle/)).toBeInTheDocument();
    expect(screen.getByText("Fix the fields marked in red, then save again.")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /^Name/ })).toHaveFocus();
    expect(requests.some((request) => request.method === "POST")).toBe(false);
  });

  it("creates a draft over the chosen data views, with a handle from the name", async () => {
    const { requests } = renderBuilder("builder", "/agents/new", {
      "POST /api/v1/workspaces/1/agents": { status: 201, body: agent() },
      "GET /api/v1/workspaces/1/agents/9": { body: agent() },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByRole("textbox", { name: /^Name/ }), "HR helper");
    expect(screen.getByRole("textbox", { name: /^Handle/ })).toHaveValue("hr-helper");

    const company = screen.getByRole("group", { name: /Company/ });
    await user.click(within(company).getByRole("checkbox", { name: /HR handbook/ }));
    expect(screen.getByRole("group", { name: /Leadership/ })).toHaveTextContent("2 selected parts");
    await user.click(within(screen.getByRole("form", { name: "Agent settings" })).getByRole("button", { name: "Create draft" }));

    await waitFor(() => expect(requests.some((request) => request.method === "POST")).toBe(true));
    const post = requests.find((request) => request.method === "POST");
    expect(post?.body).toMatchObject({
      handle: "hr-helper",
      name: "HR helper",
      model_id: "",
      view_ids: [3],
      tools: ["search"],
      visibility: "workspace",
    });
    // Then the saved agent opens, and its test chat is ready.
    expect(await screen.findByPlaceholderText("Ask @hr-helper a question…")).toBeEnabled();
  });

  it("puts a taken handle's message on the handle field", async () => {
    renderBuilder("admin", "/agents/new", {
      "POST /api/v1/workspaces/1/agents": {
        status: 409,
        body: { error: { code: "conflict", message: "An agent '@hr-helper' already exists here; pick another handle." } },
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByRole("textbox", { name: /^Name/ }), "HR helper");
    await user.click(within(screen.getByRole("form", { name: "Agent settings" })).getByRole("button", { name: "Create draft" }));
    expect(await screen.findByText("An agent '@hr-helper' already exists here; pick another handle.")).toBeInTheDocument();
  });

  it("saves only the changed fields of a saved agent, and tests it in the chat", async () => {
    const { requests } = renderBuilder("builder", "/agents/9", {
      "GET /api/v1/workspaces/1/agents/9": { body: agent() },
      "PATCH /api/v1/workspaces/1/agents/9": { body: agent({ instructions: "Be brief.", version: 2 }) },
      "POST /api/v1/workspaces/1/conversations": { status: 201, body: { id: 5, title: "", created_at: "", updated_at: "" } },
      "POST /api/v1/workspaces/1/conversations/5/messages/stream": () =>
        eventStreamResponse([
          sse("message", { conversation_id: 5, question_id: 11, answer_id: 12 }),
          sse("token", { text: "You get 25 days " }),
          sse("token", { text: "[1]." }),
          sse("citation", CITATION),
          sse("done", {
            id: 12,
            role: "agent",
            content: "You get 25 days [1].",
            status: "complete",
            error_code: "",
            agent_handle: "hr-helper",
            agent_version: 2,
            used_model: false,
            citations: [CITATION],
            created_at: "2026-11-25T10:00:00Z",
          }),
        ]),
    });
    const user = userEvent.setup();
    const instructions = await screen.findByRole("textbox", { name: "Instructions" });
    await user.type(instructions, "Be brief.");
    expect(screen.getByText(/You have unsaved changes/)).toBeInTheDocument();
    await user.click(screen.getAllByRole("button", { name: "Save draft" })[0]);
    await waitFor(() => expect(requests.some((request) => request.method === "PATCH")).toBe(true));
    expect(requests.find((request) => request.method === "PATCH")?.body).toEqual({ instructions: "Be brief." });
    expect(await screen.findByText("Answers as @hr-helper, version 2")).toBeInTheDocument();

    const chat = screen.getByRole("region", { name: "Test chat" });
    await user.type(within(chat).getByRole("textbox", { name: "Your question" }), "How many days?{Enter}");
    expect(await within(chat).findByRole("group", { name: "Rate this answer" })).toBeInTheDocument();
    const answer = within(chat).getByRole("article", { name: "Answer from HR helper" });
    expect(answer).toHaveTextContent("You get 25 days");
    expect(within(answer).getByRole("button", { name: "Source 1: Leave policy" })).toBeInTheDocument();
    expect(within(chat).getByRole("link", { name: "Open in Conversations" })).toHaveAttribute("href", "/conversations/5");
    const stream = requests.find((request) => request.url.pathname.endsWith("/stream"));
    expect(stream?.body).toEqual({ agent: "hr-helper", content: "How many days?" });
  });

  it("tells a member that building is for builders", async () => {
    renderBuilder("member", "/agents/new");
    expect(await screen.findByRole("heading", { name: "Only builders and admins build agents" })).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "See agents" })).toHaveAttribute("href", "/agents");
    expect(screen.queryByRole("form", { name: "Agent settings" })).not.toBeInTheDocument();
  });

  it("shows an agent the builder may not change as read-only", async () => {
    renderBuilder("builder", "/agents/9", { "GET /api/v1/workspaces/1/agents/9": { body: agent({ can_edit: false }) } });
    expect(await screen.findByText("You can use this agent but not change it")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /^Name/ })).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Publish" })).not.toBeInTheDocument();
  });
});
