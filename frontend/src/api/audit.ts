import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { api } from "./client";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";
import type { paths } from "./schema";

export type AuditQuery = NonNullable<
  paths["/api/v1/workspaces/{workspace_id}/audit-events"]["get"]["parameters"]["query"]
>;

export const auditKeys = {
  all: (workspaceId: number) => workspaceKey(workspaceId, "audit-events"),
  page: (workspaceId: number, query: AuditQuery) => [...workspaceKey(workspaceId, "audit-events"), query] as const,
};

/** One page of the audit log for the given filters; the page shown stays while the next loads. */
export function useAuditEvents(workspaceId: number, query: AuditQuery) {
  return useQuery({
    queryKey: auditKeys.page(workspaceId, query),
    placeholderData: keepPreviousData,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/audit-events", {
          params: { path: { workspace_id: workspaceId }, query },
        }),
      ),
  });
}
