import { TextInput } from "@mantine/core";
import { type ReactNode, useState } from "react";
import { useSubmit } from "../../lib/useSubmit";
import { FormModal } from "./FormModal";

/**
 * A create dialog whose one field is a name (a group, an API token, a workspace): the name is
 * trimmed, the dialog refuses an empty one, and after a success it clears, reports, closes.
 */
export function NameFormModal<T>({
  opened,
  onClose,
  title,
  submitLabel,
  placeholder,
  description,
  create,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  title: string;
  submitLabel: string;
  placeholder: string;
  description?: ReactNode;
  create: (name: string) => Promise<T>;
  onCreated: (created: T) => void;
}) {
  const [name, setName] = useState("");
  const { busy, error, submit, close } = useSubmit(() => create(name.trim()), {
    reset: () => setName(""),
    onClose,
    onDone: onCreated,
  });

  return (
    <FormModal
      opened={opened}
      onClose={close}
      title={title}
      error={error}
      onSubmit={submit}
      submitLabel={submitLabel}
      busy={busy}
      submitDisabled={!name.trim()}
    >
      <TextInput
        label="Name"
        description={description}
        placeholder={placeholder}
        required
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
        data-autofocus
      />
    </FormModal>
  );
}
