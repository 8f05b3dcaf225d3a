import { Anchor, Button, Stack, Text } from "@mantine/core";
import { IconAlertCircle, IconCircleCheck, IconLinkOff } from "@tabler/icons-react";
import { useState, type ReactNode } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import type { InvitationPreview, Me } from "../api/client";
import { ApiError } from "../api/errors";
import { acceptInvitationLink, declineInvitationLink, useInvitationPreview } from "../api/invitations";
import { useAuth } from "../auth/AuthContext";
import { useWorkspace } from "../auth/WorkspaceContext";
import { PublicShell } from "../components/PublicShell";
import { ErrorState, PageLoader } from "../components/states";
import { formatDateTime, roleWithArticle } from "../lib/format";
import { AcceptOrDecline, NewAccountForm, Notice } from "./InvitationForms";

export const INVITATION_INVALID_MESSAGE =
  "This invitation link is no longer valid: ask your admin for a new one.";

function isInvalid(error: unknown): boolean {
  return error instanceof ApiError && (error.status === 410 || error.code === "invitation_invalid");
}

function sameEmail(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();
}

function Headline({ preview }: { preview: InvitationPreview }) {
  return (
    <Text size="md" ta="center">
      {preview.invited_by_email ? <b>{preview.invited_by_email}</b> : "You were"}{" "}
      {preview.invited_by_email ? "invited you" : "invited"} to join <b>{preview.workspace_name}</b>{" "}
      as {roleWithArticle(preview.role)}.
    </Text>
  );
}

/** Public page behind an invitation link: preview, then accept as the invited person only. */
export function InvitationPage() {
  const { token = "" } = useParams();
  const navigate = useNavigate();
  const { me, signedIn, logout } = useAuth();
  const { selectWorkspace } = useWorkspace();
  const [used, setUsed] = useState<"declined" | "invalid" | null>(null);
  const [loggingOut, setLoggingOut] = useState(false);

  const preview = useInvitationPreview(token);

  // Opens the workspace just joined: the one that was not in the list before accepting.
  const enter = (joined: Me, workspaceName: string) => {
    const before = new Set((me?.workspaces ?? []).map((item) => item.workspace_id));
    const workspace =
      joined.workspaces.find((item) => !before.has(item.workspace_id)) ??
      joined.workspaces.find((item) => item.workspace_name === workspaceName);
    signedIn(joined);
    if (workspace) selectWorkspace(workspace.workspace_id);
    navigate("/", { replace: true });
  };

  const accept = async (body: { password?: string; full_name?: string }, workspaceName: string) => {
    try {
      const joined = await acceptInvitationLink(token, body);
      enter(joined, workspaceName);
    } catch (reason) {
      if (isInvalid(reason)) setUsed("invalid");
      else throw reason;
    }
  };

  const decline = async () => {
    try {
      await declineInvitationLink(token);
      setUsed("declined");
    } catch (reason) {
      if (isInvalid(reason)) setUsed("invalid");
      else throw reason;
    }
  };

  const logOutAndReload = async () => {
    setLoggingOut(true);
    try {
      await logout();
    } finally {
      setLoggingOut(false);
      void preview.refetch();
    }
  };

  let body: ReactNode;
  if (used === "invalid" || (preview.error != null && isInvalid(preview.error))) {
    body = (
      <Notice icon={<IconLinkOff size={18} />} color="orange" title="Invitation link not valid">
        {INVITATION_INVALID_MESSAGE}
      </Notice>
    );
  } else if (used === "declined") {
    body = (
      <Stack gap="md">
        <Notice icon={<IconCircleCheck size={18} />} color="gray" title="Invitation declined">
          You will not join {preview.data?.workspace_name ?? "the workspace"}. If that was a mistake,
          ask its admin to invite you again.
        </Notice>
        {me && (
          <Button component={Link} to="/" variant="default">
            Go to your workspaces
          </Button>
        )}
      </Stack>
    );
  } else if (preview.error != null) {
    body = <ErrorState error={preview.error} onRetry={() => void preview.refetch()} title="Could not open the invitation" />;
  } else if (!preview.data) {
    body = <PageLoader label="Opening the invitation" />;
  } else {
    const data = preview.data;
    const loginPath = `/login?next=${encodeURIComponent(`/invite/${token}`)}`;
    let action: ReactNode;
    if (data.signed_in_as && !sameEmail(data.signed_in_as, data.email)) {
      action = (
        <Stack gap="md">
          <Notice icon={<IconAlertCircle size={18} />} color="yellow" title="Signed in as someone else">
            You are signed in as <b>{data.signed_in_as}</b>, but this invitation is for{" "}
            <b>{data.email}</b>. Log out, then open the link again as {data.email}.
          </Notice>
          <Button onClick={() => void logOutAndReload()} loading={loggingOut}>
            Log out
          </Button>
        </Stack>
      );
    } else if (!data.account_exists) {
      action = <NewAccountForm preview={data} onAccept={(fields) => accept(fields, data.workspace_name)} />;
    } else if (sameEmail(data.signed_in_as, data.email)) {
      action = <AcceptOrDecline onAccept={() => accept({}, data.workspace_name)} onDecline={decline} />;
    } else {
      action = (
        <Stack gap="md">
          <Text size="sm" ta="center">
            {data.email} already has an account. Log in with it to accept.
          </Text>
          <Button component={Link} to={loginPath} fullWidth size="md">
            Log in as {data.email} to accept
          </Button>
          <Text size="xs" c="dimmed" ta="center">
            Forgot the password?{" "}
            <Anchor component={Link} to="/reset-password" size="xs">
              Reset it
            </Anchor>
          </Text>
        </Stack>
      );
    }
    body = (
      <Stack gap="lg">
        <Headline preview={data} />
        {action}
        <Text size="xs" c="dimmed" ta="center">
          The invitation expires at {formatDateTime(data.expires_at)}.
        </Text>
      </Stack>
    );
  }

  return (
    <PublicShell
      title="Join a workspace"
      description="An invitation to Agents, your company's AI agents."
      footer={
        me ? (
          <Anchor component={Link} to="/" size="xs">
            Back to Agents
          </Anchor>
        ) : (
          <Anchor component={Link} to="/login" size="xs">
            Log in instead
          </Anchor>
        )
      }
    >
      {body}
    </PublicShell>
  );
}
