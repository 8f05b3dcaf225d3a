import { describe, expect, it } from "vitest";
import type { ConnectorKind } from "../../../api/client";
import {
  credentialPayload,
  credentialsComplete,
  fieldInfo,
  humanizeField,
  requiredFields,
  webhookUrl,
} from "./connectorInfo";
import { GITHUB, SLACK } from "./fixtures";

const NEW_SOURCE: ConnectorKind = {
  kind: "confluence",
  display_name: "Confluence",
  credential_fields: ["site_url", "api_token"],
  secret_fields: ["api_token"],
  handles_webhooks: false,
  credential_help: {},
};

describe("credential fields", () => {
  it("labels known fields and names unknown ones after their key", () => {
    expect(fieldInfo("slack", "bot_token").label).toBe("Bot token");
    expect(fieldInfo("github", "token").label).toBe("Access token");
    expect(fieldInfo("confluence", "api_token")).toEqual({ label: "Api token", optional: true });
    expect(humanizeField("service-account_json")).toBe("Service account json");
  });

  it("requires the fields a source cannot do without, and nothing it does not describe", () => {
    expect(requiredFields(SLACK)).toEqual(["bot_token"]);
    expect(requiredFields(GITHUB)).toEqual(["token"]);
    expect(requiredFields(NEW_SOURCE)).toEqual([]);
  });

  it("sends the connector's own fields, trimmed, without the empty ones", () => {
    expect(
      credentialPayload(GITHUB, { token: "  ghp_1 ", webhook_secret: "", organization: "acme", other: "x" }),
    ).toEqual({ token: "ghp_1", organization: "acme" });
  });

  it("is complete with every required field, and at least one value", () => {
    expect(credentialsComplete(SLACK, { bot_token: "", signing_secret: "s" })).toBe(false);
    expect(credentialsComplete(SLACK, { bot_token: "xoxb-1" })).toBe(true);
    expect(credentialsComplete(NEW_SOURCE, {})).toBe(false);
    expect(credentialsComplete(NEW_SOURCE, { site_url: "https://acme.atlassian.net" })).toBe(true);
  });

  it("builds the full webhook URL from the page's origin", () => {
    expect(webhookUrl("/webhooks/slack/5", "https://agents.example.com/")).toBe(
      "https://agents.example.com/webhooks/slack/5",
    );
  });
});
