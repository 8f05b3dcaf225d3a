// Flow "provisioning": an admin opens Admin → Provisioning, copies the SCIM base URL, creates a
// SCIM token (its secret shown once), and uses it as an identity provider would: creates a
// person over /scim/v2/Users and deactivates them. The page lists both events; revoking the
// token makes the next SCIM request a 401.
import { base, expect, run, shot, step } from "../lib.mjs";

const SCIM_JSON = "application/scim+json";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

async function scim(secret, method, path, body) {
  const response = await fetch(`${base}/scim/v2/${path}`, {
    method,
    headers: { Authorization: `Bearer ${secret}`, "Content-Type": SCIM_JSON, Accept: SCIM_JSON },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function provisioningFlow({ page }) {
  const TOKEN = `Okta ${run}`;
  const PERSON = `pat.${run}@idp.example`;
  let secret = "";

  await step("provisioning: the page shows the SCIM base URL to paste", async () => {
    await page.goto(`${base}/`);
    await page.getByRole("navigation").first().getByRole("link", { name: "Provisioning" }).click();
    await page.waitForURL(/\/admin\/provisioning$/);
    const url = await page.getByTestId("scim-base-url").innerText();
    expect(/\/scim\/v2$/.test(url.trim()), `unexpected SCIM base URL ${url}`);
    await shot(page, "30-provisioning");
  });

  await step("provisioning: create a SCIM token, shown once", async () => {
    await page.getByRole("button", { name: "New SCIM token" }).first().click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("textbox", { name: /name/i }).fill(TOKEN);
    await dialog.getByRole("button", { name: "Create token" }).click();
    secret = (await page.getByTestId("scim-token-secret").innerText()).trim();
    expect(secret.startsWith("scim_"), `unexpected secret ${secret.slice(0, 8)}`);
    // The name dialog closes as this one opens: let both transitions finish before the shot.
    await page.getByRole("dialog", { name: "SCIM token created" }).waitFor();
    await page.waitForTimeout(600);
    await shot(page, "31-provisioning-token-created");
    await page.getByRole("button", { name: "I have copied it" }).click();
    await page.getByRole("table", { name: "Tokens" }).getByText(TOKEN).waitFor();
  });

  await step("provisioning: the IdP creates and deactivates a person with the token", async () => {
    const created = await scim(secret, "POST", "Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: PERSON,
      name: { givenName: "Pat", familyName: "Lee" },
      emails: [{ value: PERSON, primary: true, type: "work" }],
      active: true,
    });
    expect(created.status === 201, `SCIM create answered ${created.status}: ${JSON.stringify(created.body)}`);
    const found = await scim(secret, "GET", `Users?filter=${encodeURIComponent(`userName eq "${PERSON}"`)}`);
    expect(found.body.totalResults === 1, "the person is not found by userName");
    const off = await scim(secret, "PATCH", `Users/${created.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "Replace", path: "active", value: "False" }],
    });
    expect(off.status === 200 && off.body.active === false, `SCIM deactivate answered ${off.status}`);
  });

  await step("provisioning: the page lists the provisioning events", async () => {
    await page.reload();
    const events = page.getByRole("table", { name: "Latest provisioning events" });
    await events.getByRole("row").filter({ hasText: "Person deactivated" }).filter({ hasText: PERSON }).waitFor();
    await events.getByRole("row").filter({ hasText: "Person provisioned" }).filter({ hasText: PERSON }).waitFor();
    await shot(page, "32-provisioning-events");
  });

  await step("provisioning: a revoked token is refused", async () => {
    await page.getByRole("button", { name: `Revoke SCIM token ${TOKEN}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
    await page.getByRole("table", { name: "Tokens" }).getByRole("row").filter({ hasText: TOKEN }).getByText("Revoked").waitFor();
    const refused = await scim(secret, "GET", "Users");
    expect(refused.status === 401, `a revoked token answered ${refused.status}`);
    await shot(page, "33-provisioning-token-revoked");
  });
}

export default { name: "provisioning", needs: [], run: provisioningFlow };
