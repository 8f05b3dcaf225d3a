import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { RequireAuth } from "../../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch } from "../../test/utils";
import { AgentsPage } from "./AgentsPage";

const AGENTS = [
  {
    id: 9,
    handle: "hr-helper",
    name: "HR helper",
    description: "Answers questions about leave and benefits.",
    instructions: "",
    model_id: "openai:gpt-4o-mini",
    temperature: 0.2,
    tools: ["search"],
    view_ids: [3, 4],
    space_ids: [1],
    editor_ids: [7],
    status: "published",
    visibility: "workspace",
    version: 3,
    can_edit: false,
    created_at: "2026-11-20T10:00:00Z",
    updated_at: "2026-11-21T10:00:00Z",
  },
];

function renderPage(role: "admin" | "builder" | "member", agents: unknown = AGENTS, status = 200) {
  stubFetch({
    "GET /api/v1/me": { body: meWithRole(role) },
    "GET /api/v1/workspaces/1/agents": {
      status,
      body: status === 200 ? agents : { error: { code: "server_error", message: "The database is restarting; retry in a minute." } },
    },
  });
  renderWithProviders(
    <RequireAuth>
      <AgentsPage />
    </RequireAuth>,
    { path: "/agents" },
  );
}

describe("AgentsPage", () => {
  it("shows each agent's status, model and sources, with a way to chat", async () => {
    renderPage("member");
    const card = await screen.findByRole("article", { name: "HR helper" });
    expect(within(card).getByText("@hr-helper")).toBeInTheDocument();
    expect(within(card).getByText("Published")).toBeInTheDocument();
    expect(within(card).getByText("OpenAI · gpt-4o-mini")).toBeInTheDocument();
    expect(within(card).getByText("2 data views")).toBeInTheDocument();
    expect(within(card).getByRole("link", { name: "Chat with HR helper" })).toHaveAttribute(
      "href",
      "/conversations/new?agent=hr-helper",
    );
    // Members neither create nor edit.
    expect(within(card).queryByRole("link", { name: /Edit/ })).not.toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "New agent" })).not.toBeInTheDocument();
  });

  it("lets a builder create agents and edit the ones they may change", async () => {
    renderPage("builder", [{ ...AGENTS[0], can_edit: true, status: "draft" }]);
    const card = await screen.findByRole("article", { name: "HR helper" });
    expect(within(card).getByText("Draft")).toBeInTheDocument();
    expect(within(card).getByRole("link", { name: "Edit HR helper" })).toHaveAttribute("href", "/agents/9");
    expect(screen.getByRole("link", { name: "New agent" })).toHaveAttribute("href", "/agents/new");
  });

  it("explains the empty list by role", async () => {
    renderPage("builder", []);
    expect(await screen.findByText("Build your first agent")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "New agent" })).toBeInTheDocument();
  });

  it("tells a member with no agents whom to ask", async () => {
    renderPage("member", []);
    expect(await screen.findByText("No agents for you yet")).toBeInTheDocument();
    expect(screen.getByText(/Ask a builder or an admin/)).toBeInTheDocument();
  });

  it("shows the API's error and retries", async () => {
    renderPage("member", AGENTS, 503);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load agents");
    expect(alert).toHaveTextContent("The database is restarting; retry in a minute.");
    await userEvent.setup().click(within(alert).getByRole("button", { name: "Retry" }));
  });
});
