import { Badge } from "@mantine/core";
import { ROLE_COLORS, ROLE_LABELS } from "../lib/format";

export function RoleBadge({ role }: { role: string }) {
  return (
    <Badge variant="light" color={ROLE_COLORS[role] ?? "gray"}>
      {ROLE_LABELS[role] ?? role}
    </Badge>
  );
}
