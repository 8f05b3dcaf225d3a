/** The audit log's filters as the page keeps them (and as they appear in its URL). */
export interface AuditFilters {
  /** An exact action ("space.created") or a prefix ending in a dot ("space."). */
  action: string;
  actorEmail: string;
  targetType: string;
  /** Inclusive local dates, "YYYY-MM-DD". */
  from: string | null;
  to: string | null;
}

export const EMPTY_FILTERS: AuditFilters = {
  action: "",
  actorEmail: "",
  targetType: "",
  from: null,
  to: null,
};

export const PAGE_SIZE = 25;

/** The query parameters of GET /workspaces/{id}/audit-events. */
export interface AuditQuery {
  action?: string;
  actor_email?: string;
  target_type?: string;
  since?: string;
  until?: string;
  limit: number;
  offset: number;
}

function parseLocalDate(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Turns the page's filters into the API's query. Dates are whole local days: `since` is the
 * start of the first day and `until` (exclusive on the server) the start of the day after the last.
 */
export function buildAuditQuery(filters: AuditFilters, page: number, pageSize = PAGE_SIZE): AuditQuery {
  const query: AuditQuery = { limit: pageSize, offset: Math.max(0, page - 1) * pageSize };
  const action = filters.action.trim();
  const actorEmail = filters.actorEmail.trim();
  const targetType = filters.targetType.trim();
  if (action) query.action = action;
  if (actorEmail) query.actor_email = actorEmail;
  if (targetType) query.target_type = targetType;
  const from = filters.from ? parseLocalDate(filters.from) : null;
  if (from) query.since = from.toISOString();
  const to = filters.to ? parseLocalDate(filters.to) : null;
  if (to) {
    const next = new Date(to);
    next.setDate(next.getDate() + 1);
    query.until = next.toISOString();
  }
  return query;
}

/** The query string the API is called with (keys in a stable order). */
export function auditQueryString(query: AuditQuery): string {
  const params = new URLSearchParams();
  for (const key of ["action", "actor_email", "target_type", "since", "until", "limit", "offset"] as const) {
    const value = query[key];
    if (value !== undefined && value !== "") params.set(key, String(value));
  }
  return params.toString();
}

/** Reads the filters and page from the page's own URL (?action=&actor=&target=&from=&to=&page=). */
export function filtersFromSearch(search: URLSearchParams): { filters: AuditFilters; page: number } {
  const page = Number(search.get("page") ?? "1");
  return {
    filters: {
      action: search.get("action") ?? "",
      actorEmail: search.get("actor") ?? "",
      targetType: search.get("target") ?? "",
      from: search.get("from"),
      to: search.get("to"),
    },
    page: Number.isInteger(page) && page > 0 ? page : 1,
  };
}

export function filtersToSearch(filters: AuditFilters, page: number): URLSearchParams {
  const search = new URLSearchParams();
  if (filters.action.trim()) search.set("action", filters.action.trim());
  if (filters.actorEmail.trim()) search.set("actor", filters.actorEmail.trim());
  if (filters.targetType.trim()) search.set("target", filters.targetType.trim());
  if (filters.from) search.set("from", filters.from);
  if (filters.to) search.set("to", filters.to);
  if (page > 1) search.set("page", String(page));
  return search;
}

export function hasFilters(filters: AuditFilters): boolean {
  return Boolean(
    filters.action.trim() || filters.actorEmail.trim() || filters.targetType.trim() || filters.from || filters.to,
  );
}

/** Suggestions for the action filter; any other action or prefix can be typed. */
export const ACTION_SUGGESTIONS = [
  { group: "All actions of a kind", items: ["member.", "group.", "space.", "api_token.", "workspace."] },
  {
    group: "Exact actions",
    items: [
      "member.invited",
      "member.role_changed",
      "member.removed",
      "group.created",
      "group.deleted",
      "group.member_added",
      "group.member_removed",
      "space.created",
      "space.deleted",
      "space.access_granted",
      "space.access_revoked",
      "api_token.created",
      "api_token.revoked",
      "workspace.created",
    ],
  },
];

export const TARGET_TYPE_SUGGESTIONS = ["membership", "group", "space", "api_token", "workspace"];
