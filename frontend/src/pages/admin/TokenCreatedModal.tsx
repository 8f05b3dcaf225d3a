import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text, Tooltip } from "@mantine/core";
import { IconAlertTriangle, IconCheck, IconCopy } from "@tabler/icons-react";
import type { TokenCreated } from "../../api/client";

/** Shows a new token's secret: the only time the API ever returns it. */
export function TokenCreatedModal({ token, onClose }: { token: TokenCreated | null; onClose: () => void }) {
  return (
    <Modal
      opened={token != null}
      onClose={onClose}
      title={<Text fw={650}>Token created</Text>}
      size="lg"
      closeOnClickOutside={false}
    >
      {token && (
        <Stack gap="md">
          <Alert
            color="yellow"
            variant="light"
            icon={<IconAlertTriangle size={18} />}
            title="Copy this token now"
          >
            This is the only time the secret of <b>{token.name}</b> is shown. Store it somewhere
            safe, such as a secret manager. If you lose it, revoke it and create a new one.
          </Alert>
          <div>
            <Text size="sm" fw={500} mb={6} id="token-secret-label">
              Secret
            </Text>
            <Group gap="xs" wrap="nowrap" align="stretch">
              <Code
                block
                aria-labelledby="token-secret-label"
                data-testid="token-secret"
                style={{ flex: 1, wordBreak: "break-all", whiteSpace: "pre-wrap", fontSize: 13 }}
              >
                {token.token}
              </Code>
              <CopyButton value={token.token} timeout={2000}>
                {({ copied, copy }) => (
                  <Tooltip label={copied ? "Copied" : "Copy to clipboard"}>
                    <Button
                      variant={copied ? "light" : "filled"}
                      color={copied ? "teal" : undefined}
                      onClick={copy}
                      leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                      aria-label={copied ? "Secret copied" : "Copy secret"}
                      h="auto"
                    >
                      {copied ? "Copied" : "Copy"}
                    </Button>
                  </Tooltip>
                )}
              </CopyButton>
            </Group>
          </div>
          <Text size="xs" c="dimmed">
            Send it as <Code>Authorization: Bearer &lt;token&gt;</Code> to call the API as{" "}
            {token.member_email}.
          </Text>
          <Group justify="flex-end">
            <Button onClick={onClose} data-autofocus>
              I have copied it
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
