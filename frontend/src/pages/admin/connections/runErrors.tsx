import { Code, Group, Stack, Text } from "@mantine/core";
import { IconAlertTriangle } from "@tabler/icons-react";
import type { SyncRun } from "../../../api/client";
import { isActiveRun } from "../../../api/connections";
import { plural } from "../../../lib/format";

export interface ItemError {
  external_id: string;
  title: string;
  code: string;
  message: string;
}

/** The run's per-item failures, as the engine records them ({external_id, title, code, message}). */
export function itemErrors(run: SyncRun): ItemError[] {
  return run.errors.map((error) => ({
    external_id: String(error.external_id ?? ""),
    title: String(error.title ?? ""),
    code: String(error.code ?? ""),
    message: String(error.message ?? ""),
  }));
}

/** A run's error (why it failed, or why it is retrying) with its code. */
export function RunErrorMessage({ run }: { run: SyncRun }) {
  if (!run.error_message && !run.error_code) return null;
  const retrying = isActiveRun(run);
  return (
    <Text
      size="xs"
      c={retrying ? "orange.8" : "red.7"}
      style={{ overflowWrap: "anywhere" }}
      data-testid={`run-error-${run.id}`}
    >
      {run.error_message || "The sync stopped with an error."}
      {run.error_code && (
        <>
          {" "}
          <Code
            fz={11}
            c="inherit"
            bg={retrying ? "var(--mantine-color-orange-light)" : "var(--mantine-color-red-light)"}
          >
            {run.error_code}
          </Code>
        </>
      )}
    </Text>
  );
}

/** The documents a run could not sync, each with the source's reason. */
export function ItemErrorList({ run, id }: { run: SyncRun; id?: string }) {
  const errors = itemErrors(run);
  const hidden = run.documents_failed - errors.length;
  return (
    <Stack gap={6}>
      <ul className="item-errors" id={id} aria-label="Documents that failed in this sync">
        {errors.map((error, index) => (
          <li key={`${error.external_id}-${index}`}>
            <Group gap={6} wrap="nowrap" align="flex-start">
              <IconAlertTriangle
                size={14}
                color="var(--mantine-color-red-6)"
                style={{ flexShrink: 0, marginTop: 3 }}
                aria-hidden
              />
              <div style={{ minWidth: 0 }}>
                <Text size="sm" fw={600} style={{ overflowWrap: "anywhere" }}>
                  {error.title || error.external_id || "Unknown item"}
                </Text>
                <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
                  {error.message || "The source did not say why."}
                  {error.code && (
                    <>
                      {" "}
                      <Code fz={11}>{error.code}</Code>
                    </>
                  )}
                </Text>
                {error.title && error.external_id && (
                  <Text size="xs" c="dimmed" className="mono" fz={11}>
                    {error.external_id}
                  </Text>
                )}
              </div>
            </Group>
          </li>
        ))}
      </ul>
      {hidden > 0 && (
        <Text size="xs" c="dimmed">
          {plural(hidden, "earlier failure")} not listed: only the latest are kept.
        </Text>
      )}
    </Stack>
  );
}

/** The list page's "last sync" cell: progress while a run is active, else its time and result. */
