import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import type { Connection, SyncRun } from "../../../api/client";
import { RequireAuth } from "../../../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch } from "../../../test/utils";
import { ConnectionDetailPage } from "./ConnectionDetailPage";
import { CredentialFields } from "./CredentialFields";
import { CHANNELS, connection, CONNECTORS, SLACK, syncRun } from "./fixtures";

const BASE = "/api/v1/workspaces/1/connections/5";

function renderPage(current: Connection, runs: SyncRun[], routes: Parameters<typeof stubFetch>[0] = {}) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    "GET /api/v1/workspaces/1/connectors": { body: CONNECTORS },
    [`GET ${BASE}`]: { body: current },
    [`GET ${BASE}/syncs`]: { body: runs },
    [`GET ${BASE}/hierarchy`]: { body: CHANNELS },
    ...routes,
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/admin/connections/:connectionId"
        element={
          <RequireAuth>
            <ConnectionDetailPage />
          </RequireAuth>
        }
      />
    </Routes>,
    { path: "/admin/connections/5" },
  );
  return stub;
}

describe("cancelling a sync", () => {
  it("cancels the running sync from its card and says it stops at the next page", async () => {
    const running = syncRun({ id: 21, status: "running", finished_at: null, pages: 2 });
    const stopping = { ...running, cancel_requested: true };
    const stub = renderPage(connection({ latest_run: running }), [running], {
      [`POST ${BASE}/syncs/21/cancel`]: { body: stopping },
    });
    const button = await screen.findByRole("button", { name: "Cancel sync" });
    await userEvent.click(button);
    await waitFor(() =>
      expect(stub.requests.some((request) => request.method === "POST" && request.url.pathname.endsWith("/21/cancel"))).toBe(
        true,
      ),
    );
    expect(await screen.findByRole("button", { name: "Stopping…" })).toBeDisabled();
    expect(screen.getByText(/Stops after the page it is on/)).toBeInTheDocument();
    expect(await screen.findByText(/The sync stops after the page it is on/)).toBeInTheDocument();
  });

  it("shows a cancelled run as cancelled in the history", async () => {
    renderPage(connection({ latest_run: syncRun({ status: "cancelled" }) }), [syncRun({ status: "cancelled" })]);
    expect((await screen.findAllByText("Cancelled")).length).toBeGreaterThan(0);
  });

  it("says why a run became a full resync by itself", async () => {
    const note = "Google Drive no longer accepts the saved change token. A full resync started by itself to catch up.";
    renderPage(connection(), [syncRun({ note })]);
    expect(await screen.findByText(note)).toBeInTheDocument();
  });
});

describe("Notion's verification token", () => {
  it("is shown with the steps while webhooks are being set up", async () => {
    renderPage(connection({ kind: "notion", webhook_verification_token: "secret_abc123" }), []);
    expect(await screen.findByRole("heading", { name: "Finish the webhook setup" })).toBeInTheDocument();
    expect(screen.getByLabelText("Verification token")).toHaveValue("secret_abc123");
    expect(screen.getByRole("button", { name: "Copy verification token" })).toBeInTheDocument();
    expect(screen.getByText(/click Verify on the subscription/)).toBeInTheDocument();
  });

  it("is not shown once the credentials carry it", async () => {
    renderPage(connection({ kind: "notion" }), []);
    await screen.findByRole("heading", { name: "Sync history" });
    expect(screen.queryByText("Finish the webhook setup")).not.toBeInTheDocument();
  });
});

describe("credential help", () => {
  it("says where to find each value, with a link to the provider's page", async () => {
    renderWithProviders(<CredentialFields connector={SLACK} values={{}} onChange={() => undefined} />);
    expect(await screen.findByText(/OAuth & Permissions → Bot User OAuth Token/)).toBeInTheDocument();
    const link = screen.getByRole("link", { name: /Where to find it/ });
    expect(link).toHaveAttribute("href", "https://api.slack.com/authentication/token-types#bot");
    expect(link).toHaveAttribute("target", "_blank");
  });
});
