import { Avatar, Group, Menu, Text, UnstyledButton, useMantineColorScheme } from "@mantine/core";
import { IconChevronUp, IconLock, IconLogout, IconMoon, IconSun } from "@tabler/icons-react";
import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { useAuth } from "../auth/AuthContext";
import { initials } from "../lib/format";
import { notifyError } from "../lib/notify";
import { ChangePasswordModal } from "./ChangePasswordModal";

export function UserMenu() {
  const { me, logout } = useAuth();
  const navigate = useNavigate();
  const { colorScheme, toggleColorScheme } = useMantineColorScheme();
  const [changingPassword, setChangingPassword] = useState(false);
  if (!me) return null;
  const name = me.full_name || me.email;

  const onLogout = async () => {
    try {
      await logout();
      navigate("/login", { replace: true });
    } catch (error) {
      notifyError(error, "Could not log out");
    }
  };

  return (
    <>
      <Menu position="top-start" width="target" withinPortal shadow="md">
        <Menu.Target>
          <UnstyledButton
            aria-label={`Account menu for ${name}`}
            p={8}
            style={{ width: "100%", borderRadius: "var(--mantine-radius-md)" }}
          >
            <Group gap="sm" wrap="nowrap">
              <Avatar radius="xl" size={34} color="brand" aria-hidden>
                {initials(me.full_name, me.email)}
              </Avatar>
              <div style={{ flex: 1, minWidth: 0 }}>
                <Text size="sm" fw={600} truncate>
                  {name}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {me.email}
                </Text>
              </div>
              <IconChevronUp size={16} color="var(--mantine-color-dimmed)" aria-hidden />
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item
            leftSection={colorScheme === "dark" ? <IconSun size={16} /> : <IconMoon size={16} />}
            onClick={toggleColorScheme}
          >
            {colorScheme === "dark" ? "Light theme" : "Dark theme"}
          </Menu.Item>
          <Menu.Item leftSection={<IconLock size={16} />} onClick={() => setChangingPassword(true)}>
            Change password
          </Menu.Item>
          <Menu.Divider />
          <Menu.Item color="red" leftSection={<IconLogout size={16} />} onClick={onLogout}>
            Log out
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
      <ChangePasswordModal opened={changingPassword} onClose={() => setChangingPassword(false)} />
    </>
  );
}
