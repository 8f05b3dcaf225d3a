import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderWithProviders, stubFetch, type RecordedRequest } from "../../test/utils";
import { UploadArea } from "./UploadArea";

const LIMITS = {
  max_upload_bytes: 1024,
  max_upload_files: 3,
  max_request_bytes: 2048,
  accepted_extensions: [".pdf", ".md", ".txt"],
};

function renderUpload(routes: Parameters<typeof stubFetch>[0] = {}) {
  document.cookie = "csrftoken=abc; path=/";
  const stub = stubFetch({
    "GET /api/v1/me": { status: 401, body: {} },
    "GET /api/v1/limits": { body: LIMITS },
    "POST /api/v1/workspaces/1/data-sources/3/files": {
      status: 201,
      body: { files: [{ filename: "ok.md", document_id: 1, status: "queued", error_code: "", error_message: "" }], failed: 0 },
    },
    ...routes,
  });
  renderWithProviders(<UploadArea workspaceId={1} dataSourceId={3} />);
  return stub;
}

const bytes = (count: number) => "x".repeat(count);
const uploads = (requests: RecordedRequest[]) => requests.filter((r) => r.method === "POST");

describe("UploadArea limits", { timeout: 20_000 }, () => {
  it("shows the server's limits: size per file, files per upload, accepted types", async () => {
    renderUpload();
    await waitFor(() =>
      expect(screen.getByTestId("upload-limits")).toHaveTextContent(
        "Up to 1.0 KB a file and 3 files at a time. Accepted: .pdf, .md, .txt.",
      ),
    );
  });

  it("refuses a file over the size limit in the browser, says why, and uploads the rest", async () => {
    const { requests } = renderUpload();
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getByTestId("upload-limits")).toHaveTextContent("1.0 KB"));

    await user.upload(screen.getByLabelText("Choose files to upload"), [
      new File([bytes(5000)], "huge.md", { type: "text/markdown" }),
      new File([bytes(10)], "ok.md", { type: "text/markdown" }),
    ]);

    const panel = await screen.findByRole("region", { name: "Upload results" });
    const row = within(panel).getByText("huge.md").closest("div")!.parentElement!;
    expect(row).toHaveTextContent("This file is 4.9 KB; one upload may be at most 1.0 KB");
    expect(row).toHaveTextContent("file_too_large");
    // Only the file within the limit went to the server.
    await waitFor(() => expect(uploads(requests)).toHaveLength(1));
    // (jsdom's File loses its name in undici's FormData; the content tells the two apart.)
    const sent = String(uploads(requests)[0].body);
    expect(sent).toContain(bytes(10));
    expect(sent).not.toContain(bytes(11));
  });

  it("accepts the extensions the server's parser reads beyond the usual types", async () => {
    const { requests } = renderUpload({
      "GET /api/v1/limits": { body: { ...LIMITS, accepted_extensions: [".md", ".log"] } },
    });
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getByTestId("upload-limits")).toHaveTextContent(".log"));
    await user.upload(screen.getByLabelText("Choose files to upload"), [
      new File(["boot ok"], "server.log", { type: "" }),
    ]);
    await waitFor(() => expect(uploads(requests)).toHaveLength(1));
  });

  it("refuses more files than one upload may carry", async () => {
    const { requests } = renderUpload();
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getByTestId("upload-limits")).toHaveTextContent("3 files"));

    await user.upload(
      screen.getByLabelText("Choose files to upload"),
      ["a", "b", "c", "d"].map((name) => new File(["x"], `${name}.md`, { type: "text/markdown" })),
    );

    const panel = await screen.findByRole("region", { name: "Upload results" });
    expect(panel).toHaveTextContent("Too many files at once: upload at most 3 at a time.");
    expect(uploads(requests)).toHaveLength(0);
  });

  it("still uploads when the limits cannot be loaded (the server checks its own)", async () => {
    const { requests } = renderUpload({ "GET /api/v1/limits": { status: 500, body: {} } });
    const user = userEvent.setup();
    await waitFor(() => expect(screen.getByTestId("upload-limits")).toHaveTextContent("Up to 50 files at a time."));
    await user.upload(screen.getByLabelText("Choose files to upload"), [
      new File(["# ok"], "ok.md", { type: "text/markdown" }),
    ]);
    await waitFor(() => expect(uploads(requests)).toHaveLength(1));
  });
});
