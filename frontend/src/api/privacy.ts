import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "./client";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";

export type PrivacyRequest = Schemas["PrivacyRequestOut"];
export type PrivacyRequestKind = Schemas["PrivacyRequestIn"]["kind"];

export const privacyKeys = {
  list: (workspaceId: number) => workspaceKey(workspaceId, "privacy-requests"),
};

/** While a request is queued or running, the list is asked again so its progress moves. */
export const PRIVACY_POLL_MS = 2000;

export function isActive(request: PrivacyRequest): boolean {
  return request.state === "queued" || request.state === "running";
}

/** The workspace's data-subject requests, newest first (the latest 100). */
export function usePrivacyRequests(workspaceId: number) {
  return useQuery({
    queryKey: privacyKeys.list(workspaceId),
    queryFn: async () =>
      (
        await unwrap(
          api.GET("/api/v1/workspaces/{workspace_id}/privacy/requests", {
            params: { path: { workspace_id: workspaceId }, query: { limit: 100 } },
          }),
        )
      ).items,
    refetchInterval: (query) => (query.state.data?.some(isActive) ? PRIVACY_POLL_MS : false),
  });
}

/** Queues an export or an erasure of one member; the new request heads the cached list. */
export function useRequestPrivacyAction(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ kind, memberId }: { kind: PrivacyRequestKind; memberId: number }) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/privacy/requests", {
          params: { path: { workspace_id: workspaceId } },
          body: { kind, member_id: memberId },
        }),
      ),
    onSuccess: (created) =>
      queryClient.setQueryData<PrivacyRequest[]>(privacyKeys.list(workspaceId), (list) => [
        created,
        ...(list ?? []).filter((item) => item.id !== created.id),
      ]),
  });
}

/** Where the browser downloads an export's zip (the session cookie authenticates it). */
export function archiveUrl(workspaceId: number, requestId: number): string {
  return `/api/v1/workspaces/${workspaceId}/privacy/requests/${requestId}/archive`;
}
