import { Button, Center, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { IconBuildingCommunity } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router-dom";
import { ErrorState, PageLoader } from "../components/states";
import { useAuth } from "./AuthContext";
import { useWorkspace } from "./WorkspaceContext";

/** Renders its children only for a logged-in user who belongs to a workspace. */
export function RequireAuth({ children }: { children: ReactNode }) {
  const { status, error, refresh, logout } = useAuth();
  const { workspace } = useWorkspace();
  const location = useLocation();

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
        <Stack align="center" gap="sm" maw={420} ta="center">
          <ThemeIcon size={56} radius="xl" variant="light" aria-hidden>
            <IconBuildingCommunity size={28} />
          </ThemeIcon>
          <Title order={2}>You are not in a workspace yet</Title>
          <Text c="dimmed" size="sm">
            Ask a workspace admin to invite you, then log in again.
          </Text>
          <Button variant="default" onClick={() => void logout()}>
            Log out
          </Button>
        </Stack>
      </Center>
    );
  }
  return <>{children}</>;
}
