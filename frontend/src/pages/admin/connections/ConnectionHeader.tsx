import { ActionIcon, Alert, Button, Group, Menu, Stack, Text, Title, Tooltip } from "@mantine/core";
import {
  IconDots,
  IconKey,
  IconKeyOff,
  IconPlayerPause,
  IconPlayerPlay,
  IconRefresh,
  IconReload,
  IconTrash,
} from "@tabler/icons-react";
import type { Connection } from "../../../api/client";
import { ConnectionStatusBadge, SourceIcon } from "./syncStatus";

/**
 * A connection's title, status and actions (pause or resume, resync, sync now, replace
 * credentials, delete), with the alert that says why syncing stopped when it did.
 */
export function ConnectionHeader({
  connection,
  source,
  subtitle,
  canReplace,
  pending,
  onTogglePause,
  onSyncNow,
  onResync,
  onReplace,
  onDelete,
}: {
  connection: Connection;
  /** The source's display name ("Slack"). */
  source: string;
  subtitle: string;
  /** Replacing credentials needs the connector's field list, which may not have loaded. */
  canReplace: boolean;
  pending: "sync" | "pause" | null;
  onTogglePause: () => void;
  onSyncNow: () => void;
  onResync: () => void;
  onReplace: () => void;
  onDelete: () => void;
}) {
  const isPaused = connection.status === "paused";
  const needsCredentials = connection.status === "needs_credentials";
  const canSync = connection.status === "active";
  return (
    <>
      <Group justify="space-between" align="flex-start" mb="lg" gap="md">
        <Group gap="md" wrap="nowrap" align="center" style={{ minWidth: 0 }}>
          <SourceIcon kind={connection.kind} size={48} />
          <Stack gap={4} style={{ minWidth: 0 }}>
            <Group gap="sm">
              <Title order={1}>{connection.name}</Title>
              <ConnectionStatusBadge status={connection.status} />
            </Group>
            <Text c="dimmed" size="sm" style={{ overflowWrap: "anywhere" }}>
              {subtitle}
            </Text>
          </Stack>
        </Group>
        <Group gap="sm">
          {!needsCredentials && (
            <Button
              variant="default"
              leftSection={isPaused ? <IconPlayerPlay size={16} /> : <IconPlayerPause size={16} />}
              onClick={onTogglePause}
              loading={pending === "pause"}
            >
              {isPaused ? "Resume" : "Pause"}
            </Button>
          )}
          <Tooltip label={isPaused ? "Resume the connection first" : "Enter new credentials first"} disabled={canSync}>
            <Button
              variant="default"
              leftSection={<IconReload size={16} />}
              onClick={onResync}
              disabled={!canSync}
            >
              Resync everything
            </Button>
          </Tooltip>
          <Tooltip label={isPaused ? "Resume the connection first" : "Enter new credentials first"} disabled={canSync}>
            <Button
              leftSection={<IconRefresh size={16} />}
              onClick={onSyncNow}
              loading={pending === "sync"}
              disabled={!canSync}
            >
              Sync now
            </Button>
          </Tooltip>
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="default" size={36} aria-label="More actions">
                <IconDots size={18} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconKey size={15} />} onClick={onReplace} disabled={!canReplace}>
                Replace credentials
              </Menu.Item>
              <Menu.Divider />
              <Menu.Item color="red" leftSection={<IconTrash size={15} />} onClick={onDelete}>
                Delete connection
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Group>

      {needsCredentials && (
        <Alert
          color="red"
          variant="light"
          radius="lg"
          mb="lg"
          icon={<IconKeyOff size={20} />}
          title={`${source} refused the credentials: syncing has stopped`}
          role="alert"
        >
          <Stack gap="sm" align="flex-start">
            <Text size="sm">
              {connection.status_message ||
                "Syncing is paused and the documents already synced stay searchable; enter new credentials to resume."}
            </Text>
            <Button
              size="xs"
              color="red"
              leftSection={<IconKey size={14} />}
              onClick={onReplace}
              disabled={!canReplace}
            >
              Replace credentials
            </Button>
          </Stack>
        </Alert>
      )}
      {isPaused && (
        <Alert
          color="gray"
          variant="light"
          radius="lg"
          mb="lg"
          icon={<IconPlayerPause size={20} />}
          title="Paused"
          role="status"
        >
          <Stack gap="sm" align="flex-start">
            <Text size="sm">
              {connection.status_message ||
                "No syncs run while the connection is paused. The documents already synced stay searchable."}
            </Text>
            <Button
              size="xs"
              variant="white"
              color="dark"
              leftSection={<IconPlayerPlay size={14} />}
              onClick={onTogglePause}
              loading={pending === "pause"}
            >
              Resume syncing
            </Button>
          </Stack>
        </Alert>
      )}
    </>
  );
}
