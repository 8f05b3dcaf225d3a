import {
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from "@mantine/core";
import { IconBuilding, IconChevronRight, IconFolders, IconLock, IconPlus } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, type Space } from "../../api/client";
import { unwrap } from "../../api/errors";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, QueryStates, TableSkeleton } from "../../components/states";
import { formatDate } from "../../lib/format";
import { notifySuccess } from "../../lib/notify";
import { useApiQuery } from "../../lib/useApiQuery";
import { useSubmit } from "../../lib/useSubmit";

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
  const { busy, error, submit, close } = useSubmit(
    () =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/spaces", {
          params: { path: { workspace_id: workspaceId } },
          body: { name: name.trim(), description: description.trim() },
        }),
      ),
    { reset, onClose, onDone: onCreated },
  );

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={650}>Create a restricted space</Text>}>
      <form onSubmit={submit}>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            Only the members and groups you grant can see a restricted space and the knowledge in
            it. You can add grants right after creating it.
          </Text>
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
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
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!name.trim()}>
              Create space
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function SpacesPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const navigate = useNavigate();
  const [createOpen, setCreateOpen] = useState(false);

  const spaces = useApiQuery(
    () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/spaces", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
    ["spaces", workspaceId],
  );

  const createButton = (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setCreateOpen(true)}>
      New restricted space
    </Button>
  );

  const body = (
    <QueryStates
      query={spaces}
      errorTitle="Could not load spaces"
      loading={<TableSkeleton rows={3} columns={3} />}
      empty={
        <EmptyState
          icon={IconFolders}
          title="No spaces yet"
          description="Spaces hold knowledge. Create a restricted space for material only some people should see."
          action={createButton}
        />
      }
    >
      {(items) => (
        <div className="table-card">
          <Table.ScrollContainer minWidth={600}>
            <Table highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Space</Table.Th>
                  <Table.Th w={170}>Kind</Table.Th>
                  <Table.Th w={140}>Created</Table.Th>
                  <Table.Th w={48} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((space) => (
                  <Table.Tr
                    key={space.id}
                    style={{ cursor: "pointer" }}
                    onClick={() => navigate(`/admin/spaces/${space.id}`)}
                  >
                    <Table.Td>
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
                    </Table.Td>
                    <Table.Td>
                      <SpaceKindBadge kind={space.kind} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {formatDate(space.created_at)}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <IconChevronRight size={16} color="var(--mantine-color-dimmed)" aria-hidden />
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </div>
      )}
    </QueryStates>
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
          spaces.setData((list) => [...(list ?? []), space]);
          notifySuccess(`Space “${space.name}” was created. Now grant access to it.`);
          navigate(`/admin/spaces/${space.id}`);
        }}
      />
    </>
  );
}
