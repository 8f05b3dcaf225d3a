import { useCallback, useMemo, useRef, useState } from "react";
import { useAttachments as useAttachmentList, useDeleteAttachmentMutation, useUploadAttachmentsMutation } from "../api/attachments";
import { useUploadLimits } from "../api/dataSources";
import { errorMessage } from "../api/errors";
import { formatBytes } from "../lib/format";

/** A file on the question being written: uploading (no id yet), queued while the worker reads it, ready or failed. */
export interface AttachmentItem {
  key: string;
  id: number | null;
  filename: string;
  status: "uploading" | "queued" | "ready" | "failed";
  errorMessage: string;
}

let uploads = 0;

/**
 * The files attached to a conversation, for the composer: attach (creating the conversation first
 * when there is none yet), remove, and what went wrong, checked against GET /limits before sending.
 */
export function useConversationAttachments({
  workspaceId,
  conversationId,
  ensureConversation,
}: {
  workspaceId: number;
  conversationId: number | null;
  /** The conversation to attach to, created when the page has none yet. */
  ensureConversation: () => Promise<number>;
}) {
  const limits = useUploadLimits().data;
  const listed = useAttachmentList(workspaceId, conversationId);
  const { mutateAsync: upload } = useUploadAttachmentsMutation(workspaceId);
  const { mutate: remove } = useDeleteAttachmentMutation(workspaceId);
  const [uploading, setUploading] = useState<AttachmentItem[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const ensureRef = useRef(ensureConversation);
  ensureRef.current = ensureConversation;

  const items = useMemo<AttachmentItem[]>(
    () => [
      ...(listed.data ?? []).map(
        (item): AttachmentItem => ({
          key: `attachment-${item.id}`,
          id: item.id,
          filename: item.filename,
          status: item.status === "ready" || item.status === "failed" ? item.status : "queued",
          errorMessage: item.error_message,
        }),
      ),
      ...uploading,
    ],
    [listed.data, uploading],
  );

  const attach = useCallback(
    async (files: File[]) => {
      setProblem(null);
      if (files.length === 0) return;
      if (limits) {
        const tooLarge = files.find((file) => file.size > limits.max_upload_bytes);
        if (tooLarge) {
          setProblem(`${tooLarge.name} is ${formatBytes(tooLarge.size)}; an attached file may be at most ${formatBytes(limits.max_upload_bytes)}.`);
          return;
        }
        if (items.length + files.length > limits.max_attachments_per_conversation) {
          setProblem(`A conversation holds at most ${limits.max_attachments_per_conversation} attached files. Remove one, or start a new conversation.`);
          return;
        }
      }
      const pending = files.map((file) => ({
        key: `upload-${(uploads += 1)}`,
        id: null,
        filename: file.name,
        status: "uploading" as const,
        errorMessage: "",
      }));
      const keys = new Set(pending.map((item) => item.key));
      setUploading((current) => [...current, ...pending]);
      try {
        const id = await ensureRef.current();
        await upload({ conversationId: id, files });
      } catch (error) {
        setProblem(errorMessage(error));
      } finally {
        setUploading((current) => current.filter((item) => !keys.has(item.key)));
      }
    },
    [limits, items.length, upload],
  );

  const removeItem = useCallback(
    (item: AttachmentItem) => {
      if (item.id == null || conversationId == null) return;
      setProblem(null);
      remove({ conversationId, attachmentId: item.id }, { onError: (error) => setProblem(errorMessage(error)) });
    },
    [conversationId, remove],
  );

  const hint = limits
    ? `Attach up to ${limits.max_attachments_per_conversation} files of ${formatBytes(limits.max_upload_bytes)} (${limits.accepted_extensions.join(", ")}).`
    : "Attach files";
  return {
    items,
    attach,
    remove: removeItem,
    problem: problem ?? (listed.error != null ? errorMessage(listed.error) : null),
    hint,
    accept: limits?.accepted_extensions.join(","),
    /** Files still uploading or being read: an answer now would not see them. */
    reading: items.some((item) => item.status === "uploading" || item.status === "queued"),
  };
}
