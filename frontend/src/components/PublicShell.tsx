import { Center, Paper, Stack, Text, Title } from "@mantine/core";
import type { ReactNode } from "react";
import { LogoMark } from "./Logo";

/** The frame of the pages people reach without being logged in (login, invitation, reset). */
export function PublicShell({
  title,
  description,
  children,
  footer,
}: {
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  return (
    <div className="login-bg">
      <Center mih="100vh" p="md">
        <Stack w="100%" maw={460} gap="lg">
          <Stack align="center" gap="xs">
            <LogoMark size={48} />
            <Title order={1} ta="center" mt="xs">
              {title}
            </Title>
            {description && (
              <Text c="dimmed" size="sm" ta="center">
                {description}
              </Text>
            )}
          </Stack>
          <Paper withBorder shadow="sm" p={32}>
            {children}
          </Paper>
          {footer && (
            <Text c="dimmed" size="xs" ta="center">
              {footer}
            </Text>
          )}
        </Stack>
      </Center>
    </div>
  );
}
