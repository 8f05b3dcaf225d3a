// Flow "attachments": an admin builds and publishes an agent over an empty folder (no model is
// configured, so it answers extractively), starts a conversation with it, attaches a small
// Markdown file to the question, waits for it to be read, and gets an answer cited from the
// file; the citation opens the attached file's text.
import { base, expect, run, shot, step } from "../lib.mjs";

const FOLDER = `Empty folder ${run}`;
const AGENT = `File reader ${run}`;
const FILE_TITLE = "Visitor parking";
const NOTES = `# ${FILE_TITLE}

Visitors park on level minus two of the north garage. Reception hands out day passes until noon.
`;

async function attachmentsFlow({ page }) {
  await step("build and publish an agent", async () => {
    await page.goto(`${base}/data`);
    await page.getByRole("heading", { name: "Data sources" }).waitFor();
    await page.getByRole("button", { name: "New folder" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill(FOLDER);
    await dialog.getByRole("button", { name: "Create folder" }).click();
    await page.waitForURL(/\/data\/\d+$/);
    await page.goto(`${base}/agents/new`);
    await page.getByRole("textbox", { name: /^Name/ }).fill(AGENT);
    await page.getByRole("checkbox", { name: FOLDER }).check();
    await page.getByRole("button", { name: "Create draft" }).first().click();
    await page.waitForURL(/\/agents\/\d+$/);
    await page.getByRole("button", { name: "Publish" }).click();
    await page.getByText("Published", { exact: true }).first().waitFor();
  });

  await step("attach a file to a new conversation", async () => {
    await page.goto(`${base}/agents`);
    await page.getByRole("link", { name: `Chat with ${AGENT}` }).click();
    await page.waitForURL(/\/conversations\/new\?agent=/);
    await page.getByRole("heading", { name: `Ask ${AGENT}` }).waitFor();
    await page.getByRole("button", { name: "Attach files" }).waitFor();
    await page.getByTestId("attach-input").setInputFiles([
      { name: "parking.md", mimeType: "text/markdown", buffer: Buffer.from(NOTES) },
    ]);
    // The conversation is created for the file; the chip shows it being read, then ready.
    await page.waitForURL(/\/conversations\/\d+$/);
    await page.getByRole("listitem", { name: "parking.md: ready" }).waitFor({ timeout: 60_000 });
    await shot(page, "attachments-01-file-ready");
  });

  await step("ask about the file and see a cited answer", async () => {
    const composer = page.getByRole("textbox", { name: "Your question" });
    await composer.fill("Where do visitors park?");
    await composer.press("Enter");
    await page.getByRole("button", { name: "Helpful", exact: true }).waitFor({ timeout: 45_000 });
    const answer = page.getByRole("article").last();
    const text = await answer.innerText();
    expect(/level minus two/.test(text), `the answer does not quote the attached file:\n${text}`);
    await answer.getByRole("region", { name: "Sources" }).getByText(FILE_TITLE, { exact: true }).waitFor();
    await shot(page, "attachments-02-cited-answer");
  });

  await step("the citation opens the attached file", async () => {
    await page.getByRole("article").last().getByRole("button", { name: /^Source 1:/ }).first().click();
    const drawer = page.getByRole("dialog");
    await drawer.getByRole("heading", { name: FILE_TITLE }).waitFor();
    const body = await drawer.getByLabel("File text").innerText();
    expect(body.includes("north garage"), "the opened file is not the attached one");
    await shot(page, "attachments-03-citation-opens-file");
    await page.keyboard.press("Escape");
    await drawer.waitFor({ state: "hidden" });
  });
}

export default { name: "attachments", needs: [], run: attachmentsFlow };
