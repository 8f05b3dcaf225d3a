import { Alert, Select, TextInput } from "@mantine/core";
import { useState, type FormEvent } from "react";
import type { DataSourceView } from "../../api/client";
import { useCreateFolderMutation, useFolderSpaces } from "../../api/dataSources";
import { errorMessage } from "../../api/errors";
import { FormModal } from "../../components/form/FormModal";
import { FOLDER_EXPLAINER } from "./folderText";

/** Creates a folder data source in a space the builder picks. */
export function NewFolderModal({
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
  const spaces = useFolderSpaces(workspaceId, opened);
  const creation = useCreateFolderMutation(workspaceId);
  const busy = creation.isPending;

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
    creation.reset();
  };
  const close = () => {
    if (busy) return;
    reset();
    onClose();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!selected) return;
    creation.mutate(
      { spaceId: Number(selected), name: name.trim() },
      {
        onSuccess: (view) => {
          reset();
          onCreated(view);
          onClose();
        },
      },
    );
  };

  return (
    <FormModal
      opened={opened}
      onClose={close}
      title="New folder"
      intro={FOLDER_EXPLAINER}
      error={creation.error != null && errorMessage(creation.error)}
      onSubmit={submit}
      submitLabel="Create folder"
      busy={busy}
      submitDisabled={!name.trim() || !selected}
    >
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
        placeholder={spaces.isFetching && !spaces.data ? "Loading spaces…" : "Choose a space"}
        data={spaceOptions}
        value={selected}
        onChange={setSpaceId}
        allowDeselect={false}
        required
        searchable
        nothingFoundMessage="No space matches"
      />
    </FormModal>
  );
}
