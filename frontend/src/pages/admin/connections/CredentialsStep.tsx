import { Alert, Button, Card, Collapse, Group, Select, SimpleGrid, Skeleton, Stack, Text, TextInput, Title } from "@mantine/core";
import { IconAlertTriangle, IconArrowLeft, IconChevronDown, IconChevronRight, IconInfoCircle, IconPlugConnected } from "@tabler/icons-react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import type { Connection, ConnectorKind } from "../../../api/client";
import { useCreateConnectionMutation } from "../../../api/connections";
import { ApiError, errorMessage } from "../../../api/errors";
import { useSpaces } from "../../../api/spaces";
import {
  credentialPayload,
  credentialsComplete,
  emptyCredentials,
  KIND_INFO,
  type CredentialValues,
} from "./connectorInfo";
import { CredentialFields } from "./CredentialFields";

/** "Slack refused these credentials: Slack refused the bot token." under that title: the reason only. */
function withoutPrefix(message: string, prefix: string): string {
  return message.startsWith(prefix) ? message.slice(prefix.length).trim() : message;
}

/**
 * The second step of adding a connection: its name, space and credentials. The API checks the
 * credentials with the source before anything is stored.
 */
export interface CredentialsStepProps {
  workspaceId: number;
  connector: ConnectorKind;
  onBack: () => void;
  onCreated: (connection: Connection) => void;
}

export function CredentialsStep({ workspaceId, connector, onBack, onCreated }: CredentialsStepProps) {
  const [name, setName] = useState(connector.display_name);
  const [values, setValues] = useState<CredentialValues>(() => emptyCredentials(connector));
  const [spaceId, setSpaceId] = useState<string | null>(null);
  const [apiBaseUrl, setApiBaseUrl] = useState("");
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const info = KIND_INFO[connector.kind];

  const spaces = useSpaces(workspaceId);
  const create = useCreateConnectionMutation(workspaceId);
  const spaceOptions = (spaces.data ?? []).map((space) => ({
    value: String(space.id),
    label: space.kind === "company" ? `${space.name} (everyone)` : space.name,
  }));
  const companySpace = spaces.data?.find((space) => space.kind === "company");
  const selectedSpace = spaceId ?? (companySpace ? String(companySpace.id) : null);

  useEffect(() => {
    if (error) errorRef.current?.focus();
  }, [error]);

  const complete = name.trim() !== "" && credentialsComplete(connector, values);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!complete || busy) return;
    setBusy(true);
    setError(null);
    try {
      const created = await create.mutateAsync({
        kind: connector.kind,
        name: name.trim(),
        credentials: credentialPayload(connector, values),
        api_base_url: apiBaseUrl.trim(),
        selected_ids: [],
        ...(selectedSpace && selectedSpace !== String(companySpace?.id) ? { space_id: Number(selectedSpace) } : {}),
      });
      setBusy(false);
      onCreated(created);
    } catch (reason) {
      setBusy(false);
      setError(reason instanceof Error ? reason : new Error(errorMessage(reason)));
    }
  };

  const refused = error instanceof ApiError && error.code === "invalid_credentials";
  const errorTitle = refused
    ? `${connector.display_name} refused these credentials`
    : error instanceof ApiError && error.status === 409
      ? "That name is taken"
      : error instanceof ApiError && error.status === 422
        ? `Could not check the credentials with ${connector.display_name}`
        : "The connection was not added";
  const errorHint = refused
    ? "Check that you copied the whole value, that it belongs to the right app or account, and that it was not revoked or regenerated since."
    : null;

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="lg">
        {error && (
          <Alert
            ref={errorRef}
            tabIndex={-1}
            color="red"
            variant="light"
            role="alert"
            radius="md"
            title={errorTitle}
            icon={<IconAlertTriangle size={18} />}
          >
            <Stack gap={4}>
              <Text size="sm">{refused ? withoutPrefix(error.message, `${errorTitle}:`) : error.message}</Text>
              {errorHint && (
                <Text size="sm" c="dimmed">
                  {errorHint}
                </Text>
              )}
            </Stack>
          </Alert>
        )}

        <Card p="lg" component="section" aria-labelledby="connection-details-title">
          <Title order={3} id="connection-details-title" mb={2}>
            Connection
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            The name people see on sources and citations, and the space its documents go into.
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
            <TextInput
              label="Name"
              required
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={error instanceof ApiError && error.status === 409 ? true : undefined}
              disabled={busy}
            />
            {spaces.error != null && !spaces.data ? (
              <Select label="Space" data={[]} disabled error="Could not load the spaces; the company space is used." />
            ) : !spaces.data ? (
              <Stack gap={6}>
                <Skeleton h={14} w={60} radius="xl" />
                <Skeleton h={36} radius="md" />
              </Stack>
            ) : (
              <Select
                label="Space"
                description="Everyone who can open this space can search what it syncs."
                data={spaceOptions}
                value={selectedSpace}
                onChange={setSpaceId}
                allowDeselect={false}
                disabled={busy}
              />
            )}
          </SimpleGrid>
        </Card>

        <Card p="lg" component="section" aria-labelledby="credentials-title">
          <Title order={3} id="credentials-title" mb={2}>
            Credentials
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            Checked with {connector.display_name} before anything is saved, then stored encrypted. Secrets are never
            shown again.
          </Text>
          {info?.setup && (
            <Alert variant="light" color="brand" radius="md" icon={<IconInfoCircle size={18} />} mb="md" role="note">
              <Text size="sm">{info.setup}</Text>
            </Alert>
          )}
          <CredentialFields
            connector={connector}
            values={values}
            onChange={setValues}
            invalid={refused}
            disabled={busy}
            autoFocus
          />

          <Button
            variant="subtle"
            color="gray"
            size="compact-sm"
            mt="lg"
            px={4}
            style={{ alignSelf: "flex-start" }}
            leftSection={advancedOpen ? <IconChevronDown size={14} /> : <IconChevronRight size={14} />}
            onClick={() => setAdvancedOpen((open) => !open)}
            aria-expanded={advancedOpen}
            aria-controls="connection-advanced"
          >
            Advanced
          </Button>
          <Collapse in={advancedOpen || apiBaseUrl !== ""} id="connection-advanced">
            <TextInput
              mt="sm"
              label="API base URL"
              description={`Leave empty for ${connector.display_name}'s public API. Set it for a self-hosted server (GitHub Enterprise: https://github.example.com/api/v3) or a proxy.`}
              placeholder="https://…"
              type="url"
              value={apiBaseUrl}
              onChange={(event) => setApiBaseUrl(event.currentTarget.value)}
              disabled={busy}
              className="mono-input"
            />
          </Collapse>
        </Card>

        <Group justify="space-between">
          <Button variant="default" leftSection={<IconArrowLeft size={16} />} onClick={onBack} disabled={busy}>
            Back
          </Button>
          <Button type="submit" loading={busy} disabled={!complete} leftSection={<IconPlugConnected size={16} />}>
            Connect {connector.display_name}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
