import { ActionIcon, Group, Paper, Stack, Text, Textarea, Tooltip } from "@mantine/core";
import { IconArrowUp, IconPlayerStopFilled } from "@tabler/icons-react";
import { useState, type FormEvent, type KeyboardEvent, type ReactNode } from "react";

/**
 * The question box: Enter sends, Shift+Enter adds a line. While an answer streams, the send
 * button becomes a stop button.
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
}) {
  const [draft, setDraft] = useState("");
  const canSend = !disabled && !streaming && draft.trim().length > 0;

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
      <Paper component="form" onSubmit={submit} withBorder radius="lg" p={6} pl="sm" className="composer">
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
          <div style={{ minWidth: 0 }}>{footer}</div>
          {streaming ? (
            <Tooltip label="Stop answering">
              <ActionIcon size={32} radius="xl" variant="filled" color="dark" onClick={onStop} aria-label="Stop answering">
                <IconPlayerStopFilled size={14} />
              </ActionIcon>
            </Tooltip>
          ) : (
            <Tooltip label="Send (Enter)">
              <ActionIcon type="submit" size={32} radius="xl" variant="filled" disabled={!canSend} aria-label="Send question">
                <IconArrowUp size={17} stroke={2.2} />
              </ActionIcon>
            </Tooltip>
          )}
        </Group>
      </Paper>
      {disabled && disabledReason ? (
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
