import { Avatar, Badge } from "@mantine/core";
import { IconCircleCheck, IconPencil } from "@tabler/icons-react";
import type { AgentStatus } from "../../api/client";

/** Builders and admins build agents; the API still decides per agent (`can_edit`). */
export function canBuildAgents(role: string | undefined): boolean {
  return role === "admin" || role === "builder";
}

export function AgentStatusBadge({ status }: { status: AgentStatus | string }) {
  return status === "published" ? (
    <Badge variant="light" color="teal" leftSection={<IconCircleCheck size={12} />}>
      Published
    </Badge>
  ) : (
    <Badge variant="light" color="yellow" leftSection={<IconPencil size={12} />}>
      Draft
    </Badge>
  );
}

const AVATAR_COLORS = ["brand", "teal", "grape", "orange", "cyan", "pink", "indigo", "lime"];

/** A stable colour per agent, so the same agent looks the same on every page. */
export function agentColor(handle: string): string {
  let hash = 0;
  for (const char of handle) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return AVATAR_COLORS[hash % AVATAR_COLORS.length];
}

export function AgentAvatar({ name, handle, size = 40 }: { name: string; handle: string; size?: number }) {
  const letters = (name.trim() || handle)
    .split(/[\s_-]+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0])
    .join("")
    .toUpperCase();
  return (
    <Avatar size={size} radius="md" color={agentColor(handle)} variant="light" aria-hidden>
      {letters || "A"}
    </Avatar>
  );
}
