import { ActionIcon, Card, CopyButton, Stack, Text, TextInput, Title, Tooltip } from "@mantine/core";
import { IconCheck, IconCopy, IconWebhook } from "@tabler/icons-react";
import type { ReactNode } from "react";
import type { Connection } from "../../../api/client";
import { plural } from "../../../lib/format";
import { KIND_INFO, webhookUrl } from "./connectorInfo";

export function Stat({ label, value, hint }: { label: string; value: ReactNode; hint?: string }) {
  return (
    <Card p="md">
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: "0.04em" }}>
        {label}
      </Text>
      <Tooltip label={hint} disabled={!hint}>
        <Text fw={650} size="lg" mt={4} style={{ fontVariantNumeric: "tabular-nums" }}>
          {value}
        </Text>
      </Tooltip>
    </Card>
  );
}

export function Section({
  title,
  description,
  children,
  id,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
  id: string;
}) {
  return (
    <Card p="lg" component="section" aria-labelledby={id}>
      <Stack gap={2} mb="md">
        <Title order={3} id={id}>
          {title}
        </Title>
        {description && (
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        )}
      </Stack>
      {children}
    </Card>
  );
}

export function WebhookCard({ connection }: { connection: Connection }) {
  const url = webhookUrl(connection.webhook_path);
  const setup = KIND_INFO[connection.kind]?.webhookSetup;
  return (
    <Section
      id="webhook-title"
      title="Real-time updates"
      description={`Without a webhook, changes arrive with the next scheduled sync (every ${plural(connection.sync_interval_minutes, "minute")}).`}
    >
      <Stack gap="sm">
        <TextInput
          label="Webhook URL"
          readOnly
          value={url}
          className="mono-input"
          onFocus={(event) => event.currentTarget.select()}
          leftSection={<IconWebhook size={16} />}
          rightSectionWidth={40}
          rightSection={
            <CopyButton value={url} timeout={2000}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? "Copied" : "Copy webhook URL"}>
                  <ActionIcon
                    variant={copied ? "light" : "subtle"}
                    color={copied ? "teal" : "gray"}
                    onClick={copy}
                    aria-label={copied ? "Webhook URL copied" : "Copy webhook URL"}
                  >
                    {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          }
        />
        {setup && (
          <Text size="xs" c="dimmed">
            {setup}
          </Text>
        )}
      </Stack>
    </Section>
  );
}
