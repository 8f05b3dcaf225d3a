import { ActionIcon, Anchor, Code, Group, Pagination, Table, Text, Tooltip, VisuallyHidden } from "@mantine/core";
import { IconTrash } from "@tabler/icons-react";
import type { KnowledgeDocument } from "../../api/client";
import { formatBytes, formatDateTime, formatRelative } from "../../lib/format";
import { DocumentStatusBadge } from "./badges";

/** A failed document's reason and code under its title; the type of the others. */
function DocumentNote({ doc }: { doc: KnowledgeDocument }) {
  if (doc.status === "failed") {
    return (
      <Text size="xs" c="red.7" mt={2} data-testid={`document-error-${doc.id}`}>
        {doc.error_message || "The file could not be read."}
        {doc.error_code && (
          <>
            {" "}
            <Code fz={11} c="red.7" bg="var(--mantine-color-red-light)">
              {doc.error_code}
            </Code>
          </>
        )}
      </Text>
    );
  }
  if (!doc.mime_type) return null;
  return (
    <Text size="xs" c="dimmed" truncate>
      {doc.mime_type}
    </Text>
  );
}

function DocumentRow({
  doc,
  canManage,
  onOpen,
  onDelete,
}: {
  doc: KnowledgeDocument;
  canManage: boolean;
  onOpen: (documentId: number) => void;
  onDelete: (doc: KnowledgeDocument) => void;
}) {
  return (
    <Table.Tr style={{ cursor: "pointer" }} onClick={() => onOpen(doc.id)}>
      <Table.Td>
        <Anchor
          component="button"
          type="button"
          size="sm"
          fw={600}
          c="var(--mantine-color-text)"
          ta="left"
          style={{ overflowWrap: "anywhere" }}
          onClick={(event) => {
            event.stopPropagation();
            onOpen(doc.id);
          }}
        >
          {doc.title || "Untitled"}
        </Anchor>
        <DocumentNote doc={doc} />
      </Table.Td>
      <Table.Td style={{ whiteSpace: "nowrap" }}>
        <DocumentStatusBadge status={doc.status} />
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm" style={{ fontVariantNumeric: "tabular-nums" }}>
          {doc.status === "ready" ? doc.chunk_count : "—"}
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        <Text size="sm" c="dimmed" style={{ whiteSpace: "nowrap" }}>
          {formatBytes(doc.size_bytes)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Tooltip label={formatDateTime(doc.updated_at)}>
          <Text size="sm" c="dimmed" style={{ whiteSpace: "nowrap" }}>
            {formatRelative(doc.updated_at)}
          </Text>
        </Tooltip>
      </Table.Td>
      {canManage && (
        <Table.Td>
          <Tooltip label="Delete document">
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label={`Delete ${doc.title || "document"}`}
              onClick={(event) => {
                event.stopPropagation();
                onDelete(doc);
              }}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Tooltip>
        </Table.Td>
      )}
    </Table.Tr>
  );
}

/** One page of a data source's documents, with the count shown and the page picker. */
export function DocumentsTable({
  items,
  total,
  page,
  pageSize,
  busy,
  stale,
  refreshing,
  canManage,
  onOpen,
  onDelete,
  onPage,
}: {
  items: KnowledgeDocument[];
  total: number;
  page: number;
  pageSize: number;
  /** A read is under way. */
  busy: boolean;
  /** The rows are the previous page's, shown while the asked-for page loads. */
  stale: boolean;
  /** Some document is still being indexed, so the table refreshes itself. */
  refreshing: boolean;
  canManage: boolean;
  onOpen: (documentId: number) => void;
  onDelete: (doc: KnowledgeDocument) => void;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <>
      <div className="table-card" aria-busy={busy}>
        <Table.ScrollContainer minWidth={760}>
          <Table highlightOnHover style={{ opacity: stale ? 0.6 : 1 }}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Document</Table.Th>
                <Table.Th w={130} miw={120}>
                  Status
                </Table.Th>
                <Table.Th w={90} ta="right">
                  Chunks
                </Table.Th>
                <Table.Th w={100} ta="right">
                  Size
                </Table.Th>
                <Table.Th w={150} miw={120}>
                  Updated
                </Table.Th>
                {canManage && (
                  <Table.Th w={56}>
                    <VisuallyHidden>Actions</VisuallyHidden>
                  </Table.Th>
                )}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((doc) => (
                <DocumentRow key={doc.id} doc={doc} canManage={canManage} onOpen={onOpen} onDelete={onDelete} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </div>
      <Group justify="space-between" mt="md">
        <Text size="sm" c="dimmed" aria-live="polite">
          Showing {first}–{last} of {total} {total === 1 ? "document" : "documents"}
          {refreshing && " · refreshing while indexing"}
        </Text>
        {pages > 1 && (
          <Pagination
            total={pages}
            value={Math.min(page, pages)}
            onChange={onPage}
            size="sm"
            getControlProps={(control) => ({
              "aria-label": control === "previous" ? "Previous page" : control === "next" ? "Next page" : control,
            })}
            getItemProps={(item) => ({ "aria-label": `Page ${item}` })}
          />
        )}
      </Group>
    </>
  );
}
