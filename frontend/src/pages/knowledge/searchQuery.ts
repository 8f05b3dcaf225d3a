export type SearchMode = "hybrid" | "dense" | "full_text";

export const SEARCH_MODES: { value: SearchMode; label: string; description: string }[] = [
  { value: "hybrid", label: "Hybrid", description: "Meaning and exact words together (best for most questions)" },
  { value: "dense", label: "Dense", description: "By meaning: finds passages that say the same thing in other words" },
  { value: "full_text", label: "Full text", description: "Exact words only, like a classic keyword search" },
];

export const DEFAULT_K = 10;

/** The search as the page keeps it in its URL (?q=&mode=&views=1,2). */
export interface SearchState {
  query: string;
  mode: SearchMode;
  viewIds: number[];
}

export function isSearchMode(value: string | null): value is SearchMode {
  return SEARCH_MODES.some((mode) => mode.value === value);
}

export function searchFromUrl(search: URLSearchParams): SearchState {
  const mode = search.get("mode");
  return {
    query: search.get("q") ?? "",
    mode: isSearchMode(mode) ? mode : "hybrid",
    viewIds: (search.get("views") ?? "")
      .split(",")
      .map((part) => Number(part))
      .filter((id) => Number.isInteger(id) && id > 0),
  };
}

export function searchToUrl(state: SearchState): URLSearchParams {
  const search = new URLSearchParams();
  if (state.query.trim()) search.set("q", state.query.trim());
  if (state.mode !== "hybrid") search.set("mode", state.mode);
  if (state.viewIds.length) search.set("views", state.viewIds.join(","));
  return search;
}

/** The query of GET /workspaces/{id}/search; view_ids goes out as repeated parameters. */
export interface SearchApiQuery {
  query: string;
  k: number;
  mode: SearchMode;
  view_ids?: number[];
}

export function buildSearchQuery(state: SearchState, k = DEFAULT_K): SearchApiQuery {
  const query: SearchApiQuery = { query: state.query.trim(), k, mode: state.mode };
  if (state.viewIds.length) query.view_ids = state.viewIds;
  return query;
}

// Words too common to be worth marking in a passage.
const STOP_WORDS = new Set(
  (
    "the and for are but not you your our was were has have had can could does did how many much " +
    "what when where which who why with from that this these those there their them they into about " +
    "any all get got its it's than then too very will would should may might must just also out"
  ).split(" "),
);

/**
 * The words of a query to highlight in passages: three letters or more, not a stop word, each
 * once. Mantine's Highlight marks substrings, so shorter words would light up inside others.
 */
export function highlightTerms(query: string): string[] {
  const words = query
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length >= 3 && !STOP_WORDS.has(word));
  return [...new Set(words)];
}

/**
 * A passage as shown under a hit: without the "Title › Data source" line the indexer puts first
 * (the card shows both) and with blank lines folded.
 */
export function passageText(text: string): string {
  return text
    .replace(/^[^\n]*\u203a[^\n]*\n\s*\n/, "")
    .replace(/\n\s*\n+/g, "\n")
    .trim();
}
