// Loads the built web app and the API docs in headless Chromium under the server's real
// Content-Security-Policy header, logs in and walks the main pages, and fails on any CSP
// violation, console error or page error. Prints one JSON report line.
//
//   BASE_URL=http://127.0.0.1:8000 node tests/deploy/csp_check.mjs
//
// Env: BASE_URL, CHROMIUM (default /usr/bin/chromium), LOGIN_EMAIL / LOGIN_PASSWORD (the demo
// admin by default). playwright-core comes from frontend/node_modules (run from the repo root).
import { createRequire } from "node:module";
import { join } from "node:path";

const require = createRequire(join(process.cwd(), "frontend", "package.json"));
const { chromium } = require("playwright-core");

const base = (process.env.BASE_URL ?? "http://127.0.0.1:8000").replace(/\/$/, "");
const email = process.env.LOGIN_EMAIL ?? "admin@demo.local";
const password = process.env.LOGIN_PASSWORD ?? "demo-password";

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
const problems = [];
const visited = [];
let loggedIn = false;
const apiErrors = [];
let policy = null;
try {
  const page = await browser.newPage();
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // Before logging in, the app's GET /api/v1/me answers 401 by design.
    if (!loggedIn && /status of 401/.test(message.text())) return;
    problems.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  // API errors, to explain a failed check (not problems by themselves: /me answers 401 first).
  page.on("response", async (response) => {
    if (response.status() >= 400 && new URL(response.url()).pathname.startsWith("/api/")) {
      const body = await response.text().catch(() => "");
      apiErrors.push(`${response.status()} ${new URL(response.url()).pathname} ${body.slice(0, 200)} sent=${response.request().postData()}`);
    }
  });

  const first = await page.goto(`${base}/login`);
  policy = first.headers()["content-security-policy"] ?? null;
  if (!policy) problems.push("no Content-Security-Policy header on the app page");
  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"), { timeout: 15000 });
  loggedIn = true;
  await page.waitForLoadState("networkidle");
  visited.push(new URL(page.url()).pathname);
  const rendered = await page.locator("#root").innerText();
  if (rendered.trim().length < 20) problems.push("the app rendered (almost) nothing");

  // Every link in the navigation, so each page's components mount under the policy.
  const links = await page.locator("nav a[href^='/']").evaluateAll((anchors) =>
    [...new Set(anchors.map((a) => a.getAttribute("href")))],
  );
  for (const href of links.slice(0, 12)) {
    await page.goto(`${base}${href}`);
    await page.waitForLoadState("networkidle");
    visited.push(href);
  }

  await page.goto(`${base}/api/v1/docs`);
  await page.waitForSelector(".swagger-ui .opblock", { timeout: 15000 });
  visited.push("/api/v1/docs");
} catch (error) {
  problems.push(`check failed: ${error.message}`);
} finally {
  await browser.close();
}
console.log(JSON.stringify({ policy, visited, problems, apiErrors }));
process.exit(problems.length ? 1 : 0);
