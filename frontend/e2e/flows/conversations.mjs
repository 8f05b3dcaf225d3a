// Flow "conversations": an admin builds and publishes an agent over an uploaded file, asks it,
// renames the conversation and shares it; the demo member opens the link (the cited file lies in
// the company space, so they may open it); the admin deletes the conversation and the link stops
// working. Then the admin edits the published agent (unpublished changes), publishes, compares two
// versions side by side and restores one as a draft.
import { base, expect, login, memberEmail, openPerson, run, shot, step } from "../lib.mjs";

const FOLDER = `Shared handbook ${run}`;
const AGENT = `Office desk ${run}`;
const TITLE = `Parking question ${run}`;
const POLICY = `# Office and parking

Visitors park on level -2. Employees may use the bike room next to the lobby.
`;

async function conversationsFlow({ browser, page }) {
  let agentPath = "";
  await step("an agent over an uploaded file, published", async () => {
    await page.goto(`${base}/data`);
    await page.getByRole("button", { name: "New folder" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill(FOLDER);
    await dialog.getByRole("button", { name: "Create folder" }).click();
    await page.waitForURL(/\/data\/\d+$/);
    await page.getByLabel("Choose files to upload").setInputFiles([
      { name: "office.md", mimeType: "text/markdown", buffer: Buffer.from(POLICY) },
    ]);
    await page.locator("tr", { hasText: "Office and parking" }).filter({ hasText: "Ready" }).waitFor({ timeout: 60_000 });
    await page.goto(`${base}/agents/new`);
    await page.getByRole("textbox", { name: /^Name/ }).fill(AGENT);
    await page.getByRole("textbox", { name: "Instructions" }).fill("Answer briefly.");
    await page.getByRole("checkbox", { name: FOLDER }).check();
    await page.getByRole("button", { name: "Create draft" }).first().click();
    await page.waitForURL(/\/agents\/\d+$/);
    // The builder shows the saved agent (its test chat) before Publish acts on it.
    await page.getByText("Answers as @").waitFor();
    agentPath = new URL(page.url()).pathname;
    await page.getByRole("button", { name: "Publish", exact: true }).click();
    await page.getByText("Published", { exact: true }).first().waitFor();
  });

  let link = "";
  await step("ask, rename the conversation and share it", async () => {
    await page.goto(`${base}/agents`);
    await page.getByRole("link", { name: `Chat with ${AGENT}` }).click();
    const composer = page.getByRole("textbox", { name: "Your question" });
    await composer.fill("Where do visitors park?");
    await composer.press("Enter");
    await page.waitForURL(/\/conversations\/\d+$/);
    await page.getByRole("button", { name: "Helpful", exact: true }).waitFor({ timeout: 45_000 });
    await page.reload();
    await page.getByRole("button", { name: "Rename the conversation" }).click();
    const title = page.getByRole("textbox", { name: "Conversation title" });
    await title.fill(TITLE);
    await title.press("Enter");
    await page.getByRole("heading", { name: TITLE }).waitFor();
    await page.getByRole("button", { name: "Share", exact: true }).click();
    const dialog = page.getByRole("dialog", { name: "Share this conversation" });
    await dialog.getByRole("button", { name: "Create link" }).click();
    link = new URL((await dialog.getByTestId("share-link").innerText()).trim()).pathname;
    expect(link.startsWith("/shared/"), `the share link is not a /shared/ page: ${link}`);
    await shot(page, "c01-share-dialog");
    await page.keyboard.press("Escape");
  });

  const member = await openPerson(browser, "member");
  await step("the demo member opens the shared link, read-only", async () => {
    await login(member.page, memberEmail);
    await member.page.goto(`${base}${link}`);
    await member.page.getByRole("heading", { name: TITLE }).waitFor();
    await member.page.getByText(/Read-only/).waitFor();
    const text = await member.page.getByRole("article").last().innerText();
    expect(/level -2/.test(text), `the shared answer does not show the cited file:\n${text}`);
    expect((await member.page.getByRole("textbox", { name: "Your question" }).count()) === 0, "a shared page has a composer");
    await shot(member.page, "c02-shared-as-member");
  });

  await step("delete the conversation; the link stops working", async () => {
    await page.getByRole("button", { name: "Delete the conversation" }).click();
    const confirm = page.getByRole("dialog", { name: "Delete this conversation?" });
    await shot(page, "c03-delete-confirm");
    await confirm.getByRole("button", { name: "Delete conversation" }).click();
    await page.waitForURL((url) => url.pathname === "/conversations");
    expect((await page.getByRole("link", { name: TITLE }).count()) === 0, "the deleted conversation is still listed");
    await member.page.reload();
    await member.page.getByText("This shared conversation is not available to you").waitFor();
    await shot(member.page, "c04-shared-after-delete");
  });
  await member.close();

  await step("edit the published agent as unpublished changes, then publish", async () => {
    await page.goto(`${base}${agentPath}`);
    await page.getByRole("textbox", { name: "Instructions" }).fill("Answer briefly.\nName the floor.");
    await page.getByRole("button", { name: "Save unpublished changes" }).first().click();
    await page.getByText("Unpublished changes", { exact: true }).waitFor();
    await shot(page, "c05-unpublished-changes");
    await page.getByRole("button", { name: "Publish changes" }).click();
    await page.getByText("Unpublished changes", { exact: true }).waitFor({ state: "hidden" });
  });

  await step("compare two versions and restore one as a draft", async () => {
    await page.getByRole("button", { name: "Versions" }).click();
    const drawer = page.getByRole("dialog");
    await drawer.getByRole("button", { name: "Compare version 3 with version 2" }).click();
    const diff = drawer.getByRole("region", { name: "Changes from version 2 to version 3" });
    await diff.getByText("Name the floor.").waitFor();
    await shot(page, "c06-version-diff");
    await drawer.getByRole("button", { name: "Restore version 2 as a draft" }).click();
    await page.getByText("Unpublished changes", { exact: true }).waitFor();
    const instructions = await page.getByRole("textbox", { name: "Instructions" }).inputValue();
    expect(instructions === "Answer briefly.", `the restored draft's instructions are ${JSON.stringify(instructions)}`);
    await shot(page, "c07-restored-draft");
  });
}

export default { name: "conversations", needs: [], run: conversationsFlow };
