import {
  Alert,
  Card,
  FileInput,
  SegmentedControl,
  Skeleton,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { type FormEvent, useState } from "react";
import {
  type IdentityProvider,
  type IdentityProviderIn,
  type SamlServiceProvider,
  useIdentityProvider,
  useSamlServiceProvider,
  useSaveIdentityProviderMutation,
} from "../../../api/ssoSaml";
import { CopyableValue } from "../../../components/CopyableValue";
import { FormError } from "../../../components/form/FormError";
import { SubmitRow } from "../../../components/form/SubmitRow";
import { ErrorState, retryOf } from "../../../components/states";

type MetadataSource = "file" | "url";

interface SamlConfig {
  idp_entity_id?: string;
  sso_url?: string;
  x509_certs?: string[];
  metadata_url?: string;
  name_attribute?: string;
  groups_attribute?: string;
  email_attribute?: string;
  allow_idp_initiated?: boolean;
}

const SP_FIELDS: { key: keyof SamlServiceProvider; label: string }[] = [
  { key: "entity_id", label: "Entity ID (Audience URI, Identifier)" },
  { key: "acs_url", label: "ACS URL (Single sign-on URL, Reply URL), HTTP-POST" },
  { key: "metadata_url", label: "SP metadata URL" },
  { key: "name_id_format", label: "NameID format" },
];

/** What to paste into the IdP: the workspace's SP values, each with a copy button. */
function ServiceProviderValues({ workspaceId }: { workspaceId: number }) {
  const query = useSamlServiceProvider(workspaceId);
  if (query.error && !query.data) {
    return (
      <ErrorState error={query.error} onRetry={retryOf(query)} title="Could not load the SP values" />
    );
  }
  if (!query.data) return <Skeleton height={160} aria-label="Loading the SP values" />;
  const values = query.data;
  return (
    <Stack gap="sm">
      {SP_FIELDS.map((field) => (
        <CopyableValue
          key={field.key}
          label={field.label}
          value={values[field.key]}
          testId={`saml-sp-${field.key}`}
          copyLabel="Copy"
          copyAriaLabel={`Copy ${field.label}`}
          copiedAriaLabel={`${field.label} copied`}
        />
      ))}
    </Stack>
  );
}

/** FileReader rather than Blob.text(): the same in every browser and in jsdom. */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result ?? ""));
    reader.onerror = () => reject(reader.error ?? new Error("The file could not be read."));
    reader.readAsText(file);
  });
}

function samlConfigOf(provider: IdentityProvider | null | undefined): SamlConfig {
  return provider?.kind === "saml" ? (provider.config as SamlConfig) : {};
}

/** The rest of the provider (JIT, roles, require-SSO) is kept as it is; only SAML's part changes. */
function providerBody(provider: IdentityProvider | null, config: Record<string, unknown>): IdentityProviderIn {
  return {
    kind: "saml",
    preset: "",
    display_name: provider?.display_name ?? "",
    enabled: provider?.enabled ?? true,
    config,
    jit_mode: provider?.jit_mode ?? "create",
    default_role: provider?.default_role ?? "member",
    map_groups: provider?.map_groups ?? false,
    require_sso: provider?.kind === "saml" ? provider.require_sso : false,
    break_glass_membership_id: provider?.break_glass_membership_id ?? null,
  };
}

function SamlForm({ workspaceId, provider }: { workspaceId: number; provider: IdentityProvider | null }) {
  const current = samlConfigOf(provider);
  const save = useSaveIdentityProviderMutation(workspaceId);
  const [source, setSource] = useState<MetadataSource>(current.metadata_url ? "url" : "file");
  const [file, setFile] = useState<File | null>(null);
  const [metadataUrl, setMetadataUrl] = useState(current.metadata_url ?? "");
  const [nameAttribute, setNameAttribute] = useState(current.name_attribute ?? "");
  const [groupsAttribute, setGroupsAttribute] = useState(current.groups_attribute ?? "");
  const [emailAttribute, setEmailAttribute] = useState(current.email_attribute ?? "");
  const [allowIdpInitiated, setAllowIdpInitiated] = useState(current.allow_idp_initiated ?? false);
  const [saved, setSaved] = useState(false);
  const configured = Boolean(current.idp_entity_id);
  const hasMetadata = source === "file" ? file !== null || configured : metadataUrl.trim() !== "";

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const config: Record<string, unknown> = {
      name_attribute: nameAttribute,
      groups_attribute: groupsAttribute,
      email_attribute: emailAttribute,
      allow_idp_initiated: allowIdpInitiated,
    };
    if (source === "file" && file) config.metadata_xml = await readText(file);
    else if (source === "url") config.metadata_url = metadataUrl.trim();
    else {
      // Attribute changes only: keep the IdP values already stored.
      config.idp_entity_id = current.idp_entity_id;
      config.sso_url = current.sso_url;
      config.x509_certs = current.x509_certs;
    }
    save.mutate(providerBody(provider, config), { onSuccess: () => setSaved(true) });
  }

  return (
    <form onSubmit={submit} aria-label="SAML identity provider">
      <Stack gap="md">
        {provider && provider.kind !== "saml" && (
          <Alert color="yellow" title="This workspace signs in with OIDC">
            Saving SAML settings replaces the OIDC provider.
          </Alert>
        )}
        {configured && (
          <Text size="sm" data-testid="saml-idp-summary">
            Identity provider: <b>{current.idp_entity_id}</b> ({current.x509_certs?.length ?? 0} signing
            certificate{current.x509_certs?.length === 1 ? "" : "s"})
          </Text>
        )}
        <SegmentedControl
          value={source}
          onChange={(value) => setSource(value as MetadataSource)}
          data={[
            { value: "file", label: "Upload IdP metadata" },
            { value: "url", label: "IdP metadata URL" },
          ]}
          aria-label="Where the IdP metadata comes from"
        />
        {source === "file" ? (
          <FileInput
            label="IdP metadata file (XML)"
            description={configured ? "Leave empty to keep the current IdP values." : undefined}
            accept=".xml,application/xml,text/xml,application/samlmetadata+xml"
            value={file}
            onChange={setFile}
            clearable
          />
        ) : (
          <TextInput
            label="IdP metadata URL"
            description="Fetched once when you save, from the platform's server."
            placeholder="https://idp.example.com/app/metadata"
            value={metadataUrl}
            onChange={(event) => setMetadataUrl(event.currentTarget.value)}
          />
        )}
        <TextInput
          label="Name attribute"
          placeholder="displayName (default; Entra's display-name claim is read too)"
          value={nameAttribute}
          onChange={(event) => setNameAttribute(event.currentTarget.value)}
        />
        <TextInput
          label="Groups attribute"
          placeholder="groups (default; Entra's groups claim and memberOf are read too)"
          value={groupsAttribute}
          onChange={(event) => setGroupsAttribute(event.currentTarget.value)}
        />
        <TextInput
          label="Email attribute (when the NameID is not an email)"
          placeholder="email"
          value={emailAttribute}
          onChange={(event) => setEmailAttribute(event.currentTarget.value)}
        />
        <Switch
          label="Allow sign-in started at the identity provider (IdP-initiated)"
          description="Off: only sign-ins started from this site's login page are accepted."
          checked={allowIdpInitiated}
          onChange={(event) => setAllowIdpInitiated(event.currentTarget.checked)}
        />
        <FormError title="SAML settings were not saved">
          {save.error instanceof Error ? save.error.message : null}
        </FormError>
        {saved && !save.isPending && (
          <Text size="sm" c="teal" role="status">
            SAML settings saved.
          </Text>
        )}
        <SubmitRow
          label="Save SAML settings"
          busy={save.isPending}
          disabled={!hasMetadata}
          note={hasMetadata ? undefined : "Add the IdP's metadata first."}
        />
      </Stack>
    </form>
  );
}

/** The SAML tab of Admin → Authentication. */
export function SamlSettings({ workspaceId }: { workspaceId: number }) {
  const provider = useIdentityProvider(workspaceId);
  return (
    <Stack gap="lg">
      <Card withBorder radius="lg" padding="lg">
        <Title order={3} size="h4" mb="xs">
          Values for your identity provider
        </Title>
        <Text size="sm" c="dimmed" mb="md">
          Create a SAML app in Okta, Entra ID or Google Workspace and paste these values.
        </Text>
        <ServiceProviderValues workspaceId={workspaceId} />
      </Card>
      <Card withBorder radius="lg" padding="lg">
        <Title order={3} size="h4" mb="md">
          Identity provider
        </Title>
        {provider.error && provider.data === undefined ? (
          <ErrorState error={provider.error} onRetry={retryOf(provider)} title="Could not load the provider" />
        ) : provider.data === undefined ? (
          <Skeleton height={240} aria-label="Loading the identity provider" />
        ) : (
          <SamlForm workspaceId={workspaceId} provider={provider.data} />
        )}
      </Card>
    </Stack>
  );
}
