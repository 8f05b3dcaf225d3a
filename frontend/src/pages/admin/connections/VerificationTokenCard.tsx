import { ActionIcon, CopyButton, List, Stack, Text, TextInput, Tooltip } from "@mantine/core";
import { IconCheck, IconCopy, IconKey } from "@tabler/icons-react";
import type { Connection } from "../../../api/client";
import { Section } from "./detailCards";

/**
 * The token a source's webhook handshake sent to this connection's webhook URL (Notion sends
 * `verification_token` when a subscription is created). Shown to admins (the only ones who
 * see this page) until the connection's credentials carry it.
 */
export function VerificationTokenCard({ connection }: { connection: Connection }) {
  const token = connection.webhook_verification_token ?? "";
  return (
    <Section
      id="verification-token-title"
      title="Finish the webhook setup"
      description="Notion sent this verification token to the webhook URL."
    >
      <Stack gap="sm">
        <TextInput
          label="Verification token"
          readOnly
          value={token}
          className="mono-input"
          onFocus={(event) => event.currentTarget.select()}
          leftSection={<IconKey size={16} />}
          rightSectionWidth={40}
          rightSection={
            <CopyButton value={token} timeout={2000}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? "Copied" : "Copy verification token"}>
                  <ActionIcon
                    variant={copied ? "light" : "subtle"}
                    color={copied ? "teal" : "gray"}
                    onClick={copy}
                    aria-label={copied ? "Verification token copied" : "Copy verification token"}
                  >
                    {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
          }
        />
        <List size="xs" type="ordered" spacing={4}>
          <List.Item>Copy the token.</List.Item>
          <List.Item>
            In Notion, open your integration&apos;s Webhooks tab, click Verify on the subscription and paste it.
          </List.Item>
          <List.Item>
            Here, choose Replace credentials and paste it as the webhook verification token, so deliveries are checked.
          </List.Item>
        </List>
        <Text size="xs" c="dimmed">
          This card goes away once the credentials carry the token.
        </Text>
      </Stack>
    </Section>
  );
}
