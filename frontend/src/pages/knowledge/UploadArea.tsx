import { ActionIcon, Alert, Badge, Card, Code, Group, Stack, Text, ThemeIcon, Tooltip } from "@mantine/core";
import { Dropzone, MIME_TYPES, type FileRejection } from "@mantine/dropzone";
import {
  IconAlertTriangle,
  IconCircleCheck,
  IconCloudUpload,
  IconEqual,
  IconFileUpload,
  IconX,
} from "@tabler/icons-react";
import { useState } from "react";
import type { Limits, UploadOutcome } from "../../api/client";
import { useUploadFilesMutation, useUploadLimits } from "../../api/dataSources";
import { errorMessage } from "../../api/errors";
import { formatBytes } from "../../lib/format";

/** What the folder accepts: by type and by extension (browsers often leave .md untyped). */
export const UPLOAD_ACCEPT: Record<string, string[]> = {
  [MIME_TYPES.pdf]: [".pdf"],
  [MIME_TYPES.docx]: [".docx"],
  [MIME_TYPES.pptx]: [".pptx"],
  [MIME_TYPES.xlsx]: [".xlsx"],
  "text/markdown": [".md", ".markdown"],
  "text/html": [".html", ".htm"],
  "text/plain": [".txt"],
  "text/csv": [".csv"],
};

/** One line of the result panel: the API's outcome, or a file the browser did not send. */
export interface UploadRow {
  filename: string;
  status: "queued" | "unchanged" | "failed" | string;
  errorCode: string;
  message: string;
}

export function rowsFromOutcomes(outcomes: UploadOutcome[]): UploadRow[] {
  return outcomes.map((outcome) => ({
    filename: outcome.filename,
    status: outcome.status,
    errorCode: outcome.error_code,
    message: outcome.error_message,
  }));
}

/** Used until (or if) GET /limits answers: the server checks its own limits either way. */
const FALLBACK_MAX_FILES = 50;

export function fileTooLargeMessage(size: number, limit: number): string {
  return (
    `This file is ${formatBytes(size)}; one upload may be at most ${formatBytes(limit)}. ` +
    "Split or compress it, then upload it again. It was not uploaded."
  );
}

export function tooManyFilesMessage(limit: number): string {
  return `Too many files at once: upload at most ${limit} at a time. None of these were uploaded.`;
}

/** The browser's refusals, said the way the API says its own (what happened, what to do). */
function rowsFromRejections(rejections: FileRejection[], limits: Limits | undefined): UploadRow[] {
  return rejections.map(({ file, errors }) => {
    const code = errors[0]?.code;
    if (code === "file-invalid-type") {
      return {
        filename: file.name,
        status: "failed",
        errorCode: "unsupported_type",
        message: "This type of file is not supported. Upload PDF, DOCX, PPTX, XLSX, Markdown, HTML or text.",
      };
    }
    if (code === "file-too-large" && limits) {
      return {
        filename: file.name,
        status: "failed",
        errorCode: "file_too_large",
        message: fileTooLargeMessage(file.size, limits.max_upload_bytes),
      };
    }
    if (code === "too-many-files") {
      return {
        filename: file.name,
        status: "failed",
        errorCode: "too_many_files",
        message: tooManyFilesMessage(limits?.max_upload_files ?? FALLBACK_MAX_FILES),
      };
    }
    return {
      filename: file.name,
      status: "failed",
      errorCode: code ?? "rejected",
      message: errors[0]?.message ?? "The file was not uploaded.",
    };
  });
}

/**
 * What the browser lets through: the known types, plus any extension the server's parser also
 * reads (GET /limits lists them). The extras ride on an existing key, so they add no new MIME
 * type: react-dropzone accepts a file whose type or extension matches any entry.
 */
export function acceptFor(limits: Limits | undefined): Record<string, string[]> {
  if (!limits) return UPLOAD_ACCEPT;
  const known = new Set(Object.values(UPLOAD_ACCEPT).flat());
  const extra = limits.accepted_extensions.filter((ext) => ext.startsWith(".") && !known.has(ext));
  if (!extra.length) return UPLOAD_ACCEPT;
  return { ...UPLOAD_ACCEPT, "text/plain": [...UPLOAD_ACCEPT["text/plain"], ...extra] };
}

/** "Up to 25 MB a file and 50 files at a time. Accepted: .pdf, .docx, ...". */
export function limitsSentence(limits: Limits): string {
  const types = limits.accepted_extensions.length
    ? ` Accepted: ${limits.accepted_extensions.join(", ")}.`
    : "";
  return `Up to ${formatBytes(limits.max_upload_bytes)} a file and ${limits.max_upload_files} files at a time.${types}`;
}

const STATUS_META: Record<string, { label: string; color: string; icon: typeof IconCircleCheck }> = {
  queued: { label: "Queued", color: "teal", icon: IconCircleCheck },
  unchanged: { label: "Unchanged", color: "gray", icon: IconEqual },
  failed: { label: "Failed", color: "red", icon: IconAlertTriangle },
};

export function UploadResultPanel({ rows, onDismiss }: { rows: UploadRow[]; onDismiss?: () => void }) {
  const failed = rows.filter((row) => row.status === "failed").length;
  const queued = rows.filter((row) => row.status === "queued").length;
  const unchanged = rows.filter((row) => row.status === "unchanged").length;
  const summary = [
    queued && `${queued} queued for indexing`,
    unchanged && `${unchanged} unchanged`,
    failed && `${failed} failed`,
  ]
    .filter(Boolean)
    .join(" · ");

  return (
    <Card p={0} mt="sm" role="region" aria-label="Upload results">
      <Group
        justify="space-between"
        px="md"
        py="xs"
        bg={failed ? "var(--mantine-color-red-light)" : "var(--mantine-color-teal-light)"}
        wrap="nowrap"
      >
        <Text size="sm" fw={600}>
          {rows.length === 1 ? "1 file" : `${rows.length} files`}: {summary}
        </Text>
        {onDismiss && (
          <Tooltip label="Dismiss">
            <ActionIcon variant="subtle" color="gray" size="sm" aria-label="Dismiss upload results" onClick={onDismiss}>
              <IconX size={14} />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
      <Stack gap={0}>
        {rows.map((row, index) => {
          const meta = STATUS_META[row.status] ?? { label: row.status, color: "gray", icon: IconFileUpload };
          return (
            <Group
              key={`${row.filename}-${index}`}
              px="md"
              py="xs"
              gap="sm"
              wrap="nowrap"
              align="flex-start"
              style={{ borderTop: "1px solid var(--app-border)" }}
            >
              <ThemeIcon variant="light" color={meta.color} size={24} radius="xl" mt={2} aria-hidden>
                <meta.icon size={14} />
              </ThemeIcon>
              <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                <Text size="sm" fw={500} truncate>
                  {row.filename}
                </Text>
                {row.status === "failed" && (
                  <Text size="xs" c="red.7">
                    {row.message || "The file could not be read."}
                    {row.errorCode && (
                      <>
                        {" "}
                        <Code fz={11} c="red.7" bg="var(--mantine-color-red-light)">
                          {row.errorCode}
                        </Code>
                      </>
                    )}
                  </Text>
                )}
                {row.status === "unchanged" && (
                  <Text size="xs" c="dimmed">
                    Same content as the copy already here; nothing to re-index.
                  </Text>
                )}
              </Stack>
              <Badge variant="light" color={meta.color}>
                {meta.label}
              </Badge>
            </Group>
          );
        })}
      </Stack>
    </Card>
  );
}

export function UploadArea({
  workspaceId,
  dataSourceId,
  onUploaded,
}: {
  workspaceId: number;
  dataSourceId: number;
  onUploaded?: () => void;
}) {
  const [rows, setRows] = useState<UploadRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const limits = useUploadLimits().data;
  // The mutation also reads the folder's documents and the sources' counts again.
  const { mutateAsync: send, isPending: busy } = useUploadFilesMutation(workspaceId, dataSourceId);

  const upload = async (files: File[], rejected: UploadRow[]) => {
    setError(null);
    if (!files.length) {
      setRows(rejected.length ? rejected : null);
      return;
    }
    try {
      const result = await send(files);
      setRows([...rowsFromOutcomes(result.files), ...rejected]);
      onUploaded?.();
    } catch (reason) {
      setRows(rejected.length ? rejected : null);
      setError(reason);
    }
  };

  return (
    <div>
      <Dropzone
        onDropAny={(accepted, rejections) => void upload(accepted, rowsFromRejections(rejections, limits))}
        onDrop={() => {}}
        accept={acceptFor(limits)}
        multiple
        maxFiles={limits?.max_upload_files ?? FALLBACK_MAX_FILES}
        maxSize={limits?.max_upload_bytes}
        loading={busy}
        radius="lg"
        aria-label="Upload files"
        inputProps={{ "aria-label": "Choose files to upload" }}
        style={{ borderWidth: 1.5, background: "var(--app-surface)" }}
      >
        <Group justify="center" gap="lg" mih={110} style={{ pointerEvents: "none" }} wrap="nowrap">
          <Dropzone.Accept>
            <IconFileUpload size={40} stroke={1.5} color="var(--mantine-color-brand-6)" />
          </Dropzone.Accept>
          <Dropzone.Reject>
            <IconX size={40} stroke={1.5} color="var(--mantine-color-red-6)" />
          </Dropzone.Reject>
          <Dropzone.Idle>
            <IconCloudUpload size={40} stroke={1.5} color="var(--mantine-color-dimmed)" />
          </Dropzone.Idle>
          <div>
            <Text fw={600}>Drop files here or click to choose</Text>
            <Text size="sm" c="dimmed" mt={4}>
              PDF, Word (DOCX), PowerPoint (PPTX), Excel (XLSX), Markdown, HTML or text. A file with
              the name of an earlier upload replaces it.
            </Text>
            <Text size="xs" c="dimmed" mt={4} data-testid="upload-limits">
              {limits ? limitsSentence(limits) : `Up to ${FALLBACK_MAX_FILES} files at a time.`} Files
              are read in the background: one that is too big once unpacked shows as failed, with
              the reason.
            </Text>
          </div>
        </Group>
      </Dropzone>
      {error != null && (
        <Alert
          mt="sm"
          color="red"
          variant="light"
          role="alert"
          title="The upload did not go through"
          icon={<IconAlertTriangle size={18} />}
          withCloseButton
          onClose={() => setError(null)}
        >
          {errorMessage(error)}
        </Alert>
      )}
      {rows && <UploadResultPanel rows={rows} onDismiss={() => setRows(null)} />}
    </div>
  );
}
