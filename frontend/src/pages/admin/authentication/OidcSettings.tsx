import { Alert, Button, Card, Code, Group, PasswordInput, Select, Stack, Switch, Text, TextInput, Title } from "@mantine/core";
import { useEffect, useState, type FormEvent } from "react";
import { errorMessage } from "../../../api/errors";
import { type SsoProvider, useSaveSsoProviderMutation } from "../../../api/sso";
import { notifySuccess } from "../../../lib/notify";
import { AccessFields } from "./AccessFields";
import { type OidcForm, PRESETS, type PresetKey, formOf, inputOf, presetInfo } from "./oidcPresets";

/** The OpenID Connect provider: preset, the values to paste into the IdP, client id and secret. */
export function OidcSettings({ workspaceId, provider }: { workspaceId: number; provider: SsoProvider | null }) {
  const save = useSaveSsoProviderMutation(workspaceId);
  const [form, setForm] = useState<OidcForm>(() => formOf(provider));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setForm(formOf(provider)), [provider]);
  const set = (changes: Partial<OidcForm>) => setForm((current) => ({ ...current, ...changes }));
  const preset = presetInfo(form.preset);
  const redirectUri = provider?.redirect_uri ?? `${window.location.origin}/sso/${workspaceId}/oidc/callback`;
  const otherProtocol = provider != null && provider.kind !== "oidc";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await save.mutateAsync(inputOf(form));
      notifySuccess("OpenID Connect settings saved.");
    } catch (reason) {
      setError(errorMessage(reason));
    }
  };

  return (
    <Card p="lg" component="section" aria-labelledby="oidc-title">
      <form onSubmit={submit} aria-label="OpenID Connect settings">
        <Stack gap="md">
          <div>
            <Title order={2} size="h4" id="oidc-title">
              OpenID Connect
            </Title>
            <Text size="sm" c="dimmed">
              {preset.hint}
            </Text>
          </div>
          {otherProtocol && (
            <Alert color="yellow" variant="light">
              This workspace signs in with {provider?.kind.toUpperCase()} now. Saving here replaces it with OpenID
              Connect.
            </Alert>
          )}
          <Select
            label="Identity provider"
            data={PRESETS.map(({ key, label }) => ({ value: key, label }))}
            value={form.preset}
            onChange={(value) => value && set({ preset: value as PresetKey })}
            allowDeselect={false}
          />
          <Stack gap={4} aria-label="Values for your identity provider">
            <Text size="sm" fw={600}>
              Paste into your identity provider
            </Text>
            <Text size="sm">
              Redirect URI: <Code>{redirectUri}</Code>
            </Text>
            <Text size="sm">
              Scopes: <Code>{form.scopes || "openid email profile"}</Code>
            </Text>
          </Stack>
          {form.preset === "entra" ? (
            <TextInput
              label="Directory (tenant) ID"
              placeholder="00000000-0000-0000-0000-000000000000"
              value={form.tenantId}
              onChange={(event) => set({ tenantId: event.currentTarget.value })}
              required
            />
          ) : form.preset === "google" ? (
            <TextInput
              label="Hosted domain (hd)"
              description="Only accounts of this Google Workspace domain may sign in."
              placeholder="example.com"
              value={form.hd}
              onChange={(event) => set({ hd: event.currentTarget.value })}
            />
          ) : (
            <TextInput
              label="Issuer URL"
              placeholder={preset.issuerPlaceholder}
              value={form.issuer}
              onChange={(event) => set({ issuer: event.currentTarget.value })}
              required
            />
          )}
          <Group grow align="flex-start">
            <TextInput
              label="Client ID"
              value={form.clientId}
              onChange={(event) => set({ clientId: event.currentTarget.value })}
              required
            />
            <PasswordInput
              label="Client secret"
              description={provider?.has_secret ? "Stored. Leave empty to keep it." : undefined}
              value={form.secret}
              onChange={(event) => set({ secret: event.currentTarget.value })}
              autoComplete="off"
            />
          </Group>
          <Group grow align="flex-start">
            <TextInput
              label="Scopes"
              value={form.scopes}
              onChange={(event) => set({ scopes: event.currentTarget.value })}
            />
            <TextInput
              label="Button name"
              placeholder="Company SSO"
              value={form.displayName}
              onChange={(event) => set({ displayName: event.currentTarget.value })}
            />
          </Group>
          <AccessFields workspaceId={workspaceId} form={form} set={set} />
          <Switch
            label="Single sign-on enabled"
            checked={form.enabled}
            onChange={(event) => set({ enabled: event.currentTarget.checked })}
          />
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          <Group justify="flex-end">
            <Button type="submit" loading={save.isPending} disabled={!form.clientId.trim()}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
