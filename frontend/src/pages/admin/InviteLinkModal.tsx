import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { IconInfoCircle } from "@tabler/icons-react";
import type { InvitationCreated } from "../../api/client";
import { CopyableValue } from "../../components/CopyableValue";
import { formatDateTime, ROLE_LABELS } from "../../lib/format";

/**
 * Shows an invitation's link: the only time the API returns it. `reissued` says it replaced an
 * earlier link, which then stops working (the API keeps one live token per invitation).
 */
export function InviteLinkModal({
  invitation,
  reissued,
  onClose,
}: {
  invitation: InvitationCreated | null;
  reissued: boolean;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={invitation != null}
      onClose={onClose}
      title={<Text fw={650}>{reissued ? "New invite link" : "Invitation sent"}</Text>}
      size="lg"
    >
      {invitation && (
        <Stack gap="md">
          <Text size="sm">
            We emailed an invitation to <b>{invitation.email}</b> to join as{" "}
            {(ROLE_LABELS[invitation.role] ?? invitation.role).toLowerCase()}. You can also send them
            this link yourself. It expires at <b>{formatDateTime(invitation.expires_at)}</b>.
          </Text>
          {reissued && (
            <Alert color="yellow" variant="light" icon={<IconInfoCircle size={18} />}>
              The earlier link for {invitation.email} stops working: only this one opens the
              invitation now.
            </Alert>
          )}
          <CopyableValue
            label="Invite link"
            value={invitation.invite_url}
            testId="invite-link"
            copyLabel="Copy invite link"
          />
          <Text size="xs" c="dimmed">
            The person who opens the link sets their own password. It works once, and only for{" "}
            {invitation.email}.
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose} data-autofocus>
              Done
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
