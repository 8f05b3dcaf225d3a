import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Member, type Role } from "./client";
import { unwrap } from "./errors";
import { groupKeys } from "./groups";
import { workspaceKey } from "./keys";
import { spaceKeys } from "./spaces";

export const memberKeys = {
  list: (workspaceId: number) => workspaceKey(workspaceId, "members"),
};

export function fetchMembers(workspaceId: number) {
  return unwrap(
    api.GET("/api/v1/workspaces/{workspace_id}/members", {
      params: { path: { workspace_id: workspaceId } },
    }),
  );
}

/** Everyone in the workspace (used by the members page, groups and space grants). */
export function useMembers(workspaceId: number) {
  return useQuery({ queryKey: memberKeys.list(workspaceId), queryFn: () => fetchMembers(workspaceId) });
}

/** Changes one member's role; the answer replaces that row in the cached list. */
export function useChangeRoleMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ member, role }: { member: Member; role: Role }) =>
      unwrap(
        api.PATCH("/api/v1/workspaces/{workspace_id}/members/{membership_id}", {
          params: { path: { workspace_id: workspaceId, membership_id: member.id } },
          body: { role },
        }),
      ),
    onSuccess: (updated) =>
      queryClient.setQueryData<Member[]>(memberKeys.list(workspaceId), (list) =>
        list?.map((item) => (item.id === updated.id ? updated : item)),
      ),
  });
}

/** Removes a member from the workspace; the row leaves the cached list, groups and grants are asked again. */
export function useRemoveMemberMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (member: Member) =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/members/{membership_id}", {
          params: { path: { workspace_id: workspaceId, membership_id: member.id } },
        }),
      ),
    onSuccess: (_answer, member) => {
      queryClient.setQueryData<Member[]>(memberKeys.list(workspaceId), (list) =>
        list?.filter((item) => item.id !== member.id),
      );
      // Their group memberships and space grants went with them.
      void queryClient.invalidateQueries({ queryKey: groupKeys.list(workspaceId) });
      void queryClient.invalidateQueries({ queryKey: spaceKeys.list(workspaceId) });
    },
  });
}
