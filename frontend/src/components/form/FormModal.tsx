import { Modal, Stack, Text } from "@mantine/core";
import type { FormEvent, ReactNode } from "react";
import { FormError } from "./FormError";
import { SubmitRow } from "./SubmitRow";

/**
 * A dialog that is one form: its title, an optional line on what it does, why the last try
 * failed, the fields, and Cancel beside the submit button. Closing is refused while busy by
 * the caller's `onClose` (useSubmit's `close` does so).
 */
export function FormModal({
  opened,
  onClose,
  title,
  intro,
  error,
  onSubmit,
  submitLabel,
  busy,
  submitDisabled = false,
  children,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  intro?: ReactNode;
  error?: ReactNode;
  onSubmit: (event: FormEvent) => void;
  submitLabel: string;
  busy: boolean;
  submitDisabled?: boolean;
  children: ReactNode;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={650}>{title}</Text>}>
      <form onSubmit={onSubmit}>
        <Stack gap="md">
          {intro && (
            <Text size="sm" c="dimmed">
              {intro}
            </Text>
          )}
          <FormError>{error}</FormError>
          {children}
          <SubmitRow label={submitLabel} busy={busy} disabled={submitDisabled} onCancel={onClose} />
        </Stack>
      </form>
    </Modal>
  );
}
