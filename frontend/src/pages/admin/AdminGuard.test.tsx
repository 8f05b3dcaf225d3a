import { screen } from "@testing-library/react";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { RequireAuth } from "../../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch } from "../../test/utils";
import { AdminGuard } from "./AdminGuard";
import { MembersPage } from "./MembersPage";

const MEMBERS = [
  {
    id: 1,
    user_id: 7,
    email: "admin@example.com",
    full_name: "Pat admin",
    role: "admin",
    created_at: "2026-01-02T10:00:00Z",
  },
];

function renderAdminRoute() {
  return renderWithProviders(
    <Routes>
      <Route
        path="/admin"
        element={
          <RequireAuth>
            <AdminGuard />
          </RequireAuth>
        }
      >
        <Route path="members" element={<MembersPage />} />
      </Route>
    </Routes>,
    { path: "/admin/members" },
  );
}

describe("AdminGuard", () => {
  it("tells a member they need the admin role and never asks for the data", async () => {
    const { requests } = stubFetch({
      "GET /api/v1/me": { body: meWithRole("member") },
      "GET /api/v1/workspaces/1/members": { body: MEMBERS },
    });
    renderAdminRoute();

    expect(await screen.findByRole("heading", { name: "You need the admin role" })).toBeInTheDocument();
    expect(screen.getByText(/You are a member there/)).toBeInTheDocument();
    expect(screen.queryByText("admin@example.com")).not.toBeInTheDocument();
    expect(requests.map((r) => r.url.pathname)).toEqual(["/api/v1/me"]);
  });

  it("shows the page to an admin", async () => {
    stubFetch({
      "GET /api/v1/me": { body: meWithRole("admin") },
      "GET /api/v1/workspaces/1/members": { body: MEMBERS },
    });
    renderAdminRoute();

    expect(await screen.findByText("admin@example.com")).toBeInTheDocument();
    expect(screen.queryByText("You need the admin role")).not.toBeInTheDocument();
  });
});
