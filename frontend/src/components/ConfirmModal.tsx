import { Alert, Button, Group, Modal, Stack, Text } from "@mantine/core";
import { useState, type ReactNode } from "react";
import { errorMessage } from "../api/errors";

interface ConfirmModalProps {
  opened: boolean;
  title: string;
  children: ReactNode;
  /** Shown under the question, outside its paragraph (an access preview, say). */
  details?: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  onClose: () => void;
  /** Runs the action; an error it throws is shown in the modal, which stays open. */
  onConfirm: () => Promise<void>;
}

export function ConfirmModal({
  opened,
  title,
  children,
  details,
  confirmLabel,
  danger = true,
  onClose,
  onConfirm,
}: ConfirmModalProps) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const close = () => {
    if (busy) return;
    setError(null);
    onClose();
  };

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await onConfirm();
      setBusy(false);
      onClose();
    } catch (reason) {
      setBusy(false);
      setError(reason);
    }
  };

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={650}>{title}</Text>} size="md">
      <Stack gap="md">
        <Text size="sm">{children}</Text>
        {details}
        {error != null && (
          <Alert color="red" variant="light" role="alert">
            {errorMessage(error)}
          </Alert>
        )}
        <Group justify="flex-end" gap="sm">
          <Button variant="default" onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button color={danger ? "red" : undefined} onClick={confirm} loading={busy} data-autofocus>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
