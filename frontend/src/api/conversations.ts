import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "./client";
import { unwrap } from "./errors";

/** Query keys of the current member's conversations (only they see them). */
export const conversationKeys = {
  all: (workspaceId: number) => ["workspaces", workspaceId, "conversations"] as const,
  list: (workspaceId: number) => [...conversationKeys.all(workspaceId), "list"] as const,
  detail: (workspaceId: number, conversationId: number) => [...conversationKeys.all(workspaceId), conversationId] as const,
};

export function useConversations(workspaceId: number) {
  return useQuery({
    queryKey: conversationKeys.list(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/conversations", { params: { path: { workspace_id: workspaceId } } }),
      ),
  });
}

/**
 * One conversation with its messages; `conversationId` null reads nothing. Read once per visit:
 * the thread on screen then grows from the answer stream, so a background read must not
 * replace it (it would stop an answer that is streaming), and the next visit reads afresh.
 */
export function useConversation(workspaceId: number, conversationId: number | null) {
  return useQuery({
    queryKey: conversationKeys.detail(workspaceId, conversationId ?? -1),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/conversations/{conversation_id}", {
          params: { path: { workspace_id: workspaceId, conversation_id: conversationId ?? -1 } },
        }),
      ),
    enabled: conversationId != null,
    staleTime: Infinity,
    gcTime: 0,
    refetchOnReconnect: false,
  });
}

/** Creates an empty conversation; its first question follows on the answer stream. */
export function useCreateConversationMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (title: string) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/conversations", {
          params: { path: { workspace_id: workspaceId } },
          body: { title },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: conversationKeys.list(workspaceId) }),
  });
}

function useAfterConversationChange(workspaceId: number) {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: conversationKeys.all(workspaceId) });
}

export function useRenameConversationMutation(workspaceId: number) {
  const refresh = useAfterConversationChange(workspaceId);
  return useMutation({
    mutationFn: ({ conversationId, title }: { conversationId: number; title: string }) =>
      unwrap(
        api.PATCH("/api/v1/workspaces/{workspace_id}/conversations/{conversation_id}", {
          params: { path: { workspace_id: workspaceId, conversation_id: conversationId } },
          body: { title },
        }),
      ),
    onSuccess: refresh,
  });
}

/** Deletes the conversation with its messages, quoted passages, feedback and share link. */
export function useDeleteConversationMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (conversationId: number) =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/conversations/{conversation_id}", {
          params: { path: { workspace_id: workspaceId, conversation_id: conversationId } },
        }),
      ),
    onSuccess: (_, conversationId) => {
      queryClient.removeQueries({ queryKey: conversationKeys.detail(workspaceId, conversationId) });
      void queryClient.invalidateQueries({ queryKey: conversationKeys.list(workspaceId) });
    },
  });
}

/** A new share link (an earlier one stops working); its token is returned this once. */
export function useShareConversationMutation(workspaceId: number) {
  const refresh = useAfterConversationChange(workspaceId);
  return useMutation({
    mutationFn: (conversationId: number) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/conversations/{conversation_id}/share", {
          params: { path: { workspace_id: workspaceId, conversation_id: conversationId } },
        }),
      ),
    onSuccess: refresh,
  });
}

export function useRevokeShareMutation(workspaceId: number) {
  const refresh = useAfterConversationChange(workspaceId);
  return useMutation({
    mutationFn: (conversationId: number) =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/conversations/{conversation_id}/share", {
          params: { path: { workspace_id: workspaceId, conversation_id: conversationId } },
        }),
      ),
    onSuccess: refresh,
  });
}

/** A conversation someone shared by link, read-only; 404 when it is not open to the reader. */
export function useSharedConversation(workspaceId: number, token: string) {
  return useQuery({
    queryKey: [...conversationKeys.all(workspaceId), "shared", token] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/shared-conversations/{token}", {
          params: { path: { workspace_id: workspaceId, token } },
        }),
      ),
    retry: false,
  });
}
