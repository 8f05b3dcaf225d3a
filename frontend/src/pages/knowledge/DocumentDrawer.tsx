import {
  Alert,
  Anchor,
  Blockquote,
  Button,
  Code,
  Drawer,
  Group,
  ScrollArea,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { IconAlertTriangle, IconExternalLink, IconRefresh } from "@tabler/icons-react";
import type { ReactNode } from "react";
import { useDocument, useResyncDocumentMutation } from "../../api/documents";
import { useWorkspace } from "../../auth/WorkspaceContext";
import { ErrorState, PageLoader } from "../../components/states";
import { formatBytes, formatDateTime } from "../../lib/format";
import { notifyError, notifySuccess } from "../../lib/notify";
import { DocumentStatusBadge } from "./badges";

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div style={{ minWidth: 0 }}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: "0.04em" }}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ overflowWrap: "anywhere" }}>
        {children}
      </Text>
    </div>
  );
}

/**
 * A document with its metadata and full text; opens from a documents table, a search hit, or
 * an answer's citation (then the cited passage comes first).
 */
export function DocumentDrawer({
  workspaceId,
  documentId,
  cited,
  onClose,
}: {
  workspaceId: number;
  documentId: number | null;
  /** The passage an answer cited from this document, as the answer saw it. */
  cited?: { number: number; passage: string };
  onClose: () => void;
}) {
  const document = useDocument(workspaceId, documentId);
  const doc = document.data?.id === documentId ? document.data : undefined;
  const { isAdmin } = useWorkspace();
  const resync = useResyncDocumentMutation(workspaceId);
  const resyncDocument = (id: number) =>
    resync.mutate(id, {
      onSuccess: () =>
        notifySuccess("Queued: this document is read again from its source. Reopen it in a moment to see the result."),
      onError: (error) => notifyError(error, "The resync did not start"),
    });

  let body;
  if (document.error != null) {
    body = <ErrorState error={document.error} onRetry={() => void document.refetch()} title="Could not open this document" />;
  } else if (!doc) {
    body = <PageLoader label="Loading document" />;
  } else {
    body = (
      <Stack gap="md">
        <Group gap="sm" align="flex-start" wrap="nowrap">
          <Title order={2} style={{ flex: 1, overflowWrap: "anywhere" }}>
            {doc.title || "Untitled"}
          </Title>
          <DocumentStatusBadge status={doc.status} />
        </Group>
        {isAdmin && (
          <Group gap="sm">
            <Button
              size="xs"
              variant="default"
              leftSection={<IconRefresh size={14} />}
              loading={resync.isPending}
              onClick={() => resyncDocument(doc.id)}
            >
              Resync from source
            </Button>
            <Text size="xs" c="dimmed">
              Reads just this document again; if it is gone at the source, it is removed here.
            </Text>
          </Group>
        )}
        {doc.status === "failed" && (
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title="Could not be indexed">
            {doc.error_message || "The file could not be read."}{" "}
            {doc.error_code && <Code>{doc.error_code}</Code>}
          </Alert>
        )}
        {cited && (
          <div>
            <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={6} style={{ letterSpacing: "0.04em" }}>
              Cited passage [{cited.number}]
            </Text>
            <Blockquote
              color="brand"
              p="sm"
              radius="md"
              aria-label="Cited passage"
              styles={{ root: { whiteSpace: "pre-wrap", fontSize: "var(--mantine-font-size-sm)", overflowWrap: "anywhere" } }}
            >
              {cited.passage}
            </Blockquote>
          </div>
        )}
        <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="md" verticalSpacing="sm">
          <Field label="Type">{doc.mime_type || "—"}</Field>
          <Field label="Size">{formatBytes(doc.size_bytes)}</Field>
          <Field label="Chunks">{doc.chunk_count}</Field>
          <Field label="Created at source">{formatDateTime(doc.source_created_at)}</Field>
          <Field label="Updated at source">{formatDateTime(doc.source_updated_at)}</Field>
          <Field label="Indexed copy updated">{formatDateTime(doc.updated_at)}</Field>
          <Field label="External id">
            <Text span size="xs" className="mono">
              {doc.external_id}
            </Text>
          </Field>
          {doc.url && (
            <Field label="Original">
              <Anchor href={doc.url} target="_blank" rel="noreferrer" size="sm">
                Open <IconExternalLink size={12} style={{ verticalAlign: "-1px" }} />
              </Anchor>
            </Field>
          )}
        </SimpleGrid>
        <div>
          <Text size="xs" c="dimmed" fw={600} tt="uppercase" mb={6} style={{ letterSpacing: "0.04em" }}>
            Text
          </Text>
          {doc.text ? (
            <ScrollArea.Autosize
              mah="calc(100vh - 380px)"
              type="auto"
              className="document-text"
              aria-label="Document text"
            >
              <pre className="document-text-body">{doc.text}</pre>
            </ScrollArea.Autosize>
          ) : (
            <Text size="sm" c="dimmed">
              No text was extracted from this document.
            </Text>
          )}
        </div>
      </Stack>
    );
  }

  return (
    <Drawer
      opened={documentId != null}
      onClose={onClose}
      position="right"
      size="xl"
      title={<Text fw={650}>Document</Text>}
    >
      {body}
    </Drawer>
  );
}
