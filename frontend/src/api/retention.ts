import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "./client";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";

export type RetentionPolicy = Schemas["RetentionPolicyOut"];
export type RetentionPeriods = Schemas["RetentionPolicyIn"];
export type LegalHold = Schemas["LegalHoldOut"];

export const retentionKeys = {
  policy: (workspaceId: number) => workspaceKey(workspaceId, "retention"),
  holds: (workspaceId: number) => workspaceKey(workspaceId, "legal-holds"),
};

/** The workspace's retention periods (null: kept forever) and the last enforcement's counts. */
export function useRetentionPolicy(workspaceId: number) {
  return useQuery({
    queryKey: retentionKeys.policy(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/retention", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
  });
}

/** Saves all four periods at once; the answer replaces the cached policy. */
export function useUpdateRetentionPolicyMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (periods: RetentionPeriods) =>
      unwrap(
        api.PUT("/api/v1/workspaces/{workspace_id}/retention", {
          params: { path: { workspace_id: workspaceId } },
          body: periods,
        }),
      ),
    onSuccess: (policy) => queryClient.setQueryData(retentionKeys.policy(workspaceId), policy),
  });
}

/** Every legal hold of the workspace, active ones first. */
export function useLegalHolds(workspaceId: number) {
  return useQuery({
    queryKey: retentionKeys.holds(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/legal-holds", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
  });
}

/** Places a hold on the workspace (no member) or on one member; the list is asked again. */
export function usePlaceLegalHoldMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (hold: { reason: string; membership_id: number | null }) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/legal-holds", {
          params: { path: { workspace_id: workspaceId } },
          body: hold,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: retentionKeys.holds(workspaceId) }),
  });
}

/** Releases a hold; what it kept is subject to the periods again at the next run. */
export function useReleaseLegalHoldMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (hold: LegalHold) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/legal-holds/{hold_id}/release", {
          params: { path: { workspace_id: workspaceId, hold_id: hold.id } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: retentionKeys.holds(workspaceId) }),
  });
}
