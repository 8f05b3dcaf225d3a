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
