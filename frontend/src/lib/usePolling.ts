import { useEffect } from "react";

/** How often pages refresh while a sync is queued or running. */
export const SYNC_POLL_MS = 3000;

/**
 * Calls `reload` `ms` after each new answer (`data` or `error` of a query) while `active`: one
 * request at a time, a failed refresh is retried, and it stops on its own once nothing is in
 * progress.
 */
export function usePolling(active: boolean, reload: () => void, data: unknown, error: unknown, ms = SYNC_POLL_MS) {
  useEffect(() => {
    if (!active) return;
    const timer = window.setTimeout(reload, ms);
    return () => window.clearTimeout(timer);
  }, [active, reload, data, error, ms]);
}
