import { Group, Text, ThemeIcon } from "@mantine/core";
import { IconSparkles } from "@tabler/icons-react";

export function LogoMark({ size = 32 }: { size?: number }) {
  return (
    <ThemeIcon
      size={size}
      radius="md"
      variant="gradient"
      gradient={{ from: "brand.5", to: "grape.6", deg: 135 }}
      aria-hidden
    >
      <IconSparkles size={size * 0.6} stroke={1.8} />
    </ThemeIcon>
  );
}

export function Logo({ size = 32 }: { size?: number }) {
  return (
    <Group gap={10} wrap="nowrap">
      <LogoMark size={size} />
      <Text fw={700} fz={size * 0.56} lh={1} style={{ letterSpacing: "-0.02em" }}>
        Agents
      </Text>
    </Group>
  );
}
