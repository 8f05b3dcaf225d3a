import { Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { IconMail } from "@tabler/icons-react";
import { useState } from "react";
import { api, type MyInvitation } from "../api/client";
import { unwrap } from "../api/errors";
import { useAuth } from "../auth/AuthContext";
import { formatDateTime, roleWithArticle } from "../lib/format";
import { notifyError, notifySuccess } from "../lib/notify";
import { useApiQuery } from "../lib/useApiQuery";
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
  const invitations = useApiQuery(() => unwrap(api.GET("/api/v1/me/invitations")), ["my-invitations"]);

  const drop = (invitation: MyInvitation) =>
    invitations.setData((list) => list?.filter((item) => item.id !== invitation.id));

  const accept = async (invitation: MyInvitation) => {
    setBusy({ id: invitation.id, action: "accept" });
    try {
      const me = await unwrap(
        api.POST("/api/v1/me/invitations/{invitation_id}/accept", {
          params: { path: { invitation_id: invitation.id } },
        }),
      );
      drop(invitation);
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
      await unwrap(
        api.POST("/api/v1/me/invitations/{invitation_id}/decline", {
          params: { path: { invitation_id: invitation.id } },
        }),
      );
      drop(invitation);
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
        onRetry={invitations.reload}
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
