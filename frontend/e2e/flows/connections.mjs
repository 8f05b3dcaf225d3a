// Flow "connections": an admin adds a Slack connection against the fake Slack server
// (tests/fakes/slack), first with a wrong token, which is refused; picks two channels in the tree,
// saves, and watches the sync that follows until it succeeds.
import { base, expect, run, shot, step } from "../lib.mjs";

const slack = {
  url: process.env.E2E_SLACK_URL ?? "",
  botToken: process.env.E2E_SLACK_BOT_TOKEN ?? "",
  signingSecret: process.env.E2E_SLACK_SIGNING_SECRET ?? "",
};

/**
 * Flow 3: add a Slack connection against the fake Slack, pick two channels, watch the sync.
 * The platform's own worker syncs for real (pacing included), so the fake serves a small
 * workspace.
 */
async function connectionsFlow({ page }) {
  const CONNECTION = `Acme Slack ${run}`;
  const PICKED = ["#engineering", "#general"];

  await step("connections: the admin console lists them", async () => {
    await page.goto(`${base}/`);
    await page.getByRole("navigation").first().getByRole("link", { name: "Connections" }).click();
    await page.waitForURL(/\/admin\/connections$/);
    await page.getByRole("heading", { name: "Connections", exact: true }).waitFor();
    await page.waitForLoadState("networkidle");
    // Empty on a fresh platform; one that ran this before lists the earlier connections.
    if (await page.getByText("No connections yet").count()) await shot(page, "15-connections-empty");
  });

  await step("connections: a wrong token is refused, with what to do", async () => {
    await page.getByRole("link", { name: "Add connection" }).first().click();
    await page.waitForURL(/\/admin\/connections\/new$/);
    await page.getByRole("button", { name: /^Slack/ }).waitFor();
    await shot(page, "16-connection-sources");
    await page.getByRole("button", { name: /^Slack/ }).click();
    await page.getByRole("textbox", { name: "Name" }).fill(CONNECTION);
    await page.getByLabel("Bot token").fill("xoxb-0000-not-the-token");
    await page.getByRole("button", { name: "Advanced" }).click();
    await page.getByLabel("API base URL").fill(slack.url);
    await shot(page, "17-connection-add-form");
    await page.getByRole("button", { name: "Connect Slack" }).click();
    const refusal = page.getByRole("alert").filter({ hasText: "Slack refused these credentials" });
    await refusal.waitFor();
    expect(/Bot User OAuth Token/.test(await refusal.innerText()), "the refusal does not say which token to paste");
    await shot(page, "18-connection-refused");
  });

  await step("connections: the right credentials connect", async () => {
    await page.getByLabel("Bot token").fill(slack.botToken);
    await page.getByLabel("Signing secret").fill(slack.signingSecret);
    expect(
      (await page.getByLabel("Bot token").getAttribute("type")) === "password",
      "the bot token is not a password input",
    );
    await page.getByRole("button", { name: "Connect Slack" }).click();
    await page.getByRole("tree", { name: "Slack channels" }).waitFor();
  });

  await step("connections: pick two channels in the tree and save", async () => {
    const tree = page.getByRole("tree", { name: "Slack channels" });
    for (const channel of PICKED) await tree.getByRole("checkbox", { name: channel, exact: true }).check();
    await page.getByText(`${PICKED.length} picked`).waitFor();
    await shot(page, "19-connection-picker");
    await page.getByRole("button", { name: "Save selection" }).click();
    await page.waitForURL(/\/admin\/connections\/\d+$/);
    await page.getByRole("heading", { name: CONNECTION }).waitFor();
  });

  await step("connections: the list shows the sync in progress", async () => {
    await page.goto(`${base}/admin/connections`);
    const row = page.getByRole("row").filter({ hasText: CONNECTION });
    await row.waitFor();
    // The first sync (everything) may still run; the selection's full sync is queued after it.
    if (await row.getByRole("progressbar").count()) await shot(page, "20-connections-syncing");
    await row.getByRole("link", { name: CONNECTION }).click();
    await page.waitForURL(/\/admin\/connections\/\d+$/);
  });

  await step("connections: the selection's sync runs to succeeded", async () => {
    const history = page.getByRole("table", { name: "Sync history" });
    const selectionRun = history.getByRole("row").filter({ hasText: "selection changed" });
    await selectionRun.first().waitFor();
    if (await page.getByRole("region", { name: /in progress|queued/ }).count()) {
      await shot(page, "21-connection-sync-running");
    }
    await selectionRun.filter({ hasText: "Succeeded" }).first().waitFor({ timeout: 90_000 });
    // The page stops polling once nothing runs; the picker keeps the two channels.
    await page.getByText("Refreshing every few seconds").waitFor({ state: "detached" });
    const tree = page.getByRole("tree", { name: "Slack channels" });
    for (const channel of PICKED) {
      expect(await tree.getByRole("checkbox", { name: channel, exact: true }).isChecked(), `${channel} is not picked`);
    }
    expect(
      !(await tree.getByRole("checkbox", { name: "#design", exact: true }).isChecked()),
      "a channel that was not picked is checked",
    );
    const webhook = await page.getByRole("textbox", { name: "Webhook URL" }).inputValue();
    expect(/^http:\/\/127\.0\.0\.1:\d+\/webhooks\/slack\/\d+$/.test(webhook), `unexpected webhook URL ${webhook}`);
    await shot(page, "22-connection-detail");
  });

  await step("connections: a channel the bot is not in is reported as an item error", async () => {
    // The fake has no rate limit: let the next syncs go faster than Slack's 50 requests a minute.
    const settings = page.getByRole("region", { name: "Settings" });
    await settings.getByRole("textbox", { name: "Requests per minute" }).fill("600");
    await settings.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved.").waitFor();
    const tree = page.getByRole("tree", { name: "Slack channels" });
    await tree.getByRole("checkbox", { name: "#random", exact: true }).check();
    await page.getByRole("button", { name: "Save selection" }).click();
    const history = page.getByRole("table", { name: "Sync history" });
    const runs = history.getByRole("row").filter({ hasText: "selection changed" });
    await page.waitForFunction(
      () => [...document.querySelectorAll("table[aria-label='Sync history'] tr")].filter((row) => row.textContent.includes("selection changed")).length >= 2,
    );
    await runs.first().filter({ hasText: "Succeeded with errors" }).waitFor({ timeout: 60_000 });
    await history.getByRole("button", { name: "Show 1 item error" }).click();
    const errors = page.getByRole("list", { name: "Documents that failed in this sync" });
    await errors.getByText("#random").waitFor();
    expect(/invite it/.test(await errors.innerText()), "the item error does not say how to fix it");
    await page.getByRole("heading", { name: "Sync history" }).evaluate((heading) => heading.scrollIntoView({ block: "start" }));
    await shot(page, "23-connection-sync-history");
  });

  await step("connections: the list shows the result", async () => {
    await page.goto(`${base}/admin/connections`);
    const row = page.getByRole("row").filter({ hasText: CONNECTION });
    await row.getByText("Succeeded").waitFor();
    await shot(page, "24-connections-list");
  });
}

export default { name: "connections", needs: ["E2E_SLACK_URL", "E2E_SLACK_BOT_TOKEN"], run: connectionsFlow };
