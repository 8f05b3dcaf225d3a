// What every browser flow shares: the configuration from the environment, screenshots, named
// steps, assertions, logging in, and the page errors collected across all pages.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const base = (process.env.E2E_BASE_URL ?? "http://127.0.0.1:8000").replace(/\/$/, "");
export const artifacts = process.env.E2E_ARTIFACTS ?? join(here, "artifacts");
export const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const password = process.env.E2E_PASSWORD ?? "demo-password";
export const adminEmail = process.env.E2E_ADMIN_EMAIL ?? "admin@demo.local";
export const builderEmail = process.env.E2E_BUILDER_EMAIL ?? "builder@demo.local";
export const memberEmail = process.env.E2E_MEMBER_EMAIL ?? "member@demo.local";
export const TIMEOUT = 20_000;
// Unique per run, so the flows also pass against a platform that has run them before.
export const run = Date.now().toString(36).slice(-5);

mkdirSync(artifacts, { recursive: true });

const started = Date.now();
export const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
export const problems = [];
export const state = { current: null, pages: [] };

export function watch(page, who) {
  page.on("pageerror", (error) => problems.push(`${who}: uncaught ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !/Failed to load resource/.test(message.text())) {
      problems.push(`${who}: console error ${message.text()}`);
    }
  });
}

/** What a person sees: the viewport (the navbar is fixed, so a full-page shot would cut it). */
export async function shot(page, name) {
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

export async function step(name, body) {
  state.current = name;
  console.log(`[${seconds()} s] ${name}`);
  await body();
}

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}

export async function login(page, email) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
  await page.getByRole("navigation").first().waitFor();
}

/** A new browser context (its own cookies) with one page, watched for errors as `who`. */
export async function openPerson(browser, who) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(TIMEOUT);
  const page = await context.newPage();
  state.pages.push(page);
  watch(page, who);
  return {
    page,
    context,
    async close() {
      state.pages.splice(state.pages.indexOf(page), 1);
      await context.close();
    },
  };
}
