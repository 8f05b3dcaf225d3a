const dateTime = new Intl.DateTimeFormat(undefined, {
  dateStyle: "medium",
  timeStyle: "short",
});
const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: "medium" });

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateTime.format(date);
}

export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateOnly.format(date);
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

export function formatRelative(value: string | null | undefined, now = Date.now()): string {
  if (!value) return "Never";
  const seconds = (new Date(value).getTime() - now) / 1000;
  if (Number.isNaN(seconds)) return value;
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return "just now";
}

export function initials(name: string, email: string): string {
  const source = name.trim() || email.split("@")[0] || "?";
  const parts = source.split(/[\s._-]+/).filter(Boolean);
  const letters = parts.length > 1 ? parts[0][0] + parts[1][0] : source.slice(0, 2);
  return letters.toUpperCase();
}

export const ROLE_LABELS: Record<string, string> = {
  admin: "Admin",
  builder: "Builder",
  member: "Member",
};

export const ROLE_COLORS: Record<string, string> = {
  admin: "brand",
  builder: "teal",
  member: "gray",
};

export const ROLE_DESCRIPTIONS: Record<string, string> = {
  admin: "Manages members, groups, spaces, API tokens and the audit log",
  builder: "Builds and configures agents",
  member: "Uses agents and the spaces they can open",
};

/** A sentence about what the current user can do with their role. */
export const ROLE_SENTENCES: Record<string, string> = {
  admin: "As an admin, you manage who is in this workspace and what they can open.",
  builder: "As a builder, you create and configure the workspace's agents.",
  member: "As a member, you use the workspace's agents and the spaces you can open.",
};

const BYTE_UNITS = ["KB", "MB", "GB", "TB"];

/** A file size for people: "812 B", "4.2 KB", "12 MB". */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes) || bytes < 0) return "—";
  if (bytes < 1024) return `${bytes} B`;
  let value = bytes;
  let unit = "B";
  for (const next of BYTE_UNITS) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}
