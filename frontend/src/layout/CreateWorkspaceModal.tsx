import { TextInput } from "@mantine/core";
import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { useCreateWorkspaceMutation } from "../api/account";
import type { Schemas } from "../api/client";
import { useAuth } from "../auth/AuthContext";
import { useWorkspace } from "../auth/WorkspaceContext";
import { notifySuccess } from "../lib/notify";
import { useSubmit } from "../lib/useSubmit";
import { FormModal } from "../components/form/FormModal";

/** Who may create workspaces is the operator's setting (WORKSPACE_CREATION); `me` says which. */
export const ASK_OPERATOR_MESSAGE = "Ask your operator for a workspace.";

export function CreateWorkspaceModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { refresh } = useAuth();
  const { selectWorkspace } = useWorkspace();
  const navigate = useNavigate();
  const [name, setName] = useState("");

  const create = useCreateWorkspaceMutation();
  const { busy, error, submit, close } = useSubmit(
    () => create.mutateAsync(name.trim()),
    {
      reset: () => setName(""),
      onClose,
      onDone: (workspace: Schemas["WorkspaceOut"]) => {
        // The new membership (as its admin) arrives with a fresh `me`.
        void refresh().then(() => {
          selectWorkspace(workspace.id);
          navigate("/");
          notifySuccess(`${workspace.name} is ready. You are its admin.`);
        });
      },
    },
  );

  return (
    <FormModal
      opened={opened}
      onClose={close}
      title="Create a workspace"
      error={error}
      onSubmit={submit}
      submitLabel="Create workspace"
      busy={busy}
      submitDisabled={!name.trim()}
    >
      <TextInput
        label="Name"
        required
        placeholder="Acme"
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
        data-autofocus
      />
    </FormModal>
  );
}
