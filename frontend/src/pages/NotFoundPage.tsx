import { Button, Stack, Text, Title } from "@mantine/core";
import { Link } from "react-router-dom";

export function NotFoundPage() {
  return (
    <Stack align="center" gap="sm" mt={80} ta="center">
      <Text fz={56} fw={800} c="brand.2" lh={1}>
        404
      </Text>
      <Title order={2}>This page does not exist</Title>
      <Text c="dimmed" size="sm">
        Check the address, or go back to the overview.
      </Text>
      <Button component={Link} to="/" mt="sm">
        Go to overview
      </Button>
    </Stack>
  );
}
