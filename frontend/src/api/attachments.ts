import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "./client";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";

export type Attachment = Schemas["AttachmentOut"];
export type AttachmentDetail = Schemas["AttachmentDetailOut"];

/** Query keys of the files attached to one of the member's conversations (only they see them). */
export const attachmentKeys = {
  all: (workspaceId: number) => workspaceKey(workspaceId, "attachments"),
  list: (workspaceId: number, conversationId: number) => [...attachmentKeys.all(workspaceId), conversationId] as const,
  detail: (workspaceId: number, conversationId: number, attachmentId: number) =>
    [...attachmentKeys.list(workspaceId, conversationId), attachmentId] as const,
};

/** How often the list is read again while a file is still being read by the worker. */
export const QUEUED_POLL_MS = 1500;

/** The conversation's attached files; `conversationId` null reads nothing. Polls while any is queued. */
export function useAttachments(workspaceId: number, conversationId: number | null) {
  return useQuery({
    queryKey: attachmentKeys.list(workspaceId, conversationId ?? -1),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/conversations/{conversation_id}/attachments", {
          params: { path: { workspace_id: workspaceId, conversation_id: conversationId ?? -1 } },
        }),
      ),
    enabled: conversationId != null,
    refetchInterval: (query) => (query.state.data?.some((item) => item.status === "queued") ? QUEUED_POLL_MS : false),
  });
}

/** One attached file with its text: where a citation of it opens. */
export function useAttachment(workspaceId: number, conversationId: number | null, attachmentId: number | null) {
  return useQuery({
    queryKey: attachmentKeys.detail(workspaceId, conversationId ?? -1, attachmentId ?? -1),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/conversations/{conversation_id}/attachments/{attachment_id}", {
          params: {
            path: { workspace_id: workspaceId, conversation_id: conversationId ?? -1, attachment_id: attachmentId ?? -1 },
          },
        }),
      ),
    enabled: conversationId != null && attachmentId != null,
  });
}

/** Attaches files to a conversation as multipart `files`, through the typed client (CSRF applies). */
export function uploadAttachments(workspaceId: number, conversationId: number, files: File[]) {
  return api.POST("/api/v1/workspaces/{workspace_id}/conversations/{conversation_id}/attachments", {
    params: { path: { workspace_id: workspaceId, conversation_id: conversationId } },
    // The schema types the parts as strings (binary); the serializer sends the File objects.
    body: { files: files as unknown as string[] },
    bodySerializer: () => {
      const form = new FormData();
      for (const file of files) form.append("files", file, file.name);
      return form;
    },
  });
}

export function useUploadAttachmentsMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ conversationId, files }: { conversationId: number; files: File[] }) =>
      unwrap(uploadAttachments(workspaceId, conversationId, files)),
    onSuccess: (result, { conversationId }) => {
      // Shown at once (queued or failed); the list then polls until the worker has read them.
      const key = attachmentKeys.list(workspaceId, conversationId);
      queryClient.setQueryData<Attachment[]>(key, (old) => [...(old ?? []), ...result.files]);
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
}

export function useDeleteAttachmentMutation(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ conversationId, attachmentId }: { conversationId: number; attachmentId: number }) =>
      unwrap(
        api.DELETE("/api/v1/workspaces/{workspace_id}/conversations/{conversation_id}/attachments/{attachment_id}", {
          params: { path: { workspace_id: workspaceId, conversation_id: conversationId, attachment_id: attachmentId } },
        }),
      ),
    onSuccess: (_, { conversationId }) =>
      queryClient.invalidateQueries({ queryKey: attachmentKeys.list(workspaceId, conversationId) }),
  });
}
