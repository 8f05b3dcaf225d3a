import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import type { Member } from "../../../api/client";
import type { LegalHold, RetentionPolicy } from "../../../api/retention";
import type { WorkspaceSettings } from "../../../api/workspaceSettings";
import { RequireAuth } from "../../../auth/RequireAuth";
import { NAV_SECTIONS } from "../../../layout/nav";
import { meWithRole, renderWithProviders, stubFetch } from "../../../test/utils";
import { describePeriod, periodsOf } from "./periods";
import { RetentionPage } from "./RetentionPage";

const FOREVER: RetentionPolicy = {
  conversations_days: null,
  uploads_days: null,
  audit_events_days: null,
  sync_logs_days: null,
  updated_at: null,
  updated_by_email: null,
  last_enforced_at: null,
  last_enforcement_counts: {},
};

const ENFORCED: RetentionPolicy = {
  ...FOREVER,
  conversations_days: 90,
  audit_events_days: 365,
  updated_at: "2026-11-02T10:00:00Z",
  updated_by_email: "admin@example.com",
  last_enforced_at: "2026-12-03T09:00:00Z",
  last_enforcement_counts: { conversations: 12, uploads: 0, audit_events: 340, sync_logs: 0, workspace_held: false },
};

const WORKSPACE: WorkspaceSettings = {
  id: 1,
  name: "Acme",
  slug: "acme",
  created_at: "2026-01-02T10:00:00Z",
  answers_with_revoked_sources: "hide",
};

const MEMBERS: Member[] = [
  { id: 1, user_id: 7, email: "admin@example.com", full_name: "Pat admin", role: "admin", created_at: "2026-01-02T10:00:00Z" },
  { id: 2, user_id: 9, email: "lee@example.com", full_name: "", role: "member", created_at: "2026-01-03T10:00:00Z" },
];

const HOLD: LegalHold = {
  id: 5,
  membership_id: 2,
  member_email: "lee@example.com",
  reason: "HR case 7",
  active: true,
  created_at: "2026-12-01T10:00:00Z",
  created_by_email: "admin@example.com",
  released_at: null,
  released_by_email: null,
};

function renderRetention(routes: Parameters<typeof stubFetch>[0] = {}) {
  document.cookie = "csrftoken=abc; path=/";
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    "GET /api/v1/workspaces/1/retention": { body: FOREVER },
    "GET /api/v1/workspaces/1/legal-holds": { body: [] },
    "GET /api/v1/workspaces/1/members": { body: MEMBERS },
    "GET /api/v1/workspaces/1": { body: WORKSPACE },
    ...routes,
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/admin/retention"
        element={
          <RequireAuth>
            <RetentionPage />
          </RequireAuth>
        }
      />
    </Routes>,
    { path: "/admin/retention" },
  );
  return stub;
}

describe("RetentionPage", { timeout: 20_000 }, () => {
  it("shows the four periods with what they mean, kept forever by default, and saves a period", async () => {
    const { requests } = renderRetention({
      "PUT /api/v1/workspaces/1/retention": { body: { ...FOREVER, conversations_days: 30 } },
    });
    const user = userEvent.setup();
    const conversations = await screen.findByRole("textbox", { name: "Conversations" });
    for (const label of ["Uploaded files", "Audit events", "Sync logs"]) {
      expect(screen.getByRole("textbox", { name: label })).toHaveValue("");
    }
    expect(screen.getByText(/with its answers, the passages they quoted and their feedback/)).toBeInTheDocument();
    expect(screen.getByText("Never changed: everything is kept forever.")).toBeInTheDocument();
    expect(screen.getByText(/Not run yet/)).toBeInTheDocument();
    const save = screen.getByRole("button", { name: "Save periods" });
    expect(save).toBeDisabled();

    await user.type(conversations, "30");
    await user.click(save);
    await waitFor(() => expect(requests.some((request) => request.method === "PUT")).toBe(true));
    expect(requests.find((request) => request.method === "PUT")?.body).toEqual({
      conversations_days: 30,
      uploads_days: null,
      audit_events_days: null,
      sync_logs_days: null,
    });
  });

  it("shows the last enforcement's counts", async () => {
    renderRetention({ "GET /api/v1/workspaces/1/retention": { body: ENFORCED } });
    const section = (await screen.findByRole("heading", { name: "Last enforcement" })).closest("section")!;
    expect(within(section).getByLabelText("Conversations deleted")).toHaveTextContent("12");
    expect(within(section).getByLabelText("Audit events deleted")).toHaveTextContent("340");
    expect(within(section).getByText("Conversations (90 days)")).toBeInTheDocument();
    expect(within(section).getByText("Uploaded files (Kept forever)")).toBeInTheDocument();
  });

  it("lists holds and releases one after confirming", async () => {
    const released = { ...HOLD, active: false, released_at: "2026-12-03T10:00:00Z", released_by_email: "admin@example.com" };
    let holds: LegalHold[] = [HOLD];
    const { requests } = renderRetention({
      "GET /api/v1/workspaces/1/legal-holds": () => ({ body: holds }),
      "POST /api/v1/workspaces/1/legal-holds/5/release": () => {
        holds = [released];
        return { body: released };
      },
    });
    const user = userEvent.setup();
    const table = await screen.findByRole("table", { name: "Legal holds" });
    const row = within(table).getByText("lee@example.com").closest("tr")!;
    expect(within(row).getByText("HR case 7")).toBeInTheDocument();
    expect(within(row).getByText("Active")).toBeInTheDocument();

    await user.click(within(row).getByRole("button", { name: "Release the hold on lee@example.com" }));
    await user.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Release hold" }));
    await waitFor(() => expect(within(table).queryByText("Active")).not.toBeInTheDocument());
    expect(within(table).getByText(/Released/)).toBeInTheDocument();
    expect(requests.some((request) => request.url.pathname.endsWith("/legal-holds/5/release"))).toBe(true);
  });

  it("places a hold on a member with a reason", async () => {
    let holds: LegalHold[] = [];
    const { requests } = renderRetention({
      "GET /api/v1/workspaces/1/legal-holds": () => ({ body: holds }),
      "POST /api/v1/workspaces/1/legal-holds": () => {
        holds = [HOLD];
        return { status: 201, body: HOLD };
      },
    });
    const user = userEvent.setup();
    expect(await screen.findByText("No legal holds")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Place a hold" }));
    const dialog = await screen.findByRole("dialog");
    const submit = within(dialog).getByRole("button", { name: "Place hold" });
    expect(submit).toBeDisabled();
    await user.click(within(dialog).getByRole("textbox", { name: "Hold" }));
    await user.click(await screen.findByRole("option", { name: "lee@example.com" }));
    await user.type(within(dialog).getByRole("textbox", { name: "Reason" }), "HR case 7");
    await user.click(submit);

    expect(await screen.findByRole("table", { name: "Legal holds" })).toHaveTextContent("lee@example.com");
    const placed = requests.find((request) => request.method === "POST");
    expect(placed?.body).toEqual({ reason: "HR case 7", membership_id: 2 });
  });

  it("says what failed with a retry when the policy cannot be loaded", async () => {
    renderRetention({
      "GET /api/v1/workspaces/1/retention": {
        status: 500,
        body: { error: { code: "server_error", message: "The database is unavailable." } },
      },
    });
    const alert = (await screen.findByText("Could not load the retention policy")).closest<HTMLElement>(
      '[role="alert"]',
    )!;
    expect(alert).toHaveTextContent("The database is unavailable.");
    expect(within(alert).getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });

  it("turns empty fields into kept forever, and has an admin nav entry", () => {
    expect(periodsOf({ conversations_days: 7, uploads_days: "", audit_events_days: "", sync_logs_days: 1 })).toEqual({
      conversations_days: 7,
      uploads_days: null,
      audit_events_days: null,
      sync_logs_days: 1,
    });
    expect(describePeriod(null)).toBe("Kept forever");
    expect(describePeriod(1)).toBe("1 day");
    const admin = NAV_SECTIONS.find((section) => section.label === "Admin");
    expect(admin?.items.some((item) => item.to === "/admin/retention" && item.label === "Retention")).toBe(true);
  });
  it("lets the admin choose whether answers whose sources closed still show their text", async () => {
    const { requests } = renderRetention({
      "PATCH /api/v1/workspaces/1": { body: { ...WORKSPACE, answers_with_revoked_sources: "show" } },
    });
    const user = userEvent.setup();
    const card = await screen.findByRole("region", { name: "Answers whose sources closed" });
    expect(await within(card).findByText(/The answer's text is withheld/)).toBeInTheDocument();

    await user.click(within(card).getByText("Show the answer"));
    await waitFor(() => expect(requests.some((request) => request.method === "PATCH")).toBe(true));
    expect(requests.find((request) => request.method === "PATCH")?.body).toEqual({
      answers_with_revoked_sources: "show",
    });
    expect(await within(card).findByText(/The answer's text stays/)).toBeInTheDocument();
  });

  it("says so when the setting cannot be changed", async () => {
    renderRetention({
      "PATCH /api/v1/workspaces/1": {
        status: 403,
        body: { error: { code: "forbidden", message: "Only admins can change this." } },
      },
    });
    const user = userEvent.setup();
    const card = await screen.findByRole("region", { name: "Answers whose sources closed" });
    await user.click(await within(card).findByText("Show the answer"));
    expect(await within(card).findByRole("alert")).toHaveTextContent("Only admins can change this.");
  });
});
