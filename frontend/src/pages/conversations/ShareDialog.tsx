import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { IconLink, IconLinkOff } from "@tabler/icons-react";
import { useState } from "react";
import { useRevokeShareMutation, useShareConversationMutation } from "../../api/conversations";
import { errorMessage } from "../../api/errors";
import { CopyableValue } from "../../components/CopyableValue";

/**
 * Share a conversation by link. The link is shown once, right after it is made (only its hash
 * is kept); making a new one or revoking ends the old one. It opens read-only, and only for
 * members of this workspace who may open every source the conversation cites.
 */
export function ShareDialog({
  opened,
  onClose,
  workspaceId,
  conversationId,
  shared,
}: {
  opened: boolean;
  onClose: () => void;
  workspaceId: number;
  conversationId: number;
  shared: boolean;
}) {
  const [link, setLink] = useState<string | null>(null);
  const share = useShareConversationMutation(workspaceId);
  const revoke = useRevokeShareMutation(workspaceId);
  const error = share.error ?? revoke.error;
  const busy = share.isPending || revoke.isPending;

  const close = () => {
    setLink(null);
    share.reset();
    revoke.reset();
    onClose();
  };
  const create = async () => {
    const created = await share.mutateAsync(conversationId).catch(() => null);
    if (created) setLink(`${window.location.origin}${created.path}`);
  };
  const stop = async () => {
    await revoke.mutateAsync(conversationId).catch(() => null);
    setLink(null);
  };

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={650}>Share this conversation</Text>} size="md">
      <Stack gap="md">
        <Text size="sm">
          The link opens this conversation read-only for members of this workspace who may open every source it cites.
          Anyone else, including people outside the workspace, finds nothing.
        </Text>
        {link ? (
          <CopyableValue
            label="Link (shown once)"
            value={link}
            testId="share-link"
            copyLabel="Copy link"
            copyAriaLabel="Copy the share link"
            copiedAriaLabel="Share link copied"
          />
        ) : shared ? (
          <Text size="sm" c="dimmed">
            A link is active. It is shown only when made: make a new one to copy it (the old one stops working).
          </Text>
        ) : null}
        {error != null && (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(error)}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          {(shared || link) && (
            <Button variant="default" color="red" leftSection={<IconLinkOff size={16} />} onClick={() => void stop()} loading={revoke.isPending} disabled={busy}>
              Revoke link
            </Button>
          )}
          <Button leftSection={<IconLink size={16} />} onClick={() => void create()} loading={share.isPending} disabled={busy}>
            {shared || link ? "Make a new link" : "Create link"}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
