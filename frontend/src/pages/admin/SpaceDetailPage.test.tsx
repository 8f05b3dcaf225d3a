import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import type { Grant, Member, Space } from "../../api/client";
import { RequireAuth } from "../../auth/RequireAuth";
import { accessPreview } from "../../test/accessPreview";
import { meWithRole, renderWithProviders, stubFetch } from "../../test/utils";
import { SpaceDetailPage } from "./SpaceDetailPage";

const FINANCE: Space = {
  id: 4,
  name: "Finance",
  description: "Budgets and payroll",
  kind: "restricted",
  created_at: "2026-01-05T10:00:00Z",
};

const MEMBERS: Member[] = [
  { id: 1, user_id: 7, email: "admin@example.com", full_name: "Pat admin", role: "admin", created_at: "2026-01-02T10:00:00Z" },
  { id: 2, user_id: 9, email: "lee@example.com", full_name: "", role: "member", created_at: "2026-01-03T10:00:00Z" },
];

const ADMIN_GRANT: Grant = {
  id: 10,
  space_id: 4,
  membership_id: 1,
  member_email: "admin@example.com",
  group_id: null,
  group_name: null,
  access: "read_write",
};

function renderSpace(routes: Parameters<typeof stubFetch>[0] = {}) {
  document.cookie = "csrftoken=abc; path=/";
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    "GET /api/v1/workspaces/1/spaces/4": { body: FINANCE },
    "GET /api/v1/workspaces/1/spaces/4/grants": { body: [ADMIN_GRANT] },
    "GET /api/v1/workspaces/1/members": { body: MEMBERS },
    "GET /api/v1/workspaces/1/groups": { body: [] },
    ...routes,
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/admin/spaces/:spaceId"
        element={
          <RequireAuth>
            <SpaceDetailPage />
          </RequireAuth>
        }
      />
    </Routes>,
    { path: "/admin/spaces/4" },
  );
  return stub;
}

describe("SpaceDetailPage", { timeout: 20_000 }, () => {
  it("grants a member who has no grant yet, then lists them", async () => {
    const { requests } = renderSpace({
      "POST /api/v1/workspaces/1/spaces/4/grants": {
        status: 201,
        body: { ...ADMIN_GRANT, id: 11, membership_id: 2, member_email: "lee@example.com", access: "read" },
      },
    });
    const user = userEvent.setup();
    expect(await screen.findByRole("heading", { name: "Finance" })).toBeInTheDocument();
    const table = screen.getByRole("table");
    expect(within(table).getByText("admin@example.com")).toBeInTheDocument();

    // Only members without a grant are offered.
    await user.click(screen.getByRole("textbox", { name: "Member" }));
    expect(screen.queryByRole("option", { name: /admin@example.com/ })).toBeNull();
    await user.click(await screen.findByRole("option", { name: "lee@example.com" }));
    await user.click(screen.getByRole("button", { name: "Grant access" }));

    await waitFor(() => expect(within(table).getByText("lee@example.com")).toBeInTheDocument());
    const grant = requests.find(
      (request) => request.method === "POST" && request.url.pathname.endsWith("/spaces/4/grants"),
    );
    expect(grant?.body).toEqual({ membership_id: 2, access: "read" });
  });

  it("revokes a grant after confirming", async () => {
    renderSpace({ "DELETE /api/v1/workspaces/1/spaces/4/grants/10": { status: 204 } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Revoke access of admin@example.com" }));
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Revoke" }));
    expect(await screen.findByText("No grants yet")).toBeInTheDocument();
  });

  it("shows what a grant opens, and to whom, before it is granted", async () => {
    const { requests } = renderSpace({
      "POST /api/v1/workspaces/1/access-preview": {
        body: accessPreview({
          documents_gained: 12,
          people_gained: 1,
          example_documents_gained: ["Q1 ledger", "Payroll"],
          example_people_gained: ["lee@example.com"],
        }),
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("textbox", { name: "Member" }));
    await user.click(await screen.findByRole("option", { name: "lee@example.com" }));
    const preview = await screen.findByRole("status", { name: "Access preview" });
    expect(preview).toHaveTextContent("This makes 12 documents visible to 1 more person.");
    expect(preview).toHaveTextContent("Q1 ledger, Payroll, …");
    const asked = requests.find((request) => request.url.pathname.endsWith("/access-preview"));
    expect(asked?.body).toEqual({ kind: "grant", space_id: 4, access: "read", membership_id: 2 });
    // Previewing granted nothing.
    expect(requests.some((request) => request.url.pathname.endsWith("/grants") && request.method === "POST")).toBe(
      false,
    );
  });

  it("shows who loses what in the revoke's confirm step", async () => {
    renderSpace({
      "POST /api/v1/workspaces/1/access-preview": {
        body: accessPreview({ documents_lost: 3, people_lost: 1, example_documents_lost: ["Salaries"] }),
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Revoke access of admin@example.com" }));
    const dialog = await screen.findByRole("dialog");
    const preview = await within(dialog).findByRole("status", { name: "Access preview" });
    expect(preview).toHaveTextContent("3 documents will no longer be visible to 1 person.");
    expect(preview).toHaveTextContent("Salaries");
  });

  it("says what failed with a retry when part of the page cannot be loaded", async () => {
    renderSpace({
      "GET /api/v1/workspaces/1/spaces/4/grants": {
        status: 500,
        body: { error: { code: "server_error", message: "The database is unavailable." } },
      },
    });
    const title = await screen.findByText("Could not load this space");
    const alert = title.closest<HTMLElement>('[role="alert"]')!;
    expect(alert).toHaveTextContent("The database is unavailable.");
    expect(within(alert).getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });
});
