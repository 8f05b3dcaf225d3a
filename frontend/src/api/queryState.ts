import type { UseQueryResult } from "@tanstack/react-query";

/**
 * A query result with `reload`, the name the shared loading/error/empty pieces
 * (components/states.tsx QueryStates, ErrorState's retry) call to ask again. The whole
 * result stays available, so a piece that takes the query itself reads it unchanged.
 */
export function withReload<T>(query: UseQueryResult<T>): UseQueryResult<T> & { reload: () => void } {
  return { ...query, reload: () => void query.refetch() };
}
