import { Button, Paper, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { IconLock } from "@tabler/icons-react";
import { Link, Outlet } from "react-router-dom";
import { useWorkspace } from "../../auth/WorkspaceContext";
import { ROLE_LABELS } from "../../lib/format";

/**
 * Wraps the admin console's routes: non-admins get an explanation and never mount the pages,
 * so none of the admin data is requested for them.
 */
export function AdminGuard() {
  const { workspace, isAdmin } = useWorkspace();
  if (isAdmin) return <Outlet />;

  const role = workspace ? (ROLE_LABELS[workspace.role] ?? workspace.role).toLowerCase() : "not a member";
  return (
    <Paper withBorder p={48} maw={560} mx="auto" mt="xl" ta="center">
      <Stack align="center" gap="sm">
        <ThemeIcon size={56} radius="xl" variant="light" color="orange" aria-hidden>
          <IconLock size={28} />
        </ThemeIcon>
        <Title order={2}>You need the admin role</Title>
        <Text c="dimmed" size="sm">
          The admin console manages members, spaces, connections, API tokens and the audit log of{" "}
          <Text span fw={600} c="var(--mantine-color-text)">
            {workspace?.workspace_name ?? "this workspace"}
          </Text>
          . You are {role === "admin" ? "an" : "a"} {role} there. Ask a workspace admin if you need
          access.
        </Text>
        <Button component={Link} to="/" variant="light" mt="sm">
          Back to overview
        </Button>
      </Stack>
    </Paper>
  );
}
