#!/usr/bin/env node
// Takes screenshots of the main pages in headless Chromium, for a quick visual check.
//
//   BASE_URL=http://127.0.0.1:5173 node scripts/screenshots.mjs
//
// Env: BASE_URL (default http://127.0.0.1:5173: `npm run dev` proxying to a running backend),
// OUT_DIR (default /tmp/fe-shots), CHROMIUM (default /usr/bin/chromium),
// LOGIN_EMAIL / LOGIN_PASSWORD (default the demo admin), MEMBER_EMAIL (a non-admin login).
// Uses the system Chromium (Debian: apt-get install chromium); it never downloads a browser.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";

const base = (process.env.BASE_URL ?? "http://127.0.0.1:5173").replace(/\/$/, "");
const outDir = process.env.OUT_DIR ?? "/tmp/fe-shots";
const executablePath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const email = process.env.LOGIN_EMAIL ?? "admin@demo.local";
const password = process.env.LOGIN_PASSWORD ?? "demo-password";
const memberEmail = process.env.MEMBER_EMAIL ?? "member@demo.local";
const memberPassword = process.env.MEMBER_PASSWORD ?? password;

mkdirSync(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
  ],
});

async function shot(page, name) {
  // Let skeletons resolve and transitions settle.
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(400);
  const path = join(outDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  console.log(`saved ${path}`);
}

async function login(page, who, secret) {
  await page.goto(`${base}/login`);
  await page.getByLabel("Work email").fill(who);
  await page.getByLabel("Password").fill(secret);
  await page.getByRole("button", { name: "Log in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

try {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  const page = await context.newPage();

  await page.goto(`${base}/login`);
  await shot(page, "login");

  await page.getByLabel("Work email").fill(email);
  await page.getByLabel("Password").fill("wrong-password");
  await page.getByRole("button", { name: "Log in" }).click();
  await page.getByRole("alert").waitFor();
  await shot(page, "login-error");

  await login(page, email, password);
  await shot(page, "overview");

  const pages = [
    ["members", "/admin/members"],
    ["groups", "/admin/groups"],
    ["spaces", "/admin/spaces"],
    ["api-tokens", "/admin/api-tokens"],
    ["audit", "/admin/audit"],
  ];
  for (const [name, path] of pages) {
    await page.goto(`${base}${path}`);
    await shot(page, name);
  }

  // A restricted space's grants.
  await page.goto(`${base}/admin/spaces`);
  await page.waitForLoadState("networkidle");
  const restricted = page.locator("tr", { hasText: "Restricted" }).first();
  if (await restricted.count()) {
    await restricted.locator("a").first().click();
    await shot(page, "space-detail");
  }

  await page.goto(`${base}/admin/audit?action=space.`);
  await shot(page, "audit-filtered");

  const member = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  const memberPage = await member.newPage();
  await login(memberPage, memberEmail, memberPassword);
  await memberPage.goto(`${base}/admin/members`);
  await shot(memberPage, "member-needs-admin");

  const mobile = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const mobilePage = await mobile.newPage();
  await login(mobilePage, email, password);
  await mobilePage.goto(`${base}/admin/members`);
  await shot(mobilePage, "members-mobile");
} finally {
  await browser.close();
}
