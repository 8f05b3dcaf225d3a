import {
  Alert,
  Anchor,
  Breadcrumbs,
  Button,
  Card,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Stepper,
  Text,
  Title,
  UnstyledButton,
} from "@mantine/core";
import { IconChevronRight, IconCircleCheck, IconPlugConnected } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import type { Connection, ConnectorKind } from "../../../api/client";
import { useConnectors } from "../../../api/connections";
import { useCurrentWorkspace } from "../../../auth/WorkspaceContext";
import { EmptyState, ErrorState } from "../../../components/states";
import { notifySuccess } from "../../../lib/notify";
import { KIND_INFO, partsLabel } from "./connectorInfo";
import { CredentialsStep } from "./CredentialsStep";
import { SelectionEditor } from "./SelectionEditor";
import { SourceIcon } from "./syncStatus";

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

  const connectors = useConnectors(workspaceId);

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
      body = <ErrorState error={connectors.error} onRetry={() => void connectors.refetch()} title="Could not load the sources" />;
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
