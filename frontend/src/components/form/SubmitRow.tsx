import { Button, Group, Text } from "@mantine/core";
import type { ReactNode } from "react";

/**
 * The row that ends a form: an optional note on the left (why it cannot be sent yet), an
 * optional Cancel, and the submit button, busy while the form is being sent.
 */
export function SubmitRow({
  label,
  busy,
  disabled = false,
  onCancel,
  note,
  variant,
}: {
  label: string;
  busy: boolean;
  disabled?: boolean;
  /** Shows a Cancel button, disabled while busy. */
  onCancel?: () => void;
  /** Said as an alert, pushed to the left. */
  note?: ReactNode;
  variant?: "default" | "filled";
}) {
  return (
    <Group justify="flex-end" gap="sm">
      {note && (
        <Text size="sm" c="red" role="alert" mr="auto">
          {note}
        </Text>
      )}
      {onCancel && (
        <Button variant="default" onClick={onCancel} disabled={busy}>
          Cancel
        </Button>
      )}
      <Button type="submit" variant={variant} loading={busy} disabled={disabled}>
        {label}
      </Button>
    </Group>
  );
}
