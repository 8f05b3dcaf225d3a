import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from "@mantine/core";
import { useState } from "react";
import { useChangePasswordMutation } from "../api/account";
import { notifySuccess } from "../lib/notify";
import { useSubmit } from "../lib/useSubmit";

export const PASSWORD_CHANGED_MESSAGE =
  "Password changed. Your other sessions were signed out; this one stays signed in.";

export function ChangePasswordModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const mismatch = confirm.length > 0 && confirm !== next;

  const reset = () => {
    setCurrent("");
    setNext("");
    setConfirm("");
  };

  const change = useChangePasswordMutation();
  const { busy, error, submit, close } = useSubmit(
    async () => {
      if (next !== confirm) throw new Error("The two new passwords differ. Type the same password twice.");
      await change.mutateAsync({ current_password: current, new_password: next });
    },
    { reset, onClose, onDone: () => notifySuccess(PASSWORD_CHANGED_MESSAGE) },
  );

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={650}>Change password</Text>}>
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          <PasswordInput
            label="Current password"
            autoComplete="current-password"
            required
            value={current}
            onChange={(event) => setCurrent(event.currentTarget.value)}
            data-autofocus
          />
          <PasswordInput
            label="New password"
            description="At least 8 characters; not a common password or one like your email."
            autoComplete="new-password"
            required
            value={next}
            onChange={(event) => setNext(event.currentTarget.value)}
          />
          <PasswordInput
            label="Confirm new password"
            autoComplete="new-password"
            required
            value={confirm}
            onChange={(event) => setConfirm(event.currentTarget.value)}
            error={mismatch ? "The passwords differ" : undefined}
          />
          <Text size="xs" c="dimmed">
            Changing it signs out your other sessions (other browsers and devices); this one stays
            signed in. API tokens keep working.
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!current || !next || !confirm}>
              Change password
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
