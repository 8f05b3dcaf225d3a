// Flow "connection-ops": against the fake Slack of the connections flow, an admin adds a
// connection of their own, cancels its first sync from the connection's page, lets the next
// sync go on from where it stopped, then resyncs one document from its drawer and sees the
// item sync in the history.
import { base, expect, run, shot, step } from "../lib.mjs";

const slack = {
  url: process.env.E2E_SLACK_URL ?? "",
  botToken: process.env.E2E_SLACK_BOT_TOKEN ?? "",
  signingSecret: process.env.E2E_SLACK_SIGNING_SECRET ?? "",
};

async function connectionOpsFlow({ page }) {
  const CONNECTION = `Ops Slack ${run}`;
  const history = page.getByRole("table", { name: "Sync history" });

  await step("connection-ops: add a Slack connection (its first sync starts at once)", async () => {
    await page.goto(`${base}/admin/connections/new`);
    await page.getByRole("button", { name: /^Slack/ }).click();
    await page.getByRole("textbox", { name: "Name" }).fill(CONNECTION);
    const help = page.getByRole("link", { name: /Where to find it/ }).first();
    await help.waitFor();
    expect(
      (await help.getAttribute("href"))?.startsWith("https://api.slack.com/"),
      "the bot token's help does not link to Slack's documentation",
    );
    await shot(page, "connection-ops-1-credential-help");
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

  await step("connection-ops: cancel the running sync", async () => {
    const cancel = page.getByRole("button", { name: "Cancel sync" });
    try {
      await cancel.waitFor({ timeout: 5_000 });
    } catch {
      // The small fake workspace synced already: start another sync to cancel.
      await page.getByRole("button", { name: "Resync everything" }).first().click();
      await page.getByRole("dialog").getByRole("button", { name: "Resync everything" }).click();
      await cancel.waitFor();
    }
    await shot(page, "connection-ops-2-sync-running");
    await cancel.click();
    await page.getByText(/is cancelled|stops after the page it is on/).first().waitFor();
    await history.getByRole("row").filter({ hasText: "Cancelled" }).first().waitFor({ timeout: 60_000 });
    await page.getByRole("heading", { name: "Sync history" }).evaluate((heading) => heading.scrollIntoView({ block: "start" }));
    await shot(page, "connection-ops-3-sync-cancelled");
  });

  await step("connection-ops: the next sync goes on and succeeds", async () => {
    const settings = page.getByRole("region", { name: "Settings" });
    await settings.getByRole("textbox", { name: "Requests per minute" }).fill("600");
    await settings.getByRole("button", { name: "Save settings" }).click();
    await page.getByText("Settings saved.").waitFor();
    await page.getByRole("button", { name: "Sync now" }).click();
    await history.getByRole("row").filter({ hasText: "Succeeded" }).first().waitFor({ timeout: 90_000 });
  });

  await step("connection-ops: resync one document from its drawer", async () => {
    await page.goto(`${base}/data`);
    await page.getByRole("link", { name: CONNECTION }).first().click();
    await page.waitForURL(/\/data\/\d+$/);
    const firstDocument = page.getByRole("table").getByRole("button").first();
    await firstDocument.waitFor();
    await firstDocument.click();
    const resync = page.getByRole("button", { name: "Resync from source" });
    await resync.waitFor();
    await resync.click();
    await page.getByText(/Queued: this document is read again/).waitFor();
    await shot(page, "connection-ops-4-document-resync");
  });

  await step("connection-ops: the item sync shows in the connection's history", async () => {
    await page.goto(`${base}/admin/connections`);
    await page.getByRole("row").filter({ hasText: CONNECTION }).getByRole("link", { name: CONNECTION }).click();
    const itemRun = history.getByRole("row").filter({ hasText: "item resync" });
    await itemRun.filter({ hasText: "Succeeded" }).first().waitFor({ timeout: 60_000 });
    await page.getByRole("heading", { name: "Sync history" }).evaluate((heading) => heading.scrollIntoView({ block: "start" }));
    await shot(page, "connection-ops-5-item-sync");
  });
}

export default {
  name: "connection-ops",
  needs: ["E2E_SLACK_URL", "E2E_SLACK_BOT_TOKEN"],
  run: connectionOpsFlow,
};
