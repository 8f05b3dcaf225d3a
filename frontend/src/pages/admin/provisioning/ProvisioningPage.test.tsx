import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import type { AuditEvent } from "../../../api/client";
import type { ScimToken } from "../../../api/scim";
import { RequireAuth } from "../../../auth/RequireAuth";
import { NAV_SECTIONS } from "../../../layout/nav";
import { meWithRole, renderWithProviders, stubFetch } from "../../../test/utils";
import { ProvisioningPage } from "./ProvisioningPage";

const TOKEN: ScimToken = {
  id: 3,
  name: "Okta",
  prefix: "scim_abcdefg",
  created_at: "2026-12-01T10:00:00Z",
  last_used_at: "2026-12-03T10:00:00Z",
  revoked_at: null,
};

const EVENTS: AuditEvent[] = [
  {
    id: 9,
    action: "scim.user_deactivated",
    actor_email: "",
    target_type: "scim_user",
    target_id: "1",
    data: { user_name: "pat@corp.test", by: "scim", token: "scim_abcdefg" },
    created_at: "2026-12-03T10:05:00Z",
  },
];

type Answer = { status?: number; body?: unknown };

function renderPage(routes: Record<string, Answer | ((request: { body?: unknown }) => Answer)> = {}) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    "GET /api/v1/workspaces/1/scim": { body: { base_url: "https://agents.example.com/scim/v2" } },
    "GET /api/v1/workspaces/1/scim/tokens": { body: [TOKEN] },
    "GET /api/v1/workspaces/1/audit-events": { body: { items: EVENTS, count: 1 } },
    ...routes,
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/admin/provisioning"
        element={
          <RequireAuth>
            <ProvisioningPage />
          </RequireAuth>
        }
      />
    </Routes>,
    { path: "/admin/provisioning" },
  );
  return stub;
}

describe("ProvisioningPage", { timeout: 20_000 }, () => {
  it("shows the base URL, the tokens and the latest provisioning events", async () => {
    const { requests } = renderPage();
    expect(await screen.findByText("https://agents.example.com/scim/v2")).toBeInTheDocument();
    const tokens = await screen.findByRole("table", { name: "Tokens" });
    expect(within(tokens).getByText("Okta")).toBeInTheDocument();
    expect(within(tokens).getByText("Active")).toBeInTheDocument();
    const events = await screen.findByRole("table", { name: "Latest provisioning events" });
    expect(within(events).getByText("Person deactivated")).toBeInTheDocument();
    expect(within(events).getByText("pat@corp.test")).toBeInTheDocument();
    const audit = requests.find((request) => request.url.pathname.endsWith("/audit-events"));
    expect(audit?.url.searchParams.get("action")).toBe("scim.");
  });

  it("creates a token and shows its secret once, then lists it without it", async () => {
    const { requests } = renderPage({
      "GET /api/v1/workspaces/1/scim/tokens": { body: [] },
      "POST /api/v1/workspaces/1/scim/tokens": {
        status: 201,
        body: { ...TOKEN, id: 4, name: "Entra", token: "scim_the-secret" },
      },
    });
    const user = userEvent.setup();
    expect(await screen.findByText("No SCIM tokens yet")).toBeInTheDocument();
    await user.click(screen.getAllByRole("button", { name: "New SCIM token" })[0]);
    await user.type(await screen.findByRole("textbox", { name: /name/i }), "Entra");
    await user.click(screen.getByRole("button", { name: "Create token" }));
    expect(await screen.findByTestId("scim-token-secret")).toHaveTextContent("scim_the-secret");
    expect(requests.find((r) => r.method === "POST")?.body).toEqual({ name: "Entra" });
    await user.click(screen.getByRole("button", { name: "I have copied it" }));
    const tokens = await screen.findByRole("table", { name: "Tokens" });
    expect(within(tokens).getByText("Entra")).toBeInTheDocument();
    expect(screen.queryByText("scim_the-secret")).not.toBeInTheDocument();
  });

  it("revokes a token after confirmation", async () => {
    renderPage({
      "DELETE /api/v1/workspaces/1/scim/tokens/3": { body: { ...TOKEN, revoked_at: "2026-12-03T11:00:00Z" } },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Revoke SCIM token Okta" }));
    await user.click(await screen.findByRole("button", { name: "Revoke token" }));
    await waitFor(() => expect(screen.getByText("Revoked")).toBeInTheDocument());
  });

  it("says so, with a retry, when the tokens or events cannot be loaded, and says when there are none", async () => {
    renderPage({
      "GET /api/v1/workspaces/1/scim/tokens": { status: 500, body: { error: { code: "x", message: "boom" } } },
      "GET /api/v1/workspaces/1/audit-events": { body: { items: [], count: 0 } },
    });
    expect(await screen.findByText("Could not load SCIM tokens")).toBeInTheDocument();
    expect(screen.getAllByRole("button", { name: /retry/i }).length).toBeGreaterThan(0);
    expect(await screen.findByText("No provisioning events yet")).toBeInTheDocument();
  });

  it("has an admin nav entry", () => {
    const admin = NAV_SECTIONS.find((section) => section.label === "Admin");
    expect(admin?.items.some((item) => item.to === "/admin/provisioning" && item.label === "Provisioning")).toBe(true);
  });
});
