#!/usr/bin/env node
// Takes screenshots of the main pages in headless Chromium, for a quick visual check.
//
//   BASE_URL=http://127.0.0.1:5173 node scripts/screenshots.mjs
//
// Env: BASE_URL (default http://127.0.0.1:5173: `npm run dev` proxying to a running backend),
// OUT_DIR (default /tmp/fe-shots), CHROMIUM (default /usr/bin/chromium),
// LOGIN_EMAIL / LOGIN_PASSWORD (default the demo admin), MEMBER_EMAIL (a non-admin login),
// FOLDER_NAME (the folder the knowledge shots create, or reuse, and upload into).
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

const FOLDER_NAME = process.env.FOLDER_NAME ?? "Screenshot handbook";

const TRAVEL_POLICY = `# Travel and vacation policy

Everyone gets 25 vacation days a year. Unused vacation days carry over until the end of March.

## Booking travel

Book flights and hotels through the travel desk at least two weeks ahead. Economy class for
flights under six hours; premium economy above that.

## Expenses

Submit receipts within 30 days. Meals on travel days are covered up to 60 EUR a day.
`;

const ONBOARDING = `Onboarding checklist

1. Pick up your laptop from IT on your first day.
2. Book a welcome lunch with your buddy.
3. Read the travel and vacation policy before booking any trip.
`;

// Data sources, a folder with uploads (one good file, one that fails), a document, and search.
async function knowledgeShots(page) {
  await page.goto(`${base}/data`);
  await page.waitForLoadState("networkidle");
  const existing = page.getByRole("link", { name: FOLDER_NAME, exact: true });
  if (await existing.count()) {
    await existing.first().click();
  } else {
    await page.getByRole("button", { name: "New folder" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Name").fill(FOLDER_NAME);
    await dialog.getByRole("button", { name: "Create folder" }).click();
  }
  await page.waitForURL(/\/data\/\d+/);
  await page.waitForLoadState("networkidle");

  await page.getByLabel("Choose files to upload").setInputFiles([
    { name: "travel-policy.md", mimeType: "text/markdown", buffer: Buffer.from(TRAVEL_POLICY) },
    { name: "onboarding.txt", mimeType: "text/plain", buffer: Buffer.from(ONBOARDING) },
    // New content on every run, so the results show a queued file even when the others are unchanged.
    {
      name: "release-notes.md",
      mimeType: "text/markdown",
      buffer: Buffer.from(`# Release notes\n\nDashboard screenshots taken ${new Date().toISOString()}.\n`),
    },
    { name: "scanned-contract.pdf", mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\nnot really a pdf") },
  ]);
  await page.getByRole("region", { name: "Upload results" }).waitFor();
  await shot(page, "folder-upload-results");

  // Wait for indexing to finish (the table refreshes itself while anything is pending).
  await page
    .locator(".mantine-Badge-label", { hasText: "Pending" })
    .first()
    .waitFor({ state: "detached", timeout: 60_000 })
    .catch(() => console.log("documents still pending after 60 s"));
  await shot(page, "folder-documents");

  await page.getByRole("button", { name: "Travel and vacation policy" }).first().click();
  await page.getByLabel("Document text").waitFor();
  await shot(page, "document-drawer");
  await page.keyboard.press("Escape");

  await page.goto(`${base}/data`);
  await shot(page, "data-sources");
  await page.getByRole("button", { name: "New folder" }).first().click();
  await page.getByRole("dialog").getByLabel("Name").fill("Sales playbooks");
  await shot(page, "new-folder-modal");
  await page.keyboard.press("Escape");

  await page.goto(`${base}/search?q=${encodeURIComponent("how many vacation days do we get")}`);
  await page.locator("article").first().waitFor({ timeout: 30_000 }).catch(() => {});
  await shot(page, "search-results");

  await page.goto(`${base}/search?q=${encodeURIComponent("quarterly revenue forecast")}&mode=full_text`);
  await shot(page, "search-empty");
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

  await knowledgeShots(page);

  const member = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  const memberPage = await member.newPage();
  await login(memberPage, memberEmail, memberPassword);
  await memberPage.goto(`${base}/admin/members`);
  await shot(memberPage, "member-needs-admin");
  await memberPage.goto(`${base}/data`);
  await shot(memberPage, "member-data-sources");

  const mobile = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const mobilePage = await mobile.newPage();
  await login(mobilePage, email, password);
  await mobilePage.goto(`${base}/admin/members`);
  await shot(mobilePage, "members-mobile");
} finally {
  await browser.close();
}
