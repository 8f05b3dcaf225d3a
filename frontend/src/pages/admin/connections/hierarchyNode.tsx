import { ActionIcon, Badge, Button, Group, Loader, Skeleton, Stack, Text, Tooltip } from "@mantine/core";
import {
  IconAlertTriangle,
  IconArchive,
  IconBook2,
  IconBrandGoogleDrive,
  IconDatabase,
  IconExternalLink,
  IconFileText,
  IconFolder,
  IconLock,
  type Icon,
  IconRefresh,
} from "@tabler/icons-react";
import type { HierarchyNode } from "../../../api/client";
import { errorMessage } from "../../../api/errors";

export const NODE_ICONS: Record<string, Icon> = {
  page: IconFileText,
  database: IconDatabase,
  folder: IconFolder,
  shared_drive: IconBrandGoogleDrive,
  repository: IconBook2,
};

/** What the source says about a part: bot missing, archived, private, members, a link to it. */
export function NodeDetails({
  node,
  source,
  onResync,
}: {
  node: HierarchyNode;
  source: string;
  onResync?: (node: HierarchyNode) => void;
}) {
  const details = node.details ?? {};
  const members = typeof details.members === "number" ? details.members : null;
  return (
    <Group gap={6} wrap="nowrap" ml="auto" style={{ flexShrink: 0 }}>
      {details.bot_is_member === false && (
        <Tooltip
          label={`The bot is not in ${node.title}. Invite it in ${source}, or this part syncs nothing.`}
          multiline
          w={260}
        >
          <Badge variant="light" color="orange" leftSection={<IconAlertTriangle size={11} />} tabIndex={0}>
            Bot not invited
          </Badge>
        </Tooltip>
      )}
      {details.archived === true && (
        <Badge variant="light" color="gray" leftSection={<IconArchive size={11} />}>
          Archived
        </Badge>
      )}
      {details.private === true && (
        <Badge variant="light" color="gray" leftSection={<IconLock size={11} />}>
          Private
        </Badge>
      )}
      {members != null && (
        <Text size="xs" c="dimmed" w={86} ta="right" style={{ whiteSpace: "nowrap" }}>
          {members.toLocaleString()} {members === 1 ? "member" : "members"}
        </Text>
      )}
      {onResync && (
        <Tooltip label={`Resync from ${source} now`}>
          <ActionIcon
            variant="subtle"
            color="gray"
            size="sm"
            onClick={() => onResync(node)}
            aria-label={`Resync ${node.title} now`}
          >
            <IconRefresh size={14} />
          </ActionIcon>
        </Tooltip>
      )}
      {node.url ? (
        <Tooltip label={`Open in ${source}`}>
          <ActionIcon
            component="a"
            href={node.url}
            target="_blank"
            rel="noreferrer"
            variant="subtle"
            color="gray"
            size="sm"
            aria-label={`Open ${node.title} in ${source}`}
          >
            <IconExternalLink size={14} />
          </ActionIcon>
        </Tooltip>
      ) : (
        <span style={{ width: 22 }} />
      )}
    </Group>
  );
}

/** Under an open part: loading, the error with a retry, or that it holds nothing. */
export function LevelStatus({
  level,
  loading,
  error,
  empty,
  onRetry,
}: {
  level: number;
  loading: boolean;
  error: unknown;
  empty: boolean;
  onRetry: () => void;
}) {
  const style = { paddingLeft: 8 + level * 24 + 30 };
  return (
    <>
      {loading && (
        <li className="tree-status" style={style}>
          <Group gap={8}>
            <Loader size={12} />
            <Text size="xs" c="dimmed">
              Loading…
            </Text>
          </Group>
        </li>
      )}
      {error != null && (
        <li className="tree-status" style={style} role="alert">
          <Group gap={8}>
            <Text size="xs" c="red.7">
              {errorMessage(error)}
            </Text>
            <Button size="compact-xs" variant="light" color="red" onClick={onRetry}>
              Retry
            </Button>
          </Group>
        </li>
      )}
      {!loading && error == null && empty && (
        <li className="tree-status" style={style}>
          <Text size="xs" c="dimmed">
            Nothing inside to pick.
          </Text>
        </li>
      )}
    </>
  );
}

/** Rows shaped like the tree while its top level loads; says so when the source is slow. */
export function PickerSkeleton({ parts, source, slow }: { parts: string; source: string; slow: boolean }) {
  return (
    <Stack gap="xs">
      <div className="picker-group" role="status" aria-label={`Loading ${parts} from ${source}`}>
        {Array.from({ length: 5 }, (_, index) => (
          <Group key={index} className="tree-row" gap="sm" wrap="nowrap" py={12}>
            <Skeleton h={18} w={18} radius="sm" />
            <Skeleton h={12} w={index % 2 ? 160 : 120} radius="xl" />
            <Skeleton h={12} w={70} radius="xl" ml="auto" />
          </Group>
        ))}
      </div>
      {slow && (
        <Group gap={8} aria-live="polite">
          <Loader size={12} />
          <Text size="xs" c="dimmed">
            Still waiting for {source}: it is slow or unreachable, and the platform retries for up to a minute before
            giving up.
          </Text>
        </Group>
      )}
    </Stack>
  );
}
