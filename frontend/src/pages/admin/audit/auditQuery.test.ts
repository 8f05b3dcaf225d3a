import { describe, expect, it } from "vitest";
import { auditQueryString, buildAuditQuery, EMPTY_FILTERS, filtersFromSearch, filtersToSearch } from "./auditQuery";

describe("buildAuditQuery", () => {
  it("sends only the paging when no filter is set", () => {
    expect(auditQueryString(buildAuditQuery(EMPTY_FILTERS, 1))).toBe("limit=25&offset=0");
  });

  it("trims text filters and turns the page into an offset", () => {
    const query = buildAuditQuery(
      { ...EMPTY_FILTERS, action: " space. ", actorEmail: "ada@example.com ", targetType: "space" },
      3,
    );
    expect(auditQueryString(query)).toBe(
      "action=space.&actor_email=ada%40example.com&target_type=space&limit=25&offset=50",
    );
  });

  it("covers whole local days: since the first day's start, until the day after the last", () => {
    const query = buildAuditQuery({ ...EMPTY_FILTERS, from: "2026-03-01", to: "2026-03-31" }, 1);
    expect(query.since).toBe(new Date(2026, 2, 1).toISOString());
    expect(query.until).toBe(new Date(2026, 3, 1).toISOString());
  });

  it("round-trips the page's own URL", () => {
    const filters = { action: "member.invited", actorEmail: "a@b.c", targetType: "", from: "2026-01-05", to: null };
    const search = filtersToSearch(filters, 2);
    expect(search.toString()).toBe("action=member.invited&actor=a%40b.c&from=2026-01-05&page=2");
    expect(filtersFromSearch(search)).toEqual({ filters, page: 2 });
  });
});
