import { Alert, Button, Group, PasswordInput, Stack, TextInput } from "@mantine/core";
import { IconAlertCircle } from "@tabler/icons-react";
import { useState, type FormEvent, type ReactNode } from "react";
import type { InvitationPreview } from "../api/client";
import { errorMessage } from "../api/errors";

/** The pieces of the invitation page: its forms and notices. */

export function FormError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" role="alert" icon={<IconAlertCircle size={18} />}>
      {message}
    </Alert>
  );
}

/** A person without an account sets their name and password and is logged in on accepting. */
export function NewAccountForm({
  preview,
  onAccept,
}: {
  preview: InvitationPreview;
  onAccept: (body: { password: string; full_name: string }) => Promise<void>;
}) {
  const [fullName, setFullName] = useState("");
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [busy, setBusy] = useState(false);
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
      await onAccept({ password, full_name: fullName.trim() });
    } catch (reason) {
      setError(errorMessage(reason));
      setBusy(false);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Create your account">
      <Stack gap="md">
        <FormError message={error} />
        <TextInput label="Email" value={preview.email} readOnly disabled />
        <TextInput
          label="Full name"
          placeholder="Optional"
          autoComplete="name"
          value={fullName}
          onChange={(event) => setFullName(event.currentTarget.value)}
          data-autofocus
        />
        <PasswordInput
          label="Password"
          description="At least 8 characters; not a common password or one like your email."
          autoComplete="new-password"
          required
          value={password}
          onChange={(event) => setPassword(event.currentTarget.value)}
        />
        <PasswordInput
          label="Confirm password"
          autoComplete="new-password"
          required
          value={confirm}
          onChange={(event) => setConfirm(event.currentTarget.value)}
          error={mismatch ? "The passwords differ" : undefined}
        />
        <Button type="submit" fullWidth size="md" loading={busy} disabled={!password || !confirm}>
          Create account and join
        </Button>
      </Stack>
    </form>
  );
}

export function AcceptOrDecline({
  onAccept,
  onDecline,
}: {
  onAccept: () => Promise<void>;
  onDecline: () => Promise<void>;
}) {
  const [busy, setBusy] = useState<"accept" | "decline" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (which: "accept" | "decline", action: () => Promise<void>) => {
    setBusy(which);
    setError(null);
    try {
      await action();
    } catch (reason) {
      setError(errorMessage(reason));
      setBusy(null);
    }
  };
  return (
    <Stack gap="md">
      <FormError message={error} />
      <Group grow>
        <Button
          variant="default"
          onClick={() => void run("decline", onDecline)}
          loading={busy === "decline"}
          disabled={busy === "accept"}
        >
          Decline
        </Button>
        <Button
          onClick={() => void run("accept", onAccept)}
          loading={busy === "accept"}
          disabled={busy === "decline"}
        >
          Accept
        </Button>
      </Group>
    </Stack>
  );
}

export function Notice({
  icon,
  color,
  title,
  children,
}: {
  icon: ReactNode;
  color: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <Alert color={color} variant="light" icon={icon} title={title} role="status">
      {children}
    </Alert>
  );
}
