import { Alert, Button, Group, Modal, Stack, Text, TextInput } from "@mantine/core";
import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { useCreateWorkspaceMutation } from "../api/account";
import type { Schemas } from "../api/client";
import { useAuth } from "../auth/AuthContext";
import { useWorkspace } from "../auth/WorkspaceContext";
import { notifySuccess } from "../lib/notify";
import { useSubmit } from "../lib/useSubmit";

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
    <Modal opened={opened} onClose={close} title={<Text fw={650}>Create a workspace</Text>}>
      <form onSubmit={submit}>
        <Stack gap="md">
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          <TextInput
            label="Name"
            required
            placeholder="Acme"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            data-autofocus
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!name.trim()}>
              Create workspace
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
