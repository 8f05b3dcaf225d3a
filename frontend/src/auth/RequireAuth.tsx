import { Button, Center, Group, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { IconBuildingCommunity } from "@tabler/icons-react";
import { useState, type ReactNode } from "react";
import { Navigate, useLocation } from "react-router-dom";
import { MyInvitations } from "../components/MyInvitations";
import { ErrorState, PageLoader } from "../components/states";
import { ASK_OPERATOR_MESSAGE, CreateWorkspaceModal } from "../layout/CreateWorkspaceModal";
import { useAuth } from "./AuthContext";
import { useWorkspace } from "./WorkspaceContext";

/** Renders its children only for a logged-in user who belongs to a workspace. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, me, error, refresh, logout } = useAuth();
  const { workspace } = useWorkspace();
  const location = useLocation();
  const [creating, setCreating] = useState(false);

  if (status === "loading") {
    return (
      <Center mih="100vh">
        <PageLoader label="Loading your workspace" />
      </Center>
    );
  }
  if (status === "error") {
    return (
      <Center mih="100vh" p="md">
        <div style={{ maxWidth: 480, width: "100%" }}>
          <ErrorState error={error} onRetry={() => void refresh()} title="Could not reach Agents" />
        </div>
      </Center>
    );
  }
  if (status === "anonymous") {
    const next = location.pathname + location.search;
    return <Navigate to={next === "/" ? "/login" : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (!workspace) {
    return (
      <Center mih="100vh" p="md">
        <Stack align="center" gap="sm" maw={520} w="100%" ta="center">
          <ThemeIcon size={56} radius="xl" variant="light" aria-hidden>
            <IconBuildingCommunity size={28} />
          </ThemeIcon>
          <Title order={2}>You are not in a workspace yet</Title>
          <Text c="dimmed" size="sm">
            {me?.can_create_workspaces
              ? "Accept an invitation below, or create a workspace of your own."
              : `Accept an invitation below, or ask a workspace admin to invite you. ${ASK_OPERATOR_MESSAGE}`}
          </Text>
          <div style={{ width: "100%", textAlign: "left" }}>
            <MyInvitations title="Your invitations" />
          </div>
          <Group gap="sm" mt="xs">
            {me?.can_create_workspaces && (
              <Button onClick={() => setCreating(true)}>Create workspace</Button>
            )}
            <Button variant="default" onClick={() => void logout()}>
              Log out
            </Button>
          </Group>
          <CreateWorkspaceModal opened={creating} onClose={() => setCreating(false)} />
        </Stack>
      </Center>
    );
  }
  return <>{children}</>;
}
