import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { meWithRole, renderWithProviders, stubFetch } from "../../test/utils";
import { DocumentDrawer } from "./DocumentDrawer";

const DOCUMENT = {
  id: 3,
  external_id: "C1:2026-11-25",
  title: "#engineering, 25 Nov",
  url: "https://acme.slack.com/archives/C1",
  mime_type: "text/markdown",
  status: "indexed",
  error_code: "",
  error_message: "",
  chunk_count: 2,
  size_bytes: 1200,
  source_created_at: null,
  source_updated_at: null,
  updated_at: "2026-11-25T10:00:00Z",
  data_source_id: 9,
  text: "Deploy at noon.",
};

function renderDrawer(role: "admin" | "member", resync = { status: 202, body: { id: 40, status: "queued" } }) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole(role) },
    "GET /api/v1/workspaces/1/documents/3": { body: DOCUMENT },
    "POST /api/v1/workspaces/1/documents/3/resync": resync,
  });
  renderWithProviders(<DocumentDrawer workspaceId={1} documentId={3} onClose={() => undefined} />);
  return stub;
}

describe("resyncing one document", () => {
  it("lets an admin read the document again from its source", async () => {
    const stub = renderDrawer("admin");
    await userEvent.click(await screen.findByRole("button", { name: "Resync from source" }));
    await waitFor(() =>
      expect(stub.requests.some((request) => request.method === "POST" && request.url.pathname.endsWith("/resync"))).toBe(
        true,
      ),
    );
    expect(await screen.findByText(/Queued: this document is read again/)).toBeInTheDocument();
  });

  it("says what went wrong when the source cannot be asked", async () => {
    renderDrawer("admin", {
      status: 404,
      body: { error: { code: "not_found", message: "No synced document with this id in this workspace." } },
    } as never);
    await userEvent.click(await screen.findByRole("button", { name: "Resync from source" }));
    expect(await screen.findByText(/No synced document with this id/)).toBeInTheDocument();
  });

  it("is not offered to members", async () => {
    renderDrawer("member");
    expect(await screen.findByText("Deploy at noon.")).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Resync from source" })).not.toBeInTheDocument();
  });
});
