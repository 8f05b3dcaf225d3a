import { Alert, Button, Group, Modal, Select, Stack, Table, Text, TextInput } from "@mantine/core";
import { IconChevronRight, IconDatabase, IconFolderPlus } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, type DataSourceView } from "../../api/client";
import { errorMessage, unwrap } from "../../api/errors";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, QueryStates, TableSkeleton } from "../../components/states";
import { formatDate } from "../../lib/format";
import { notifySuccess } from "../../lib/notify";
import { useApiQuery } from "../../lib/useApiQuery";
import { useSubmit } from "../../lib/useSubmit";
import { canManageKnowledge, DataSourceKindBadge } from "./badges";

export const FOLDER_EXPLAINER =
  "A folder is a data source you fill by uploading files: PDFs, Word documents, slides, " +
  "spreadsheets, Markdown, HTML or text. It lives in a space, so everyone who can open that " +
  "space can search it and agents can cite it.";

function NewFolderModal({
  opened,
  onClose,
  workspaceId,
  onCreated,
}: {
  opened: boolean;
  onClose: () => void;
  workspaceId: number;
  onCreated: (view: DataSourceView) => void;
}) {
  const [name, setName] = useState("");
  const [spaceId, setSpaceId] = useState<string | null>(null);

  const spaces = useApiQuery(
    () =>
      opened
        ? unwrap(
            api.GET("/api/v1/workspaces/{workspace_id}/spaces", {
              params: { path: { workspace_id: workspaceId } },
            }),
          )
        : Promise.resolve(undefined),
    ["folder-spaces", workspaceId, opened],
  );
  const spaceOptions = (spaces.data ?? []).map((space) => ({
    value: String(space.id),
    label: space.kind === "company" ? `${space.name} (everyone)` : space.name,
  }));
  // Preselect the only space, or the company-wide one, so the common case is one field.
  const selected =
    spaceId ??
    (spaces.data?.length === 1
      ? String(spaces.data[0].id)
      : (spaces.data?.find((space) => space.kind === "company")?.id?.toString() ?? null));

  const reset = () => {
    setName("");
    setSpaceId(null);
  };
  const { busy, error, submit: create, close } = useSubmit(
    () =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/spaces/{space_id}/folders", {
          params: { path: { workspace_id: workspaceId, space_id: Number(selected) } },
          body: { name: name.trim() },
        }),
      ),
    { reset, onClose, onDone: onCreated },
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!selected) return;
    void create();
  };

  return (
    <Modal opened={opened} onClose={close} title={<Text fw={650}>New folder</Text>}>
      <form onSubmit={submit}>
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {FOLDER_EXPLAINER}
          </Text>
          {error && (
            <Alert color="red" variant="light" role="alert">
              {error}
            </Alert>
          )}
          {spaces.error != null && (
            <Alert color="red" variant="light" role="alert">
              Could not load spaces: {errorMessage(spaces.error)}
            </Alert>
          )}
          <TextInput
            label="Name"
            placeholder="e.g. HR policies"
            required
            maxLength={200}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            data-autofocus
          />
          <Select
            label="Space"
            description="Who can read the folder: everyone who can open this space"
            placeholder={spaces.loading ? "Loading spaces…" : "Choose a space"}
            data={spaceOptions}
            value={selected}
            onChange={setSpaceId}
            allowDeselect={false}
            required
            searchable
            nothingFoundMessage="No space matches"
          />
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={close} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!name.trim() || !selected}>
              Create folder
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function DataSourcesPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const canManage = canManageKnowledge(workspace.role);
  const navigate = useNavigate();
  const [createOpen, setCreateOpen] = useState(false);

  const sources = useApiQuery(
    () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/data-sources", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
    ["data-sources", workspaceId],
  );

  const createButton = canManage ? (
    <Button leftSection={<IconFolderPlus size={16} />} onClick={() => setCreateOpen(true)}>
      New folder
    </Button>
  ) : undefined;

  const body = (
    <QueryStates
      query={sources}
      errorTitle="Could not load data sources"
      loading={<TableSkeleton rows={3} columns={4} />}
      empty={
        <EmptyState
          icon={IconDatabase}
          title="No data sources yet"
          description={
            canManage
              ? `${FOLDER_EXPLAINER} Create one to start.`
              : `${FOLDER_EXPLAINER} None is shared with you yet; ask a builder or an admin.`
          }
          action={createButton}
        />
      }
    >
      {(items) => (
        <div className="table-card">
          <Table.ScrollContainer minWidth={620}>
            <Table highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Data source</Table.Th>
                  <Table.Th w={170}>Kind</Table.Th>
                  <Table.Th w={130} ta="right">
                    Documents
                  </Table.Th>
                  <Table.Th w={150}>Created</Table.Th>
                  <Table.Th w={48} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((source) => (
                  <Table.Tr
                    key={source.id}
                    style={{ cursor: "pointer" }}
                    onClick={() => navigate(`/data/${source.id}`)}
                  >
                    <Table.Td>
                      <Text
                        size="sm"
                        fw={600}
                        component={Link}
                        to={`/data/${source.id}`}
                        c="var(--mantine-color-text)"
                        onClick={(event) => event.stopPropagation()}
                      >
                        {source.name}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <DataSourceKindBadge kind={source.kind} />
                    </Table.Td>
                    <Table.Td ta="right">
                      <Text size="sm" style={{ fontVariantNumeric: "tabular-nums" }}>
                        {source.document_count.toLocaleString()}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {formatDate(source.created_at)}
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
        title="Data sources"
        description="The knowledge your agents search: folders of uploaded files and synced tools. You see the ones in the spaces you can open."
        actions={sources.data?.length ? createButton : undefined}
      />
      {body}
      {canManage && (
        <NewFolderModal
          opened={createOpen}
          onClose={() => setCreateOpen(false)}
          workspaceId={workspaceId}
          onCreated={(view) => {
            notifySuccess(`Folder “${view.data_source_name}” was created in ${view.space_name}.`);
            navigate(`/data/${view.data_source_id}`);
          }}
        />
      )}
    </>
  );
}
