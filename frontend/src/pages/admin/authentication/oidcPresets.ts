import type { SsoProvider, SsoProviderInput } from "../../../api/sso";

export type PresetKey = "google" | "okta" | "entra" | "keycloak" | "generic";

export interface PresetInfo {
  key: PresetKey;
  label: string;
  /** Where the admin finds the values, and what the IdP needs. */
  hint: string;
  issuerPlaceholder?: string;
  /** The preset fixes the issuer (Google) or builds it from the tenant (Entra). */
  fixedIssuer: boolean;
}

export const PRESETS: PresetInfo[] = [
  {
    key: "google",
    label: "Google Workspace",
    hint: "Google Cloud console → APIs & Services → Credentials → OAuth client ID (Web application). Set the hosted domain to refuse personal accounts.",
    fixedIssuer: true,
  },
  {
    key: "okta",
    label: "Okta",
    hint: "Okta admin → Applications → Create App Integration → OIDC, Web Application. The issuer is your Okta domain (or its authorization server). For groups, add a 'groups' claim to the ID token.",
    issuerPlaceholder: "https://your-org.okta.com",
    fixedIssuer: false,
  },
  {
    key: "entra",
    label: "Microsoft Entra ID",
    hint: "Entra admin center → App registrations → New registration (Web). Under Token configuration add the optional claims 'email' and 'xms_edov' to the ID token, and 'groups' for group mapping.",
    fixedIssuer: true,
  },
  {
    key: "keycloak",
    label: "Keycloak",
    hint: "Keycloak → your realm → Clients → Create client (OpenID Connect, client authentication on). Add a 'groups' mapper to the ID token for group mapping.",
    issuerPlaceholder: "https://keycloak.example.com/realms/your-realm",
    fixedIssuer: false,
  },
  {
    key: "generic",
    label: "Other OpenID Connect provider",
    hint: "Any provider with a discovery document at <issuer>/.well-known/openid-configuration that sends email and email_verified.",
    issuerPlaceholder: "https://idp.example.com",
    fixedIssuer: false,
  },
];

export function presetInfo(key: string): PresetInfo {
  return PRESETS.find((preset) => preset.key === key) ?? PRESETS[PRESETS.length - 1];
}

export interface OidcForm {
  preset: PresetKey;
  displayName: string;
  enabled: boolean;
  issuer: string;
  tenantId: string;
  hd: string;
  clientId: string;
  secret: string;
  scopes: string;
  jitMode: string;
  defaultRole: string;
  mapGroups: boolean;
  groupsClaim: string;
  requireSso: boolean;
  breakGlass: string | null;
}

function text(config: Record<string, unknown>, key: string, fallback = ""): string {
  const value = config[key];
  return typeof value === "string" ? value : fallback;
}

export function formOf(provider: SsoProvider | null): OidcForm {
  const config = provider?.kind === "oidc" ? provider.config : {};
  return {
    preset: (provider?.kind === "oidc" ? provider.preset : "generic") as PresetKey,
    displayName: provider?.display_name ?? "",
    enabled: provider?.enabled ?? true,
    issuer: text(config, "issuer"),
    tenantId: text(config, "tenant_id"),
    hd: text(config, "hd"),
    clientId: text(config, "client_id"),
    secret: "",
    scopes: text(config, "scopes", "openid email profile"),
    jitMode: provider?.jit_mode ?? "create",
    defaultRole: provider?.default_role ?? "member",
    mapGroups: provider?.map_groups ?? false,
    groupsClaim: text(config, "groups_claim", "groups"),
    requireSso: provider?.require_sso ?? false,
    breakGlass: provider?.break_glass_membership_id ? String(provider.break_glass_membership_id) : null,
  };
}

/** The PUT body. An empty secret field keeps the stored secret. */
export function inputOf(form: OidcForm): SsoProviderInput {
  const config: Record<string, string> = {
    client_id: form.clientId.trim(),
    scopes: form.scopes.trim(),
    groups_claim: form.groupsClaim.trim(),
  };
  if (form.preset === "google") config.hd = form.hd.trim();
  else if (form.preset === "entra") config.tenant_id = form.tenantId.trim();
  else config.issuer = form.issuer.trim();
  return {
    kind: "oidc",
    preset: form.preset,
    display_name: form.displayName.trim(),
    enabled: form.enabled,
    config,
    secret: form.secret ? form.secret : null,
    jit_mode: form.jitMode,
    default_role: form.defaultRole,
    map_groups: form.mapGroups,
    require_sso: form.requireSso,
    break_glass_membership_id: form.breakGlass ? Number(form.breakGlass) : null,
  };
}
