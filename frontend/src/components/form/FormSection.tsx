import { Card, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";

/** One titled part of a long form, as a card: a heading, a line on what it is for, its fields. */
export function FormSection({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Card p="lg" component="section" aria-label={title}>
      <Stack gap={2} mb="md">
        <Title order={3}>{title}</Title>
        {description && (
          <Text size="sm" c="dimmed">
            {description}
          </Text>
        )}
      </Stack>
      {children}
    </Card>
  );
}
