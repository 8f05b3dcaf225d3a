import { Alert, Badge, Button, Group, Stack, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconInfoCircle, IconKeyOff } from "@tabler/icons-react";
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { useSelectionPreview } from "../../../api/accessPreview";
import type { Connection, HierarchyNode } from "../../../api/client";
import { fetchHierarchy, useResyncItemsMutation, useUpdateConnectionMutation } from "../../../api/connections";
import { errorMessage } from "../../../api/errors";
import { notifyError, notifySuccess } from "../../../lib/notify";
import { kindLabel } from "../../knowledge/badges";
import { AccessPreviewNote } from "../AccessPreviewNote";
import { partsLabel } from "./connectorInfo";
import { HierarchyPicker } from "./HierarchyPicker";
import { sameSelection } from "./selection";

/** Picker parts that are documents themselves, so "Resync now" syncs exactly that item. */
const RESYNCABLE_NODE_KINDS = new Set(["notion:page"]);

export interface SelectionEditorProps {
  workspaceId: number;
  connection: Connection;
  onSaved: (connection: Connection) => void;
  /** Another action beside "Save selection" (the add flow's "Sync everything"). */
  extraAction?: ReactNode;
}

/** The parts picker with its summary, a save button and what saving does. */
export function SelectionEditor({ workspaceId, connection, onSaved, extraAction }: SelectionEditorProps) {
  const [draft, setDraft] = useState<string[]>(connection.selected_ids);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const saved = connection.selected_ids;
  const savedKey = saved.join("\n");
  useEffect(() => {
    setDraft(savedKey ? savedKey.split("\n") : []);
  }, [savedKey]);

  const connectionId = connection.id;
  const resyncMutation = useResyncItemsMutation(workspaceId, connectionId);
  const resync = (node: HierarchyNode) =>
    resyncMutation.mutate([node.id], {
      onSuccess: () => notifySuccess(`“${node.title}” is queued for a resync.`),
      onError: (failure) => notifyError(failure, "The resync did not start"),
    });
  // The picker loads levels as they open and keeps them, so this is a plain call, not a query.
  const loadChildren = useCallback(
    (parentId: string | null) => fetchHierarchy(workspaceId, connectionId, parentId),
    [workspaceId, connectionId],
  );
  const update = useUpdateConnectionMutation(workspaceId, connectionId);

  const parts = partsLabel(connection.kind);
  const source = kindLabel(connection.kind);
  const dirty = !sameSelection(draft, saved);
  // What saving would drop, asked once the ticking settles; shown beside the save button.
  const [settledDraft] = useDebouncedValue(draft, 300);
  const preview = useSelectionPreview(
    workspaceId,
    connectionId,
    dirty && connection.status !== "needs_credentials" ? settledDraft : null,
  );

  if (connection.status === "needs_credentials") {
    return (
      <Alert variant="light" color="gray" icon={<IconKeyOff size={18} />} title="Credentials needed" role="note">
        {source} refused this connection's credentials, so its {parts} cannot be listed. Replace the credentials to
        choose what to sync.
      </Alert>
    );
  }

  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      const updated = await update.mutateAsync({ selected_ids: draft });
      setBusy(false);
      if (updated.status === "paused")
        notifySuccess("Selection saved. It applies at the next sync, once you resume the connection.");
      else notifySuccess("Selection saved. A full sync started to add what you picked and remove what you left out.");
      onSaved(updated);
    } catch (reason) {
      setBusy(false);
      setError(errorMessage(reason));
    }
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" gap="sm">
        <Text size="sm" c="dimmed" id={`selection-summary-${connectionId}`} aria-live="polite">
          {draft.length === 0 ? (
            <>
              Nothing picked:{" "}
              <Text span fw={600} c="var(--mantine-color-text)">
                everything the credentials can reach
              </Text>{" "}
              is synced, new {parts} included.
            </>
          ) : (
            <>
              <Text span fw={600} c="var(--mantine-color-text)">
                {draft.length} picked
              </Text>
              : only these, with everything inside them, are synced.
            </>
          )}
        </Text>
        {draft.length > 0 && (
          <Button variant="subtle" size="compact-sm" color="gray" onClick={() => setDraft([])} disabled={busy}>
            Clear (sync everything)
          </Button>
        )}
      </Group>
      <HierarchyPicker
        kind={connection.kind}
        loadChildren={loadChildren}
        selected={draft}
        onChange={setDraft}
        label={`${source} ${parts}`}
        parts={parts}
        disabled={busy}
        onResync={connection.status === "active" ? resync : undefined}
        canResync={(node) => RESYNCABLE_NODE_KINDS.has(`${connection.kind}:${node.kind}`)}
      />
      {dirty && <AccessPreviewNote preview={preview} />}
      {error && (
        <Alert color="red" variant="light" role="alert" title="The selection was not saved">
          {error}
        </Alert>
      )}
      <Group justify="space-between" gap="sm" align="center">
        <Group gap={6} wrap="nowrap" style={{ flex: 1, minWidth: 240 }}>
          <IconInfoCircle size={15} color="var(--mantine-color-dimmed)" style={{ flexShrink: 0 }} aria-hidden />
          <Text size="xs" c="dimmed">
            Saving a new selection starts a full sync: it adds what you picked and deletes the documents of what you
            left out.
          </Text>
        </Group>
        <Group gap="sm">
          {dirty && (
            <Badge variant="dot" color="orange" size="lg" fw={500}>
              Unsaved changes
            </Badge>
          )}
          {dirty && (
            <Button variant="default" onClick={() => setDraft(saved)} disabled={busy}>
              Undo changes
            </Button>
          )}
          {extraAction}
          <Button onClick={save} loading={busy} disabled={!dirty}>
            Save selection
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
