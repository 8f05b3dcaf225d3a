import { screen, within } from "@testing-library/react";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import type { LimitEntry } from "../../api/client";
import { RequireAuth } from "../../auth/RequireAuth";
import { NAV_SECTIONS } from "../../layout/nav";
import { meWithRole, renderWithProviders, stubFetch } from "../../test/utils";
import { LimitsPage, groupLimits } from "./LimitsPage";

const ENTRIES: LimitEntry[] = [
  {
    group: "Requests",
    name: "Request body, every route but uploads (webhooks included)",
    value: "1 MiB",
    setting: "MAX_REQUEST_BYTES",
    refusal: "413 request_too_large",
  },
  {
    group: "Rate limits",
    name: "Questions to agents",
    value: "20 per minute per person and per API token",
    setting: "RATE_LIMIT_ANSWERS_PER_MINUTE",
    refusal: "429 rate_limited, with Retry-After",
  },
  {
    group: "Requests",
    name: "Form fields or query parameters in one request",
    value: "200",
    setting: "MAX_REQUEST_FIELDS",
    refusal: "400 too_many_fields",
  },
  {
    group: "Outbound",
    name: "Internal or plain-http hosts that may be reached",
    value: "none",
    setting: "OUTBOUND_ALLOWED_HOSTS",
    refusal: "a base URL is refused with 422 base_url_refused",
  },
];

function renderLimits(answer: { status?: number; body?: unknown } = { body: { entries: ENTRIES } }) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    "GET /api/v1/workspaces/1/limits": answer,
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/admin/limits"
        element={
          <RequireAuth>
            <LimitsPage />
          </RequireAuth>
        }
      />
    </Routes>,
    { path: "/admin/limits" },
  );
  return stub;
}

describe("LimitsPage", { timeout: 20_000 }, () => {
  it("shows each limit under its group with its value, setting and refusal", async () => {
    renderLimits();

    const requests = await screen.findByRole("table", { name: "Requests" });
    const rows = within(requests).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(within(rows[0]).getByText("1 MiB")).toBeInTheDocument();
    expect(within(rows[0]).getByText("MAX_REQUEST_BYTES")).toBeInTheDocument();
    expect(within(rows[0]).getByText("413 request_too_large")).toBeInTheDocument();
    expect(within(rows[1]).getByText("MAX_REQUEST_FIELDS")).toBeInTheDocument();

    const rates = screen.getByRole("table", { name: "Rate limits" });
    expect(within(rates).getByText("20 per minute per person and per API token")).toBeInTheDocument();
    expect(within(rates).getByText("RATE_LIMIT_ANSWERS_PER_MINUTE")).toBeInTheDocument();

    const outbound = screen.getByRole("table", { name: "Outbound" });
    expect(within(outbound).getByText("none")).toBeInTheDocument();
    expect(screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent)).toEqual([
      "Requests",
      "Rate limits",
      "Outbound",
    ]);
  });

  it("says so, with a retry, when the limits cannot be loaded", async () => {
    renderLimits({
      status: 403,
      body: { error: { code: "permission_denied", message: "This needs the admin role." } },
    });
    expect(await screen.findByText("Could not load the limits")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /retry/i })).toBeInTheDocument();
  });

  it("groups entries in first-seen order and has an admin nav entry", () => {
    expect(groupLimits(ENTRIES).map(([group, items]) => [group, items.length])).toEqual([
      ["Requests", 2],
      ["Rate limits", 1],
      ["Outbound", 1],
    ]);
    const admin = NAV_SECTIONS.find((section) => section.label === "Admin");
    expect(admin?.items.some((item) => item.to === "/admin/limits" && item.label === "Limits")).toBe(
      true,
    );
  });
});
