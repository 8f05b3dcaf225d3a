import { ActionIcon, Group, Paper, Stack, Text, Textarea, Tooltip } from "@mantine/core";
import { IconArrowUp, IconPaperclip, IconPlayerStopFilled } from "@tabler/icons-react";
import { useRef, useState, type DragEvent, type FormEvent, type KeyboardEvent, type ReactNode } from "react";

/** Files for the question: an attach button and dropping files on the box call `onAttach`. */
export interface ComposerAttachments {
  onAttach: (files: File[]) => void;
  /** The chips of the files attached so far (chat/AttachmentChips). */
  chips: ReactNode;
  /** What may be attached (from GET /limits), said on the attach button. */
  hint: string;
  /** File extensions the picker offers, comma-separated. */
  accept?: string;
  /** Files are still uploading or being read: sending waits for them. */
  reading?: boolean;
  /** What went wrong with the last attach or remove. */
  problem?: string | null;
}

/**
 * The question box: Enter sends, Shift+Enter adds a line. While an answer streams, the send
 * button becomes a stop button. With `attachments`, files can be attached by the paperclip
 * button or dropped on the box.
 */
export function Composer({
  onSend,
  onStop,
  streaming,
  disabled = false,
  disabledReason,
  placeholder = "Ask a question…",
  footer,
  autoFocus = false,
  attachments,
}: {
  onSend: (content: string) => void;
  onStop: () => void;
  streaming: boolean;
  disabled?: boolean;
  /** Said under the box when it is disabled: what to do to be able to ask. */
  disabledReason?: ReactNode;
  placeholder?: string;
  /** Left of the send button, e.g. the agent picker. */
  footer?: ReactNode;
  autoFocus?: boolean;
  attachments?: ComposerAttachments;
}) {
  const [draft, setDraft] = useState("");
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const reading = attachments?.reading ?? false;
  const canSend = !disabled && !streaming && !reading && draft.trim().length > 0;

  const onDragOver = (event: DragEvent) => {
    if (!attachments || !event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    setDragging(true);
  };
  const onDrop = (event: DragEvent) => {
    setDragging(false);
    if (!attachments) return;
    event.preventDefault();
    attachments.onAttach(Array.from(event.dataTransfer.files));
  };

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    if (!canSend) return;
    onSend(draft.trim());
    setDraft("");
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <Stack gap={6}>
      <Paper
        component="form"
        onSubmit={submit}
        withBorder
        radius="lg"
        p={6}
        pl="sm"
        className="composer"
        data-dragging={dragging || undefined}
        onDragOver={onDragOver}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        style={dragging ? { borderColor: "var(--mantine-color-brand-5)", borderStyle: "dashed" } : undefined}
      >
        {attachments?.chips}
        <Textarea
          aria-label="Your question"
          placeholder={placeholder}
          value={draft}
          onChange={(event) => setDraft(event.currentTarget.value)}
          onKeyDown={onKeyDown}
          autosize
          minRows={1}
          maxRows={8}
          variant="unstyled"
          disabled={disabled}
          autoFocus={autoFocus}
          styles={{ input: { fontSize: "var(--mantine-font-size-sm)", paddingTop: 6, paddingBottom: 6 } }}
        />
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            {attachments && (
              <>
                <Tooltip label={attachments.hint} multiline maw={300}>
                  <ActionIcon
                    size={30}
                    radius="xl"
                    variant="subtle"
                    color="gray"
                    aria-label="Attach files"
                    disabled={disabled || streaming}
                    onClick={() => picker.current?.click()}
                  >
                    <IconPaperclip size={17} />
                  </ActionIcon>
                </Tooltip>
                <input
                  ref={picker}
                  type="file"
                  multiple
                  hidden
                  accept={attachments.accept}
                  data-testid="attach-input"
                  onChange={(event) => {
                    const files = Array.from(event.currentTarget.files ?? []);
                    event.currentTarget.value = "";
                    attachments.onAttach(files);
                  }}
                />
              </>
            )}
            <div style={{ minWidth: 0 }}>{footer}</div>
          </Group>
          {streaming ? (
            <Tooltip label="Stop answering">
              <ActionIcon size={32} radius="xl" variant="filled" color="dark" onClick={onStop} aria-label="Stop answering">
                <IconPlayerStopFilled size={14} />
              </ActionIcon>
            </Tooltip>
          ) : (
            <Tooltip label={reading ? "Wait until the attached files are read" : "Send (Enter)"}>
              <ActionIcon type="submit" size={32} radius="xl" variant="filled" disabled={!canSend} aria-label="Send question">
                <IconArrowUp size={17} stroke={2.2} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      </Paper>
      {attachments?.problem ? (
        <Text size="xs" c="red" px={4} role="alert">
          {attachments.problem}
        </Text>
      ) : disabled && disabledReason ? (
        <Text size="xs" c="dimmed" px={4}>
          {disabledReason}
        </Text>
      ) : (
        <Text size="xs" c="dimmed" px={4} visibleFrom="sm">
          Enter to send · Shift+Enter for a new line · answers cite their sources
        </Text>
      )}
    </Stack>
  );
}
