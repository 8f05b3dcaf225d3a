import {
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Card,
  Collapse,
  Group,
  Select,
  SimpleGrid,
  Skeleton,
  Stack,
  Stepper,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from "@mantine/core";
import {
  IconAlertTriangle,
  IconArrowLeft,
  IconChevronDown,
  IconChevronRight,
  IconCircleCheck,
  IconInfoCircle,
  IconPlugConnected,
} from "@tabler/icons-react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, type Connection, type ConnectorKind } from "../../../api/client";
import { ApiError, errorMessage, unwrap } from "../../../api/errors";
import { useCurrentWorkspace } from "../../../auth/WorkspaceContext";
import { EmptyState, ErrorState } from "../../../components/states";
import { notifySuccess } from "../../../lib/notify";
import { useApiQuery } from "../../../lib/useApiQuery";
import {
  credentialPayload,
  credentialsComplete,
  emptyCredentials,
  KIND_INFO,
  partsLabel,
  type CredentialValues,
} from "./connectorInfo";
import { CredentialFields } from "./CredentialFields";
import { SelectionEditor } from "./SelectionEditor";
import { SourceIcon } from "./syncStatus";

/** "Slack refused these credentials: Slack refused the bot token." under that title: the reason only. */
function withoutPrefix(message: string, prefix: string): string {
  return message.startsWith(prefix) ? message.slice(prefix.length).trim() : message;
}

function SourceChoice({ connector, onChoose }: { connector: ConnectorKind; onChoose: () => void }) {
  const info = KIND_INFO[connector.kind];
  return (
    <UnstyledButton
      onClick={onChoose}
      className="source-choice"
      aria-label={`${connector.display_name}: ${info?.summary ?? "connect"}`}
    >
      <Group gap="md" wrap="nowrap" align="flex-start">
        <SourceIcon kind={connector.kind} size={44} />
        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
          <Text fw={650}>{connector.display_name}</Text>
          <Text size="sm" c="dimmed">
            {info?.summary ?? `Sync documents from ${connector.display_name}.`}
          </Text>
          {connector.handles_webhooks && (
            <Text size="xs" c="dimmed" mt={4}>
              Scheduled syncs, plus real-time updates by webhook
            </Text>
          )}
        </Stack>
        <IconChevronRight size={18} color="var(--mantine-color-dimmed)" style={{ alignSelf: "center" }} aria-hidden />
      </Group>
    </UnstyledButton>
  );
}

interface CredentialsStepProps {
  workspaceId: number;
  connector: ConnectorKind;
  onBack: () => void;
  onCreated: (connection: Connection) => void;
}

function CredentialsStep({ workspaceId, connector, onBack, onCreated }: CredentialsStepProps) {
  const [name, setName] = useState(connector.display_name);
  const [values, setValues] = useState<CredentialValues>(() => emptyCredentials(connector));
  const [spaceId, setSpaceId] = useState<string | null>(null);
  const [apiBaseUrl, setApiBaseUrl] = useState("");
  const [advancedOpen, setAdvancedOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | Error | null>(null);
  const errorRef = useRef<HTMLDivElement>(null);
  const info = KIND_INFO[connector.kind];

  const spaces = useApiQuery(
    () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/spaces", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
    ["connection-spaces", workspaceId],
  );
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
      const created = await unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/connections", {
          params: { path: { workspace_id: workspaceId } },
          body: {
            kind: connector.kind,
            name: name.trim(),
            credentials: credentialPayload(connector, values),
            api_base_url: apiBaseUrl.trim(),
            selected_ids: [],
            ...(selectedSpace && selectedSpace !== String(companySpace?.id) ? { space_id: Number(selectedSpace) } : {}),
          },
        }),
      );
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

/**
 * Add a connection in three steps: the source, its credentials (checked by the API with the
 * source before anything is stored; the first full sync starts at once), then what to sync.
 */
export function NewConnectionPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const navigate = useNavigate();
  const [connector, setConnector] = useState<ConnectorKind | null>(null);
  const [created, setCreated] = useState<Connection | null>(null);
  const step = created ? 2 : connector ? 1 : 0;

  const connectors = useApiQuery(
    () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/connectors", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
    ["connectors", workspaceId],
  );

  const breadcrumbs = (
    <Breadcrumbs separator="/" mb="xs">
      <Anchor component={Link} to="/admin/connections" size="sm">
        Connections
      </Anchor>
      <Text size="sm" c="dimmed">
        Add connection
      </Text>
    </Breadcrumbs>
  );

  let body;
  if (step === 0) {
    if (connectors.error != null && !connectors.data) {
      body = <ErrorState error={connectors.error} onRetry={connectors.reload} title="Could not load the sources" />;
    } else if (!connectors.data) {
      body = (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" role="status" aria-label="Loading sources">
          {[0, 1, 2, 3].map((index) => (
            <Skeleton key={index} h={104} radius="lg" />
          ))}
        </SimpleGrid>
      );
    } else if (connectors.data.length === 0) {
      body = (
        <EmptyState
          icon={IconPlugConnected}
          title="No sources are installed"
          description="This server offers no connectors. Install the connector packages on the server, then come back."
        />
      );
    } else {
      body = (
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          {connectors.data.map((item) => (
            <SourceChoice key={item.kind} connector={item} onChoose={() => setConnector(item)} />
          ))}
        </SimpleGrid>
      );
    }
  } else if (step === 1 && connector) {
    body = (
      <CredentialsStep
        workspaceId={workspaceId}
        connector={connector}
        onBack={() => setConnector(null)}
        onCreated={(connection) => {
          notifySuccess(`${connector.display_name} is connected. The first sync has started.`);
          setCreated(connection);
        }}
      />
    );
  } else if (created) {
    const parts = partsLabel(created.kind);
    body = (
      <Stack gap="lg">
        <Alert
          variant="light"
          color="teal"
          radius="md"
          icon={<IconCircleCheck size={18} />}
          title={`Connected “${created.name}”`}
          role="status"
        >
          The first sync has started with everything the credentials can reach. Pick {parts} below to sync only those,
          or keep everything.
        </Alert>
        <Card p="lg" component="section" aria-labelledby="what-to-sync-title">
          <Title order={3} id="what-to-sync-title" mb={2}>
            What to sync
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            Pick {parts} to sync; picking one includes everything inside it.
          </Text>
          <SelectionEditor
            workspaceId={workspaceId}
            connection={created}
            onSaved={(connection) => navigate(`/admin/connections/${connection.id}`)}
            extraAction={
              <Button variant="default" component={Link} to={`/admin/connections/${created.id}`}>
                Keep everything
              </Button>
            }
          />
        </Card>
      </Stack>
    );
  }

  return (
    <>
      {breadcrumbs}
      <Stack gap={6} mb="xl">
        <Title order={1}>Add a connection</Title>
        <Text c="dimmed" size="sm" maw={640}>
          A connection keeps a source's documents in sync, so agents can search and cite them. People only find what
          they may open at the source.
        </Text>
      </Stack>
      <Stack maw={880} gap="xl">
        <Stepper
          active={step}
          size="sm"
          allowNextStepsSelect={false}
          onStepClick={(index) => {
            if (index === 0 && !created) setConnector(null);
          }}
        >
          <Stepper.Step
            label="Source"
            description={connector ? connector.display_name : "Where the documents are"}
            allowStepSelect={!created}
          />
          <Stepper.Step label="Credentials" description="Checked before saving" allowStepSelect={false} />
          <Stepper.Step label="What to sync" description={connector ? partsLabel(connector.kind) : "Parts to sync"} />
        </Stepper>
        {body}
      </Stack>
    </>
  );
}
