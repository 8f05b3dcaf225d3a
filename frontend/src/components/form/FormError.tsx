import { Alert } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import type { ReactNode } from "react";

/**
 * Why a form did not go through, said as an alert (read out at once). Renders nothing
 * without a message.
 */
export function FormError({
  children,
  title,
  onClose,
  withIcon = false,
  mb,
}: {
  children: ReactNode;
  title?: string;
  /** Lets the person dismiss the message. */
  onClose?: () => void;
  withIcon?: boolean;
  mb?: string;
}) {
  if (children == null || children === false || children === "") return null;
  return (
    <Alert
      color="red"
      variant="light"
      role="alert"
      title={title}
      icon={withIcon ? <IconAlertTriangle size={18} /> : undefined}
      withCloseButton={onClose != null}
      onClose={onClose}
      mb={mb}
    >
      {children}
    </Alert>
  );
}
