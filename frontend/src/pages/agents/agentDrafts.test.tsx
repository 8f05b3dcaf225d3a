import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { RequireAuth } from "../../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch } from "../../test/utils";
import { AgentBuilderPage } from "./AgentBuilderPage";

function agent(overrides: Record<string, unknown> = {}) {
  return {
    id: 9,
    handle: "hr-helper",
    name: "HR helper",
    description: "",
    instructions: "Answer briefly.",
    model_id: "",
    temperature: 0.2,
    tools: ["search"],
    view_ids: [3],
    space_ids: [1],
    editor_ids: [7],
    status: "published",
    visibility: "workspace",
    version: 3,
    can_edit: true,
    has_unpublished_changes: false,
    draft: null,
    created_at: "2026-11-25T10:00:00Z",
    updated_at: "2026-11-25T10:00:00Z",
    ...overrides,
  };
}

const DRAFT = {
  name: "HR helper",
  description: "",
  instructions: "Answer at length.",
  model_id: "",
  temperature: 0.2,
  tools: ["search"],
  view_ids: [3],
  visibility: "workspace",
};

function version(number: number, instructions: string) {
  return {
    number,
    snapshot: { instructions, status: number === 1 ? "draft" : "published", model_id: "", tools: ["search"], view_ids: [3] },
    created_by_email: "builder@example.com",
    created_at: "2026-11-25T10:00:00Z",
  };
}

function renderBuilder(routes: Parameters<typeof stubFetch>[0]) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("builder") },
    "GET /api/v1/workspaces/1/views": { body: [] },
    "GET /api/v1/workspaces/1/model-credentials": { body: [] },
    "GET /api/v1/workspaces/1/agents": { body: [] },
    ...routes,
  });
  renderWithProviders(
    <RequireAuth>
      <Routes>
        <Route path="/agents/:agentId" element={<AgentBuilderPage />} />
      </Routes>
    </RequireAuth>,
    { path: "/agents/9" },
  );
  return stub;
}

describe("Drafts and versions of a published agent", () => {
  it("edits the unpublished changes and publishes them", async () => {
    const { requests } = renderBuilder({
      "GET /api/v1/workspaces/1/agents/9": { body: agent({ has_unpublished_changes: true, draft: DRAFT }) },
      "POST /api/v1/workspaces/1/agents/9/publish": { body: agent({ instructions: DRAFT.instructions, version: 4 }) },
    });
    expect(await screen.findByText("Unpublished changes")).toBeInTheDocument();
    // The form shows the draft, not the live instructions.
    expect(screen.getByRole("textbox", { name: /Instructions/ })).toHaveValue("Answer at length.");
    await userEvent.click(screen.getByRole("button", { name: "Publish changes" }));
    await waitFor(() => expect(requests.some((r) => r.method === "POST" && r.url.pathname.endsWith("/publish"))).toBe(true));
    await waitFor(() => expect(screen.queryByText("Unpublished changes")).not.toBeInTheDocument());
  });

  it("compares a version with the one before, side by side, and restores one as a draft", async () => {
    const { requests } = renderBuilder({
      "GET /api/v1/workspaces/1/agents/9": { body: agent() },
      "GET /api/v1/workspaces/1/agents/9/versions": {
        body: [version(3, "Answer at length."), version(2, "Answer briefly."), version(1, "Answer briefly.")],
      },
      "GET /api/v1/workspaces/1/agents/9/versions/diff": {
        body: {
          from_version: 2,
          to_version: 3,
          instructions: [{ kind: "changed", before: "Answer briefly.", after: "Answer at length." }],
          fields: [
            { field: "model_id", before: "", after: "", changed: false },
            { field: "views", before: ["Handbook (Company)"], after: ["Handbook (Company)", "Board (Leadership)"], changed: true },
          ],
        },
      },
      "POST /api/v1/workspaces/1/agents/9/versions/2/restore": {
        body: agent({ has_unpublished_changes: true, draft: { ...DRAFT, instructions: "Answer briefly." } }),
      },
    });
    await userEvent.click(await screen.findByRole("button", { name: "Versions" }));
    const drawer = await screen.findByRole("dialog");
    await userEvent.click(await within(drawer).findByRole("button", { name: "Compare version 3 with version 2" }));
    const diff = await within(drawer).findByRole("region", { name: "Changes from version 2 to version 3" });
    expect(within(diff).getByText("Answer briefly.")).toBeInTheDocument();
    expect(within(diff).getByText("Answer at length.")).toBeInTheDocument();
    expect(within(diff).getByText("Handbook (Company), Board (Leadership)")).toBeInTheDocument();
    const query = requests.find((r) => r.url.pathname.endsWith("/diff"))?.url.searchParams;
    expect([query?.get("from"), query?.get("to")]).toEqual(["2", "3"]);

    await userEvent.click(within(drawer).getByRole("button", { name: "Restore version 2 as a draft" }));
    expect(await screen.findByText("Unpublished changes")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: /Instructions/ })).toHaveValue("Answer briefly.");
  });
});
