import { Stack, Text } from "@mantine/core";
import { IconSearch, IconSearchOff } from "@tabler/icons-react";
import { useState } from "react";
import { useSearchParams } from "react-router-dom";
import { useViews } from "../../api/dataSources";
import { useSearch } from "../../api/search";
import { useCurrentWorkspace } from "../../auth/WorkspaceContext";
import { PageHeader } from "../../components/PageHeader";
import { EmptyState, ErrorState } from "../../components/states";
import { DocumentDrawer } from "./DocumentDrawer";
import { SearchForm } from "./SearchForm";
import { HitCard, ResultsSkeleton } from "./SearchResults";
import { buildSearchQuery, highlightTerms, searchFromUrl, searchToUrl } from "./searchQuery";

export function SearchPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const [search, setSearch] = useSearchParams();
  const state = searchFromUrl(search);
  const apiQuery = buildSearchQuery(state);
  const [openDocumentId, setOpenDocumentId] = useState<number | null>(null);

  const views = useViews(workspaceId);
  const viewOptions = (views.data ?? []).map((view) => ({
    value: String(view.id),
    label: `${view.data_source_name} · ${view.space_name}`,
  }));

  const results = useSearch(workspaceId, apiQuery);
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
  } else if (results.error != null && !results.isFetching) {
    body = <ErrorState error={results.error} onRetry={() => void results.refetch()} title="Search failed" />;
  } else if (results.isFetching || !results.data) {
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
        viewsLoading={views.isPending}
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
