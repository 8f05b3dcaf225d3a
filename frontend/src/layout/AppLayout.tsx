import { AppShell, Box, Burger, Group, NavLink, ScrollArea, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useEffect } from "react";
import { NavLink as RouterNavLink, Outlet, useLocation } from "react-router-dom";
import { useWorkspace } from "../auth/WorkspaceContext";
import { Logo } from "../components/Logo";
import { visibleSections } from "./nav";
import { UserMenu } from "./UserMenu";
import { WorkspaceSwitcher } from "./WorkspaceSwitcher";

export function AppLayout() {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { workspace } = useWorkspace();
  const location = useLocation();

  // Close the mobile navbar after navigating.
  useEffect(() => close(), [location.pathname, close]);

  const sections = visibleSections(workspace?.role);

  return (
    <AppShell
      header={{ height: { base: 56, sm: 0 } }}
      navbar={{ width: 264, breakpoint: "sm", collapsed: { mobile: !opened } }}
      padding={0}
      layout="alt"
    >
      <AppShell.Header hiddenFrom="sm" px="md">
        <Group h="100%" justify="space-between">
          <Logo size={28} />
          <Burger
            opened={opened}
            onClick={toggle}
            size="sm"
            aria-label={opened ? "Close navigation" : "Open navigation"}
          />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="md" aria-label="Main navigation">
        <AppShell.Section>
          <Group justify="space-between" mb="lg" px={4} visibleFrom="sm">
            <Logo size={30} />
          </Group>
          <WorkspaceSwitcher />
        </AppShell.Section>

        <AppShell.Section grow component={ScrollArea} mt="xs" mx="-xs" px="xs">
          <nav>
            {sections.map((section, index) => (
              <Box key={section.label ?? index}>
                {section.label ? (
                  <Text className="nav-section-label" component="div">
                    {section.label}
                  </Text>
                ) : (
                  <Box h={12} />
                )}
                <Stack gap={2}>
                  {section.items.map((item) => (
                    <NavLink
                      key={item.to}
                      component={RouterNavLink}
                      to={item.to}
                      end={item.end}
                      label={item.label}
                      leftSection={<item.icon size={18} stroke={1.7} />}
                      className="nav-link"
                      active={
                        item.end
                          ? location.pathname === item.to
                          : location.pathname.startsWith(item.to)
                      }
                    />
                  ))}
                </Stack>
              </Box>
            ))}
          </nav>
        </AppShell.Section>

        <AppShell.Section pt="sm" style={{ borderTop: "1px solid var(--app-border)" }}>
          <UserMenu />
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main className="app-main">
        <Box px={{ base: "md", sm: 32 }} py={{ base: "md", sm: 32 }} maw={1200}>
          <Outlet />
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
