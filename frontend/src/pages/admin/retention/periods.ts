import type { RetentionPeriods, RetentionPolicy } from "../../../api/retention";

export type PeriodKey = keyof RetentionPeriods;

/** The four kinds of data a policy covers, with what the period means for each. */
export const PERIODS: { key: PeriodKey; count: string; label: string; description: string }[] = [
  {
    key: "conversations_days",
    count: "conversations",
    label: "Conversations",
    description:
      "Days after a conversation's last message that it is deleted, with its answers, the passages they quoted and their feedback.",
  },
  {
    key: "uploads_days",
    count: "uploads",
    label: "Uploaded files",
    description:
      "Days after a file was last uploaded to a folder that it is deleted, with its text in search. Synced documents follow their source instead.",
  },
  {
    key: "audit_events_days",
    count: "audit_events",
    label: "Audit events",
    description: "Days an audit log entry is kept. Each enforcement run records what it deleted in the log.",
  },
  {
    key: "sync_logs_days",
    count: "sync_logs",
    label: "Sync logs",
    description:
      "Days after a sync finished that its run (counts and errors) is deleted. Each connection keeps its latest run.",
  },
];

/** The form's values: a number of days, or "" for kept forever. */
export type PeriodValues = Record<PeriodKey, number | string>;

export function valuesOf(policy: RetentionPolicy): PeriodValues {
  return Object.fromEntries(PERIODS.map(({ key }) => [key, policy[key] ?? ""])) as PeriodValues;
}

export function periodsOf(values: PeriodValues): RetentionPeriods {
  return Object.fromEntries(
    PERIODS.map(({ key }) => [key, typeof values[key] === "number" ? values[key] : null]),
  ) as RetentionPeriods;
}

/** "Kept forever", "1 day", "90 days". */
export function describePeriod(days: number | null | undefined): string {
  if (days === null || days === undefined) return "Kept forever";
  return days === 1 ? "1 day" : `${days} days`;
}
