import { Alert, Button, Code, Group, Modal, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import type { TokenCreated } from "../../api/client";
import { CopyableValue } from "../../components/CopyableValue";

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
          <CopyableValue
            label="Secret"
            value={token.token}
            testId="token-secret"
            copyLabel="Copy"
            copyAriaLabel="Copy secret"
            copiedAriaLabel="Secret copied"
          />
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
