import { useMutation } from "@tanstack/react-query";
import { api, type FeedbackRating } from "./client";
import { unwrap } from "./errors";

export interface FeedbackTarget {
  workspaceId: number;
  conversationId: number;
  messageId: number;
}

/** Rates an answer; a second rating replaces the first. The conversation returns it with the answer. */
export function useRateAnswerMutation({ workspaceId, conversationId, messageId }: FeedbackTarget) {
  return useMutation({
    mutationFn: (rating: FeedbackRating) =>
      unwrap(
        api.POST(
          "/api/v1/workspaces/{workspace_id}/conversations/{conversation_id}/messages/{message_id}/feedback",
          {
            params: { path: { workspace_id: workspaceId, conversation_id: conversationId, message_id: messageId } },
            body: { rating, comment: "" },
          },
        ),
      ),
  });
}
