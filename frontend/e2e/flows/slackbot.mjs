// Flow "slackbot": an admin connects a Slack workspace (the fake Slack of tests/fakes/slack) and
// opens the connection's Slack bot section: the channels the bot is in, by name, each with the
// agent that answers there, the workspace-wide default, and the rules for who may ask in a shared
// channel. Where an agent is published (the agents flow publishes one), it is picked and saved.
import { base, expect, run, shot, step } from "../lib.mjs";

const slack = {
  url: process.env.E2E_SLACK_URL ?? "",
  botToken: process.env.E2E_SLACK_BOT_TOKEN ?? "",
  signingSecret: process.env.E2E_SLACK_SIGNING_SECRET ?? "",
};

async function slackbotFlow({ page }) {
  const CONNECTION = `Acme bot ${run}`;

  await step("slackbot: connect a Slack workspace", async () => {
    await page.goto(`${base}/admin/connections/new`);
    await page.getByRole("button", { name: /^Slack/ }).click();
    await page.getByRole("textbox", { name: "Name" }).fill(CONNECTION);
    await page.getByLabel("Bot token").fill(slack.botToken);
    await page.getByLabel("Signing secret").fill(slack.signingSecret);
    await page.getByRole("button", { name: "Advanced" }).click();
    await page.getByLabel("API base URL").fill(slack.url);
    await page.getByRole("button", { name: "Connect Slack" }).click();
    await page.getByRole("tree", { name: "Slack channels" }).waitFor();
    await page.goto(`${base}/admin/connections`);
    await page.getByRole("row").filter({ hasText: CONNECTION }).getByRole("link", { name: CONNECTION }).click();
    await page.waitForURL(/\/admin\/connections\/\d+$/);
  });

  await step("slackbot: the bot's channels, their agents and who may ask", async () => {
    const section = page.getByRole("region", { name: "Slack bot" });
    const table = section.getByRole("table", { name: "Channels the bot is in" });
    await table.waitFor();
    await table.getByText("#general", { exact: true }).waitFor();
    expect((await table.getByText("#random", { exact: true }).count()) === 0, "#random is listed, but the bot is not in it");
    await section.getByRole("heading", { name: "Who may ask in a shared channel" }).waitFor();
    await section.getByRole("heading", { name: "Slack bot" }).evaluate((heading) => heading.scrollIntoView({ block: "start" }));
    const defaultAgent = section.getByLabel("Workspace-wide default agent");
    if (await defaultAgent.isDisabled()) {
      await section.getByText(/No agent is published yet/).waitFor();
      await shot(page, "slackbot-01-channels-no-agents");
      return;
    }
    await defaultAgent.click();
    await page.getByRole("option").first().click();
    await section.getByLabel("Agent for #general").click();
    await page.getByRole("option").first().click();
    await section.getByRole("button", { name: "Save agents" }).click();
    await page.getByText("The Slack bot's agents are saved.").waitFor();
    await shot(page, "slackbot-01-channels");
  });
}

export default { name: "slackbot", needs: ["E2E_SLACK_URL", "E2E_SLACK_BOT_TOKEN"], run: slackbotFlow };
