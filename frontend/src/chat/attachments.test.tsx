import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes, useLocation } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { RequireAuth } from "../auth/RequireAuth";
import { ConversationPage } from "../pages/conversations/ConversationPage";
import { meWithRole, renderWithProviders, stubFetch } from "../test/utils";

const AGENT = {
  id: 9,
  handle: "hr-helper",
  name: "HR helper",
  description: "",
  status: "published",
  instructions: "",
  model_id: "",
  temperature: 0.2,
  tools: ["search"],
  view_ids: [3],
  space_ids: [1],
  editor_ids: [],
  visibility: "workspace",
  version: 1,
  can_edit: false,
  created_at: "2026-11-20T10:00:00Z",
  updated_at: "2026-11-21T10:00:00Z",
};
const LIMITS = {
  max_upload_bytes: 1000,
  max_upload_files: 5,
  max_request_bytes: 2048,
  accepted_extensions: [".md", ".pdf"],
  max_attachments_per_conversation: 2,
};

function attachment(id: number, filename: string, status: string, error_message = "") {
  return {
    id,
    conversation_id: 5,
    filename,
    content_type: "text/markdown",
    size_bytes: 120,
    status,
    error_code: error_message ? "unreadable" : "",
    error_message,
    chunk_count: status === "ready" ? 1 : 0,
    created_at: "2026-11-25T10:00:00Z",
  };
}

function Where() {
  return <output aria-label="Location">{useLocation().pathname}</output>;
}

function renderNew(routes: Parameters<typeof stubFetch>[0]) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("member") },
    "GET /api/v1/workspaces/1/agents": { body: [AGENT] },
    "GET /api/v1/limits": { body: LIMITS },
    "POST /api/v1/workspaces/1/conversations": {
      status: 201,
      body: { id: 5, title: "", created_at: "2026-11-25T10:00:00Z", updated_at: "2026-11-25T10:00:00Z" },
    },
    ...routes,
  });
  renderWithProviders(
    <RequireAuth>
      <Routes>
        <Route path="/conversations/:conversationId" element={<ConversationPage />} />
      </Routes>
      <Where />
    </RequireAuth>,
    { path: "/conversations/new" },
  );
  return stub;
}

const file = (name: string, size = 40) => new File(["x".repeat(size)], name, { type: "text/markdown" });

describe("attaching files to a question", () => {
  it("creates the conversation, uploads the file and shows it being read, then ready", async () => {
    let reads = 0;
    const { requests } = renderNew({
      "POST /api/v1/workspaces/1/conversations/5/attachments": {
        status: 201,
        body: { files: [attachment(3, "parking.md", "queued")], failed: 0 },
      },
      "GET /api/v1/workspaces/1/conversations/5/attachments": () => {
        reads += 1;
        return { body: [attachment(3, "parking.md", reads > 1 ? "ready" : "queued")] };
      },
    });
    const user = userEvent.setup();
    await user.upload(await screen.findByTestId("attach-input"), file("parking.md"));

    expect(await screen.findByRole("listitem", { name: /parking\.md: (being read|ready)/ })).toBeInTheDocument();
    expect(await screen.findByRole("listitem", { name: "parking.md: ready" })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByLabelText("Location")).toHaveTextContent("/conversations/5"));
    const upload = requests.find((r) => r.method === "POST" && r.url.pathname.endsWith("/attachments"));
    expect(String(upload?.body)).toContain('name="files"');
    expect(requests.filter((r) => r.method === "POST" && r.url.pathname === "/api/v1/workspaces/1/conversations")).toHaveLength(1);
  });

  it("refuses a file over the size limit before uploading it", async () => {
    const { requests } = renderNew({});
    const user = userEvent.setup();
    await user.upload(await screen.findByTestId("attach-input"), file("huge.md", 5000));
    expect(await screen.findByRole("alert")).toHaveTextContent(/huge\.md is .*at most 1000 bytes|huge\.md is .*at most/);
    expect(requests.some((r) => r.url.pathname.endsWith("/attachments"))).toBe(false);
    expect(requests.some((r) => r.method === "POST")).toBe(false);
  });

  it("shows why a file failed, and removes a chip", async () => {
    let removed = false;
    const { requests } = renderNew({
      "POST /api/v1/workspaces/1/conversations/5/attachments": {
        status: 201,
        body: { files: [attachment(4, "broken.pdf", "failed", "The PDF is damaged.")], failed: 1 },
      },
      "GET /api/v1/workspaces/1/conversations/5/attachments": () => ({
        body: removed ? [] : [attachment(4, "broken.pdf", "failed", "The PDF is damaged.")],
      }),
      "DELETE /api/v1/workspaces/1/conversations/5/attachments/4": () => {
        removed = true;
        return { status: 204 };
      },
    });
    const user = userEvent.setup();
    await user.upload(await screen.findByTestId("attach-input"), new File(["%PDF"], "broken.pdf", { type: "application/pdf" }));
    expect(await screen.findByRole("listitem", { name: "broken.pdf: failed (The PDF is damaged.)" })).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Remove broken.pdf" }));
    await waitFor(() => expect(screen.queryByRole("listitem", { name: /broken\.pdf/ })).not.toBeInTheDocument());
    expect(requests.some((r) => r.method === "DELETE")).toBe(true);
  });

  it("says the conversation's file limit and uploads nothing past it", async () => {
    const { requests } = renderNew({});
    const user = userEvent.setup();
    await user.upload(await screen.findByTestId("attach-input"), [file("a.md"), file("b.md"), file("c.md")]);
    expect(await screen.findByRole("alert")).toHaveTextContent("at most 2 attached files");
    expect(requests.some((r) => r.method === "POST")).toBe(false);
  });
});
