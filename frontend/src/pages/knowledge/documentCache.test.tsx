import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { RequireAuth } from "../../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch } from "../../test/utils";
import { DataSourceDetailPage } from "./DataSourceDetailPage";

function doc(id: number, title: string) {
  return {
    id,
    external_id: `file:${title}`,
    title,
    url: "",
    mime_type: "text/markdown",
    status: "ready",
    error_code: "",
    error_message: "",
    chunk_count: 3,
    size_bytes: 1200,
    source_created_at: null,
    source_updated_at: null,
    updated_at: "2026-11-25T10:00:00Z",
  };
}

describe("the documents cache", () => {
  it("reads the table and the source's count again after a delete", async () => {
    let deleted = false;
    const { requests } = stubFetch({
      "GET /api/v1/me": { body: meWithRole("builder") },
      "GET /api/v1/workspaces/1/data-sources": () => ({
        body: [{ id: 3, name: "HR policies", kind: "folder", created_at: "2026-11-20T10:00:00Z", document_count: deleted ? 1 : 2 }],
      }),
      "GET /api/v1/workspaces/1/data-sources/3/documents": () => ({
        body: deleted ? { items: [doc(2, "leave.md")], count: 1 } : { items: [doc(1, "travel.md"), doc(2, "leave.md")], count: 2 },
      }),
      "GET /api/v1/limits": { body: { max_upload_bytes: 1024, max_upload_files: 3, max_request_bytes: 2048, accepted_extensions: [".md"] } },
      "DELETE /api/v1/workspaces/1/data-sources/3/documents/1": () => {
        deleted = true;
        return { status: 204 };
      },
    });
    renderWithProviders(
      <RequireAuth>
        <Routes>
          <Route path="/data/:dataSourceId" element={<DataSourceDetailPage />} />
        </Routes>
      </RequireAuth>,
      { path: "/data/3" },
    );
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Delete travel.md" }));
    await user.click(await screen.findByRole("button", { name: "Delete" }));

    await waitFor(() => expect(screen.queryByRole("button", { name: "travel.md" })).not.toBeInTheDocument());
    expect(screen.getByRole("button", { name: "leave.md" })).toBeInTheDocument();
    expect(screen.getByText(/Showing 1–1 of 1 document/)).toBeInTheDocument();
    const reads = (path: string) => requests.filter((r) => r.method === "GET" && r.url.pathname === path).length;
    expect(reads("/api/v1/workspaces/1/data-sources/3/documents")).toBe(2);
    await waitFor(() => expect(reads("/api/v1/workspaces/1/data-sources")).toBe(2));
  });
});
