import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { RequireAuth } from "../../../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch, type RecordedRequest } from "../../../test/utils";
import { AuditPage } from "./AuditPage";

const EVENT = {
  id: 4,
  action: "space.created",
  actor_email: "admin@example.com",
  target_type: "space",
  target_id: "2",
  data: { name: "Leadership" },
  created_at: "2026-11-25T14:59:06.459Z",
};

function setup(path = "/admin/audit") {
  const { requests } = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    "GET /api/v1/workspaces/1/audit-events": { body: { items: [EVENT], count: 1 } },
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/admin/audit"
        element={
          <RequireAuth>
            <AuditPage />
          </RequireAuth>
        }
      />
    </Routes>,
    { path },
  );
  const auditCalls = () => requests.filter((r: RecordedRequest) => r.url.pathname.endsWith("/audit-events"));
  return { auditCalls };
}

describe("AuditPage", () => {
  it("builds the API query string from the filters", async () => {
    const { auditCalls } = setup();
    const user = userEvent.setup();

    expect(await screen.findByText("space.created")).toBeInTheDocument();
    expect(auditCalls()[0].url.search).toBe("?limit=25&offset=0");

    await user.type(screen.getByRole("textbox", { name: /^action/i }), "space.");
    await user.type(screen.getByRole("textbox", { name: /actor email/i }), "ada@example.com");
    await user.type(screen.getByRole("textbox", { name: /target type/i }), "space");
    await user.click(screen.getByRole("button", { name: "Apply filters" }));

    await waitFor(() => expect(auditCalls()).toHaveLength(2));
    const params = auditCalls()[1].url.searchParams;
    expect(Object.fromEntries(params)).toEqual({
      action: "space.",
      actor_email: "ada@example.com",
      target_type: "space",
      limit: "25",
      offset: "0",
    });
  });

  it("sends the date range and page from the URL", async () => {
    const { auditCalls } = setup("/admin/audit?from=2026-03-01&to=2026-03-02&page=2&target=group");
    await waitFor(() => expect(auditCalls()).toHaveLength(1));
    const params = auditCalls()[0].url.searchParams;
    expect(params.get("target_type")).toBe("group");
    expect(params.get("since")).toBe(new Date(2026, 2, 1).toISOString());
    expect(params.get("until")).toBe(new Date(2026, 2, 3).toISOString());
    expect(params.get("offset")).toBe("25");
  });

  it("shows the API's message with a retry when loading fails", async () => {
    stubFetch({
      "GET /api/v1/me": { body: meWithRole("admin") },
      "GET /api/v1/workspaces/1/audit-events": {
        status: 422,
        body: { error: { code: "invalid_input", message: "Some fields are missing or invalid (since)." } },
      },
    });
    renderWithProviders(
      <Routes>
        <Route
          path="/admin/audit"
          element={
            <RequireAuth>
              <AuditPage />
            </RequireAuth>
          }
        />
      </Routes>,
      { path: "/admin/audit" },
    );
    expect(await screen.findByText("Some fields are missing or invalid (since).")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Retry" })).toBeInTheDocument();
  });
});
