import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import type { Me, MyInvitation } from "../api/client";
import { RequireAuth } from "../auth/RequireAuth";
import { useWorkspace } from "../auth/WorkspaceContext";
import { WorkspaceSwitcher } from "../layout/WorkspaceSwitcher";
import { HomePage } from "../pages/HomePage";
import { meWithRole, renderWithProviders, stubFetch } from "../test/utils";

const LONER: Me = {
  id: 9,
  email: "lee@example.com",
  full_name: "Lee Park",
  is_operator: false,
  can_create_workspaces: false,
  workspaces: [],
};
const INVITATION: MyInvitation = {
  id: 31,
  workspace_name: "Globex",
  role: "member",
  invited_by_email: "boss@example.com",
  expires_at: "2026-12-10T10:00:00Z",
};
const GLOBEX = { workspace_id: 5, workspace_name: "Globex", workspace_slug: "globex", role: "member" };

function Inside() {
  const { workspace } = useWorkspace();
  return <p>Inside {workspace?.workspace_name}</p>;
}

function renderShell(routes: Parameters<typeof stubFetch>[0]) {
  document.cookie = "csrftoken=abc; path=/";
  const stub = stubFetch(routes);
  renderWithProviders(
    <Routes>
      <Route
        path="/"
        element={
          <RequireAuth>
            <WorkspaceSwitcher />
            <Inside />
          </RequireAuth>
        }
      />
    </Routes>,
  );
  return stub;
}

describe("pending invitations and workspace creation", { timeout: 20_000 }, () => {
  it("someone in no workspace yet accepts an invitation and lands in it", async () => {
    const { requests } = renderShell({
      "GET /api/v1/me": { body: LONER },
      "GET /api/v1/me/invitations": { body: [INVITATION] },
      "POST /api/v1/me/invitations/31/accept": { body: { ...LONER, workspaces: [GLOBEX] } },
    });
    const user = userEvent.setup();
    expect(await screen.findByText("You are not in a workspace yet")).toBeInTheDocument();
    const card = (await screen.findByText(/boss@example.com invited you to join Globex as a member/)).closest(
      "section",
    )!;
    expect(screen.getByText(/Ask your operator for a workspace/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Create workspace" })).not.toBeInTheDocument();

    await user.click(within(card).getByRole("button", { name: "Accept the invitation to Globex" }));
    expect(await screen.findByText("Inside Globex")).toBeInTheDocument();
    expect(requests.find((r) => r.method === "POST")?.headers.get("X-CSRFToken")).toBe("abc");
  });

  it("declining removes the invitation from the home page", async () => {
    document.cookie = "csrftoken=abc; path=/";
    const { requests } = stubFetch({
      "GET /api/v1/me": { body: meWithRole("member") },
      "GET /api/v1/me/invitations": { body: [INVITATION] },
      "POST /api/v1/me/invitations/31/decline": { status: 204 },
      "GET /api/v1/workspaces/1/members": { body: [] },
      "GET /api/v1/workspaces/1/spaces": { body: [] },
      "GET /api/v1/workspaces/1/groups": { body: [] },
    });
    const user = userEvent.setup();
    renderWithProviders(
      <RequireAuth>
        <HomePage />
      </RequireAuth>,
    );
    await user.click(await screen.findByRole("button", { name: "Decline the invitation to Globex" }));
    await waitFor(() => expect(screen.queryByText(/invited you to join Globex/)).not.toBeInTheDocument());
    expect(requests.some((r) => r.method === "POST" && r.url.pathname.endsWith("/31/decline"))).toBe(true);
    expect(requests.some((r) => r.url.pathname.endsWith("/accept"))).toBe(false);
  });

  it("offers 'Create workspace' only when me.can_create_workspaces, and opens the new one", async () => {
    let created = false;
    const { requests } = renderShell({
      "GET /api/v1/me": () => ({
        body: {
          ...LONER,
          can_create_workspaces: true,
          workspaces: created ? [{ ...GLOBEX, workspace_id: 8, workspace_name: "Initech", role: "admin" }] : [],
        },
      }),
      "GET /api/v1/me/invitations": { body: [] },
      "POST /api/v1/workspaces": () => {
        created = true;
        return { status: 201, body: { id: 8, name: "Initech", slug: "initech", created_at: "2026-12-03T10:00:00Z" } };
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Create workspace" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByLabelText(/name/i));
    await user.paste("Initech");
    await user.click(within(dialog).getByRole("button", { name: "Create workspace" }));

    expect(await screen.findByText("Inside Initech")).toBeInTheDocument();
    expect(requests.find((r) => r.method === "POST")?.body).toEqual({ name: "Initech" });
  });

  it("the workspace menu says to ask the operator when creating is not allowed", async () => {
    renderShell({
      "GET /api/v1/me": { body: meWithRole("admin") },
      "GET /api/v1/me/invitations": { body: [] },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: /Switch workspace/ }));
    expect(await screen.findByText("Ask your operator for a workspace.")).toBeInTheDocument();
    expect(screen.queryByRole("menuitem", { name: "Create workspace" })).not.toBeInTheDocument();
  });
});
