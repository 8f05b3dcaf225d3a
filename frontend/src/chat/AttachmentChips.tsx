import { ActionIcon, Group, Loader, Paper, Text, Tooltip } from "@mantine/core";
import { IconAlertTriangle, IconCheck, IconFile, IconX } from "@tabler/icons-react";
import type { AttachmentItem } from "./useAttachments";

function StatusIcon({ item }: { item: AttachmentItem }) {
  if (item.status === "failed") return <IconAlertTriangle size={14} color="var(--mantine-color-red-6)" aria-hidden />;
  if (item.status === "ready") return <IconCheck size={14} color="var(--mantine-color-teal-6)" aria-hidden />;
  return <Loader size={12} aria-hidden />;
}

const STATUS_WORDS: Record<AttachmentItem["status"], string> = {
  uploading: "uploading",
  queued: "being read",
  ready: "ready",
  failed: "failed",
};

/** The files attached to the question being written: name, status (with the reason it failed) and remove. */
export function AttachmentChips({ items, onRemove }: { items: AttachmentItem[]; onRemove: (item: AttachmentItem) => void }) {
  if (items.length === 0) return null;
  return (
    <Group gap={6} px={4} pt={4} role="list" aria-label="Attached files">
      {items.map((item) => {
        const label = `${item.filename}: ${STATUS_WORDS[item.status]}${item.errorMessage ? ` (${item.errorMessage})` : ""}`;
        return (
          <Tooltip key={item.key} label={item.errorMessage || STATUS_WORDS[item.status]} multiline maw={320}>
            <Paper
              role="listitem"
              aria-label={label}
              withBorder
              radius="xl"
              px={10}
              py={3}
              className="attachment-chip"
              data-status={item.status}
              style={item.status === "failed" ? { borderColor: "var(--mantine-color-red-4)" } : undefined}
            >
              <Group gap={6} wrap="nowrap">
                <IconFile size={14} aria-hidden />
                <Text size="xs" maw={180} truncate>
                  {item.filename}
                </Text>
                <StatusIcon item={item} />
                {item.status !== "uploading" && (
                  <ActionIcon
                    size={18}
                    radius="xl"
                    variant="subtle"
                    color="gray"
                    aria-label={`Remove ${item.filename}`}
                    onClick={() => onRemove(item)}
                  >
                    <IconX size={12} />
                  </ActionIcon>
                )}
              </Group>
            </Paper>
          </Tooltip>
        );
      })}
    </Group>
  );
}
