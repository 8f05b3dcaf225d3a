import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import type { Invitation, InvitationCreated } from "../../api/client";
import { RequireAuth } from "../../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch } from "../../test/utils";
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

const PENDING: Invitation = {
  id: 41,
  email: "lee@example.com",
  role: "builder",
  status: "pending",
  invited_by_email: "admin@example.com",
  created_at: "2026-12-01T10:00:00Z",
  expires_at: "2026-12-08T10:00:00Z",
  accepted_at: null,
};

const CREATED: InvitationCreated = {
  id: 42,
  email: "new@example.com",
  role: "member",
  status: "pending",
  invited_by_email: "admin@example.com",
  created_at: "2026-12-03T10:00:00Z",
  expires_at: "2026-12-10T10:00:00Z",
  accepted_at: null,
  invite_url: "http://agents.test/invite/first-token",
};

function renderMembers(routes: Parameters<typeof stubFetch>[0] = {}) {
  document.cookie = "csrftoken=abc; path=/";
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    "GET /api/v1/workspaces/1/members": { body: MEMBERS },
    "GET /api/v1/workspaces/1/invitations": { body: [PENDING] },
    ...routes,
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/admin/members"
        element={
          <RequireAuth>
            <MembersPage />
          </RequireAuth>
        }
      />
    </Routes>,
    { path: "/admin/members" },
  );
  return stub;
}

describe("MembersPage invitations", { timeout: 20_000 }, () => {
  it("invites by email and role only, then shows the invite link once with a copy button", async () => {
    const { requests } = renderMembers({
      "POST /api/v1/workspaces/1/invitations": { status: 201, body: CREATED },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Invite member" }));

    const form = await screen.findByRole("dialog");
    // The admin never sets someone's password (or name): the invitee does, from the link.
    expect(within(form).queryByLabelText(/password/i)).not.toBeInTheDocument();
    expect(form.querySelector('input[type="password"]')).toBeNull();
    expect(within(form).queryByLabelText(/full name/i)).not.toBeInTheDocument();

    await user.click(within(form).getByLabelText(/email/i));
    await user.paste("new@example.com");
    await user.click(within(form).getByRole("button", { name: "Send invite" }));

    const post = requests.find((r) => r.method === "POST" && r.url.pathname.endsWith("/invitations"));
    expect(post?.body).toEqual({ email: "new@example.com", role: "member" });
    expect(post?.headers.get("X-CSRFToken")).toBe("abc");

    const dialog = await screen.findByRole("dialog", { name: "Invitation sent" });
    expect(within(dialog).getByTestId("invite-link")).toHaveTextContent(CREATED.invite_url);
    expect(dialog).toHaveTextContent(/emailed an invitation to new@example.com/);
    expect(dialog).toHaveTextContent(/expires at/i);
    await user.click(within(dialog).getByRole("button", { name: "Copy invite link" }));
    expect(await navigator.clipboard.readText()).toBe(CREATED.invite_url);
  });

  it("shows the API's refusal in the invite form (a current member)", async () => {
    renderMembers({
      "POST /api/v1/workspaces/1/invitations": {
        status: 409,
        body: { error: { code: "already_member", message: "lee@example.com is already a member." } },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Invite member" }));
    const form = await screen.findByRole("dialog");
    await user.click(within(form).getByLabelText(/email/i));
    await user.paste("lee@example.com");
    await user.click(within(form).getByRole("button", { name: "Send invite" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("lee@example.com is already a member.");
  });

  it("lists pending invitations; 'Copy invite link' issues a new link and says the old one stops working", async () => {
    const reissued = { ...PENDING, invite_url: "http://agents.test/invite/second-token" };
    const { requests } = renderMembers({
      "POST /api/v1/workspaces/1/invitations/41/link": { body: reissued },
    });
    const user = userEvent.setup();

    const table = await screen.findByRole("table", { name: "Pending invitations" });
    const row = within(table).getByText("lee@example.com").closest("tr")!;
    expect(row).toHaveTextContent("Builder");
    expect(row).toHaveTextContent("admin@example.com");
    expect(row).toHaveTextContent("Pending");

    await user.click(within(row).getByRole("button", { name: "Copy invite link for lee@example.com" }));
    const dialog = await screen.findByRole("dialog", { name: "New invite link" });
    expect(within(dialog).getByTestId("invite-link")).toHaveTextContent(reissued.invite_url);
    expect(dialog).toHaveTextContent(/earlier link for lee@example.com stops working/);
    expect(requests.some((r) => r.method === "POST" && r.url.pathname.endsWith("/invitations/41/link"))).toBe(true);
  });

  it("revokes an invitation after confirming", async () => {
    const { requests } = renderMembers({
      "DELETE /api/v1/workspaces/1/invitations/41": { status: 204 },
    });
    const user = userEvent.setup();
    const table = await screen.findByRole("table", { name: "Pending invitations" });
    await user.click(within(table).getByRole("button", { name: "Revoke the invitation for lee@example.com" }));

    const confirm = await screen.findByRole("dialog", { name: "Revoke invitation" });
    expect(requests.some((r) => r.method === "DELETE")).toBe(false);
    await user.click(within(confirm).getByRole("button", { name: "Revoke invitation" }));

    await waitFor(() => expect(requests.some((r) => r.method === "DELETE")).toBe(true));
    await waitFor(() =>
      expect(screen.queryByRole("table", { name: "Pending invitations" })).not.toBeInTheDocument(),
    );
  });
});

describe("MembersPage with provisioning", { timeout: 20_000 }, () => {
  it("marks a member the identity provider deactivated", async () => {
    renderMembers({
      "GET /api/v1/workspaces/1/members": {
        body: [...MEMBERS, { ...MEMBERS[0], id: 2, user_id: 8, email: "gone@example.com", role: "member", deactivated_at: "2026-12-03T10:00:00Z" }],
      },
    });
    const row = (await screen.findByText("gone@example.com")).closest("tr");
    expect(row && within(row).getByText("Deactivated")).toBeInTheDocument();
  });
});
