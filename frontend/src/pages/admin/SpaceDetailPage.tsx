import {
  ActionIcon,
  Anchor,
  Badge,
  Breadcrumbs,
  Button,
  Card,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  ThemeIcon,
  Title,
  Tooltip,
  VisuallyHidden,
} from "@mantine/core";
import { IconShieldLock, IconTrash, IconUser, IconUsersGroup } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, type Grant, type SpaceAccess } from "../../api/client";
import { unwrap } from "../../api/errors";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { ConfirmModal } from "../../components/ConfirmModal";
import { EmptyState, ErrorState, PageLoader, TableSkeleton } from "../../components/states";
import { notifyError, notifySuccess } from "../../lib/notify";
import { useApiQuery } from "../../lib/useApiQuery";
import { NotFoundPage } from "../NotFoundPage";
import { SpaceKindBadge } from "./SpacesPage";

const ACCESS_OPTIONS: { value: SpaceAccess; label: string }[] = [
  { value: "read", label: "Can read" },
  { value: "read_write", label: "Can read & write" },
];

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

export function SpaceDetailPage() {
  const { spaceId: rawSpaceId } = useParams();
  const spaceId = Number(rawSpaceId);
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const navigate = useNavigate();

  const [granteeKind, setGranteeKind] = useState<"member" | "group">("member");
  const [grantee, setGrantee] = useState<string | null>(null);
  const [access, setAccess] = useState<SpaceAccess>("read");
  const [granting, setGranting] = useState(false);
  const [revoking, setRevoking] = useState<Grant | null>(null);
  const [deletingSpace, setDeletingSpace] = useState(false);

  const path = { params: { path: { workspace_id: workspaceId, space_id: spaceId } } };
  const wsPath = { params: { path: { workspace_id: workspaceId } } };

  const data = useApiQuery(async () => {
    const [space, grants, members, groups] = await Promise.all([
      unwrap(api.GET("/api/v1/workspaces/{workspace_id}/spaces/{space_id}", path)),
      unwrap(api.GET("/api/v1/workspaces/{workspace_id}/spaces/{space_id}/grants", path)),
      unwrap(api.GET("/api/v1/workspaces/{workspace_id}/members", wsPath)),
      unwrap(api.GET("/api/v1/workspaces/{workspace_id}/groups", wsPath)),
    ]);
    return { space, grants, members, groups };
  }, ["space", workspaceId, spaceId]);

  if (!Number.isInteger(spaceId)) return <NotFoundPage />;

  const breadcrumbs = (
    <Breadcrumbs separator="/" mb="xs">
      <Anchor component={Link} to="/admin/spaces" size="sm">
        Spaces
      </Anchor>
      <Text size="sm" c="dimmed">
        {data.data?.space.name ?? "…"}
      </Text>
    </Breadcrumbs>
  );

  if (data.error != null && !data.data) {
    return (
      <>
        {breadcrumbs}
        <ErrorState error={data.error} onRetry={data.reload} title="Could not load this space" />
      </>
    );
  }
  if (!data.data) {
    return (
      <>
        {breadcrumbs}
        <PageLoader label="Loading space" />
      </>
    );
  }

  const { space, grants, members, groups } = data.data;
  const grantedMembers = new Set(grants.map((g) => g.membership_id).filter(Boolean));
  const grantedGroups = new Set(grants.map((g) => g.group_id).filter(Boolean));
  const options =
    granteeKind === "member"
      ? members
          .filter((member) => !grantedMembers.has(member.id))
          .map((member) => ({
            value: String(member.id),
            label: member.full_name ? `${member.full_name} (${member.email})` : member.email,
          }))
      : groups
          .filter((group) => !grantedGroups.has(group.id))
          .map((group) => ({ value: String(group.id), label: group.name }));

  const grant = async () => {
    if (!grantee) return;
    setGranting(true);
    try {
      const created = await unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/spaces/{space_id}/grants", {
          ...path,
          body:
            granteeKind === "member"
              ? { membership_id: Number(grantee), access }
              : { group_id: Number(grantee), access },
        }),
      );
      data.setData((current) => current && { ...current, grants: [...current.grants, created] });
      setGrantee(null);
      notifySuccess(`Granted ${created.member_email ?? created.group_name ?? "access"}.`);
    } catch (error) {
      notifyError(error, "Could not grant access");
    } finally {
      setGranting(false);
    }
  };

  const revoke = async (target: Grant) => {
    await unwrap(
      api.DELETE("/api/v1/workspaces/{workspace_id}/spaces/{space_id}/grants/{grant_id}", {
        params: { path: { workspace_id: workspaceId, space_id: spaceId, grant_id: target.id } },
      }),
    );
    data.setData(
      (current) => current && { ...current, grants: current.grants.filter((g) => g.id !== target.id) },
    );
    notifySuccess("Access revoked.");
  };

  const deleteSpace = async () => {
    await unwrap(api.DELETE("/api/v1/workspaces/{workspace_id}/spaces/{space_id}", path));
    notifySuccess(`Space “${space.name}” was deleted.`);
    navigate("/admin/spaces");
  };

  const isCompany = space.kind === "company";

  return (
    <>
      {breadcrumbs}
      <Group justify="space-between" align="flex-start" mb="lg" gap="md">
        <Stack gap={6}>
          <Group gap="sm">
            <Title order={1}>{space.name}</Title>
            <SpaceKindBadge kind={space.kind} />
          </Group>
          <Text c="dimmed" size="sm" maw={640}>
            {space.description ||
              (isCompany
                ? "Everyone in the workspace can read this space."
                : "Only the members and groups below can open this space.")}
          </Text>
        </Stack>
        {!isCompany && (
          <Button
            variant="default"
            color="red"
            leftSection={<IconTrash size={16} />}
            onClick={() => setDeletingSpace(true)}
          >
            Delete space
          </Button>
        )}
      </Group>

      <Card p="lg" mb="lg">
        <Group gap="sm" mb="md">
          <ThemeIcon variant="light" radius="md" aria-hidden>
            <IconShieldLock size={18} />
          </ThemeIcon>
          <div>
            <Text fw={600}>Grant access</Text>
            <Text size="xs" c="dimmed">
              {isCompany
                ? "Everyone can already read the company space; grants here add write access or keep access explicit."
                : "Give a member or a whole group access to this space."}
            </Text>
          </div>
        </Group>
        <Group align="flex-end" gap="sm">
          <div>
            <Text size="sm" fw={500} mb={4} id="grantee-kind-label">
              Grant to
            </Text>
            <SegmentedControl
              aria-labelledby="grantee-kind-label"
              value={granteeKind}
              onChange={(value) => {
                setGranteeKind(value as "member" | "group");
                setGrantee(null);
              }}
              data={[
                { value: "member", label: "Member" },
                { value: "group", label: "Group" },
              ]}
            />
          </div>
          <Select
            label={granteeKind === "member" ? "Member" : "Group"}
            placeholder={
              options.length
                ? granteeKind === "member"
                  ? "Choose a member"
                  : "Choose a group"
                : granteeKind === "member"
                  ? "Every member has a grant"
                  : groups.length
                    ? "Every group has a grant"
                    : "No groups yet"
            }
            data={options}
            value={grantee}
            onChange={setGrantee}
            searchable
            nothingFoundMessage="Nothing matches"
            disabled={!options.length}
            style={{ flex: 1, minWidth: 220 }}
          />
          <Select
            label="Access"
            data={ACCESS_OPTIONS}
            value={access}
            onChange={(value) => value && setAccess(value as SpaceAccess)}
            allowDeselect={false}
            w={190}
          />
          <Button onClick={grant} loading={granting} disabled={!grantee}>
            Grant access
          </Button>
        </Group>
      </Card>

      <Title order={2} mb="sm">
        Who has access
      </Title>
      {data.loading && !data.data ? (
        <TableSkeleton rows={2} columns={3} />
      ) : grants.length === 0 ? (
        <EmptyState
          icon={IconShieldLock}
          title="No grants yet"
          description={
            isCompany
              ? "Everyone in the workspace can read this space."
              : "No one but admins can open this space until you grant access above."
          }
        />
      ) : (
        <div className="table-card">
          <Table.ScrollContainer minWidth={520}>
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Member or group</Table.Th>
                  <Table.Th w={160}>Access</Table.Th>
                  <Table.Th w={60}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {grants.map((item) => {
                  const label = item.member_email ?? item.group_name ?? "Unknown";
                  return (
                    <Table.Tr key={item.id}>
                      <Table.Td>
                        <Group gap="sm" wrap="nowrap">
                          <ThemeIcon
                            variant="light"
                            color={item.group_id ? "grape" : "gray"}
                            radius="xl"
                            size={28}
                            aria-hidden
                          >
                            {item.group_id ? <IconUsersGroup size={15} /> : <IconUser size={15} />}
                          </ThemeIcon>
                          <div>
                            <Text size="sm" fw={500}>
                              {label}
                            </Text>
                            <Text size="xs" c="dimmed">
                              {item.group_id ? "Group" : "Member"}
                            </Text>
                          </div>
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <AccessBadge access={item.access} />
                      </Table.Td>
                      <Table.Td>
                        <Tooltip label="Revoke access">
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`Revoke access of ${label}`}
                            onClick={() => setRevoking(item)}
                          >
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Table.Td>
                    </Table.Tr>
                  );
                })}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </div>
      )}

      <ConfirmModal
        opened={revoking != null}
        title="Revoke access"
        confirmLabel="Revoke"
        onClose={() => setRevoking(null)}
        onConfirm={() => (revoking ? revoke(revoking) : Promise.resolve())}
      >
        {revoking && (
          <>
            <b>{revoking.member_email ?? revoking.group_name}</b> will no longer have{" "}
            {revoking.access === "read_write" ? "read & write" : "read"} access to{" "}
            <b>{space.name}</b> through this grant.
          </>
        )}
      </ConfirmModal>
      <ConfirmModal
        opened={deletingSpace}
        title="Delete space"
        confirmLabel="Delete space"
        onClose={() => setDeletingSpace(false)}
        onConfirm={deleteSpace}
      >
        Delete <b>{space.name}</b> and all of its grants? This cannot be undone.
      </ConfirmModal>
    </>
  );
}
