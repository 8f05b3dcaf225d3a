import { Alert, Button, Code, CopyButton, Group, Modal, Stack, Text, Tooltip } from "@mantine/core";
import { IconCheck, IconCopy, IconInfoCircle } from "@tabler/icons-react";
import type { InvitationCreated } from "../../api/client";
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
          <div>
            <Text size="sm" fw={500} mb={6} id="invite-link-label">
              Invite link
            </Text>
            <Group gap="xs" wrap="nowrap" align="stretch">
              <Code
                block
                aria-labelledby="invite-link-label"
                data-testid="invite-link"
                style={{ flex: 1, wordBreak: "break-all", whiteSpace: "pre-wrap", fontSize: 13 }}
              >
                {invitation.invite_url}
              </Code>
              <CopyButton value={invitation.invite_url} timeout={2000}>
                {({ copied, copy }) => (
                  <Tooltip label={copied ? "Copied" : "Copy to clipboard"}>
                    <Button
                      variant={copied ? "light" : "filled"}
                      color={copied ? "teal" : undefined}
                      onClick={copy}
                      leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
                      h="auto"
                    >
                      {copied ? "Copied" : "Copy invite link"}
                    </Button>
                  </Tooltip>
                )}
              </CopyButton>
            </Group>
          </div>
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
