import { Alert, Loader, Stack, Text } from "@mantine/core";
import { IconEye } from "@tabler/icons-react";
import type { UseQueryResult } from "@tanstack/react-query";
import type { AccessPreview } from "../../api/accessPreview";
import { errorMessage } from "../../api/errors";

function count(n: number, one: string, many: string) {
  return `${n} ${n === 1 ? one : many}`;
}

function examples(documents: string[], people: string[], total: number) {
  if (!documents.length) return null;
  const more = total > documents.length ? ", …" : "";
  return (
    <Text size="xs" c="dimmed">
      For example {documents.join(", ")}
      {more}
      {people.length ? ` (${people.join(", ")})` : ""}
    </Text>
  );
}

/** The access preview of a change the admin is about to confirm: who gains and who loses what. */
export function AccessPreviewNote({ preview }: { preview: UseQueryResult<AccessPreview> }) {
  if (preview.isPending && preview.fetchStatus === "idle") return null;
  if (preview.error != null) {
    return (
      <Text size="sm" c="dimmed" role="status">
        Could not preview who this changes: {errorMessage(preview.error)}
      </Text>
    );
  }
  if (!preview.data) {
    return (
      <Text size="sm" c="dimmed" role="status">
        <Loader size={12} mr={6} /> Checking who this changes…
      </Text>
    );
  }
  const p = preview.data;
  const unchanged = p.documents_gained === 0 && p.documents_lost === 0;
  return (
    <Alert
      variant="light"
      color={p.documents_lost > 0 ? "orange" : unchanged ? "gray" : "brand"}
      icon={<IconEye size={16} />}
      role="status"
      aria-label="Access preview"
    >
      <Stack gap={4}>
        {p.documents_gained > 0 && (
          <>
            <Text size="sm">
              This makes <b>{count(p.documents_gained, "document", "documents")}</b> visible to{" "}
              <b>{count(p.people_gained, "more person", "more people")}</b>.
            </Text>
            {examples(p.example_documents_gained, p.example_people_gained, p.documents_gained)}
          </>
        )}
        {p.documents_lost > 0 && (
          <>
            <Text size="sm">
              <b>{count(p.documents_lost, "document", "documents")}</b> will no longer be visible to{" "}
              <b>{count(p.people_lost, "person", "people")}</b>.
            </Text>
            {examples(p.example_documents_lost, p.example_people_lost, p.documents_lost)}
          </>
        )}
        {unchanged && <Text size="sm">No one gains or loses access to any document.</Text>}
        {p.additions_known_after_sync && (
          <Text size="xs" c="dimmed">
            What the widened selection adds is known only once the next sync lists it.
          </Text>
        )}
      </Stack>
    </Alert>
  );
}
