import type { Connection, ConnectorKind, HierarchyNode, SyncRun } from "../../../api/client";

/** API-shaped rows for the connections tests. */
export function syncRun(overrides: Partial<SyncRun> = {}): SyncRun {
  return {
    id: 11,
    mode: "full",
    status: "succeeded",
    trigger: "created",
    pages: 3,
    documents_upserted: 40,
    documents_unchanged: 0,
    documents_deleted: 0,
    documents_failed: 0,
    progress_done: 40,
    progress_total: null,
    errors: [],
    error_code: "",
    error_message: "",
    attempts: 1,
    queued_at: "2026-11-25T10:00:00Z",
    started_at: "2026-11-25T10:00:01Z",
    finished_at: "2026-11-25T10:00:31Z",
    duration_seconds: 30,
    note: "",
    cancel_requested: false,
    ...overrides,
  };
}

export function connection(overrides: Partial<Connection> = {}): Connection {
  return {
    id: 5,
    kind: "slack",
    name: "Acme Slack",
    data_source_id: 9,
    status: "active",
    status_message: "",
    selected_ids: [],
    api_base_url: "",
    sync_interval_minutes: 5,
    requests_per_minute: null,
    webhook_path: "/webhooks/slack/5",
    document_count: 40,
    last_full_sync_at: "2026-11-25T10:00:31Z",
    last_successful_sync_at: "2026-11-25T10:00:31Z",
    created_at: "2026-11-25T09:59:58Z",
    latest_run: syncRun(),
    webhook_verification_token: null,
    ...overrides,
  };
}

export const SLACK: ConnectorKind = {
  kind: "slack",
  display_name: "Slack",
  credential_fields: ["bot_token", "signing_secret", "app_token"],
  secret_fields: ["bot_token", "signing_secret", "app_token"],
  handles_webhooks: true,
  credential_help: {
    bot_token: {
      label: "Bot token (xoxb-…)",
      help: "Your Slack app → OAuth & Permissions → Bot User OAuth Token.",
      url: "https://api.slack.com/authentication/token-types#bot",
    },
  },
};

export const GITHUB: ConnectorKind = {
  kind: "github",
  display_name: "GitHub",
  credential_fields: ["token", "webhook_secret", "organization"],
  secret_fields: ["token", "webhook_secret"],
  handles_webhooks: true,
  credential_help: {},
};

export const CONNECTORS: ConnectorKind[] = [SLACK, GITHUB];

export function channel(id: string, title: string, details: Record<string, unknown> = {}): HierarchyNode {
  return {
    id,
    title,
    kind: "channel",
    parent_id: null,
    has_children: false,
    url: `https://acme.slack.com/archives/${id}`,
    details: { private: false, members: 12, bot_is_member: true, ...details },
  };
}

export const CHANNELS = [
  channel("C1", "#engineering"),
  channel("C2", "#general"),
  channel("C3", "#random", { bot_is_member: false }),
];
