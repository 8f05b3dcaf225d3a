import { ActionIcon, Button, Group, TextInput, Title, Tooltip } from "@mantine/core";
import { IconPencil, IconShare, IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import { useNavigate } from "react-router-dom";
import type { Conversation } from "../../api/client";
import { useDeleteConversationMutation, useRenameConversationMutation } from "../../api/conversations";
import { ConfirmModal } from "../../components/ConfirmModal";
import { notifyError, notifySuccess } from "../../lib/notify";
import { ShareDialog } from "./ShareDialog";

/** A saved conversation's title, renamed inline (Enter saves, Escape cancels), with Share and Delete. */
export function ConversationTitle({ workspaceId, conversation }: { workspaceId: number; conversation: Conversation }) {
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(conversation.title);
  const [sharing, setSharing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const rename = useRenameConversationMutation(workspaceId);
  const remove = useDeleteConversationMutation(workspaceId);
  const title = rename.data?.id === conversation.id ? rename.data.title : conversation.title;

  const save = async () => {
    const next = draft.trim();
    if (!next || next === title) {
      setEditing(false);
      return;
    }
    try {
      await rename.mutateAsync({ conversationId: conversation.id, title: next });
      setEditing(false);
    } catch (error) {
      notifyError(error, "Could not rename the conversation");
    }
  };

  return (
    <Group justify="space-between" align="flex-start" wrap="nowrap" gap="sm">
      {editing ? (
        <TextInput
          aria-label="Conversation title"
          value={draft}
          maxLength={200}
          autoFocus
          style={{ flex: 1 }}
          size="md"
          onChange={(event) => setDraft(event.currentTarget.value)}
          onBlur={() => void save()}
          onKeyDown={(event) => {
            if (event.key === "Enter") void save();
            if (event.key === "Escape") setEditing(false);
          }}
          disabled={rename.isPending}
        />
      ) : (
        <Title order={1} lineClamp={2}>
          {title || "Untitled conversation"}
        </Title>
      )}
      <Group gap={4} wrap="nowrap">
        <Tooltip label="Rename">
          <ActionIcon
            variant="subtle"
            aria-label="Rename the conversation"
            onClick={() => {
              setDraft(title);
              setEditing(true);
            }}
          >
            <IconPencil size={18} />
          </ActionIcon>
        </Tooltip>
        <Button variant="light" size="xs" leftSection={<IconShare size={14} />} onClick={() => setSharing(true)}>
          {conversation.shared ? "Shared" : "Share"}
        </Button>
        <Tooltip label="Delete">
          <ActionIcon variant="subtle" color="red" aria-label="Delete the conversation" onClick={() => setDeleting(true)}>
            <IconTrash size={18} />
          </ActionIcon>
        </Tooltip>
      </Group>
      <ShareDialog
        opened={sharing}
        onClose={() => setSharing(false)}
        workspaceId={workspaceId}
        conversationId={conversation.id}
        shared={Boolean(conversation.shared)}
      />
      <ConfirmModal
        opened={deleting}
        title="Delete this conversation?"
        confirmLabel="Delete conversation"
        onClose={() => setDeleting(false)}
        onConfirm={async () => {
          await remove.mutateAsync(conversation.id);
          notifySuccess("Conversation deleted");
          navigate("/conversations");
        }}
      >
        Its messages, the passages its answers quoted, your feedback and its share link are deleted for good.
      </ConfirmModal>
    </Group>
  );
}
