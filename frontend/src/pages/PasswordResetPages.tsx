import { Alert, Anchor, Button, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { IconAlertCircle, IconCircleCheck, IconLinkOff, IconMailCheck } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router-dom";
import { confirmPasswordReset, requestPasswordReset } from "../api/account";
import { ApiError, errorMessage } from "../api/errors";
import { PublicShell } from "../components/PublicShell";

export const RESET_REQUESTED_MESSAGE =
  "If an account exists for that email, we sent a link to reset its password.";
export const RESET_LINK_INVALID_MESSAGE =
  "This reset link is not valid any more (it was used, it expired, or the password changed " +
  "since). Request a new one.";

const backToLogin = (
  <Anchor component={Link} to="/login" size="xs">
    Back to log in
  </Anchor>
);

/** Asks for a reset link. The answer never says whether the account exists. */
export function RequestPasswordResetPage() {
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await requestPasswordReset(email.trim());
      setSent(true);
    } catch (reason) {
      // Rate limits (429) and outages land here; an unknown email does not.
      setError(errorMessage(reason));
    } finally {
      setBusy(false);
    }
  };

  return (
    <PublicShell
      title="Reset your password"
      description="We email you a link to choose a new password."
      footer={backToLogin}
    >
      {sent ? (
        <Alert
          color="teal"
          variant="light"
          icon={<IconMailCheck size={18} />}
          title="Check your email"
          role="status"
        >
          {RESET_REQUESTED_MESSAGE} The link works once and for a limited time.
        </Alert>
      ) : (
        <form onSubmit={submit} noValidate aria-label="Request a reset link">
          <Stack gap="md">
            {error && (
              <Alert color="red" variant="light" role="alert" icon={<IconAlertCircle size={18} />}>
                {error}
              </Alert>
            )}
            <TextInput
              label="Work email"
              type="email"
              autoComplete="username"
              placeholder="you@company.com"
              required
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              data-autofocus
              autoFocus
            />
            <Button type="submit" fullWidth size="md" loading={busy} disabled={!email.trim()}>
              Send reset link
            </Button>
          </Stack>
        </form>
      )}
    </PublicShell>
  );
}

/** The page behind the emailed link: a new password, twice. */
export function ConfirmPasswordResetPage() {
  const { uid = "", token = "" } = useParams();
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
  const [state, setState] = useState<"form" | "done" | "invalid">("form");
  const [error, setError] = useState<string | null>(null);
  const mismatch = confirm.length > 0 && confirm !== password;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== confirm) {
      setError("The two passwords differ. Type the same password twice.");
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await confirmPasswordReset({ uid, token, new_password: password });
      setState("done");
    } catch (reason) {
      if (reason instanceof ApiError && (reason.status === 410 || reason.code === "reset_link_invalid")) {
        setState("invalid");
      } else {
        setError(errorMessage(reason));
      }
    } finally {
      setBusy(false);
    }
  };

  let body;
  if (state === "done") {
    body = (
      <Stack gap="md">
        <Alert
          color="teal"
          variant="light"
          icon={<IconCircleCheck size={18} />}
          title="Password changed"
          role="status"
        >
          Password changed, log in with the new one. Sessions signed in with the old password were
          signed out.
        </Alert>
        <Button component={Link} to="/login" fullWidth>
          Log in
        </Button>
      </Stack>
    );
  } else if (state === "invalid") {
    body = (
      <Stack gap="md">
        <Alert
          color="orange"
          variant="light"
          icon={<IconLinkOff size={18} />}
          title="Reset link not valid"
          role="status"
        >
          {RESET_LINK_INVALID_MESSAGE}
        </Alert>
        <Button component={Link} to="/reset-password" fullWidth variant="default">
          Request a new link
        </Button>
      </Stack>
    );
  } else {
    body = (
      <form onSubmit={submit} noValidate aria-label="Choose a new password">
        <Stack gap="md">
          {error && (
            <Alert color="red" variant="light" role="alert" icon={<IconAlertCircle size={18} />}>
              {error}
            </Alert>
          )}
          <PasswordInput
            label="New password"
            description="At least 8 characters; not a common password or one like your email."
            autoComplete="new-password"
            required
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
            data-autofocus
            autoFocus
          />
          <PasswordInput
            label="Confirm new password"
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(event) => setConfirm(event.currentTarget.value)}
            error={mismatch ? "The passwords differ" : undefined}
          />
          <Button type="submit" fullWidth size="md" loading={busy} disabled={!password || !confirm}>
            Change password
          </Button>
        </Stack>
      </form>
    );
  }

  return (
    <PublicShell title="Choose a new password" footer={backToLogin}>
      {body}
      {state === "form" && (
        <Text size="xs" c="dimmed" mt="md" ta="center">
          Changing it signs you out everywhere else.
        </Text>
      )}
    </PublicShell>
  );
}
