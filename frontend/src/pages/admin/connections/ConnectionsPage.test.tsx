import { act, screen, waitFor, within } from "@testing-library/react";
import { Route, Routes } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import { RequireAuth } from "../../../auth/RequireAuth";
import { SYNC_POLL_MS } from "../../../api/connections";
import { meWithRole, renderWithProviders, stubFetch } from "../../../test/utils";
import { ConnectionsPage } from "./ConnectionsPage";
import { connection, syncRun } from "./fixtures";

const LIST = "/api/v1/workspaces/1/connections";

function renderPage(answer: () => unknown) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    [`GET ${LIST}`]: () => ({ body: answer() }),
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/admin/connections"
        element={
          <RequireAuth>
            <ConnectionsPage />
          </RequireAuth>
        }
      />
    </Routes>,
    { path: "/admin/connections" },
  );
  return { ...stub, listCalls: () => stub.requests.filter((request) => request.url.pathname === LIST) };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("ConnectionsPage", () => {
  it("lists each connection with its source, status, documents and last sync", async () => {
    renderPage(() => [
      connection({ selected_ids: ["C1", "C2"] }),
      connection({
        id: 6,
        kind: "github",
        name: "Engineering GitHub",
        status: "needs_credentials",
        status_message: "GitHub refused the token.",
        document_count: 1204,
        latest_run: syncRun({
          id: 30,
          status: "failed",
          error_code: "invalid_credentials",
          error_message: "GitHub refused the token: Bad credentials.",
        }),
      }),
      connection({ id: 7, name: "Wiki", kind: "notion", status: "paused", document_count: 0, latest_run: null }),
    ]);

    const table = await screen.findByRole("table", { name: "Connections" });
    const [, slack, github, notion] = within(table).getAllByRole("row");
    expect(within(slack).getByRole("link", { name: "Acme Slack" })).toHaveAttribute("href", "/admin/connections/5");
    expect(slack).toHaveTextContent("Slack · 2 picked");
    expect(within(slack).getByText("Active")).toBeInTheDocument();
    expect(within(slack).getByText("Succeeded")).toBeInTheDocument();
    expect(within(slack).getByText("40 added or updated")).toBeInTheDocument();

    expect(github).toHaveTextContent("GitHub · everything it can reach");
    expect(within(github).getByText("Needs credentials")).toBeInTheDocument();
    expect(within(github).getByText("Replace its credentials to resume")).toBeInTheDocument();
    expect(within(github).getByText("1,204")).toBeInTheDocument();
    expect(within(github).getByText("GitHub refused the token: Bad credentials.")).toBeInTheDocument();

    expect(within(notion).getByText("Paused")).toBeInTheDocument();
    expect(within(notion).getByText("Never synced")).toBeInTheDocument();
  });

  it("shows progress and refreshes every few seconds only while a sync runs", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    let calls = 0;
    const { listCalls } = renderPage(() => {
      calls += 1;
      const run =
        calls === 1
          ? syncRun({ status: "running", progress_done: 6, progress_total: 8, finished_at: null })
          : syncRun({ documents_upserted: 8 });
      return [connection({ latest_run: run })];
    });

    const bar = await screen.findByRole("progressbar", { name: "Sync progress of Acme Slack" });
    expect(bar).toHaveAttribute("aria-valuenow", "75");
    expect(screen.getByText("Refreshing every few seconds while a sync runs.")).toBeInTheDocument();

    await act(async () => {
      await vi.advanceTimersByTimeAsync(SYNC_POLL_MS + 10);
    });
    await waitFor(() => expect(screen.getByText("8 added or updated")).toBeInTheDocument());
    expect(screen.queryByRole("progressbar")).toBeNull();

    await act(async () => {
      await vi.advanceTimersByTimeAsync(SYNC_POLL_MS * 3);
    });
    expect(listCalls()).toHaveLength(2);
  });

  it("has an empty state that leads to adding one", async () => {
    renderPage(() => []);
    expect(await screen.findByText("No connections yet")).toBeInTheDocument();
    expect(screen.getAllByRole("link", { name: "Add connection" })[0]).toHaveAttribute(
      "href",
      "/admin/connections/new",
    );
  });

  it("says what failed and offers a retry", async () => {
    stubFetch({
      "GET /api/v1/me": { body: meWithRole("admin") },
      [`GET ${LIST}`]: { status: 500, body: {} },
    });
    renderWithProviders(
      <Routes>
        <Route
          path="/admin/connections"
          element={
            <RequireAuth>
              <ConnectionsPage />
            </RequireAuth>
          }
        />
      </Routes>,
      { path: "/admin/connections" },
    );
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not load the connections");
    expect(within(alert).getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });
});
