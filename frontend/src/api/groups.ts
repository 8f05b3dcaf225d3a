import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Group } from "./client";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";
import { spaceKeys } from "./spaces";

export const groupKeys = {
  list: (workspaceId: number) => workspaceKey(workspaceId, "groups"),
};

export function useGroups(workspaceId: number) {
  return useQuery({
    queryKey: groupKeys.list(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/groups", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
  });
}

type Cache = ReturnType<typeof useQueryClient>;

/** Puts one group's newest state into the cached list (added at the end when new). */
function storeGroup(queryClient: Cache, workspaceId: number, group: Group) {
  queryClient.setQueryData<Group[]>(groupKeys.list(workspaceId), (list) => {
    if (!list) return list;
    return list.some((item) => item.id === group.id)
      ? list.map((item) => (item.id === group.id ? group : item))
      : [...list, group];
  });
}

export function useCreateGroupMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/groups", {
          params: { path: { workspace_id: workspaceId } },
          body: { name },
        }),
      ),
    onSuccess: (group) => storeGroup(queryClient, workspaceId, group),
  });
}

export function useDeleteGroupMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (group: Group) =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/groups/{group_id}", {
          params: { path: { workspace_id: workspaceId, group_id: group.id } },
        }),
      ),
    onSuccess: (_answer, group) => {
      queryClient.setQueryData<Group[]>(groupKeys.list(workspaceId), (list) =>
        list?.filter((item) => item.id !== group.id),
      );
      // The spaces granted to the group lost that grant.
      void queryClient.invalidateQueries({ queryKey: spaceKeys.list(workspaceId) });
    },
  });
}

/** Adds a member to a group; the answer is the group with its new member list. */
export function useAddGroupMemberMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ group, membershipId }: { group: Group; membershipId: number }) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/groups/{group_id}/members", {
          params: { path: { workspace_id: workspaceId, group_id: group.id } },
          body: { membership_id: membershipId },
        }),
      ),
    onSuccess: (group) => storeGroup(queryClient, workspaceId, group),
  });
}

export function useRemoveGroupMemberMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ group, membershipId }: { group: Group; membershipId: number }) =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/groups/{group_id}/members/{membership_id}", {
          params: {
            path: { workspace_id: workspaceId, group_id: group.id, membership_id: membershipId },
          },
        }),
      ),
    onSuccess: (_answer, { group, membershipId }) =>
      storeGroup(queryClient, workspaceId, {
        ...group,
        member_ids: group.member_ids.filter((id) => id !== membershipId),
      }),
  });
}
