import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Connection, SyncRun } from "../../../api/client";
import { RequireAuth } from "../../../auth/RequireAuth";
import { SYNC_POLL_MS } from "../../../api/connections";
import { accessPreview } from "../../../test/accessPreview";
import { meWithRole, renderWithProviders, stubFetch } from "../../../test/utils";
import { ConnectionDetailPage } from "./ConnectionDetailPage";
import { CHANNELS, connection, CONNECTORS, syncRun } from "./fixtures";

const BASE = "/api/v1/workspaces/1/connections/5";
type Routes = Parameters<typeof stubFetch>[0];

function renderPage(
  current: Connection | (() => Connection),
  runs: SyncRun[] | (() => SyncRun[]),
  routes: Routes = {},
) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    "GET /api/v1/workspaces/1/connectors": { body: CONNECTORS },
    [`GET ${BASE}`]: () => ({ body: typeof current === "function" ? current() : current }),
    [`GET ${BASE}/syncs`]: () => ({ body: typeof runs === "function" ? runs() : runs }),
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
      <Route path="/admin/connections" element={<p>connections list</p>} />
    </Routes>,
    { path: "/admin/connections/5" },
  );
  const calls = (method: string, path: string) =>
    stub.requests.filter((request) => request.method === method && request.url.pathname === path);
  return { ...stub, calls };
}

afterEach(() => {
  vi.useRealTimers();
});

const NEEDS_CREDENTIALS = connection({
  status: "needs_credentials",
  status_message:
    "Slack refused the bot token: token_revoked. Syncing is paused and the documents already synced stay searchable; enter new credentials to resume.",
  latest_run: syncRun({
    status: "failed",
    error_code: "invalid_credentials",
    error_message: "Slack refused the bot token: token_revoked.",
  }),
});

describe("ConnectionDetailPage", () => {
  it("says what to do when the source refused the credentials, and replaces them", async () => {
    let current = NEEDS_CREDENTIALS;
    const { calls } = renderPage(() => current, [NEEDS_CREDENTIALS.latest_run!], {
      [`PUT ${BASE}/credentials`]: (request) => {
        const token = (request.body as { credentials: Record<string, string> }).credentials.bot_token;
        if (token !== "xoxb-new") {
          return {
            status: 422,
            body: { error: { code: "invalid_credentials", message: "Slack refused these credentials: invalid_auth." } },
          };
        }
        current = connection();
        return { body: current };
      },
    });
    const user = userEvent.setup();

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Slack refused the credentials: syncing has stopped");
    expect(alert).toHaveTextContent(NEEDS_CREDENTIALS.status_message);
    expect(screen.getByText("Needs credentials")).toBeInTheDocument();
    // Nothing can sync until then, and the source is not asked for its channels.
    expect(screen.getByRole("button", { name: "Sync now" })).toBeDisabled();
    expect(screen.getByRole("button", { name: "Resync everything" })).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Pause" })).toBeNull();
    expect(screen.getByText("Credentials needed")).toBeInTheDocument();
    expect(calls("GET", `${BASE}/hierarchy`)).toHaveLength(0);

    await user.click(within(alert).getByRole("button", { name: "Replace credentials" }));
    const dialog = await screen.findByRole("dialog", { name: "Replace the credentials of Acme Slack" });
    const token = within(dialog).getByLabelText(/^Bot token/);
    expect(token).toHaveAttribute("type", "password");
    expect(token).toHaveValue("");

    await user.click(token);
    await user.paste("xoxb-old");
    await user.click(within(dialog).getByRole("button", { name: "Check and save" }));
    expect(await within(dialog).findByText("Slack refused these credentials")).toBeInTheDocument();
    expect(within(dialog).getByRole("alert")).toHaveTextContent("invalid_auth");

    await user.clear(token);
    await user.paste("xoxb-new");
    await user.click(within(dialog).getByRole("button", { name: "Check and save" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).toBeNull());
    expect(calls("PUT", `${BASE}/credentials`).at(-1)!.body).toEqual({ credentials: { bot_token: "xoxb-new" } });
    // The page reloads: active again, the picker lists the channels.
    expect(await screen.findByRole("tree", { name: "Slack channels" })).toBeInTheDocument();
    expect(screen.queryByText("Slack refused the credentials: syncing has stopped")).toBeNull();
    expect(screen.getByRole("button", { name: "Sync now" })).toBeEnabled();
  });

  it("shows a running sync's progress and refreshes until it finishes", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const running = syncRun({
      status: "running",
      progress_done: 2,
      progress_total: 8,
      documents_upserted: 2,
      finished_at: null,
      duration_seconds: 4,
    });
    let polls = 0;
    const runs = () => {
      polls += 1;
      return [polls < 3 ? running : syncRun()];
    };
    const { calls } = renderPage(() => connection({ latest_run: runs()[0] }), runs);

    const current = await screen.findByRole("region", { name: "Full sync in progress" });
    expect(within(current).getByRole("progressbar", { name: "Progress of the current sync" })).toHaveAttribute(
      "aria-valuenow",
      "25",
    );
    expect(within(current).getByText("2 of 8")).toBeInTheDocument();

    await act(async () => {
      await vi.advanceTimersByTimeAsync(SYNC_POLL_MS + 10);
    });
    await waitFor(() => expect(screen.queryByRole("region", { name: "Full sync in progress" })).toBeNull());
    const table = screen.getByRole("table", { name: "Sync history" });
    expect(within(table).getByText("Succeeded")).toBeInTheDocument();

    const settled = calls("GET", `${BASE}/syncs`).length;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(SYNC_POLL_MS * 3);
    });
    expect(calls("GET", `${BASE}/syncs`)).toHaveLength(settled);
  });

  it("starts a sync now, and a full resync after confirming", async () => {
    const queued = (mode: string) =>
      syncRun({
        id: 20,
        mode,
        status: "queued",
        trigger: "admin",
        started_at: null,
        finished_at: null,
        duration_seconds: null,
      });
    const { calls } = renderPage(connection(), [syncRun()], {
      [`POST ${BASE}/syncs`]: (request) => ({ status: 202, body: queued((request.body as { mode: string }).mode) }),
    });
    const user = userEvent.setup();

    await user.click(await screen.findByRole("button", { name: "Sync now" }));
    await waitFor(() => expect(calls("POST", `${BASE}/syncs`)).toHaveLength(1));
    expect(calls("POST", `${BASE}/syncs`)[0].body).toEqual({ mode: "incremental", item_ids: [] });
    expect(await screen.findByRole("region", { name: "Incremental queued" })).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Resync everything" }));
    const dialog = await screen.findByRole("dialog", { name: "Resync everything" });
    expect(dialog).toHaveTextContent("documents that are gone there are deleted");
    await user.click(within(dialog).getByRole("button", { name: "Resync everything" }));
    await waitFor(() => expect(calls("POST", `${BASE}/syncs`)).toHaveLength(2));
    expect(calls("POST", `${BASE}/syncs`)[1].body).toEqual({ mode: "full", item_ids: [] });
  });

  it("shows the webhook URL to copy, pauses, and deletes after a warning about the documents", async () => {
    const { calls } = renderPage(connection(), [syncRun()], {
      [`PATCH ${BASE}`]: () => ({ body: connection({ status: "paused" }) }),
      [`DELETE ${BASE}`]: { status: 204 },
    });
    const user = userEvent.setup();

    const webhook = await screen.findByRole("textbox", { name: "Webhook URL" });
    expect(webhook).toHaveValue(`${window.location.origin}/webhooks/slack/5`);
    expect(screen.getByRole("button", { name: "Copy webhook URL" })).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Pause" }));
    await waitFor(() => expect(calls("PATCH", BASE)).toHaveLength(1));
    expect(calls("PATCH", BASE)[0].body).toEqual({ paused: true });
    expect(await screen.findByRole("button", { name: "Resume" })).toBeInTheDocument();
    expect(screen.getByText(/No syncs run while the connection is paused/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Sync now" })).toBeDisabled();

    await user.click(screen.getByRole("button", { name: "More actions" }));
    await user.click(await screen.findByRole("menuitem", { name: "Delete connection" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete connection" });
    expect(dialog).toHaveTextContent("The 40 documents synced through it will be deleted too");
    await user.click(within(dialog).getByRole("button", { name: "Delete connection" }));
    expect(await screen.findByText("connections list")).toBeInTheDocument();
    expect(calls("DELETE", BASE)).toHaveLength(1);
  });

  it("shows what a new selection drops before it is saved", async () => {
    const { calls } = renderPage(connection({ selected_ids: ["C1", "C2"] }), [syncRun()], {
      [`POST ${BASE}/selection-preview`]: {
        body: accessPreview({ documents_lost: 25, people_lost: 12, example_documents_lost: ["#general"] }),
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("checkbox", { name: /#general/ }));
    const preview = await screen.findByRole("status", { name: "Access preview" });
    expect(preview).toHaveTextContent("25 documents will no longer be visible to 12 people.");
    await waitFor(() => expect(calls("POST", `${BASE}/selection-preview`).at(-1)?.body).toEqual({ selected_ids: ["C1"] }));
    expect(calls("PATCH", BASE)).toHaveLength(0);
  });

  it("says so when the connection does not exist", async () => {
    renderPage(connection(), [], {
      [`GET ${BASE}`]: { status: 404, body: { error: { code: "not_found", message: "No such connection." } } },
    });
    expect(await screen.findByText("This connection does not exist")).toBeInTheDocument();
  });
});
