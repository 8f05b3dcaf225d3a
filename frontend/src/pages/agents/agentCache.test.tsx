import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { RequireAuth } from "../../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch } from "../../test/utils";
import { AgentBuilderPage } from "./AgentBuilderPage";
import { AgentsPage } from "./AgentsPage";

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
    view_ids: [],
    space_ids: [],
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

// The cache keeps answers for a few seconds; a save must still show on the list at once.
describe("the agents cache", () => {
  it("reads the agents list again after a save, so going back shows the change", async () => {
    let saved = false;
    const { requests } = stubFetch({
      "GET /api/v1/me": { body: meWithRole("builder") },
      "GET /api/v1/workspaces/1/agents": () => ({ body: [saved ? agent({ name: "HR desk", version: 2 }) : agent()] }),
      "GET /api/v1/workspaces/1/agents/9": { body: agent() },
      "GET /api/v1/workspaces/1/views": { body: [] },
      "PATCH /api/v1/workspaces/1/agents/9": () => {
        saved = true;
        return { body: agent({ name: "HR desk", version: 2 }) };
      },
    });
    renderWithProviders(
      <RequireAuth>
        <Routes>
          <Route path="/agents" element={<AgentsPage />} />
          <Route path="/agents/:agentId" element={<AgentBuilderPage />} />
        </Routes>
      </RequireAuth>,
      { path: "/agents" },
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole("link", { name: "Edit HR helper" }));

    const name = await screen.findByRole("textbox", { name: /^Name/ });
    await user.clear(name);
    await user.type(name, "HR desk");
    await user.click(screen.getAllByRole("button", { name: "Save draft" })[0]);
    expect(await screen.findByText("Version 2 · only its editors and admins can use a draft")).toBeInTheDocument();
    // The saved agent is the form's new baseline: nothing is unsaved any more.
    expect(screen.queryByText("Unsaved changes")).not.toBeInTheDocument();

    await user.click(screen.getByRole("link", { name: "Agents" }));
    const card = await screen.findByRole("article", { name: "HR desk" });
    expect(within(card).getByText("@hr-helper")).toBeInTheDocument();
    await waitFor(() =>
      expect(requests.filter((r) => r.method === "GET" && r.url.pathname === "/api/v1/workspaces/1/agents")).toHaveLength(2),
    );
  });
});
