import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Invitation, type MyInvitation, type Schemas } from "./client";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";

export const invitationKeys = {
  /** A workspace's invitations, as its admins see them. */
  list: (workspaceId: number) => workspaceKey(workspaceId, "invitations"),
  /** The signed-in person's own pending invitations (not workspace-scoped). */
  mine: () => ["me", "invitations"] as const,
  /** What an invite link shows before anyone signs in. */
  preview: (token: string) => ["invitation-links", token] as const,
};

export function useInvitations(workspaceId: number) {
  return useQuery({
    queryKey: invitationKeys.list(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/invitations", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ),
  });
}

/** Invites by email and role only: the person sets their own name and password from the link. */
export function useInviteMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; role: Schemas["Role"] }) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/invitations", {
          params: { path: { workspace_id: workspaceId } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitationKeys.list(workspaceId) }),
  });
}

/** The API keeps only a hash of the token, so "copy" issues a fresh link (and re-sends the email). */
export function useReissueLinkMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitation: Invitation) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/invitations/{invitation_id}/link", {
          params: { path: { workspace_id: workspaceId, invitation_id: invitation.id } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: invitationKeys.list(workspaceId) }),
  });
}

/** Revokes an invitation; the cached row turns "revoked" (and so leaves the pending list). */
export function useRevokeInvitationMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitation: Invitation) =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/invitations/{invitation_id}", {
          params: { path: { workspace_id: workspaceId, invitation_id: invitation.id } },
        }),
      ),
    onSuccess: (_answer, invitation) =>
      queryClient.setQueryData<Invitation[]>(invitationKeys.list(workspaceId), (list) =>
        list?.map((item) => (item.id === invitation.id ? { ...item, status: "revoked" } : item)),
      ),
  });
}

export function useMyInvitations() {
  return useQuery({ queryKey: invitationKeys.mine(), queryFn: () => unwrap(api.GET("/api/v1/me/invitations")) });
}

function dropMine(queryClient: ReturnType<typeof useQueryClient>, invitation: MyInvitation) {
  queryClient.setQueryData<MyInvitation[]>(invitationKeys.mine(), (list) =>
    list?.filter((item) => item.id !== invitation.id),
  );
}

/** Accepts one of my invitations; answers with the new `me` (the workspace is in it). */
export function useAcceptMyInvitationMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitation: MyInvitation) =>
      unwrap(
        api.POST("/api/v1/me/invitations/{invitation_id}/accept", {
          params: { path: { invitation_id: invitation.id } },
        }),
      ),
    onSuccess: (_me, invitation) => dropMine(queryClient, invitation),
  });
}

export function useDeclineMyInvitationMutation() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitation: MyInvitation) =>
      unwrap(
        api.POST("/api/v1/me/invitations/{invitation_id}/decline", {
          params: { path: { invitation_id: invitation.id } },
        }),
      ),
    onSuccess: (_answer, invitation) => dropMine(queryClient, invitation),
  });
}

/**
 * What an invite link is for. The answer depends on who is signed in (`signed_in_as`), which
 * changes when the person logs in and comes back, so it is asked afresh on every visit.
 */
export function useInvitationPreview(token: string) {
  return useQuery({
    queryKey: invitationKeys.preview(token),
    staleTime: 0,
    gcTime: 0,
    queryFn: () => unwrap(api.GET("/api/v1/invitations/{token}", { params: { path: { token } } })),
  });
}

export function acceptInvitationLink(token: string, body: Schemas["AcceptInvitationIn"]) {
  return unwrap(api.POST("/api/v1/invitations/{token}/accept", { params: { path: { token } }, body }));
}

export function declineInvitationLink(token: string) {
  return unwrap(api.POST("/api/v1/invitations/{token}/decline", { params: { path: { token } } }));
}
