import { Button, Card, Group, MultiSelect, SegmentedControl, Text, TextInput } from "@mantine/core";
import { IconSearch } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { SEARCH_MODES, type SearchMode, type SearchState } from "./searchQuery";

/** The query, the mode and the views to search in; a new mode searches again at once. */
export function SearchForm({
  initial,
  viewOptions,
  viewsLoading,
  onSearch,
}: {
  initial: SearchState;
  viewOptions: { value: string; label: string }[];
  viewsLoading: boolean;
  onSearch: (state: SearchState) => void;
}) {
  const [draft, setDraft] = useState<SearchState>(initial);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.query.trim()) onSearch(draft);
  };
  const modeDescription = SEARCH_MODES.find((mode) => mode.value === draft.mode)?.description;

  return (
    <Card p="md" mb="lg" component="form" onSubmit={submit} role="search" aria-label="Search knowledge">
      <Group align="flex-end" gap="sm" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="e.g. how many vacation days do we get"
          leftSection={<IconSearch size={16} />}
          value={draft.query}
          onChange={(event) => {
            const query = event.currentTarget.value;
            setDraft((current) => ({ ...current, query }));
          }}
          style={{ flex: 1, minWidth: 260 }}
          maxLength={2000}
          data-autofocus
          autoFocus
        />
        <Button type="submit" disabled={!draft.query.trim()} leftSection={<IconSearch size={16} />}>
          Search
        </Button>
      </Group>
      <Group align="flex-start" gap="lg" mt="md" wrap="wrap">
        <div style={{ width: 360 }}>
          <Text size="sm" fw={500} mb={4} id="search-mode-label">
            Mode
          </Text>
          <SegmentedControl
            aria-labelledby="search-mode-label"
            value={draft.mode}
            onChange={(value) => {
              const mode = value as SearchMode;
              setDraft((current) => ({ ...current, mode }));
              if (draft.query.trim()) onSearch({ ...draft, mode });
            }}
            data={SEARCH_MODES.map(({ value, label }) => ({ value, label }))}
          />
          <Text size="xs" c="dimmed" mt={4}>
            {modeDescription}
          </Text>
        </div>
        <MultiSelect
          label="Only in"
          placeholder={draft.viewIds.length ? undefined : viewsLoading ? "Loading…" : "Everything you can open"}
          data={viewOptions}
          value={draft.viewIds.map(String)}
          onChange={(values) => setDraft((current) => ({ ...current, viewIds: values.map(Number) }))}
          searchable
          clearable
          nothingFoundMessage="No data source matches"
          style={{ flex: 1, minWidth: 260 }}
        />
      </Group>
    </Card>
  );
}
