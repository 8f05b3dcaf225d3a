// Flow "models": an admin opens Admin → Models, sets an OpenAI-compatible server's key and base
// URL (the fake OpenAI server of tests/fakes/openai), tests it (it works and lists its models),
// replaces the key with a wrong one and tests again (a clear refusal, never the server's words),
// then removes the key after confirming.
import { base, expect, shot, step } from "../lib.mjs";

const openai = {
  url: process.env.E2E_OPENAI_URL ?? "",
  key: process.env.E2E_OPENAI_KEY ?? "",
};
const PROVIDER = "OpenAI-compatible server";

async function saveKey(page, key) {
  await page.getByRole("button", { name: new RegExp(`^(Set|Replace) the ${PROVIDER} key$`) }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Base URL").fill(openai.url);
  await dialog.getByLabel("API key").fill(key);
  expect((await dialog.getByLabel("API key").getAttribute("type")) === "password", "the API key is not a password input");
  return dialog;
}

async function modelsFlow({ page }) {
  const card = page.getByRole("region", { name: PROVIDER });

  await step("models: the admin console lists every provider", async () => {
    await page.goto(`${base}/`);
    await page.getByRole("navigation").first().getByRole("link", { name: "Models" }).click();
    await page.waitForURL(/\/admin\/models$/);
    await page.getByRole("heading", { name: "Models", exact: true }).waitFor();
    await card.waitFor();
    expect((await page.getByRole("heading", { level: 2 }).count()) === 5, "not every provider is listed");
    await shot(page, "models-01-providers");
  });

  await step("models: set the OpenAI-compatible server's key and base URL", async () => {
    const dialog = await saveKey(page, openai.key);
    await shot(page, "models-02-set-key");
    await dialog.getByRole("button", { name: "Save key" }).click();
    await dialog.waitFor({ state: "hidden" });
    await card.getByText(`Key ····${openai.key.slice(-4)}`).waitFor();
    await card.getByText(openai.url).waitFor();
    await card.getByText(/Set by .*admin@demo\.local/).waitFor();
  });

  await step("models: Test answers that the key works, with the server's models", async () => {
    await page.getByRole("button", { name: `Test the ${PROVIDER} key` }).click();
    await card.getByText("The key works").waitFor();
    await card.getByText(/lists 2 models/).waitFor();
    await card.getByText(/gpt-4o-mini/).waitFor();
    await shot(page, "models-03-test-ok");
  });

  await step("models: a wrong key is refused, clearly", async () => {
    const dialog = await saveKey(page, "sk-wrong-key-000000000000");
    await dialog.getByRole("button", { name: "Save key" }).click();
    await dialog.waitFor({ state: "hidden" });
    await card.getByText("Key ····0000").waitFor();
    await page.getByRole("button", { name: `Test the ${PROVIDER} key` }).click();
    const alert = card.getByRole("alert");
    await alert.getByText("The test failed").waitFor();
    const text = await alert.innerText();
    expect(/refused this key \(HTTP 401\)/.test(text), `the refusal does not say the key was refused: ${text}`);
    expect(!/Incorrect API key/.test(text), "the server's own error message is echoed");
    await shot(page, "models-04-test-refused");
  });

  await step("models: remove the key after confirming", async () => {
    await page.getByRole("button", { name: `Remove the ${PROVIDER} key` }).click();
    const confirm = page.getByRole("dialog", { name: "Remove key" });
    await shot(page, "models-05-remove-confirm");
    await confirm.getByRole("button", { name: "Remove key" }).click();
    await card.getByText("Not set").waitFor();
    await shot(page, "models-06-removed");
  });
}

export default { name: "models", needs: ["E2E_OPENAI_URL", "E2E_OPENAI_KEY"], run: modelsFlow };
