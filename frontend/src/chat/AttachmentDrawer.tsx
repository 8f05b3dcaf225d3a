import { Alert, Blockquote, Drawer, ScrollArea, Stack, Text, Title } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import { useAttachment } from "../api/attachments";
import { ErrorState, PageLoader } from "../components/states";
import { formatBytes } from "../lib/format";

/** A file attached to the conversation, with its text; opens from an answer's citation of it. */
export function AttachmentDrawer({
  workspaceId,
  conversationId,
  attachmentId,
  cited,
  onClose,
}: {
  workspaceId: number;
  conversationId: number | null;
  attachmentId: number | null;
  /** The passage the answer cited from this file, as the answer saw it. */
  cited?: { number: number; passage: string };
  onClose: () => void;
}) {
  const attachment = useAttachment(workspaceId, conversationId, attachmentId);
  const file = attachment.data?.id === attachmentId ? attachment.data : undefined;

  let body;
  if (attachment.error != null) {
    body = <ErrorState error={attachment.error} onRetry={() => void attachment.refetch()} title="Could not open this file" />;
  } else if (!file) {
    body = <PageLoader label="Loading the attached file" />;
  } else {
    body = (
      <Stack gap="md">
        <div>
          <Title order={2} style={{ overflowWrap: "anywhere" }}>
            {file.title || file.filename}
          </Title>
          <Text size="sm" c="dimmed">
            Attached to this conversation · {file.filename} · {formatBytes(file.size_bytes)}
          </Text>
        </div>
        {file.status === "failed" && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="Could not be read">
            {file.error_message || "The file could not be read."}
          </Alert>
        )}
        {cited && (
          <Blockquote color="brand" p="sm" radius="md" aria-label="Cited passage" styles={{ root: { whiteSpace: "pre-wrap" } }}>
            <Text size="xs" c="dimmed" fw={600} mb={4}>
              Cited passage [{cited.number}]
            </Text>
            {cited.passage}
          </Blockquote>
        )}
        {file.text ? (
          <ScrollArea.Autosize mah="calc(100vh - 320px)" type="auto" className="document-text" aria-label="File text">
            <pre className="document-text-body">{file.text}</pre>
          </ScrollArea.Autosize>
        ) : (
          <Text size="sm" c="dimmed">
            No text was read from this file.
          </Text>
        )}
      </Stack>
    );
  }

  return (
    <Drawer opened={attachmentId != null} onClose={onClose} position="right" size="xl" title={<Text fw={650}>Attached file</Text>}>
      {body}
    </Drawer>
  );
}
