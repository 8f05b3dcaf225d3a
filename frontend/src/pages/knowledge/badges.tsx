import { Badge, Loader } from "@mantine/core";
import {
  IconAlertTriangle,
  IconBrandGithub,
  IconBrandGoogleDrive,
  IconBrandNotion,
  IconBrandSlack,
  IconCircleCheck,
  IconDatabase,
  IconFolder,
  type Icon,
} from "@tabler/icons-react";

/** Builders and admins add folders, upload and delete; the API still decides per space. */
export function canManageKnowledge(role: string | undefined): boolean {
  return role === "admin" || role === "builder";
}

const KINDS: Record<string, { label: string; color: string; icon: Icon }> = {
  folder: { label: "Folder", color: "brand", icon: IconFolder },
  slack: { label: "Slack", color: "grape", icon: IconBrandSlack },
  notion: { label: "Notion", color: "dark", icon: IconBrandNotion },
  google_drive: { label: "Google Drive", color: "teal", icon: IconBrandGoogleDrive },
  github: { label: "GitHub", color: "gray", icon: IconBrandGithub },
};

export function kindLabel(kind: string): string {
  return KINDS[kind]?.label ?? kind;
}

/** A source's icon and colour (the connections pages show them beside each connection). */
export function kindLook(kind: string): { icon: Icon; color: string } {
  const known = KINDS[kind];
  return { icon: known?.icon ?? IconDatabase, color: known?.color ?? "gray" };
}

export function DataSourceKindBadge({ kind }: { kind: string }) {
  const known = KINDS[kind];
  const IconComponent = known?.icon ?? IconDatabase;
  return (
    <Badge variant="light" color={known?.color ?? "gray"} leftSection={<IconComponent size={12} />}>
      {known?.label ?? kind}
    </Badge>
  );
}

export function DocumentStatusBadge({ status }: { status: string }) {
  if (status === "ready") {
    return (
      <Badge variant="light" color="teal" leftSection={<IconCircleCheck size={12} />}>
        Ready
      </Badge>
    );
  }
  if (status === "failed") {
    return (
      <Badge variant="light" color="red" leftSection={<IconAlertTriangle size={12} />}>
        Failed
      </Badge>
    );
  }
  if (status === "pending") {
    return (
      <Badge variant="light" color="yellow" leftSection={<Loader size={9} color="yellow" />}>
        Pending
      </Badge>
    );
  }
  return (
    <Badge variant="light" color="gray">
      {status}
    </Badge>
  );
}
