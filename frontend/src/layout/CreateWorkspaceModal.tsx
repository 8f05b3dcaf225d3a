import { useNavigate } from "react-router-dom";
import { useCreateWorkspaceMutation } from "../api/account";
import type { Schemas } from "../api/client";
import { useAuth } from "../auth/AuthContext";
import { useWorkspace } from "../auth/WorkspaceContext";
import { notifySuccess } from "../lib/notify";
import { NameFormModal } from "../components/form/NameFormModal";

/** Who may create workspaces is the operator's setting (WORKSPACE_CREATION); `me` says which. */
export const ASK_OPERATOR_MESSAGE = "Ask your operator for a workspace.";

export function CreateWorkspaceModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { refresh } = useAuth();
  const { selectWorkspace } = useWorkspace();
  const navigate = useNavigate();
  const create = useCreateWorkspaceMutation();

  return (
    <NameFormModal
      opened={opened}
      onClose={onClose}
      title="Create a workspace"
      submitLabel="Create workspace"
      placeholder="Acme"
      create={(name) => create.mutateAsync(name)}
      onCreated={(workspace: Schemas["WorkspaceOut"]) => {
        // The new membership (as its admin) arrives with a fresh `me`.
        void refresh().then(() => {
          selectWorkspace(workspace.id);
          navigate("/");
          notifySuccess(`${workspace.name} is ready. You are its admin.`);
        });
      }}
    />
  );
}
