import { Anchor, Breadcrumbs, Button, Group, Stack, Text, Title } from "@mantine/core";
import { IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { useAccessPreview } from "../../api/accessPreview";
import type { Grant } from "../../api/client";
import { useGroups } from "../../api/groups";
import { useMembers } from "../../api/members";
import { useDeleteSpaceMutation, useRevokeGrantMutation, useSpace, useSpaceGrants } from "../../api/spaces";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { ConfirmModal } from "../../components/ConfirmModal";
import { ErrorState, PageLoader } from "../../components/states";
import { notifySuccess } from "../../lib/notify";
import { NotFoundPage } from "../NotFoundPage";
import { AccessPreviewNote } from "./AccessPreviewNote";
import { GrantAccessCard } from "./GrantAccessCard";
import { SpaceGrantsTable } from "./SpaceGrantsTable";
import { SpaceKindBadge } from "./SpacesPage";

export function SpaceDetailPage() {
  const { spaceId: rawSpaceId } = useParams();
  const spaceId = Number(rawSpaceId);
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const navigate = useNavigate();
  const [revoking, setRevoking] = useState<Grant | null>(null);
  const [deletingSpace, setDeletingSpace] = useState(false);

  // The page shows once all four answers are in: the grant form offers members and groups.
  const queries = [
    useSpace(workspaceId, spaceId),
    useSpaceGrants(workspaceId, spaceId),
    useMembers(workspaceId),
    useGroups(workspaceId),
  ] as const;
  const [spaceQuery, grantsQuery, membersQuery, groupsQuery] = queries;
  const error = queries.find((query) => query.error != null)?.error ?? null;
  const retry = () => {
    for (const query of queries) if (query.error != null) void query.refetch();
  };
  const revokeMutation = useRevokeGrantMutation(workspaceId, spaceId);
  const deleteMutation = useDeleteSpaceMutation(workspaceId);
  // Asked while the revoke is being confirmed: who would stop seeing what.
  const revokePreview = useAccessPreview(
    workspaceId,
    revoking ? { kind: "revoke", space_id: spaceId, grant_id: revoking.id } : null,
  );

  if (!Number.isInteger(spaceId)) return <NotFoundPage />;

  const breadcrumbs = (
    <Breadcrumbs separator="/" mb="xs">
      <Anchor component={Link} to="/admin/spaces" size="sm">
        Spaces
      </Anchor>
      <Text size="sm" c="dimmed">
        {spaceQuery.data?.name ?? "…"}
      </Text>
    </Breadcrumbs>
  );

  const space = spaceQuery.data;
  const grants = grantsQuery.data;
  const members = membersQuery.data;
  const groups = groupsQuery.data;
  if (!space || !grants || !members || !groups) {
    return (
      <>
        {breadcrumbs}
        {error != null ? (
          <ErrorState error={error} onRetry={retry} title="Could not load this space" />
        ) : (
          <PageLoader label="Loading space" />
        )}
      </>
    );
  }

  const revoke = async (target: Grant) => {
    await revokeMutation.mutateAsync(target);
    notifySuccess("Access revoked.");
  };

  const deleteSpace = async () => {
    await deleteMutation.mutateAsync(space.id);
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

      <GrantAccessCard
        workspaceId={workspaceId}
        spaceId={spaceId}
        isCompany={isCompany}
        grants={grants}
        members={members}
        groups={groups}
      />

      <Title order={2} mb="sm">
        Who has access
      </Title>
      <SpaceGrantsTable grants={grants} isCompany={isCompany} onRevoke={setRevoking} />

      <ConfirmModal
        opened={revoking != null}
        title="Revoke access"
        confirmLabel="Revoke"
        details={revoking && <AccessPreviewNote preview={revokePreview} />}
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
