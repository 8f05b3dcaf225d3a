#!/usr/bin/env node
// End-to-end flows in headless Chromium against a running platform (`manage.py up`).
//
//   E2E_BASE_URL=http://127.0.0.1:8000 node e2e/run.mjs
//
// 1. An admin logs in, creates a folder, uploads a file, builds an agent over it (no model is
//    configured, so it answers extractively), asks it in the test chat, gets a cited answer
//    whose citation opens the document, publishes it and continues in Conversations.
//    The admin then invites a new person (email and role only), who opens the link in another
//    browser, sets their own password and lands in the workspace; the link then no longer works.
// 2. A member logs in: the nav has no admin section and /admin/* says they need the role.
// 3. Connections (when E2E_SLACK_URL is set): the admin adds a Slack connection against the fake
//    Slack server (tests/fakes/slack) — first with a wrong token, which is refused — picks two
//    channels in the tree, saves, and watches the sync that follows until it succeeds.
//
// Env: E2E_BASE_URL (default http://127.0.0.1:8000), E2E_ARTIFACTS (screenshots; default
// e2e/artifacts next to this file), CHROMIUM (default /usr/bin/chromium), E2E_PASSWORD (default
// demo-password), E2E_ADMIN_EMAIL / E2E_MEMBER_EMAIL (default the demo logins), E2E_SLACK_URL /
// E2E_SLACK_BOT_TOKEN / E2E_SLACK_SIGNING_SECRET (the fake Slack for flow 3), E2E_FLOWS (which
// flows to run, comma-separated: agents (1 and 2), connections; default agents, plus connections
// when E2E_SLACK_URL is set).
// Uses the system Chromium through playwright-core; it never downloads a browser.
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const base = (process.env.E2E_BASE_URL ?? "http://127.0.0.1:8000").replace(/\/$/, "");
const artifacts = process.env.E2E_ARTIFACTS ?? join(here, "artifacts");
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const password = process.env.E2E_PASSWORD ?? "demo-password";
const adminEmail = process.env.E2E_ADMIN_EMAIL ?? "admin@demo.local";
const memberEmail = process.env.E2E_MEMBER_EMAIL ?? "member@demo.local";
const TIMEOUT = 20_000;
const slack = {
  url: process.env.E2E_SLACK_URL ?? "",
  botToken: process.env.E2E_SLACK_BOT_TOKEN ?? "",
  signingSecret: process.env.E2E_SLACK_SIGNING_SECRET ?? "",
};
const flows = new Set(
  (process.env.E2E_FLOWS ?? (slack.url ? "agents,connections" : "agents"))
    .split(",")
    .map((flow) => flow.trim())
    .filter(Boolean),
);
for (const flow of flows) {
  if (!["agents", "connections"].includes(flow)) {
    console.error(`Unknown flow "${flow}" in E2E_FLOWS; the flows are agents and connections.`);
    process.exit(2);
  }
}
if (flows.has("connections") && !(slack.url && slack.botToken)) {
  console.error(
    "The connections flow needs a fake Slack: set E2E_SLACK_URL and E2E_SLACK_BOT_TOKEN " +
      "(tests/e2e/test_browser.py starts one and sets them).",
  );
  process.exit(2);
}

if (!existsSync(executablePath)) {
  console.error(
    `Chromium not found at ${executablePath}. Install it (Debian/Ubuntu: apt-get install -y chromium) ` +
      "or set CHROMIUM=/path/to/chromium.",
  );
  process.exit(2);
}
mkdirSync(artifacts, { recursive: true });

// Unique per run, so the flow also passes against a platform that has run it before.
const run = Date.now().toString(36).slice(-5);
const FOLDER = `Handbook ${run}`;
const AGENT = `Travel desk ${run}`;
const DOCUMENT_TITLE = "Travel and leave policy";
const POLICY = `# ${DOCUMENT_TITLE}

Everyone gets 27 vacation days a year. Unused vacation days carry over until the end of March.

## Booking travel

Book flights and hotels through the travel desk at least two weeks ahead. Economy class for
flights under six hours; premium economy above that.

## Expenses

Submit receipts within 30 days. Meals on travel days are covered up to 60 EUR a day.
`;

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
const problems = [];

function watch(page, who) {
  page.on("pageerror", (error) => problems.push(`${who}: uncaught ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !/Failed to load resource/.test(message.text())) {
      problems.push(`${who}: console error ${message.text()}`);
    }
  });
}

/** What a person sees: the viewport (the navbar is fixed, so a full-page shot would cut it). */
async function shot(page, name) {
  await page.waitForLoadState("networkidle").catch(() => {});
  // Toasts from the step before would cover the page's own actions.
  for (const close of await page.locator(".mantine-Notification-root button").all()) {
    await close.click().catch(() => {});
  }
  await page.waitForTimeout(350); // transitions settle
  const path = join(artifacts, `${name}.png`);
  await page.screenshot({ path });
  console.log(`  saved ${path}`);
}

let current = null;
async function step(name, body) {
  current = name;
  console.log(`[${seconds()} s] ${name}`);
  await body();
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

async function login(page, email) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  await page.getByRole("navigation").first().waitFor();
}

/**
 * Flow 3: add a Slack connection against the fake Slack, pick two channels, watch the sync.
 * The platform's own worker syncs for real (pacing included), so the fake serves a small
 * workspace.
 */
async function connectionsFlow(page) {
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

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"],
});
const pages = [];

try {
  const admin = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  admin.setDefaultTimeout(TIMEOUT);
  const page = await admin.newPage();
  pages.push(page);
  watch(page, "admin");

  await step("log in as the demo admin", async () => {
    await page.goto(`${base}/login`);
    await page.getByRole("button", { name: "Log in" }).waitFor();
    await shot(page, "01-login");
    await login(page, adminEmail);
    await page.getByRole("heading", { name: /Welcome back/ }).waitFor();
  });

  if (flows.has("agents")) {
    await step("create a folder and upload a file into it", async () => {
      await page.goto(`${base}/data`);
      await page.getByRole("heading", { name: "Data sources" }).waitFor();
      await page.getByRole("button", { name: "New folder" }).first().click();
      const dialog = page.getByRole("dialog");
      await dialog.getByLabel("Name").fill(FOLDER);
      await dialog.getByRole("button", { name: "Create folder" }).click();
      await page.waitForURL(/\/data\/\d+$/);
      await page.getByLabel("Choose files to upload").setInputFiles([
        { name: "travel-policy.md", mimeType: "text/markdown", buffer: Buffer.from(POLICY) },
      ]);
      await page.getByRole("region", { name: "Upload results" }).waitFor();
      // The table refreshes itself while the file is indexed (parse, chunk, embed).
      await page.locator("tr", { hasText: DOCUMENT_TITLE }).filter({ hasText: "Ready" }).waitFor({ timeout: 60_000 });
      await shot(page, "02-knowledge-folder");
    });

    await step("create an agent over the folder", async () => {
      await page.goto(`${base}/agents`);
      await page.getByRole("heading", { name: "Agents", exact: true }).waitFor();
      await page.getByRole("link", { name: "New agent" }).first().waitFor();
      if (await page.getByText("Build your first agent").count()) await shot(page, "02b-agents-empty");
      await page.getByRole("link", { name: "New agent" }).first().click();
      await page.waitForURL(/\/agents\/new$/);
      await page.getByRole("textbox", { name: /^Name/ }).fill(AGENT);
      await page.getByRole("textbox", { name: /^Description/ }).fill("Answers questions about travel, leave and expenses.");
      await page.getByRole("textbox", { name: "Instructions" }).fill("Answer briefly and cite the policy.");
      await page.getByRole("checkbox", { name: FOLDER }).check();
      await page.getByRole("region", { name: "Knowledge" }).scrollIntoViewIfNeeded();
      await shot(page, "03a-agent-builder-form");
      await page.getByRole("button", { name: "Create draft" }).first().click();
      await page.waitForURL(/\/agents\/\d+$/);
      await page.getByText("Answers as @").waitFor();
    });

    await step("ask it in the test chat and see a cited answer", async () => {
      const chat = page.getByRole("region", { name: "Test chat" });
      await chat.getByRole("textbox", { name: "Your question" }).fill("How many vacation days do we get?");
      await chat.getByRole("textbox", { name: "Your question" }).press("Enter");
      // Feedback buttons appear once the streamed answer is saved.
      await chat.getByRole("button", { name: "Helpful", exact: true }).waitFor({ timeout: 45_000 });
      const answer = chat.getByRole("article").last();
      const text = await answer.innerText();
      expect(/27 vacation days/.test(text), `the answer does not quote the file:\n${text}`);
      await answer.getByRole("region", { name: "Sources" }).getByText(DOCUMENT_TITLE).waitFor();
      await shot(page, "03-agent-builder-chat");
    });

    await step("the citation opens its source", async () => {
      const chat = page.getByRole("region", { name: "Test chat" });
      await chat.getByRole("button", { name: /^Source 1:/ }).first().click();
      const drawer = page.getByRole("dialog");
      await drawer.getByRole("heading", { name: DOCUMENT_TITLE }).waitFor();
      const body = await drawer.getByLabel("Document text").innerText();
      expect(body.includes("27 vacation days"), "the opened document is not the cited file");
      await shot(page, "04-citation-document");
      await page.keyboard.press("Escape");
      await drawer.waitFor({ state: "hidden" });
    });

    await step("publish the agent and look at its versions", async () => {
      await page.getByRole("button", { name: "Publish" }).click();
      await page.getByText("Published", { exact: true }).first().waitFor();
      await page.getByRole("button", { name: "Versions" }).click();
      await page.getByRole("dialog").getByText("Version 2", { exact: true }).waitFor();
      await shot(page, "05-agent-versions");
      await page.keyboard.press("Escape");
    });

    await step("the agents list shows it", async () => {
      await page.goto(`${base}/agents`);
      await page.getByRole("article", { name: AGENT }).waitFor();
      await shot(page, "06-agents");
    });

    await step("continue the conversation, streaming", async () => {
      await page.goto(`${base}/conversations`);
      await page.getByRole("link", { name: "How many vacation days do we get?" }).first().waitFor();
      await shot(page, "07-conversations");
      await page.getByRole("link", { name: "How many vacation days do we get?" }).first().click();
      await page.waitForURL(/\/conversations\/\d+$/);
      await page.getByRole("log", { name: "Messages" }).waitFor();
      const composer = page.getByRole("textbox", { name: "Your question" });
      await composer.fill("When do unused vacation days expire?");
      await composer.press("Enter");
      await page.getByRole("button", { name: "Helpful", exact: true }).nth(1).waitFor({ timeout: 45_000 });
      const text = await page.getByRole("article").last().innerText();
      expect(/end of March/.test(text), `the follow-up answer does not quote the file:\n${text}`);
      await shot(page, "08-conversation");
    });

    await step("admin pages", async () => {
      await page.goto(`${base}/admin/members`);
      await page.getByRole("heading", { name: /Members/ }).first().waitFor();
      await page.getByText("member@demo.local").first().waitFor();
      await shot(page, "09-admin-members");
    });

    await step("an admin invites a person, who joins from the link with their own password", async () => {
      // A fresh address each run, so a platform that ran this before does not answer "already a member".
      const invitee = `invitee-${Date.now()}@demo.local`;
      await page.getByRole("button", { name: "Invite member" }).first().click();
      const form = page.getByRole("dialog", { name: "Invite a member" });
      await form.getByLabel("Email").fill(invitee);
      expect((await form.locator('input[type="password"]').count()) === 0, "the invite form asks for a password");
      await form.getByRole("button", { name: "Send invite" }).click();
      const link = page.getByTestId("invite-link");
      await link.waitFor();
      // The link carries PUBLIC_URL, which need not be the address this script reaches.
      const invitePath = new URL((await link.innerText()).trim()).pathname;
      await shot(page, "09b-invite-link");
      await page.getByRole("button", { name: "Done", exact: true }).click();

      const guestContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
      guestContext.setDefaultTimeout(TIMEOUT);
      const guest = await guestContext.newPage();
      pages.push(guest);
      watch(guest, "invitee");
      await guest.goto(`${base}${invitePath}`);
      await guest.getByRole("button", { name: "Create account and join" }).waitFor();
      const passwords = guest.locator('input[autocomplete="new-password"]');
      await passwords.nth(0).fill("e2e-invitee-own-passphrase");
      await passwords.nth(1).fill("e2e-invitee-own-passphrase");
      await shot(guest, "09c-invitation");
      await guest.getByRole("button", { name: "Create account and join" }).click();
      await guest.waitForURL((url) => url.pathname === "/");
      await guest.getByRole("navigation").first().waitFor();
      await guest.getByRole("button", { name: `Account menu for ${invitee}` }).waitFor();
      // The link works once.
      await guest.goto(`${base}${invitePath}`);
      await guest.getByText(/This invitation link is no longer valid/).first().waitFor();
      await guestContext.close();
      pages.splice(pages.indexOf(guest), 1);
    });

    const memberContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    memberContext.setDefaultTimeout(TIMEOUT);
    const member = await memberContext.newPage();
    pages.push(member);
    watch(member, "member");

    await step("a member cannot reach the admin pages", async () => {
      await login(member, memberEmail);
      const nav = member.getByRole("navigation").first();
      await nav.getByRole("link", { name: "Agents" }).waitFor();
      expect((await nav.getByRole("link", { name: "Members & roles" }).count()) === 0, "a member sees the admin nav");
      expect((await nav.getByText("Admin", { exact: true }).count()) === 0, "a member sees the Admin section");
      expect((await nav.getByRole("link", { name: "Connections" }).count()) === 0, "a member sees Connections");
      for (const path of ["/admin/members", "/admin/spaces", "/admin/audit", "/admin/connections"]) {
        await member.goto(`${base}${path}`);
        await member.getByRole("heading", { name: "You need the admin role" }).waitFor();
        expect((await member.getByRole("table").count()) === 0, `${path} shows a table to a member`);
      }
      await shot(member, "10-member-admin-blocked");
    });

    await step("a member sees the published agent, not the builder", async () => {
      await member.goto(`${base}/agents`);
      const card = member.getByRole("article", { name: AGENT });
      await card.waitFor();
      expect((await member.getByRole("link", { name: "New agent" }).count()) === 0, "a member can create agents");
      expect((await card.getByRole("link", { name: /^Edit/ }).count()) === 0, "a member can edit the agent");
      await shot(member, "11-member-agents");
    });

    await step("a member asks the published agent", async () => {
      await member.goto(`${base}/conversations`);
      await member.getByRole("heading", { name: "Conversations" }).waitFor();
      await member.waitForLoadState("networkidle");
      // Empty on a fresh platform; a platform that ran this before lists the earlier ones.
      if (await member.getByText("No conversations yet").count()) await shot(member, "12-member-conversations-empty");
      await member.goto(`${base}/agents`);
      await member.getByRole("link", { name: `Chat with ${AGENT}` }).click();
      await member.waitForURL(/\/conversations\/new\?agent=/);
      await member.getByRole("heading", { name: `Ask ${AGENT}` }).waitFor();
      await shot(member, "13-member-new-conversation");
      const composer = member.getByRole("textbox", { name: "Your question" });
      await composer.fill("What is the daily meal allowance on travel days?");
      await composer.press("Enter");
      await member.waitForURL(/\/conversations\/\d+$/);
      await member.getByRole("button", { name: "Helpful", exact: true }).waitFor({ timeout: 45_000 });
      const text = await member.getByRole("article").last().innerText();
      expect(/60 EUR/.test(text), `the member's answer does not quote the file:\n${text}`);
      await member.getByRole("region", { name: "Sources" }).last().getByText(DOCUMENT_TITLE).waitFor();
      await shot(member, "14-member-conversation");
    });
  }

  if (flows.has("connections")) await connectionsFlow(page);

  expect(problems.length === 0, `the pages logged errors:\n${problems.join("\n")}`);
  console.log(`[${seconds()} s] all flows passed; screenshots in ${artifacts}`);
} catch (error) {
  console.error(`\nFAILED at "${current}": ${error instanceof Error ? error.message : error}`);
  for (const [index, page] of pages.entries()) {
    const path = join(artifacts, `failure-${index + 1}.png`);
    await page.screenshot({ path, fullPage: true }).catch(() => {});
    console.error(`  page ${index + 1} was at ${page.url()}; screenshot ${path}`);
  }
  if (problems.length) console.error(`  page errors:\n  ${problems.join("\n  ")}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
