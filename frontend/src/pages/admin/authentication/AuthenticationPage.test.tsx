import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import type { Member } from "../../../api/client";
import type { SsoProvider } from "../../../api/sso";
import { RequireAuth } from "../../../auth/RequireAuth";
import { NAV_SECTIONS } from "../../../layout/nav";
import { meWithRole, renderWithProviders, stubFetch } from "../../../test/utils";
import { AuthenticationPage } from "./AuthenticationPage";

const MEMBERS: Member[] = [
  { id: 1, user_id: 7, email: "admin@example.com", full_name: "Pat admin", role: "admin", created_at: "2026-01-02T10:00:00Z" },
];

const SAVED: SsoProvider = {
  kind: "oidc",
  preset: "okta",
  display_name: "",
  enabled: true,
  config: { issuer: "https://acme.okta.com", client_id: "abc", scopes: "openid email profile", groups_claim: "groups" },
  has_secret: true,
  jit_mode: "create",
  default_role: "member",
  map_groups: false,
  require_sso: false,
  break_glass_membership_id: null,
  redirect_uri: "https://agents.example.com/sso/1/oidc/callback",
  updated_at: "2026-12-01T10:00:00Z",
};

function renderPage(routes: Parameters<typeof stubFetch>[0] = {}) {
  document.cookie = "csrftoken=abc; path=/";
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    "GET /api/v1/workspaces/1/members": { body: MEMBERS },
    "GET /api/v1/workspaces/1/sso/provider": { status: 404, body: { error: { code: "not_found", message: "none" } } },
    "GET /api/v1/workspaces/1/sso/domains": { body: [] },
    "GET /api/v1/workspaces/1/sso/test-result": { body: { status: "none", code: "", message: "", claims: {} } },
    ...routes,
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/admin/authentication"
        element={
          <RequireAuth>
            <AuthenticationPage />
          </RequireAuth>
        }
      />
    </Routes>,
    { path: "/admin/authentication" },
  );
  return stub;
}

describe("AuthenticationPage", { timeout: 30_000 }, () => {
  it("is in the admin navigation", () => {
    const admin = NAV_SECTIONS.find((section) => section.label === "Admin");
    expect(admin?.items.some((item) => item.to === "/admin/authentication")).toBe(true);
  });

  it("sets up OIDC from a preset, showing the values to paste", async () => {
    const { requests } = renderPage({ "PUT /api/v1/workspaces/1/sso/provider": { body: SAVED } });
    const user = userEvent.setup();
    const form = await screen.findByRole("form", { name: "OpenID Connect settings" });
    expect(within(form).getByText(/\/sso\/1\/oidc\/callback/)).toBeInTheDocument();
    expect(screen.getByText("Save the provider first.")).toBeInTheDocument();
    await user.click(within(form).getByRole("textbox", { name: "Identity provider" }));
    await user.click(await screen.findByRole("option", { name: "Okta" }));
    await user.type(within(form).getByRole("textbox", { name: /Issuer URL/ }), "https://acme.okta.com");
    await user.type(within(form).getByRole("textbox", { name: /Client ID/ }), "abc");
    await user.type(within(form).getByLabelText("Client secret"), "s3cret");
    await user.click(within(form).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(requests.some((request) => request.method === "PUT")).toBe(true));
    const body = requests.find((request) => request.method === "PUT")?.body as Record<string, unknown>;
    expect(body).toMatchObject({ kind: "oidc", preset: "okta", secret: "s3cret", jit_mode: "create" });
    expect(body.config).toMatchObject({ issuer: "https://acme.okta.com", client_id: "abc" });
    expect(await screen.findByText("https://agents.example.com/sso/1/oidc/callback")).toBeInTheDocument();
  });

  it("claims a domain and shows a conflict's message", async () => {
    renderPage({
      "POST /api/v1/workspaces/1/sso/domains": {
        status: 409,
        body: { error: { code: "conflict", message: "acme.com is already claimed." } },
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByRole("textbox", { name: "Domain" }), "acme.com");
    await user.click(screen.getByRole("button", { name: "Claim domain" }));
    expect(await screen.findByText("acme.com is already claimed.")).toBeInTheDocument();
    expect(screen.getByText("No domain claimed")).toBeInTheDocument();
  });

  it("shows the claims of the last test sign-in", async () => {
    renderPage({
      "GET /api/v1/workspaces/1/sso/provider": { body: SAVED },
      "GET /api/v1/workspaces/1/sso/test-result": {
        body: {
          status: "ok",
          code: "",
          message: "",
          claims: { sub: "u1", email: "ada@acme.com" },
          email: "ada@acme.com",
          email_verified: true,
          name: "Ada",
          groups: ["finance"],
        },
      },
    });
    const result = await screen.findByRole("status", { name: "Test sign-in result" });
    expect(result).toHaveTextContent("ada@acme.com");
    expect(result).toHaveTextContent("Groups: finance");
    expect(screen.getByRole("link", { name: /Test sign-in/ })).toHaveAttribute("href", "/sso/1/oidc/start?test=1");
  });

  it("says when the provider cannot be loaded", async () => {
    renderPage({ "GET /api/v1/workspaces/1/sso/provider": { status: 500, body: {} } });
    expect(await screen.findByText("Could not load the identity provider")).toBeInTheDocument();
  });
});
