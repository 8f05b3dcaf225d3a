import { Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { IconMail } from "@tabler/icons-react";
import { useState } from "react";
import type { MyInvitation } from "../api/client";
import {
  useAcceptMyInvitationMutation,
  useDeclineMyInvitationMutation,
  useMyInvitations,
} from "../api/invitations";
import { useAuth } from "../auth/AuthContext";
import { formatDateTime, roleWithArticle } from "../lib/format";
import { notifyError, notifySuccess } from "../lib/notify";
import { ErrorState } from "./states";

/**
 * The logged-in person's pending invitations (to their verified email), with Accept / Decline.
 * Renders nothing when there are none, so pages can always include it.
 */
export function MyInvitations({
  title = "Invitations for you",
  marginBottom,
}: {
  title?: string;
  marginBottom?: string;
}) {
  const { signedIn } = useAuth();
  const [busy, setBusy] = useState<{ id: number; action: "accept" | "decline" } | null>(null);
  // Both answers drop the invitation from the cached list.
  const invitations = useMyInvitations();
  const acceptMutation = useAcceptMyInvitationMutation();
  const declineMutation = useDeclineMyInvitationMutation();

  const accept = async (invitation: MyInvitation) => {
    setBusy({ id: invitation.id, action: "accept" });
    try {
      const me = await acceptMutation.mutateAsync(invitation);
      // The answer is the new `me`: the workspace appears in the switcher at once.
      signedIn(me);
      notifySuccess(`You joined ${invitation.workspace_name}. Switch to it from the workspace menu.`);
    } catch (error) {
      notifyError(error, "Could not accept the invitation");
    } finally {
      setBusy(null);
    }
  };

  const decline = async (invitation: MyInvitation) => {
    setBusy({ id: invitation.id, action: "decline" });
    try {
      await declineMutation.mutateAsync(invitation);
      notifySuccess(`You declined the invitation to ${invitation.workspace_name}.`);
    } catch (error) {
      notifyError(error, "Could not decline the invitation");
    } finally {
      setBusy(null);
    }
  };

  if (invitations.error != null && !invitations.data) {
    return (
      <ErrorState
        error={invitations.error}
        onRetry={() => void invitations.refetch()}
        title="Could not load your invitations"
      />
    );
  }
  const items = invitations.data ?? [];
  if (items.length === 0) return null;

  return (
    <section aria-labelledby="my-invitations-title" style={{ marginBottom }}>
      <Title order={2} size="h4" mb="sm" id="my-invitations-title">
        {title}
      </Title>
      <Stack gap="sm">
        {items.map((invitation) => (
          <Card key={invitation.id} p="md" withBorder>
            <Group justify="space-between" wrap="wrap" gap="sm">
              <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                <IconMail size={20} aria-hidden color="var(--mantine-color-dimmed)" />
                <div style={{ minWidth: 0 }}>
                  <Text size="sm" fw={600}>
                    {invitation.invited_by_email
                      ? `${invitation.invited_by_email} invited you`
                      : "You are invited"}{" "}
                    to join {invitation.workspace_name} as {roleWithArticle(invitation.role)}
                  </Text>
                  <Text size="xs" c="dimmed">
                    Expires at {formatDateTime(invitation.expires_at)}
                  </Text>
                </div>
              </Group>
              <Group gap="xs">
                <Button
                  size="xs"
                  variant="default"
                  onClick={() => void decline(invitation)}
                  loading={busy?.id === invitation.id && busy.action === "decline"}
                  disabled={busy != null}
                  aria-label={`Decline the invitation to ${invitation.workspace_name}`}
                >
                  Decline
                </Button>
                <Button
                  size="xs"
                  onClick={() => void accept(invitation)}
                  loading={busy?.id === invitation.id && busy.action === "accept"}
                  disabled={busy != null}
                  aria-label={`Accept the invitation to ${invitation.workspace_name}`}
                >
                  Accept
                </Button>
              </Group>
            </Group>
          </Card>
        ))}
      </Stack>
    </section>
  );
}
