import { Alert, Badge, Button, Card, Code, Group, Stack, Text, Title } from "@mantine/core";
import { IconCircleCheck, IconAlertTriangle, IconPlugConnected } from "@tabler/icons-react";
import type { ModelCredential } from "../../../api/client";
import type { CredentialTestResult } from "../../../api/models";
import { formatDateTime, plural } from "../../../lib/format";
import type { ProviderInfo } from "./providerInfo";

function setBy(credential: ModelCredential): string {
  const who = credential.updated_by_name
    ? `${credential.updated_by_name} (${credential.updated_by_email})`
    : (credential.updated_by_email ?? "someone who has left the workspace");
  return `Set by ${who} · ${formatDateTime(credential.updated_at)}`;
}

export function TestOutcome({ result }: { result: CredentialTestResult }) {
  const models = result.models ?? [];
  return (
    <Alert
      variant="light"
      color={result.ok ? "teal" : "red"}
      icon={result.ok ? <IconCircleCheck size={18} /> : <IconAlertTriangle size={18} />}
      title={result.ok ? "The key works" : "The test failed"}
      role={result.ok ? "status" : "alert"}
    >
      <Stack gap={4}>
        <Text size="sm">{result.message}</Text>
        <Text size="xs" c="dimmed">
          Took {result.latency_ms} ms
          {models.length > 0 && ` · ${plural(models.length, "model")}: ${models.slice(0, 8).join(", ")}${models.length > 8 ? ", …" : ""}`}
        </Text>
      </Stack>
    </Alert>
  );
}

/** One provider: whether a key is set (its last characters, who set it, when) and the actions. */
export function ProviderCard({
  info,
  credential,
  testing,
  result,
  onSet,
  onTest,
  onRemove,
}: {
  info: ProviderInfo;
  credential: ModelCredential | undefined;
  testing: boolean;
  result: CredentialTestResult | undefined;
  onSet: () => void;
  onTest: () => void;
  onRemove: () => void;
}) {
  const headingId = `provider-${info.provider}`;
  const configured = credential != null;
  return (
    <Card withBorder radius="lg" padding="lg" component="section" aria-labelledby={headingId}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={4}>
            <Group gap="xs">
              <Title order={2} size="h4" id={headingId}>
                {info.label}
              </Title>
              {configured ? (
                <Badge color="teal" variant="light">
                  {credential.has_key ? (credential.key_hint ? `Key ····${credential.key_hint}` : "Key set") : "No key"}
                </Badge>
              ) : (
                <Badge color="gray" variant="light">
                  Not set
                </Badge>
              )}
            </Group>
            <Text size="sm" c="dimmed">
              Agents use it with model ids like <Code>{info.example}</Code>.
            </Text>
            {credential?.base_url && (
              <Text size="sm">
                Base URL <Code>{credential.base_url}</Code>
              </Text>
            )}
            {credential && (
              <Text size="xs" c="dimmed">
                {setBy(credential)}
              </Text>
            )}
          </Stack>
          <Group gap="xs" wrap="nowrap">
            {configured && (
              <Button
                variant="light"
                leftSection={<IconPlugConnected size={16} />}
                loading={testing}
                onClick={onTest}
                aria-label={`Test the ${info.label} key`}
              >
                Test
              </Button>
            )}
            <Button variant={configured ? "default" : "filled"} onClick={onSet} aria-label={`${configured ? "Replace" : "Set"} the ${info.label} key`}>
              {configured ? "Replace" : "Set key"}
            </Button>
            {configured && (
              <Button variant="subtle" color="red" onClick={onRemove} aria-label={`Remove the ${info.label} key`}>
                Remove
              </Button>
            )}
          </Group>
        </Group>
        {result && <TestOutcome result={result} />}
      </Stack>
    </Card>
  );
}
