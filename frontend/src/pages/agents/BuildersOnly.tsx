import { Button, Paper, Stack, Text, ThemeIcon, Title } from "@mantine/core";
import { IconLock } from "@tabler/icons-react";
import { Link } from "react-router-dom";

/** Shown to members in place of the builder. */
export function BuildersOnly() {
  return (
    <Paper withBorder p={48} maw={560} mx="auto" mt="xl" ta="center">
      <Stack align="center" gap="sm">
        <ThemeIcon size={56} radius="xl" variant="light" color="orange" aria-hidden>
          <IconLock size={28} />
        </ThemeIcon>
        <Title order={2}>Only builders and admins build agents</Title>
        <Text c="dimmed" size="sm">
          You can chat with every agent listed under Agents. Ask a workspace admin for the builder
          role to create and change agents yourself.
        </Text>
        <Button component={Link} to="/agents" variant="light" mt="sm">
          See agents
        </Button>
      </Stack>
    </Paper>
  );
}
