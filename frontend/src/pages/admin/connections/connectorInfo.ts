import type { ConnectorKind } from "../../../api/client";

/**
 * What the API does not say about a source: how to label and explain each credential field,
 * which ones a connection can do without, and where an admin finds them. The API lists the
 * fields (`credential_fields`, `secret_fields`); a field not described here still gets an input,
 * labelled from its name, and counts as optional: the API says so when a source needs it.
 */
export interface FieldInfo {
  label: string;
  description?: string;
  placeholder?: string;
  /** The connection works without it (for example a webhook secret). */
  optional?: boolean;
  /** Pasted as a block (a JSON key file). */
  multiline?: boolean;
}

export interface KindInfo {
  /** One line for the source picker. */
  summary: string;
  /** What to create at the source before connecting, in a sentence or two. */
  setup: string;
  /** What the parts in the picker are called, plural ("channels", "repositories"). */
  parts: string;
  /** How to point the source's webhooks at the platform. */
  webhookSetup?: string;
  fields: Record<string, FieldInfo>;
}

export const KIND_INFO: Record<string, KindInfo> = {
  slack: {
    summary: "Channel messages and threads the bot can read",
    setup:
      "Create a Slack app for your workspace with the bot scopes channels:read, channels:history, " +
      "groups:read, groups:history, users:read and users:read.email, install it, and invite the bot " +
      "to the channels you want synced.",
    parts: "channels",
    webhookSetup:
      "In your Slack app, turn on Event Subscriptions, paste this URL as the Request URL and " +
      "subscribe to the message.channels and message.groups bot events. Edits and replies then " +
      "arrive within seconds instead of at the next scheduled sync.",
    fields: {
      bot_token: {
        label: "Bot token",
        description: "The Bot User OAuth Token, under OAuth & Permissions in your Slack app's settings.",
        placeholder: "xoxb-…",
      },
      signing_secret: {
        label: "Signing secret",
        description: "Under Basic Information › App Credentials. Only needed for real-time updates (webhooks).",
        optional: true,
      },
      app_token: {
        label: "App-level token",
        description:
          "Only for answering in Slack through Socket Mode (no public URL needed): an app-level token with the connections:write scope.",
        placeholder: "xapp-…",
        optional: true,
      },
    },
  },
  notion: {
    summary: "Pages and databases shared with an integration",
    setup:
      "Create an internal integration at notion.so/profile/integrations, then share the top-level " +
      "pages and databases you want synced with it (⋯ › Connections).",
    parts: "pages and databases",
    webhookSetup:
      "In the integration's Webhooks tab, create a subscription with this URL, then paste the " +
      "verification token Notion sends into this connection's credentials.",
    fields: {
      integration_token: {
        label: "Integration token",
        description: "The integration's Internal Integration Secret.",
        placeholder: "ntn_…",
      },
      webhook_verification_token: {
        label: "Webhook verification token",
        description: "Sent by Notion when you create the webhook subscription. Only needed for real-time updates.",
        optional: true,
      },
    },
  },
  google_drive: {
    summary: "Docs, Sheets, Slides and files in shared drives and folders",
    setup:
      "Use a service account with domain-wide delegation (paste its JSON key and the user to act " +
      "as), or an OAuth client with a refresh token. Fill in one of the two.",
    parts: "shared drives and folders",
    fields: {
      service_account_json: {
        label: "Service account key (JSON)",
        description: "The whole JSON key file of a service account with domain-wide delegation.",
        placeholder: '{"type": "service_account", …}',
        optional: true,
        multiline: true,
      },
      delegated_user: {
        label: "User to act as",
        description: "With a service account: an admin or user whose Drive the service account reads.",
        placeholder: "it-admin@example.com",
        optional: true,
      },
      oauth_client_id: {
        label: "OAuth client ID",
        description: "Instead of a service account: an OAuth client of your Google Cloud project.",
        optional: true,
      },
      oauth_client_secret: { label: "OAuth client secret", optional: true },
      oauth_refresh_token: {
        label: "OAuth refresh token",
        description: "A refresh token granted to that client with Drive read-only access.",
        optional: true,
      },
    },
  },
  github: {
    summary: "Issues, pull requests and docs of repositories",
    setup:
      "Create a personal access token with the repo and read:org scopes (or a fine-grained token " +
      "with read access to contents, issues, pull requests and members).",
    parts: "repositories",
    webhookSetup:
      "In the organization's (or repository's) settings, add a webhook with this URL, content type " +
      "application/json, the same secret as below, and the issues, issue comment, pull request " +
      "and push events.",
    fields: {
      token: { label: "Access token", placeholder: "ghp_… or github_pat_…" },
      webhook_secret: {
        label: "Webhook secret",
        description: "The secret you enter when you add the webhook. Only needed for real-time updates.",
        optional: true,
      },
      organization: {
        label: "Organization",
        description: "Sync this organization's repositories. Empty: every repository the token can read.",
        placeholder: "acme",
        optional: true,
      },
    },
  },
};

/** "bot_token" -> "Bot token". */
export function humanizeField(name: string): string {
  const words = name.replace(/[_-]+/g, " ").trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function fieldInfo(kind: string, field: string): FieldInfo {
  return KIND_INFO[kind]?.fields[field] ?? { label: humanizeField(field), optional: true };
}

export function partsLabel(kind: string): string {
  return KIND_INFO[kind]?.parts ?? "parts";
}

export type CredentialValues = Record<string, string>;

export function emptyCredentials(connector: ConnectorKind): CredentialValues {
  return Object.fromEntries(connector.credential_fields.map((field) => [field, ""]));
}

/** The fields an admin must fill in: every field not described as optional. */
export function requiredFields(connector: ConnectorKind): string[] {
  return connector.credential_fields.filter((field) => !fieldInfo(connector.kind, field).optional);
}

/** What the API receives: the connector's own fields, trimmed, the empty ones left out. */
export function credentialPayload(connector: ConnectorKind, values: CredentialValues): CredentialValues {
  const payload: CredentialValues = {};
  for (const field of connector.credential_fields) {
    const value = (values[field] ?? "").trim();
    if (value) payload[field] = value;
  }
  return payload;
}

/** True when every required field has a value and at least one field is filled in. */
export function credentialsComplete(connector: ConnectorKind, values: CredentialValues): boolean {
  const payload = credentialPayload(connector, values);
  return Object.keys(payload).length > 0 && requiredFields(connector).every((field) => field in payload);
}

/** The full URL a source's webhooks go to. */
export function webhookUrl(path: string, origin = window.location.origin): string {
  return `${origin.replace(/\/$/, "")}${path}`;
}
