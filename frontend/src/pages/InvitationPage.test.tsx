import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import type { InvitationPreview, Me } from "../api/client";
import { useAuth } from "../auth/AuthContext";
import { useWorkspace } from "../auth/WorkspaceContext";
import { meWithRole, renderWithProviders, stubFetch } from "../test/utils";
import { InvitationPage } from "./InvitationPage";
import { LoginPage } from "./LoginPage";

const TOKEN = "tok-abc_123";
const PREVIEW: InvitationPreview = {
  workspace_name: "Globex",
  email: "lee@example.com",
  role: "builder",
  invited_by_email: "boss@example.com",
  expires_at: "2026-12-10T10:00:00Z",
  account_exists: false,
  signed_in_as: null,
};
const NOT_LOGGED_IN = { status: 401, body: { error: { code: "unauthenticated", message: "Log in first." } } };

const JOINED: Me = {
  id: 12,
  email: "lee@example.com",
  full_name: "Lee Park",
  is_operator: false,
  can_create_workspaces: false,
  workspaces: [{ workspace_id: 5, workspace_name: "Globex", workspace_slug: "globex", role: "builder" }],
};

function Home() {
  const { me } = useAuth();
  const { workspace } = useWorkspace();
  return (
    <p>
      Home of {workspace?.workspace_name ?? "nobody"} as {me?.email ?? "anonymous"}
    </p>
  );
}

function renderInvitation(routes: Parameters<typeof stubFetch>[0]) {
  document.cookie = "csrftoken=abc; path=/";
  const stub = stubFetch({ "GET /api/v1/me": NOT_LOGGED_IN, ...routes });
  renderWithProviders(
    <Routes>
      <Route path="/invite/:token" element={<InvitationPage />} />
      <Route path="/login" element={<LoginPage />} />
      <Route path="/" element={<Home />} />
    </Routes>,
    { path: `/invite/${TOKEN}` },
  );
  return stub;
}

const acceptPath = `POST /api/v1/invitations/${TOKEN}/accept`;
const previewPath = `GET /api/v1/invitations/${TOKEN}`;

describe("InvitationPage", { timeout: 20_000 }, () => {
  it("lets a person without an account set a password, then logs them in to the workspace", async () => {
    const { requests } = renderInvitation({
      [previewPath]: { body: PREVIEW },
      [acceptPath]: { body: JOINED },
    });
    const user = userEvent.setup();

    expect(
      await screen.findByText((_, node) => node?.tagName === "P" && /boss@example.com invited you to join Globex as a builder/.test(node.textContent ?? "")),
    ).toBeInTheDocument();
    const form = screen.getByRole("form", { name: "Create your account" });
    await user.click(within(form).getByLabelText("Full name"));
    await user.paste("Lee Park");
    await user.click(within(form).getByLabelText(/^Password/, { selector: "input" }));
    await user.paste("a-long-passphrase");
    await user.click(within(form).getByLabelText(/Confirm password/, { selector: "input" }));
    await user.paste("a-long-passphrase");
    await user.click(within(form).getByRole("button", { name: "Create account and join" }));

    expect(await screen.findByText("Home of Globex as lee@example.com")).toBeInTheDocument();
    const accept = requests.find((r) => r.method === "POST" && r.url.pathname.endsWith("/accept"));
    expect(accept?.body).toEqual({ password: "a-long-passphrase", full_name: "Lee Park" });
    expect(accept?.headers.get("X-CSRFToken")).toBe("abc");
  });

  it("refuses two different passwords before sending anything, and shows the API's weak-password message", async () => {
    const { requests } = renderInvitation({
      [previewPath]: { body: PREVIEW },
      [acceptPath]: {
        status: 422,
        body: { error: { code: "weak_password", message: "This password is too common." } },
      },
    });
    const user = userEvent.setup();
    const form = await screen.findByRole("form", { name: "Create your account" });
    await user.click(within(form).getByLabelText(/^Password/, { selector: "input" }));
    await user.paste("password123");
    await user.click(within(form).getByLabelText(/Confirm password/, { selector: "input" }));
    await user.paste("password124");
    await user.click(within(form).getByRole("button", { name: "Create account and join" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("The two passwords differ");
    expect(requests.some((r) => r.method === "POST")).toBe(false);

    await user.clear(within(form).getByLabelText(/Confirm password/, { selector: "input" }));
    await user.paste("password123");
    await user.click(within(form).getByRole("button", { name: "Create account and join" }));
    expect(await within(form).findByText("This password is too common.")).toBeInTheDocument();
  });

  it("lets the invited person, signed in, accept or decline", async () => {
    const signedIn = { ...meWithRole("member"), email: "lee@example.com" };
    const { requests } = renderInvitation({
      "GET /api/v1/me": { body: signedIn },
      [previewPath]: { body: { ...PREVIEW, account_exists: true, signed_in_as: "lee@example.com" } },
      [`POST /api/v1/invitations/${TOKEN}/decline`]: { status: 204 },
    });
    const user = userEvent.setup();
    await screen.findByRole("button", { name: "Accept" });
    expect(screen.queryByLabelText(/password/i)).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Decline" }));
    expect(await screen.findByText("Invitation declined")).toBeInTheDocument();
    expect(requests.some((r) => r.method === "POST" && r.url.pathname.endsWith("/decline"))).toBe(true);
  });

  it("accepting while signed in as the invited person opens the new workspace", async () => {
    const signedIn = { ...meWithRole("member"), email: "lee@example.com" };
    renderInvitation({
      "GET /api/v1/me": { body: signedIn },
      [previewPath]: { body: { ...PREVIEW, account_exists: true, signed_in_as: "lee@example.com" } },
      [acceptPath]: {
        body: { ...signedIn, workspaces: [...signedIn.workspaces, ...JOINED.workspaces] },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Accept" }));
    expect(await screen.findByText("Home of Globex as lee@example.com")).toBeInTheDocument();
  });

  it("sends an existing account that is not signed in to log in, and back here after", async () => {
    let loggedIn = false;
    const { requests } = renderInvitation({
      [previewPath]: () => ({
        body: { ...PREVIEW, account_exists: true, signed_in_as: loggedIn ? "lee@example.com" : null },
      }),
      "POST /api/v1/auth/login": () => {
        loggedIn = true;
        return { body: { ...meWithRole("member"), email: "lee@example.com" } };
      },
    });
    const user = userEvent.setup();
    const link = await screen.findByRole("link", { name: "Log in as lee@example.com to accept" });
    expect(link).toHaveAttribute("href", `/login?next=${encodeURIComponent(`/invite/${TOKEN}`)}`);
    expect(screen.queryByLabelText(/password/i)).not.toBeInTheDocument();
    expect(requests.some((r) => r.method === "POST")).toBe(false);

    await user.click(link);
    await user.click(await screen.findByLabelText(/work email/i));
    await user.paste("lee@example.com");
    await user.click(screen.getByLabelText(/password/i, { selector: "input" }));
    await user.paste("their-own-password");
    await user.click(screen.getByRole("button", { name: "Log in" }));
    expect(await screen.findByRole("button", { name: "Accept" })).toBeInTheDocument();
  });

  it("tells someone signed in as another person, and offers to log out", async () => {
    const other = { ...meWithRole("admin"), email: "mallory@example.com" };
    let loggedOut = false;
    const { requests } = renderInvitation({
      "GET /api/v1/me": () => (loggedOut ? NOT_LOGGED_IN : { body: other }),
      [previewPath]: () => ({
        body: { ...PREVIEW, account_exists: true, signed_in_as: loggedOut ? null : "mallory@example.com" },
      }),
      "POST /api/v1/auth/logout": () => {
        loggedOut = true;
        return { status: 204 };
      },
    });
    const user = userEvent.setup();
    const notice = await screen.findByText("Signed in as someone else");
    expect(notice.closest('[role="status"]')).toHaveTextContent(
      /signed in as mallory@example.com, but this invitation is for lee@example.com/,
    );
    expect(screen.queryByRole("button", { name: "Accept" })).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Log out" }));
    expect(await screen.findByRole("link", { name: "Log in as lee@example.com to accept" })).toBeInTheDocument();
    expect(requests.some((r) => r.method === "POST" && r.url.pathname.endsWith("/accept"))).toBe(false);
  });

  it("says a used, revoked or expired link is no longer valid (410)", async () => {
    renderInvitation({
      [previewPath]: {
        status: 410,
        body: { error: { code: "invitation_invalid", message: "This invitation is no longer valid." } },
      },
    });
    expect(
      await screen.findByText("This invitation link is no longer valid: ask your admin for a new one."),
    ).toBeInTheDocument();
    expect(screen.queryByRole("form")).not.toBeInTheDocument();
  });

  it("says so when the link stops working between opening and accepting", async () => {
    renderInvitation({
      [previewPath]: { body: PREVIEW },
      [acceptPath]: {
        status: 410,
        body: { error: { code: "invitation_invalid", message: "This invitation is no longer valid." } },
      },
    });
    const user = userEvent.setup();
    const form = await screen.findByRole("form", { name: "Create your account" });
    await user.click(within(form).getByLabelText(/^Password/, { selector: "input" }));
    await user.paste("a-long-passphrase");
    await user.click(within(form).getByLabelText(/Confirm password/, { selector: "input" }));
    await user.paste("a-long-passphrase");
    await user.click(within(form).getByRole("button", { name: "Create account and join" }));
    await waitFor(() =>
      expect(screen.getByText(/This invitation link is no longer valid/)).toBeInTheDocument(),
    );
  });
});
