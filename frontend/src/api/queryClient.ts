import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./errors";

/**
 * The one cache of server state. Pages never fetch on their own: they call the hooks in
 * `src/api/<resource>.ts`, which read and write through this client.
 *
 * `retry` skips client errors (4xx): asking again for a page one may not open, or with a
 * payload the API refused, only repeats the same answer.
 */
export function createQueryClient(options: { retry?: boolean } = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: options.retry === false ? false : (failures, error) => shouldRetry(failures, error),
        refetchOnWindowFocus: false,
        staleTime: 10_000,
      },
      mutations: { retry: false },
    },
  });
}

function shouldRetry(failures: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failures < 2;
}
