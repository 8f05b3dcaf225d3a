import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import type { PrivacyRequest } from "../../../api/privacy";
import { RequireAuth } from "../../../auth/RequireAuth";
import { NAV_SECTIONS } from "../../../layout/nav";
import { meWithRole, renderWithProviders, stubFetch } from "../../../test/utils";
import { PrivacyRequestsPage } from "./PrivacyRequestsPage";

const MEMBERS = [
  { id: 1, user_id: 7, email: "admin@example.com", full_name: "Pat admin", role: "admin", created_at: "2026-01-02T10:00:00Z" },
  { id: 5, user_id: 9, email: "zed@example.com", full_name: "Zed Quill", role: "member", created_at: "2026-01-03T10:00:00Z" },
];

function request(overrides: Partial<PrivacyRequest>): PrivacyRequest {
  return {
    id: 1,
    kind: "export",
    state: "done",
    progress: 100,
    subject: "zed@example.com",
    subject_member_id: 5,
    requested_by: "admin@example.com",
    has_archive: true,
    archive_size_bytes: 2048,
    result: {},
    error: "",
    created_at: "2026-12-03T10:00:00Z",
    started_at: "2026-12-03T10:00:01Z",
    finished_at: "2026-12-03T10:00:05Z",
    ...overrides,
  };
}

function renderPrivacy(requests: PrivacyRequest[], routes: Parameters<typeof stubFetch>[0] = {}) {
  document.cookie = "csrftoken=abc; path=/";
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    "GET /api/v1/workspaces/1/members": { body: MEMBERS },
    "GET /api/v1/workspaces/1/privacy/requests": { body: { items: requests, count: requests.length } },
    ...routes,
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/admin/privacy"
        element={
          <RequireAuth>
            <PrivacyRequestsPage />
          </RequireAuth>
        }
      />
    </Routes>,
    { path: "/admin/privacy" },
  );
  return stub;
}

async function pickZed() {
  await userEvent.click(await screen.findByRole("textbox", { name: "Member" }));
  await userEvent.click(await screen.findByRole("option", { name: "Zed Quill (zed@example.com)" }));
}

describe("PrivacyRequestsPage", { timeout: 20_000 }, () => {
  it("is in the admin navigation", () => {
    const admin = NAV_SECTIONS.find((section) => section.label === "Admin");
    expect(admin?.items.map((item) => item.to)).toContain("/admin/privacy");
  });

  it("lists requests with their state, progress, result and download link", async () => {
    renderPrivacy([
      request({ id: 3, kind: "export", state: "running", progress: 40, has_archive: false }),
      request({
        id: 2,
        kind: "erase",
        subject: "erased-user-abc123",
        has_archive: false,
        result: { documents_to_exclude_at_source: [{ id: 9, title: "Quarterly plan" }] },
      }),
      request({ id: 1 }),
    ]);
    const rows = (await screen.findAllByRole("row")).slice(1);
    expect(rows).toHaveLength(3);
    expect(within(rows[0]).getByText("running")).toBeInTheDocument();
    expect(within(rows[0]).getByLabelText("Progress 40%")).toBeInTheDocument();
    expect(within(rows[0]).queryByRole("link", { name: /Download/ })).toBeNull();
    expect(within(rows[1]).getByText("erased-user-abc123")).toBeInTheDocument();
    expect(within(rows[1]).getByText(/Exclude at the source: Quarterly plan/)).toBeInTheDocument();
    expect(within(rows[2]).getByRole("link", { name: /Download/ })).toHaveAttribute(
      "href",
      "/api/v1/workspaces/1/privacy/requests/1/archive",
    );
  });

  it("exports the member picked", async () => {
    const stub = renderPrivacy([], {
      "POST /api/v1/workspaces/1/privacy/requests": {
        status: 201,
        body: request({ id: 4, state: "queued", progress: 0, has_archive: false }),
      },
    });
    expect(await screen.findByText("No privacy requests yet")).toBeInTheDocument();
    await pickZed();
    await userEvent.click(screen.getByRole("button", { name: "Export" }));
    await waitFor(() =>
      expect(stub.requests.find((r) => r.method === "POST")?.body).toEqual({ kind: "export", member_id: 5 }),
    );
    expect(await screen.findByText("queued")).toBeInTheDocument();
  });

  it("erases only after the member's email is typed", async () => {
    const stub = renderPrivacy([], {
      "POST /api/v1/workspaces/1/privacy/requests": {
        status: 201,
        body: request({ id: 5, kind: "erase", state: "queued", progress: 0, has_archive: false }),
      },
    });
    await pickZed();
    await userEvent.click(screen.getByRole("button", { name: "Erase" }));
    const dialog = await screen.findByRole("dialog");
    const confirm = within(dialog).getByRole("button", { name: "Erase member" });
    expect(confirm).toBeDisabled();
    await userEvent.type(within(dialog).getByLabelText("Type zed@example.com to confirm"), "zed@example.co");
    expect(confirm).toBeDisabled();
    expect(stub.requests.some((r) => r.method === "POST")).toBe(false);
    await userEvent.type(within(dialog).getByLabelText("Type zed@example.com to confirm"), "m");
    await userEvent.click(confirm);
    await waitFor(() =>
      expect(stub.requests.find((r) => r.method === "POST")?.body).toEqual({ kind: "erase", member_id: 5 }),
    );
  });

  it("shows why the list could not load", async () => {
    renderPrivacy([], {
      "GET /api/v1/workspaces/1/privacy/requests": {
        status: 403,
        body: { error: { code: "permission_denied", message: "Admins only." } },
      },
    });
    expect(await screen.findByText("Could not load privacy requests")).toBeInTheDocument();
  });
});
