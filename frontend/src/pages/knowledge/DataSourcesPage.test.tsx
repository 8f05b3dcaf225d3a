import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { RequireAuth } from "../../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch } from "../../test/utils";
import { DataSourcesPage } from "./DataSourcesPage";

const SOURCES = [
  { id: 3, name: "HR policies", kind: "folder", created_at: "2026-11-20T10:00:00Z", document_count: 12 },
  { id: 5, name: "Engineering Slack", kind: "slack", created_at: "2026-11-21T10:00:00Z", document_count: 1408 },
];
const SPACES = [
  { id: 1, name: "Company", description: "", kind: "company", created_at: "2026-11-01T10:00:00Z" },
  { id: 2, name: "Finance", description: "", kind: "restricted", created_at: "2026-11-02T10:00:00Z" },
];

function renderPage(role: "admin" | "builder" | "member", sources: unknown[] = SOURCES) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole(role) },
    "GET /api/v1/workspaces/1/data-sources": { body: sources },
    "GET /api/v1/workspaces/1/spaces": { body: SPACES },
    "POST /api/v1/workspaces/1/spaces/2/folders": {
      status: 201,
      body: {
        id: 9,
        data_source_id: 11,
        data_source_name: "Budgets",
        data_source_kind: "folder",
        space_id: 2,
        space_name: "Finance",
        parent_ids: [],
      },
    },
    "GET /api/v1/workspaces/1/data-sources/11/documents": { body: { items: [], count: 0 } },
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/data"
        element={
          <RequireAuth>
            <DataSourcesPage />
          </RequireAuth>
        }
      />
      <Route path="/data/:dataSourceId" element={<p>Folder page</p>} />
    </Routes>,
    { path: "/data" },
  );
  return stub;
}

describe("DataSourcesPage", () => {
  it("lists data sources with their kind and document count", async () => {
    renderPage("member");
    const row = (await screen.findByText("Engineering Slack")).closest("tr")!;
    expect(within(row).getByText("Slack")).toBeInTheDocument();
    expect(within(row).getByText((1408).toLocaleString())).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "HR policies" })).toHaveAttribute("href", "/data/3");
  });

  it("hides the New folder button from a member", async () => {
    renderPage("member");
    expect(await screen.findByText("HR policies")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /new folder/i })).not.toBeInTheDocument();
  });

  it("hides it in the empty state too, and explains what a folder is", async () => {
    renderPage("member", []);
    expect(await screen.findByText("No data sources yet")).toBeInTheDocument();
    expect(screen.getByText(/A folder is a data source you fill by uploading files/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /new folder/i })).not.toBeInTheDocument();
  });

  it("lets a builder create a folder in a space", async () => {
    const { requests } = renderPage("builder");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: /new folder/i }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByRole("textbox", { name: /name/i }), "Budgets");
    await user.click(within(dialog).getByRole("textbox", { name: /space/i }));
    await user.click(await screen.findByRole("option", { name: "Finance" }));
    await user.click(within(dialog).getByRole("button", { name: "Create folder" }));

    expect(await screen.findByText("Folder page")).toBeInTheDocument();
    const post = requests.find((r) => r.method === "POST");
    expect(post?.url.pathname).toBe("/api/v1/workspaces/1/spaces/2/folders");
    expect(post?.body).toEqual({ name: "Budgets" });
  });
});
