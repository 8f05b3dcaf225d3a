import { Badge, Button, Text, Textarea, TextInput } from "@mantine/core";
import { IconBuilding, IconChevronRight, IconFolders, IconLock, IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import type { Space } from "../../api/client";
import { useCreateSpaceMutation, useSpaces } from "../../api/spaces";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { PageHeader } from "../../components/PageHeader";
import { QueryTable, type Column } from "../../components/DataTable";
import { EmptyState } from "../../components/states";
import { formatDate } from "../../lib/format";
import { notifySuccess } from "../../lib/notify";
import { useSubmit } from "../../lib/useSubmit";
import { FormModal } from "../../components/form/FormModal";

export function SpaceKindBadge({ kind }: { kind: string }) {
  if (kind === "company") {
    return (
      <Badge variant="light" color="teal" leftSection={<IconBuilding size={12} />}>
        Company-wide
      </Badge>
    );
  }
  if (kind === "restricted") {
    return (
      <Badge variant="light" color="orange" leftSection={<IconLock size={12} />}>
        Restricted
      </Badge>
    );
  }
  return (
    <Badge variant="light" color="gray">
      {kind}
    </Badge>
  );
}

const RESTRICTED_SPACE_INTRO =
  "Only the members and groups you grant can see a restricted space and the knowledge in it. You can add grants right after creating it.";

function CreateSpaceModal({
  opened,
  onClose,
  workspaceId,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  workspaceId: number;
  onCreated: (space: Space) => void;
}) {
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");

  const reset = () => {
    setName("");
    setDescription("");
  };
  const create = useCreateSpaceMutation(workspaceId);
  const { busy, error, submit, close } = useSubmit(
    () => create.mutateAsync({ name: name.trim(), description: description.trim() }),
    { reset, onClose, onDone: onCreated },
  );

  return (
    <FormModal
      opened={opened}
      onClose={close}
      title="Create a restricted space"
      intro={RESTRICTED_SPACE_INTRO}
      error={error}
      onSubmit={submit}
      submitLabel="Create space"
      busy={busy}
      submitDisabled={!name.trim()}
    >
      <TextInput
        label="Name"
        placeholder="e.g. Finance"
        required
        value={name}
        onChange={(event) => setName(event.currentTarget.value)}
        data-autofocus
      />
      <Textarea
        label="Description"
        placeholder="What belongs here, and who should see it"
        autosize
        minRows={2}
        maxRows={5}
        value={description}
        onChange={(event) => setDescription(event.currentTarget.value)}
      />
    </FormModal>
  );
}

export function SpacesPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const navigate = useNavigate();
  const [createOpen, setCreateOpen] = useState(false);

  const spaces = useSpaces(workspaceId);

  const createButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreateOpen(true)}>
      New restricted space
    </Button>
  );

  const columns: Column<Space>[] = [
    {
      key: "space",
      header: "Space",
      render: (space) => (
        <>
          <Text
            size="sm"
            fw={600}
            component={Link}
            to={`/admin/spaces/${space.id}`}
            c="var(--mantine-color-text)"
            onClick={(event) => event.stopPropagation()}
          >
            {space.name}
          </Text>
          {space.description && (
            <Text size="xs" c="dimmed" lineClamp={1}>
              {space.description}
            </Text>
          )}
        </>
      ),
    },
    { key: "kind", header: "Kind", width: 170, render: (space) => <SpaceKindBadge kind={space.kind} /> },
    {
      key: "created",
      header: "Created",
      width: 140,
      render: (space) => (
        <Text size="sm" c="dimmed">
          {formatDate(space.created_at)}
        </Text>
      ),
    },
    {
      key: "open",
      width: 48,
      render: () => <IconChevronRight size={16} color="var(--mantine-color-dimmed)" aria-hidden />,
    },
  ];

  const body = (
    <QueryTable
      query={spaces}
      errorTitle="Could not load spaces"
      skeletonRows={3}
      skeletonColumns={3}
      empty={
        <EmptyState
          icon={IconFolders}
          title="No spaces yet"
          description="Spaces hold knowledge. Create a restricted space for material only some people should see."
          action={createButton}
        />
      }
      columns={columns}
      rowKey={(space) => space.id}
      minWidth={600}
      rowProps={(space) => ({
        style: { cursor: "pointer" },
        onClick: () => navigate(`/admin/spaces/${space.id}`),
      })}
    />
  );

  return (
    <>
      <PageHeader
        title="Spaces"
        description="Knowledge lives in spaces. Everyone can read the company-wide space; a restricted space is open only to the members and groups granted access."
        actions={createButton}
      />
      {body}
      <CreateSpaceModal
        opened={createOpen}
        onClose={() => setCreateOpen(false)}
        workspaceId={workspaceId}
        onCreated={(space) => {
          notifySuccess(`Space “${space.name}” was created. Now grant access to it.`);
          navigate(`/admin/spaces/${space.id}`);
        }}
      />
    </>
  );
}
