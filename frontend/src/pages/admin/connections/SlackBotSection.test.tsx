import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { Agent } from "../../../api/client";
import { meWithRole, renderWithProviders, stubFetch } from "../../../test/utils";
import { CHANNELS } from "./fixtures";
import { SlackBotSection } from "./SlackBotSection";

const BASE = "/api/v1/workspaces/1/connections/5";

function agent(id: number, handle: string, status: "published" | "draft"): Agent {
  return {
    id,
    handle,
    name: handle[0].toUpperCase() + handle.slice(1),
    description: "",
    instructions: "",
    model_id: "",
    temperature: 0.2,
    tools: ["search"],
    view_ids: [],
    space_ids: [],
    editor_ids: [],
    status,
    visibility: "workspace",
  } as unknown as Agent;
}

const AGENTS = [agent(1, "helpdesk", "published"), agent(2, "finance", "published"), agent(3, "sketch", "draft")];
const SETTINGS = {
  connection_id: 5,
  default_agent_id: 1,
  channels: [
    { channel_id: "C2", agent_id: 2 },
    { channel_id: "C9", agent_id: 2 },
  ],
  interactions_path: "/webhooks/slack/5/interactions",
};

function renderSection(routes: Parameters<typeof stubFetch>[0] = {}) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    [`GET ${BASE}/slack-bot`]: { body: SETTINGS },
    [`GET ${BASE}/hierarchy`]: { body: CHANNELS },
    "GET /api/v1/workspaces/1/agents": { body: AGENTS },
    ...routes,
  });
  renderWithProviders(<SlackBotSection workspaceId={1} connectionId={5} />, { path: "/admin/connections/5" });
  return stub;
}

describe("SlackBotSection", { timeout: 20_000 }, () => {
  it("lists the channels the bot is in by name, with their agents and the default", async () => {
    renderSection();
    const table = await screen.findByRole("table", { name: "Channels the bot is in" });
    const rows = within(table).getAllByRole("row").slice(1);
    // #random lacks the bot; C9 keeps an agent but is no longer listed by Slack.
    expect(rows.map((row) => within(row).getAllByRole("cell")[0].textContent)).toEqual([
      expect.stringContaining("#engineering"),
      expect.stringContaining("#general"),
      expect.stringContaining("C9"),
    ]);
    expect(within(rows[2]).getByText("bot not in it")).toBeInTheDocument();
    expect(screen.getByRole("textbox", { name: "Agent for #general" })).toHaveValue("Finance (~finance)");
    expect(screen.getByRole("textbox", { name: "Agent for #engineering" })).toHaveValue("");
    expect(screen.getByRole("textbox", { name: /Workspace-wide default agent/ })).toHaveValue("Helpdesk (~helpdesk)");
    expect(screen.getByRole("heading", { name: "Who may ask in a shared channel" })).toBeInTheDocument();
    expect(screen.getByText(/Slack Connect user from another organisation/)).toBeInTheDocument();
    expect(screen.getByText(/the answer uses no sources at all/)).toBeInTheDocument();
  });

  it("offers only published agents and saves the picks through the slack-bot route", async () => {
    const stub = renderSection({
      [`PUT ${BASE}/slack-bot`]: (request) => ({ body: { ...SETTINGS, ...(request.body as object) } }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("textbox", { name: "Agent for #engineering" }));
    expect(screen.queryByRole("option", { name: /Sketch/ })).not.toBeInTheDocument();
    await user.click(screen.getByRole("option", { name: "Helpdesk (~helpdesk)" }));
    await user.click(screen.getByRole("button", { name: "Save agents" }));
    await waitFor(() => expect(stub.requests.some((request) => request.method === "PUT")).toBe(true));
    const put = stub.requests.find((request) => request.method === "PUT");
    expect(put?.body).toEqual({
      default_agent_id: 1,
      channels: [
        { channel_id: "C2", agent_id: 2 },
        { channel_id: "C9", agent_id: 2 },
        { channel_id: "C1", agent_id: 1 },
      ],
    });
  });

  it("says when the bot is in no channel and when nothing is published", async () => {
    renderSection({
      [`GET ${BASE}/slack-bot`]: { body: { ...SETTINGS, default_agent_id: null, channels: [] } },
      [`GET ${BASE}/hierarchy`]: { body: CHANNELS.map((node) => ({ ...node, details: { ...node.details, bot_is_member: false } })) },
      "GET /api/v1/workspaces/1/agents": { body: [AGENTS[2]] },
    });
    expect(await screen.findByText("The bot is in no channel yet")).toBeInTheDocument();
    expect(screen.getByText(/No agent is published yet/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save agents" })).toBeDisabled();
  });

  it("shows an error with a retry when Slack's channel list fails", async () => {
    renderSection({
      [`GET ${BASE}/hierarchy`]: { status: 502, body: { error: { code: "source_unavailable", message: "Slack did not answer." } } },
    });
    expect(await screen.findByText("Could not load the Slack bot's channels")).toBeInTheDocument();
    expect(screen.getByText("Slack did not answer.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /retry/i })).toBeInTheDocument();
  });
});
