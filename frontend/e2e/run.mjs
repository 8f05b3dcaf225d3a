#!/usr/bin/env node
// End-to-end flows in headless Chromium against a running platform (`manage.py up`).
//
//   E2E_BASE_URL=http://127.0.0.1:8000 node e2e/run.mjs
//
// Each flow is a module in flows/ exporting { name, needs, run }: `needs` names the environment
// variables it cannot run without (the fakes tests/e2e/test_browser.py starts and describes).
// The admin logs in first; every flow gets the browser and the admin's logged-in page.
//
// Env: E2E_BASE_URL (default http://127.0.0.1:8000), E2E_ARTIFACTS (screenshots; default
// e2e/artifacts next to this file), CHROMIUM (default /usr/bin/chromium), E2E_PASSWORD (default
// demo-password), E2E_ADMIN_EMAIL / E2E_BUILDER_EMAIL / E2E_MEMBER_EMAIL (default the demo
// logins), E2E_FLOWS (which flows to run, comma-separated; default every flow whose `needs` are
// set), and what each flow needs (see flows/).
// Uses the system Chromium through playwright-core; it never downloads a browser.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

import { adminEmail, artifacts, base, executablePath, login, openPerson, problems, seconds, shot, state, step, expect } from "./lib.mjs";
import agents from "./flows/agents.mjs";
import conversations from "./flows/conversations.mjs";
import connections from "./flows/connections.mjs";
import connectionOps from "./flows/connection_ops.mjs";
import attachments from "./flows/attachments.mjs";
import models from "./flows/models.mjs";
import slackbot from "./flows/slackbot.mjs";
import sso from "./flows/sso.mjs";
import provisioning from "./flows/provisioning.mjs";

// In the order they run. A new flow adds its module here.
const ALL_FLOWS = [
  agents,
  conversations,
  connections,
  connectionOps,
  attachments,
  models,
  slackbot,
  sso,
  provisioning,
];

const missing = (flow) => flow.needs.filter((name) => !process.env[name]);
const requested = process.env.E2E_FLOWS?.split(",").map((name) => name.trim()).filter(Boolean);
for (const name of requested ?? []) {
  if (!ALL_FLOWS.some((flow) => flow.name === name)) {
    console.error(`Unknown flow "${name}" in E2E_FLOWS; the flows are ${ALL_FLOWS.map((flow) => flow.name).join(", ")}.`);
    process.exit(2);
  }
}
const flows = requested ? ALL_FLOWS.filter((flow) => requested.includes(flow.name)) : ALL_FLOWS.filter((flow) => missing(flow).length === 0);
for (const flow of flows) {
  if (missing(flow).length) {
    console.error(`The ${flow.name} flow needs ${missing(flow).join(", ")} (tests/e2e/test_browser.py starts its fakes and sets them).`);
    process.exit(2);
  }
}

if (!existsSync(executablePath)) {
  console.error(
    `Chromium not found at ${executablePath}. Install it (Debian/Ubuntu: apt-get install -y chromium) ` +
      "or set CHROMIUM=/path/to/chromium.",
  );
  process.exit(2);
}

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"],
});

try {
  const { page } = await openPerson(browser, "admin");

  await step("log in as the demo admin", async () => {
    await page.goto(`${base}/login`);
    await page.getByRole("button", { name: "Log in" }).waitFor();
    await shot(page, "01-login");
    await login(page, adminEmail);
    await page.getByRole("heading", { name: /Welcome back/ }).waitFor();
  });

  for (const flow of flows) {
    console.log(`[${seconds()} s] flow ${flow.name}`);
    await flow.run({ browser, page });
  }

  expect(problems.length === 0, `the pages logged errors:\n${problems.join("\n")}`);
  console.log(`[${seconds()} s] ${flows.map((flow) => flow.name).join(", ")}: all flows passed; screenshots in ${artifacts}`);
} catch (error) {
  console.error(`\nFAILED at "${state.current}": ${error instanceof Error ? error.message : error}`);
  for (const [index, page] of state.pages.entries()) {
    const path = join(artifacts, `failure-${index + 1}.png`);
    await page.screenshot({ path, fullPage: true }).catch(() => {});
    console.error(`  page ${index + 1} was at ${page.url()}; screenshot ${path}`);
  }
  if (problems.length) console.error(`  page errors:\n  ${problems.join("\n  ")}`);
  process.exitCode = 1;
} finally {
  await browser.close();
}
