import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import type { Group, Member } from "../../api/client";
import { RequireAuth } from "../../auth/RequireAuth";
import { accessPreview } from "../../test/accessPreview";
import { meWithRole, renderWithProviders, stubFetch } from "../../test/utils";
import { GroupsPage } from "./GroupsPage";

const MEMBERS: Member[] = [
  { id: 1, user_id: 7, email: "admin@example.com", full_name: "Pat admin", role: "admin", created_at: "2026-01-02T10:00:00Z" },
  { id: 2, user_id: 9, email: "lee@example.com", full_name: "", role: "member", created_at: "2026-01-03T10:00:00Z" },
];

const ENGINEERING: Group = { id: 3, name: "Engineering", source: "manual", member_ids: [1] };

function renderGroups(routes: Parameters<typeof stubFetch>[0] = {}) {
  document.cookie = "csrftoken=abc; path=/";
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    "GET /api/v1/workspaces/1/members": { body: MEMBERS },
    "GET /api/v1/workspaces/1/groups": { body: [ENGINEERING] },
    ...routes,
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/admin/groups"
        element={
          <RequireAuth>
            <GroupsPage />
          </RequireAuth>
        }
      />
    </Routes>,
    { path: "/admin/groups" },
  );
  return stub;
}

describe("GroupsPage", { timeout: 20_000 }, () => {
  it("lists groups with their member count, and adds a member from the drawer", async () => {
    const { requests } = renderGroups({
      "POST /api/v1/workspaces/1/groups/3/members": { body: { ...ENGINEERING, member_ids: [1, 2] } },
    });
    const user = userEvent.setup();
    const row = (await screen.findByText("Engineering")).closest("tr")!;
    expect(within(row).getByText("1 member")).toBeInTheDocument();

    await user.click(within(row).getByRole("button", { name: "Manage members" }));
    const drawer = await screen.findByRole("dialog");
    await user.click(within(drawer).getByRole("textbox", { name: "Add a member" }));
    await user.click(await screen.findByRole("option", { name: "lee@example.com" }));
    await user.click(within(drawer).getByRole("button", { name: "Add" }));

    await waitFor(() => expect(within(row).getByText("2 members")).toBeInTheDocument());
    expect(within(drawer).getByRole("button", { name: "Remove lee@example.com from Engineering" })).toBeInTheDocument();
    const add = requests.find(
      (request) => request.method === "POST" && request.url.pathname.endsWith("/groups/3/members"),
    );
    expect(add?.body).toEqual({ membership_id: 2 });
  });

  it("previews adding a member, and removes one only after a confirm that says what they lose", async () => {
    const { requests } = renderGroups({
      "POST /api/v1/workspaces/1/access-preview": (request) => ({
        body:
          (request.body as { kind: string }).kind === "group_add"
            ? accessPreview({ documents_gained: 2, people_gained: 1 })
            : accessPreview({ documents_lost: 5, people_lost: 1 }),
      }),
      "DELETE /api/v1/workspaces/1/groups/3/members/1": { status: 204 },
    });
    const user = userEvent.setup();
    const row = (await screen.findByText("Engineering")).closest("tr")!;
    await user.click(within(row).getByRole("button", { name: "Manage members" }));
    const drawer = await screen.findByRole("dialog");
    await user.click(within(drawer).getByRole("textbox", { name: "Add a member" }));
    await user.click(await screen.findByRole("option", { name: "lee@example.com" }));
    expect(await within(drawer).findByRole("status", { name: "Access preview" })).toHaveTextContent(
      "This makes 2 documents visible to 1 more person.",
    );

    await user.click(within(drawer).getByRole("button", { name: "Remove admin@example.com from Engineering" }));
    const confirm = await screen.findByRole("dialog", { name: "Remove from group" });
    expect(await within(confirm).findByRole("status", { name: "Access preview" })).toHaveTextContent(
      "5 documents will no longer be visible to 1 person.",
    );
    expect(requests.some((request) => request.method === "DELETE")).toBe(false);
    await user.click(within(confirm).getByRole("button", { name: "Remove" }));
    await waitFor(() => expect(within(row).getByText("0 members")).toBeInTheDocument());
    const asked = requests.filter((request) => request.url.pathname.endsWith("/access-preview"));
    expect(asked.map((request) => request.body)).toEqual([
      { kind: "group_add", group_id: 3, membership_id: 2 },
      { kind: "group_remove", group_id: 3, membership_id: 1 },
    ]);
  });

  it("deletes a group after confirming", async () => {
    renderGroups({ "DELETE /api/v1/workspaces/1/groups/3": { status: 204 } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Delete group Engineering" }));
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Delete group" }));
    expect(await screen.findByText("No groups yet")).toBeInTheDocument();
  });

  it("says what failed with a retry when the groups cannot be loaded", async () => {
    renderGroups({
      "GET /api/v1/workspaces/1/groups": {
        status: 500,
        body: { error: { code: "server_error", message: "The database is unavailable." } },
      },
    });
    const alert = (await screen.findByText("Could not load groups")).closest<HTMLElement>('[role="alert"]')!;
    expect(alert).toHaveTextContent("The database is unavailable.");
    expect(within(alert).getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });
});
