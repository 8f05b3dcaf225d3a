import { Select, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import type { InvitationCreated, Role } from "../../api/client";
import { useInviteMutation } from "../../api/invitations";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "../../lib/format";
import { useSubmit } from "../../lib/useSubmit";
import { FormModal } from "../../components/form/FormModal";

export const ROLE_OPTIONS = (["admin", "builder", "member"] as const).map((value) => ({
  value,
  label: ROLE_LABELS[value],
}));

export function InviteModal({
  opened,
  onClose,
  workspaceId,
  onInvited,
}: {
  opened: boolean;
  onClose: () => void;
  workspaceId: number;
  onInvited: (invitation: InvitationCreated) => void;
}) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("member");
  const invite = useInviteMutation(workspaceId);

  const reset = () => {
    setEmail("");
    setRole("member");
  };

  // Email and role only: the person sets their own name and password from the link.
  const { busy, error, submit, close } = useSubmit(
    () => invite.mutateAsync({ email: email.trim(), role }),
    { reset, onClose, onDone: onInvited },
  );

  return (
    <FormModal
      opened={opened}
      onClose={close}
      title="Invite a member"
      error={error}
      onSubmit={submit}
      submitLabel="Send invite"
      busy={busy}
      submitDisabled={!email.trim()}
    >
      <TextInput
        label="Email"
        type="email"
        required
        placeholder="name@company.com"
        value={email}
        onChange={(event) => setEmail(event.currentTarget.value)}
        data-autofocus
      />
      <Select
        label="Role"
        data={ROLE_OPTIONS}
        value={role}
        onChange={(value) => value && setRole(value as Role)}
        allowDeselect={false}
        description={ROLE_DESCRIPTIONS[role]}
      />
      <Text size="xs" c="dimmed">
        They get an email with a link to join; you also get the link to send yourself. They set
        their own password, or accept with the account they already have.
      </Text>
    </FormModal>
  );
}
