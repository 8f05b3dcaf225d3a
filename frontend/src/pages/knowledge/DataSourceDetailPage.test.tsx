import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RequireAuth } from "../../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch, type RecordedRequest } from "../../test/utils";
import { DataSourceDetailPage, PENDING_REFRESH_MS } from "./DataSourceDetailPage";

const SOURCES = [{ id: 3, name: "HR policies", kind: "folder", created_at: "2026-11-20T10:00:00Z", document_count: 2 }];

function doc(overrides: Record<string, unknown>) {
  return {
    id: 1,
    external_id: "file:handbook.md",
    title: "Employee handbook",
    url: "",
    mime_type: "text/markdown",
    status: "ready",
    error_code: "",
    error_message: "",
    chunk_count: 14,
    size_bytes: 48_213,
    source_created_at: null,
    source_updated_at: null,
    updated_at: "2026-11-25T10:00:00Z",
    ...overrides,
  };
}

const READY = doc({});
const FAILED = doc({
  id: 2,
  external_id: "file:scan.pdf",
  title: "scan.pdf",
  mime_type: "application/pdf",
  status: "failed",
  error_code: "no_text",
  error_message: "The PDF has no text layer (a scan?). Export it with OCR and upload it again.",
  chunk_count: 0,
  size_bytes: 901_120,
});

type Routes = Parameters<typeof stubFetch>[0];

function renderPage(role: "admin" | "builder" | "member", routes: Routes = {}, path = "/data/3") {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole(role) },
    "GET /api/v1/workspaces/1/data-sources": { body: SOURCES },
    "GET /api/v1/workspaces/1/data-sources/3/documents": { body: { items: [READY, FAILED], count: 2 } },
    ...routes,
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/data/:dataSourceId"
        element={
          <RequireAuth>
            <DataSourceDetailPage />
          </RequireAuth>
        }
      />
    </Routes>,
    { path },
  );
  const documentCalls = () => stub.requests.filter((r: RecordedRequest) => r.url.pathname.endsWith("/documents"));
  return { ...stub, documentCalls };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("DataSourceDetailPage", () => {
  it("shows a failed document's error message and code in its row", async () => {
    const { documentCalls } = renderPage("member");

    const row = (await screen.findByRole("button", { name: "scan.pdf" })).closest("tr")!;
    expect(within(row).getByText("Failed")).toBeInTheDocument();
    const error = within(row).getByTestId("document-error-2");
    expect(error).toHaveTextContent("The PDF has no text layer (a scan?). Export it with OCR and upload it again.");
    expect(error).toHaveTextContent("no_text");
    // The ready row shows its chunks and no error.
    const ready = screen.getByRole("button", { name: "Employee handbook" }).closest("tr")!;
    expect(within(ready).getByText("Ready")).toBeInTheDocument();
    expect(within(ready).getByText("14")).toBeInTheDocument();
    expect(within(ready).queryByText(/no_text/)).not.toBeInTheDocument();

    expect(documentCalls()[0].url.search).toBe("?limit=25&offset=0");
    // A member reads, but has no upload area and no delete buttons.
    expect(screen.queryByText(/Drop files here/)).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: /delete/i })).not.toBeInTheDocument();
  });

  it("shows why a background parse failed (a file past the decompression limit)", async () => {
    const bomb = doc({
      id: 4,
      external_id: "file:bomb.docx",
      title: "bomb.docx",
      status: "failed",
      error_code: "too_large_unpacked",
      error_message: "The file expands to more than 200 MB when unpacked. Upload a smaller file.",
      chunk_count: 0,
    });
    renderPage("builder", {
      "GET /api/v1/workspaces/1/data-sources/3/documents": { body: { items: [bomb], count: 1 } },
    });
    const row = (await screen.findByRole("button", { name: "bomb.docx" })).closest("tr")!;
    expect(within(row).getByText("Failed")).toBeInTheDocument();
    expect(within(row).getByTestId("document-error-4")).toHaveTextContent(
      "expands to more than 200 MB when unpacked",
    );
  });

  it("filters by status through the API", async () => {
    const { documentCalls } = renderPage("member");
    const user = userEvent.setup();
    await screen.findByText("scan.pdf");
    await user.click(screen.getByRole("radio", { name: "Failed" }));
    await waitFor(() => expect(documentCalls()).toHaveLength(2));
    expect(Object.fromEntries(documentCalls()[1].url.searchParams)).toEqual({
      status: "failed",
      limit: "25",
      offset: "0",
    });
  });

  it("uploads files as multipart with the CSRF header and lists each file's outcome", async () => {
    document.cookie = "csrftoken=token-123; path=/";
    const { requests } = renderPage("builder", {
      "POST /api/v1/workspaces/1/data-sources/3/files": {
        status: 201,
        body: {
          files: [
            { filename: "policy.md", document_id: 7, status: "queued", error_code: "", error_message: "" },
            { filename: "notes.txt", document_id: 8, status: "unchanged", error_code: "", error_message: "" },
            {
              filename: "locked.pdf",
              document_id: 9,
              status: "failed",
              error_code: "encrypted",
              error_message: "The PDF is password-protected. Remove the password and upload it again.",
            },
          ],
          failed: 1,
        },
      },
    });
    const user = userEvent.setup();
    await screen.findByText("scan.pdf");

    const files = [
      new File(["# Policy"], "policy.md", { type: "text/markdown" }),
      new File(["notes"], "notes.txt", { type: "text/plain" }),
      new File(["%PDF-1.7"], "locked.pdf", { type: "application/pdf" }),
    ];
    await user.upload(screen.getByLabelText("Choose files to upload"), files);

    const panel = await screen.findByRole("region", { name: "Upload results" });
    expect(within(panel).getByText(/1 queued for indexing · 1 unchanged · 1 failed/)).toBeInTheDocument();
    const failedRow = within(panel).getByText("locked.pdf").closest("div")!.parentElement!;
    expect(failedRow).toHaveTextContent(
      "The PDF is password-protected. Remove the password and upload it again.",
    );
    expect(failedRow).toHaveTextContent("encrypted");
    expect(within(failedRow).getByText("Failed")).toBeInTheDocument();
    expect(within(panel).getByText("Queued")).toBeInTheDocument();
    expect(within(panel).getByText("Unchanged")).toBeInTheDocument();

    const post = requests.find((r) => r.method === "POST")!;
    expect(post.headers.get("X-CSRFToken")).toBe("token-123");
    expect(post.headers.get("content-type")).toMatch(/^multipart\/form-data; boundary=/);
    const body = String(post.body);
    expect(body.match(/name="files"/g)).toHaveLength(3);
    // Each file is its own part (jsdom's File loses its name on the way into Node's Request).
    expect(body).toContain("# Policy");
    expect(body).toContain("%PDF-1.7");
  });

  it("refreshes every few seconds while a document is pending", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let calls = 0;
    const { documentCalls } = renderPage("member", {
      "GET /api/v1/workspaces/1/data-sources/3/documents": () => {
        calls += 1;
        return {
          body: { items: [doc({ status: calls === 1 ? "pending" : "ready", chunk_count: 0 })], count: 1 },
        };
      },
    });
    const badge = { selector: ".mantine-Badge-label" };
    expect(await screen.findByText("Pending", badge)).toBeInTheDocument();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(PENDING_REFRESH_MS + 10);
    });
    expect(await screen.findByText("Ready", badge)).toBeInTheDocument();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(PENDING_REFRESH_MS * 2);
    });
    expect(documentCalls()).toHaveLength(2);
  });
});
