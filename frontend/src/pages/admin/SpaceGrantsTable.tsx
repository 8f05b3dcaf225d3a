import { ActionIcon, Badge, Group, Text, ThemeIcon, Tooltip } from "@mantine/core";
import { IconShieldLock, IconTrash, IconUser, IconUsersGroup } from "@tabler/icons-react";
import type { Grant } from "../../api/client";
import { DataTable, type Column } from "../../components/DataTable";
import { EmptyState } from "../../components/states";

function AccessBadge({ access }: { access: string }) {
  return access === "read_write" ? (
    <Badge variant="light" color="brand">
      Read & write
    </Badge>
  ) : (
    <Badge variant="light" color="gray">
      Read
    </Badge>
  );
}

function grantLabel(grant: Grant): string {
  return grant.member_email ?? grant.group_name ?? "Unknown";
}

/** Who has access to a space, one row per grant, each with its revoke button. */
export function SpaceGrantsTable({
  grants,
  isCompany,
  onRevoke,
}: {
  grants: Grant[];
  isCompany: boolean;
  onRevoke: (grant: Grant) => void;
}) {
  if (grants.length === 0) {
    return (
      <EmptyState
        icon={IconShieldLock}
        title="No grants yet"
        description={
          isCompany
            ? "Everyone in the workspace can read this space."
            : "No one but admins can open this space until you grant access above."
        }
      />
    );
  }
  const columns: Column<Grant>[] = [
    {
      key: "grantee",
      header: "Member or group",
      render: (item) => (
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon variant="light" color={item.group_id ? "grape" : "gray"} radius="xl" size={28} aria-hidden>
            {item.group_id ? <IconUsersGroup size={15} /> : <IconUser size={15} />}
          </ThemeIcon>
          <div>
            <Text size="sm" fw={500}>
              {grantLabel(item)}
            </Text>
            <Text size="xs" c="dimmed">
              {item.group_id ? "Group" : "Member"}
            </Text>
          </div>
        </Group>
      ),
    },
    { key: "access", header: "Access", width: 160, render: (item) => <AccessBadge access={item.access} /> },
    {
      key: "actions",
      header: "Actions",
      hiddenHeader: true,
      width: 60,
      render: (item) => (
        <Tooltip label="Revoke access">
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label={`Revoke access of ${grantLabel(item)}`}
            onClick={() => onRevoke(item)}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Tooltip>
      ),
    },
  ];
  return (
    <DataTable rows={grants} columns={columns} rowKey={(item) => item.id} minWidth={520} highlightOnHover={false} />
  );
}
