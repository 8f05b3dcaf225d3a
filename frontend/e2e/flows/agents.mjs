// Flow "agents": an admin uploads a file, builds an agent over it (no model is configured, so it
// answers extractively), asks it in the test chat, opens the citation, publishes it and continues
// in Conversations; invites a person, who joins from the link with their own password; a member
// cannot reach the admin pages and asks the published agent.
import { base, expect, login, memberEmail, openPerson, run, shot, step } from "../lib.mjs";

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


async function agentsFlow({ browser, page }) {
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

    const invited = await openPerson(browser, "invitee");
    const guest = invited.page;
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
    await invited.close();
  });

  const { page: member } = await openPerson(browser, "member");

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

export default { name: "agents", needs: [], run: agentsFlow };
