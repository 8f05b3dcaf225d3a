import { Avatar, Group, Menu, Text, UnstyledButton } from "@mantine/core";
import { IconCheck, IconPlus, IconSelector } from "@tabler/icons-react";
import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { useWorkspace } from "../auth/WorkspaceContext";
import { ROLE_LABELS } from "../lib/format";
import { ASK_OPERATOR_MESSAGE, CreateWorkspaceModal } from "./CreateWorkspaceModal";

function WorkspaceAvatar({ name }: { name: string }) {
  return (
    <Avatar size={32} radius="md" color="brand" variant="filled" aria-hidden>
      {name.slice(0, 1).toUpperCase()}
    </Avatar>
  );
}

export function WorkspaceSwitcher() {
  const { workspace, workspaces, selectWorkspace } = useWorkspace();
  const { me } = useAuth();
  const navigate = useNavigate();
  const [creating, setCreating] = useState(false);
  if (!workspace) return null;

  return (
    <>
      <Menu position="bottom-start" width="target" withinPortal shadow="md">
        <Menu.Target>
          <UnstyledButton
            aria-label={`Workspace: ${workspace.workspace_name}. Switch workspace`}
            p={8}
            style={{
              width: "100%",
              borderRadius: "var(--mantine-radius-md)",
              border: "1px solid var(--app-border)",
            }}
          >
            <Group gap="sm" wrap="nowrap">
              <WorkspaceAvatar name={workspace.workspace_name} />
              <div style={{ flex: 1, minWidth: 0 }}>
                <Text size="sm" fw={600} truncate>
                  {workspace.workspace_name}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {ROLE_LABELS[workspace.role] ?? workspace.role}
                </Text>
              </div>
              <IconSelector size={16} color="var(--mantine-color-dimmed)" aria-hidden />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Workspaces</Menu.Label>
          {workspaces.map((item) => (
            <Menu.Item
              key={item.workspace_id}
              leftSection={<WorkspaceAvatar name={item.workspace_name} />}
              rightSection={
                item.workspace_id === workspace.workspace_id ? <IconCheck size={16} /> : null
              }
              onClick={() => {
                selectWorkspace(item.workspace_id);
                navigate("/");
              }}
            >
              <Text size="sm" fw={500}>
                {item.workspace_name}
              </Text>
              <Text size="xs" c="dimmed">
                {ROLE_LABELS[item.role] ?? item.role}
              </Text>
            </Menu.Item>
          ))}
          <Menu.Divider />
          {me?.can_create_workspaces ? (
            <Menu.Item leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
              Create workspace
            </Menu.Item>
          ) : (
            <Text size="xs" c="dimmed" px="sm" py={6}>
              {ASK_OPERATOR_MESSAGE}
            </Text>
          )}
        </Menu.Dropdown>
      </Menu>
      <CreateWorkspaceModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}
