import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Highlight,
  MultiSelect,
  SegmentedControl,
  Skeleton,
  Spoiler,
  Stack,
  Text,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { IconExternalLink, IconSearch, IconSearchOff } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { api, type SearchHit } from "../../api/client";
import { unwrap } from "../../api/errors";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorState } from "../../components/states";
import { formatDate, formatDateTime } from "../../lib/format";
import { useApiQuery } from "../../lib/useApiQuery";
import { DataSourceKindBadge } from "./badges";
import { DocumentDrawer } from "./DocumentDrawer";
import {
  buildSearchQuery,
  highlightTerms,
  passageText,
  SEARCH_MODES,
  searchFromUrl,
  searchToUrl,
  type SearchMode,
  type SearchState,
} from "./searchQuery";

function ResultsSkeleton() {
  return (
    <Stack gap="sm" role="status" aria-live="polite" aria-label="Searching">
      {[0, 1, 2].map((index) => (
        <Card key={index} p="lg">
          <Skeleton h={14} w="40%" radius="xl" mb="sm" />
          <Skeleton h={10} w="25%" radius="xl" mb="md" />
          <Skeleton h={10} radius="xl" mb={8} />
          <Skeleton h={10} w="85%" radius="xl" />
        </Card>
      ))}
    </Stack>
  );
}

function HitCard({
  hit,
  terms,
  onOpen,
}: {
  hit: SearchHit;
  terms: string[];
  onOpen: (documentId: number) => void;
}) {
  const updated = hit.source_updated_at ?? hit.source_created_at;
  const title = hit.title || "Untitled";
  return (
    <Card p="lg" component="article" aria-label={title}>
      <Group justify="space-between" align="flex-start" gap="sm" wrap="nowrap">
        <Stack gap={6} style={{ minWidth: 0 }}>
          {hit.url ? (
            <Anchor href={hit.url} target="_blank" rel="noreferrer" fw={650} size="md" style={{ overflowWrap: "anywhere" }}>
              {title} <IconExternalLink size={14} style={{ verticalAlign: "-2px" }} aria-hidden />
            </Anchor>
          ) : (
            <Anchor
              component="button"
              type="button"
              fw={650}
              size="md"
              ta="left"
              style={{ overflowWrap: "anywhere" }}
              onClick={() => onOpen(hit.document_id)}
            >
              {title}
            </Anchor>
          )}
          <Group gap="xs">
            <DataSourceKindBadge kind={hit.source} />
            <Anchor component={Link} to={`/data/${hit.data_source_id}`} size="xs" c="dimmed">
              {hit.data_source_name}
            </Anchor>
            {updated && (
              <Tooltip label={`Updated ${formatDateTime(updated)}`}>
                <Text size="xs" c="dimmed">
                  · {formatDate(updated)}
                </Text>
              </Tooltip>
            )}
          </Group>
        </Stack>
        <Tooltip label="Relevance score">
          <Badge variant="outline" color="gray" tt="none" fw={500} className="mono" style={{ flexShrink: 0 }}>
            {hit.score.toFixed(3)}
          </Badge>
        </Tooltip>
      </Group>
      {hit.passages.length > 0 && (
        <Stack gap="xs" mt="md">
          {hit.passages.map((passage) => (
            <Spoiler
              key={passage.chunk_id}
              maxHeight={132}
              showLabel="Show more"
              hideLabel="Show less"
              className="search-passage"
              styles={{ control: { fontSize: "var(--mantine-font-size-xs)", marginTop: 4 } }}
            >
              <Highlight
                highlight={terms}
                size="sm"
                style={{ whiteSpace: "pre-line" }}
                highlightStyles={{ fontWeight: 600, padding: "0 2px", borderRadius: 3 }}
                data-testid="search-passage"
              >
                {passageText(passage.text)}
              </Highlight>
            </Spoiler>
          ))}
        </Stack>
      )}
    </Card>
  );
}

function SearchForm({
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

export function SearchPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const [search, setSearch] = useSearchParams();
  const state = searchFromUrl(search);
  const apiQuery = buildSearchQuery(state);
  const [openDocumentId, setOpenDocumentId] = useState<number | null>(null);

  const views = useApiQuery(
    () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/views", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
    ["views", workspaceId],
  );
  const viewOptions = (views.data ?? []).map((view) => ({
    value: String(view.id),
    label: `${view.data_source_name} · ${view.space_name}`,
  }));

  const results = useApiQuery(
    () =>
      apiQuery.query
        ? unwrap(
            api.GET("/api/v1/workspaces/{workspace_id}/search", {
              params: { path: { workspace_id: workspaceId }, query: apiQuery },
            }),
          )
        : Promise.resolve(undefined),
    ["search", workspaceId, apiQuery],
  );
  const terms = highlightTerms(state.query);

  let body;
  if (!apiQuery.query) {
    body = (
      <EmptyState
        icon={IconSearch}
        title="Search your knowledge"
        description="Ask a question or type a few words. Results come only from documents in the spaces you can open, with the passages that matched."
      />
    );
  } else if (results.error != null) {
    body = <ErrorState error={results.error} onRetry={results.reload} title="Search failed" />;
  } else if (results.loading || !results.data) {
    body = <ResultsSkeleton />;
  } else if (results.data.length === 0) {
    body = (
      <EmptyState
        icon={IconSearchOff}
        title="No results you can open"
        description={
          state.viewIds.length
            ? "Nothing in the data sources you picked matched. Try other words, another mode, or search everything you can open."
            : "Nothing in the spaces you can open matched. Try other words or another mode."
        }
      />
    );
  } else {
    body = (
      <Stack gap="sm">
        <Text size="sm" c="dimmed" aria-live="polite">
          {results.data.length === 1 ? "1 document" : `${results.data.length} documents`} for “{state.query}”
        </Text>
        {results.data.map((hit) => (
          <HitCard key={hit.document_id} hit={hit} terms={terms} onOpen={setOpenDocumentId} />
        ))}
      </Stack>
    );
  }

  return (
    <>
      <PageHeader
        title="Search"
        description="Find passages across the documents your agents can use. You only see what the spaces you can open contain."
      />
      <SearchForm
        key={search.toString()}
        initial={state}
        viewOptions={viewOptions}
        viewsLoading={views.loading}
        onSearch={(next) => setSearch(searchToUrl(next))}
      />
      {body}
      <DocumentDrawer
        workspaceId={workspaceId}
        documentId={openDocumentId}
        onClose={() => setOpenDocumentId(null)}
      />
    </>
  );
}
