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
  admin: "Manages members, groups, spaces, connections, API tokens and the audit log",
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

/** A duration for people: "0.4 s", "12 s", "3 min 5 s", "2 h 10 min". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return "—";
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) {
    const rest = whole % 60;
    return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
  }
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest ? `${hours} h ${rest} min` : `${hours} h`;
}

/** "1 document", "3 documents". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });
const dayAndTime = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });

/** When something happened, compactly: the time today ("18:19:32"), else "Nov 24, 18:19". */
export function formatMoment(value: string | null | undefined, now = new Date()): string {
  if (!value) return "—";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return date.toDateString() === now.toDateString() ? timeOfDay.format(date) : dayAndTime.format(date);
}

/** "an admin", "a builder", "a member": the role as the end of a sentence. */
export function roleWithArticle(role: string): string {
  const label = (ROLE_LABELS[role] ?? role).toLowerCase();
  return /^[aeiou]/.test(label) ? `an ${label}` : `a ${label}`;
}
