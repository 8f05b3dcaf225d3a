import { useQuery } from "@tanstack/react-query";
import { api } from "./client";
import { unwrap } from "./errors";

/** The query string of GET .../search; `view_ids` goes out as repeated parameters. */
export interface SearchParams {
  query: string;
  k: number;
  mode: string;
  view_ids?: number[];
}

export const searchKeys = {
  results: (workspaceId: number, params: SearchParams) => ["workspaces", workspaceId, "search", params] as const,
};

/** Search results for `params`; nothing is asked while the query is empty. */
export function useSearch(workspaceId: number, params: SearchParams) {
  return useQuery({
    queryKey: searchKeys.results(workspaceId, params),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/search", {
          params: { path: { workspace_id: workspaceId }, query: params },
        }),
      ),
    enabled: Boolean(params.query),
  });
}
