import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { IdentityProvider, SamlServiceProvider } from "../../../api/ssoSaml";
import { meWithRole, renderWithProviders, stubFetch } from "../../../test/utils";
import { SamlSettings } from "./SamlSettings";

const SP: SamlServiceProvider = {
  entity_id: "https://agents.example.com/sso/1/saml/metadata",
  acs_url: "https://agents.example.com/sso/1/saml/acs",
  metadata_url: "https://agents.example.com/sso/1/saml/metadata",
  login_url: "https://agents.example.com/sso/1/saml/login",
  name_id_format: "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
};

const SAML_PROVIDER: IdentityProvider = {
  kind: "saml",
  preset: "",
  display_name: "",
  enabled: true,
  config: {
    idp_entity_id: "https://idp.example.com/metadata",
    sso_url: "https://idp.example.com/sso",
    x509_certs: ["MIIB"],
    metadata_url: "",
    name_attribute: "",
    groups_attribute: "teams",
    email_attribute: "",
    allow_idp_initiated: false,
  },
  has_secret: false,
  jit_mode: "invitations_only",
  default_role: "builder",
  map_groups: true,
  require_sso: false,
  break_glass_membership_id: null,
  redirect_uri: "",
  updated_at: "2026-12-01T10:00:00Z",
};

const NOT_FOUND = { status: 404, body: { error: { code: "not_found", message: "No provider yet." } } };

function renderSaml(routes: Parameters<typeof stubFetch>[0] = {}) {
  document.cookie = "csrftoken=abc; path=/";
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    "GET /api/v1/workspaces/1/sso/saml/service-provider": { body: SP },
    "GET /api/v1/workspaces/1/sso/provider": NOT_FOUND,
    ...routes,
  });
  const view = renderWithProviders(<SamlSettings workspaceId={1} />);
  return { ...stub, ...view };
}

describe("SamlSettings", () => {
  it("shows the values to paste into the IdP", async () => {
    renderSaml();
    expect(await screen.findByTestId("saml-sp-entity_id")).toHaveTextContent(SP.entity_id);
    expect(screen.getByTestId("saml-sp-acs_url")).toHaveTextContent(SP.acs_url);
    expect(screen.getByTestId("saml-sp-name_id_format")).toHaveTextContent("emailAddress");
    expect(screen.getByRole("button", { name: /copy entity id/i })).toBeInTheDocument();
  });

  it("uploads the IdP metadata and saves a SAML provider", async () => {
    const { requests, container } = renderSaml({
      "PUT /api/v1/workspaces/1/sso/provider": { body: SAML_PROVIDER },
    });
    const save = await screen.findByRole("button", { name: "Save SAML settings" });
    expect(save).toBeDisabled();
    const input = container.querySelector('input[type="file"]') as HTMLInputElement;
    await userEvent.upload(input, new File(["<EntityDescriptor/>"], "idp.xml", { type: "text/xml" }));
    await userEvent.type(screen.getByLabelText("Groups attribute"), "teams");
    await userEvent.click(screen.getByRole("switch", { name: /idp-initiated/i }));
    await userEvent.click(save);
    expect(await screen.findByRole("status")).toHaveTextContent("SAML settings saved");
    const put = requests.find((request) => request.method === "PUT");
    expect(put?.body).toMatchObject({
      kind: "saml",
      config: { metadata_xml: "<EntityDescriptor/>", groups_attribute: "teams", allow_idp_initiated: true },
    });
    expect(await screen.findByTestId("saml-idp-summary")).toHaveTextContent("https://idp.example.com/metadata");
  });

  it("keeps the stored IdP values and the provider's other settings when only attributes change", async () => {
    const { requests } = renderSaml({
      "GET /api/v1/workspaces/1/sso/provider": { body: SAML_PROVIDER },
      "PUT /api/v1/workspaces/1/sso/provider": { body: SAML_PROVIDER },
    });
    const groups = await screen.findByLabelText("Groups attribute");
    expect(groups).toHaveValue("teams");
    await userEvent.clear(groups);
    await userEvent.type(groups, "memberOf");
    await userEvent.click(screen.getByRole("button", { name: "Save SAML settings" }));
    await waitFor(() => expect(requests.some((request) => request.method === "PUT")).toBe(true));
    const put = requests.find((request) => request.method === "PUT");
    expect(put?.body).toMatchObject({
      jit_mode: "invitations_only",
      default_role: "builder",
      map_groups: true,
      config: { idp_entity_id: "https://idp.example.com/metadata", x509_certs: ["MIIB"], groups_attribute: "memberOf" },
    });
  });

  it("says why the server refused the metadata URL", async () => {
    renderSaml({
      "PUT /api/v1/workspaces/1/sso/provider": {
        status: 422,
        body: { error: { code: "saml_metadata_unreachable", message: "The host resolves to a private address." } },
      },
    });
    await userEvent.click(await screen.findByRole("radio", { name: "IdP metadata URL" }));
    await userEvent.type(screen.getByRole("textbox", { name: "IdP metadata URL" }), "https://10.0.0.1/metadata");
    await userEvent.click(screen.getByRole("button", { name: "Save SAML settings" }));
    expect(await screen.findByText("The host resolves to a private address.")).toBeInTheDocument();
  });

  it("warns that saving replaces an OIDC provider", async () => {
    renderSaml({
      "GET /api/v1/workspaces/1/sso/provider": { body: { ...SAML_PROVIDER, kind: "oidc", preset: "okta" } },
    });
    expect(await screen.findByText(/replaces the OIDC provider/)).toBeInTheDocument();
  });

  it("shows an error with a retry when the SP values do not load", async () => {
    renderSaml({
      "GET /api/v1/workspaces/1/sso/saml/service-provider": { status: 500, body: {} },
    });
    expect(await screen.findByText("Could not load the SP values")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /retry/i })).toBeInTheDocument();
  });
});
