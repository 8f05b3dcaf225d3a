import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Grant, type Space, type SpaceAccess } from "./client";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";

export const spaceKeys = {
  list: (workspaceId: number) => workspaceKey(workspaceId, "spaces"),
  detail: (workspaceId: number, spaceId: number) => [...workspaceKey(workspaceId, "spaces"), spaceId] as const,
  grants: (workspaceId: number, spaceId: number) =>
    [...workspaceKey(workspaceId, "spaces"), spaceId, "grants"] as const,
};

export function useSpaces(workspaceId: number) {
  return useQuery({
    queryKey: spaceKeys.list(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/spaces", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
  });
}

export function useSpace(workspaceId: number, spaceId: number) {
  return useQuery({
    queryKey: spaceKeys.detail(workspaceId, spaceId),
    enabled: Number.isInteger(spaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/spaces/{space_id}", {
          params: { path: { workspace_id: workspaceId, space_id: spaceId } },
        }),
      ),
  });
}

export function useSpaceGrants(workspaceId: number, spaceId: number) {
  return useQuery({
    queryKey: spaceKeys.grants(workspaceId, spaceId),
    enabled: Number.isInteger(spaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/spaces/{space_id}/grants", {
          params: { path: { workspace_id: workspaceId, space_id: spaceId } },
        }),
      ),
  });
}

export function useCreateSpaceMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; description: string }) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/spaces", {
          params: { path: { workspace_id: workspaceId } },
          body,
        }),
      ),
    onSuccess: (space) =>
      queryClient.setQueryData<Space[]>(spaceKeys.list(workspaceId), (list) => [...(list ?? []), space]),
  });
}

export function useDeleteSpaceMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (spaceId: number) =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/spaces/{space_id}", {
          params: { path: { workspace_id: workspaceId, space_id: spaceId } },
        }),
      ),
    onSuccess: (_answer, spaceId) =>
      queryClient.setQueryData<Space[]>(spaceKeys.list(workspaceId), (list) =>
        list?.filter((item) => item.id !== spaceId),
      ),
  });
}

export type GrantTarget = { membership_id: number } | { group_id: number };

export function useGrantMutation(workspaceId: number, spaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ target, access }: { target: GrantTarget; access: SpaceAccess }) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/spaces/{space_id}/grants", {
          params: { path: { workspace_id: workspaceId, space_id: spaceId } },
          body: { ...target, access },
        }),
      ),
    onSuccess: (created) =>
      queryClient.setQueryData<Grant[]>(spaceKeys.grants(workspaceId, spaceId), (list) =>
        list ? [...list, created] : list,
      ),
  });
}

export function useRevokeGrantMutation(workspaceId: number, spaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (grant: Grant) =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/spaces/{space_id}/grants/{grant_id}", {
          params: { path: { workspace_id: workspaceId, space_id: spaceId, grant_id: grant.id } },
        }),
      ),
    onSuccess: (_answer, grant) =>
      queryClient.setQueryData<Grant[]>(spaceKeys.grants(workspaceId, spaceId), (list) =>
        list?.filter((item) => item.id !== grant.id),
      ),
  });
}
