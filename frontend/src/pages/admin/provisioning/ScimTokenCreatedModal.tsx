import { Alert, Button, Code, Group, Modal, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import type { ScimTokenCreated } from "../../../api/scim";
import { CopyableValue } from "../../../components/CopyableValue";

/** A new SCIM token's secret: the only time the API returns it. */
export function ScimTokenCreatedModal({ token, onClose }: { token: ScimTokenCreated | null; onClose: () => void }) {
  return (
    <Modal
      opened={token != null}
      onClose={onClose}
      title={<Text fw={650}>SCIM token created</Text>}
      size="lg"
      closeOnClickOutside={false}
    >
      {token && (
        <Stack gap="md">
          <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />} title="Copy this token now">
            This is the only time the secret of <b>{token.name}</b> is shown. Paste it into your identity provider;
            if you lose it, revoke it and create a new one.
          </Alert>
          <CopyableValue
            label="Secret"
            value={token.token}
            testId="scim-token-secret"
            copyLabel="Copy"
            copyAriaLabel="Copy secret"
            copiedAriaLabel="Secret copied"
          />
          <Text size="xs" c="dimmed">
            The identity provider sends it as <Code>Authorization: Bearer &lt;token&gt;</Code>.
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
