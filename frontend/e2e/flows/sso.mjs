// Flow "sso": the admin sets up OpenID Connect against the fake provider (tests/fakes/oidc) on
// Admin → Authentication, claims a domain and runs a test sign-in; then a new person types their
// work email on the login page, continues with SSO, signs in at the provider and lands in the
// workspace.
//
// PUBLIC_URL defaults to http://localhost:<port> and the redirect URI is built from it, so the
// whole flow runs on that origin (its session cookie must come back with the callback).
import { base, expect, password, adminEmail, shot, step } from "../lib.mjs";

const oidc = {
  issuer: process.env.E2E_OIDC_ISSUER ?? "",
  clientId: process.env.E2E_OIDC_CLIENT_ID ?? "",
  clientSecret: process.env.E2E_OIDC_CLIENT_SECRET ?? "",
};
const origin = process.env.E2E_PUBLIC_URL ?? base.replace("127.0.0.1", "localhost");
const DOMAIN = "sso-e2e.test";
const PERSON = `new.person@${DOMAIN}`;

async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(20_000);
  return { context, page: await context.newPage() };
}

async function ssoFlow({ browser }) {
  const admin = await newPage(browser);
  const page = admin.page;

  await step("sso: the admin opens Authentication", async () => {
    await page.goto(`${origin}/login`);
    await page.getByLabel("Work email").fill(adminEmail);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Log in" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    await page.getByRole("navigation").first().getByRole("link", { name: "Authentication" }).click();
    await page.waitForURL(/\/admin\/authentication/);
    await page.getByRole("heading", { name: "Authentication", exact: true }).waitFor();
    await shot(page, "sso-01-authentication-empty");
  });

  await step("sso: claim the domain", async () => {
    await page.getByRole("textbox", { name: "Domain" }).fill(DOMAIN);
    await page.getByRole("button", { name: "Claim domain" }).click();
    // A platform that ran this flow before has it already (409): either way it is listed.
    await page.getByRole("table", { name: "Claimed domains" }).getByText(DOMAIN).waitFor();
  });

  await step("sso: configure OpenID Connect with the generic preset", async () => {
    const form = page.getByRole("form", { name: "OpenID Connect settings" });
    const redirect = await form.getByLabel("Values for your identity provider").innerText();
    expect(redirect.includes("/oidc/callback"), "the redirect URI to paste is not shown");
    await form.getByRole("textbox", { name: /Issuer URL/ }).fill(oidc.issuer);
    await form.getByRole("textbox", { name: /Client ID/ }).fill(oidc.clientId);
    await form.getByLabel("Client secret").fill(oidc.clientSecret);
    await form.getByRole("switch", { name: /Map the provider's groups/ }).check({ force: true });
    await shot(page, "sso-02-oidc-form");
    await form.getByRole("button", { name: "Save" }).click();
    await page.getByText("OpenID Connect settings saved.").waitFor();
  });

  await step("sso: the test sign-in shows the claims", async () => {
    const [tab] = await Promise.all([
      admin.context.waitForEvent("page"),
      page.getByRole("link", { name: /Test sign-in/ }).click(),
    ]);
    await tab.getByRole("button", { name: "Sign in" }).waitFor();
    await shot(tab, "sso-03-idp-login");
    await tab.getByRole("button", { name: "Sign in" }).click();
    await tab.waitForURL(/\/admin\/authentication\?test=done/);
    const result = tab.getByRole("status", { name: "Test sign-in result" });
    await result.waitFor();
    expect((await result.innerText()).includes(PERSON), "the test result does not show the email");
    await result.scrollIntoViewIfNeeded();
    await shot(tab, "sso-04-test-result");
    await tab.close();
  });
  await admin.context.close();

  const person = await newPage(browser);
  await step("sso: a new person continues with SSO from the login page", async () => {
    const p = person.page;
    await p.goto(`${origin}/login`);
    await p.getByLabel("Work email").fill(PERSON);
    const button = p.getByRole("link", { name: /Continue with SSO/ });
    await button.waitFor();
    await shot(p, "sso-05-login-continue");
    await button.click();
    await p.getByRole("button", { name: "Sign in" }).click();
    await p.waitForURL((url) => url.origin === origin && !url.pathname.startsWith("/login") && !url.pathname.startsWith("/sso"));
    await p.getByRole("navigation").first().waitFor();
    await shot(p, "sso-06-landed");
  });
  await person.context.close();
}

export default { name: "sso", needs: ["E2E_OIDC_ISSUER"], run: ssoFlow };
