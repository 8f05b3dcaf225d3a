import {
  Autocomplete,
  Badge,
  Button,
  Card,
  Code,
  Group,
  Pagination,
  SimpleGrid,
  Text,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import { IconCalendar, IconFilter, IconListDetails, IconX } from "@tabler/icons-react";
import { useState, type FormEvent } from "react";
import { useSearchParams } from "react-router-dom";
import { useAuditEvents } from "../../../api/audit";
import type { AuditEvent } from "../../../api/client";
import { useCurrentWorkspace } from "../../../auth/WorkspaceContext";
import { DataTable, type Column } from "../../../components/DataTable";
import { PageHeader } from "../../../components/PageHeader";
import { EmptyState, ErrorState, TableSkeleton } from "../../../components/states";
import { formatDateTime, formatRelative } from "../../../lib/format";
import {
  ACTION_SUGGESTIONS,
  buildAuditQuery,
  EMPTY_FILTERS,
  filtersFromSearch,
  filtersToSearch,
  hasFilters,
  PAGE_SIZE,
  TARGET_TYPE_SUGGESTIONS,
  type AuditFilters,
} from "./auditQuery";

const ACTION_COLORS: Record<string, string> = {
  member: "blue",
  group: "grape",
  space: "orange",
  api_token: "cyan",
  workspace: "teal",
};

function actionColor(action: string): string {
  const kind = action.split(".")[0];
  if (/(removed|deleted|revoked)$/.test(action)) return "red";
  return ACTION_COLORS[kind] ?? "gray";
}

function EventData({ data }: { data: AuditEvent["data"] }) {
  const entries = Object.entries(data ?? {});
  if (!entries.length) return <Text size="sm" c="dimmed">—</Text>;
  return (
    <Group gap={6}>
      {entries.map(([key, value]) => (
        <Text key={key} size="xs" className="mono" c="dimmed" style={{ whiteSpace: "nowrap" }}>
          <Text span inherit c="var(--mantine-color-text)" fw={500}>
            {key}
          </Text>
          ={typeof value === "string" ? value : JSON.stringify(value)}
        </Text>
      ))}
    </Group>
  );
}

export function AuditFiltersForm({
  initial,
  onApply,
}: {
  initial: AuditFilters;
  onApply: (filters: AuditFilters) => void;
}) {
  const [draft, setDraft] = useState<AuditFilters>(initial);
  const set = <K extends keyof AuditFilters>(key: K, value: AuditFilters[K]) =>
    setDraft((current) => ({ ...current, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onApply(draft);
  };

  const clear = () => {
    setDraft(EMPTY_FILTERS);
    onApply(EMPTY_FILTERS);
  };

  return (
    <Card p="md" mb="md" component="form" onSubmit={submit} aria-label="Filter audit events">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} spacing="sm">
        <Autocomplete
          label="Action"
          placeholder="e.g. space. or member.invited"
          data={ACTION_SUGGESTIONS}
          value={draft.action}
          onChange={(value) => set("action", value)}
          description="End with a dot to match a whole kind"
        />
        <TextInput
          label="Actor email"
          placeholder="someone@company.com"
          type="email"
          value={draft.actorEmail}
          onChange={(event) => set("actorEmail", event.currentTarget.value)}
          description="Who made the change"
        />
        <Autocomplete
          label="Target type"
          placeholder="e.g. space"
          data={TARGET_TYPE_SUGGESTIONS}
          value={draft.targetType}
          onChange={(value) => set("targetType", value)}
          description="What was changed"
        />
        <DatePickerInput
          type="range"
          label="Date range"
          placeholder="Any time"
          value={[draft.from, draft.to]}
          onChange={([from, to]) =>
            setDraft((current) => ({
              ...current,
              from: from ? String(from).slice(0, 10) : null,
              to: to ? String(to).slice(0, 10) : null,
            }))
          }
          clearable
          allowSingleDateInRange
          leftSection={<IconCalendar size={16} />}
          description="Both days included"
          valueFormat="MMM D, YYYY"
        />
      </SimpleGrid>
      <Group justify="flex-end" gap="sm" mt="md">
        <Button variant="subtle" color="gray" leftSection={<IconX size={14} />} onClick={clear}>
          Clear filters
        </Button>
        <Button type="submit" leftSection={<IconFilter size={14} />}>
          Apply filters
        </Button>
      </Group>
    </Card>
  );
}

const AUDIT_COLUMNS: Column<AuditEvent>[] = [
  {
    key: "when",
    header: "When",
    width: 180,
    render: (event) => (
      <Tooltip label={formatRelative(event.created_at)}>
        <Text size="sm" style={{ whiteSpace: "nowrap" }}>
          {formatDateTime(event.created_at)}
        </Text>
      </Tooltip>
    ),
  },
  {
    key: "action",
    header: "Action",
    width: 220,
    render: (event) => (
      <Badge variant="light" color={actionColor(event.action)} tt="none" className="mono" fw={500}>
        {event.action}
      </Badge>
    ),
  },
  {
    key: "actor",
    header: "Actor",
    width: 200,
    render: (event) => (
      <Text size="sm" truncate>
        {event.actor_email || "system"}
      </Text>
    ),
  },
  {
    key: "target",
    header: "Target",
    width: 150,
    render: (event) => (
      <Text size="sm">
        {event.target_type} <Code>#{event.target_id}</Code>
      </Text>
    ),
  },
  { key: "details", header: "Details", render: (event) => <EventData data={event.data} /> },
];

export function AuditPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const [search, setSearch] = useSearchParams();
  const { filters, page } = filtersFromSearch(search);
  const query = buildAuditQuery(filters, page);

  const events = useAuditEvents(workspaceId, query);

  const apply = (next: AuditFilters, nextPage = 1) => setSearch(filtersToSearch(next, nextPage));

  const total = events.data?.count ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const first = total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  const last = Math.min(total, page * PAGE_SIZE);

  let body;
  if (events.error != null) {
    body = <ErrorState error={events.error} onRetry={() => void events.refetch()} title="Could not load the audit log" />;
  } else if (!events.data) {
    body = <TableSkeleton rows={6} columns={5} />;
  } else if (events.data.items.length === 0) {
    body = (
      <EmptyState
        icon={IconListDetails}
        title={hasFilters(filters) ? "No events match these filters" : "No events yet"}
        description={
          hasFilters(filters)
            ? "Widen the date range or clear a filter."
            : "Changes to members, groups, spaces and tokens are recorded here."
        }
        action={
          hasFilters(filters) ? (
            <Button variant="light" onClick={() => apply(EMPTY_FILTERS)}>
              Clear filters
            </Button>
          ) : undefined
        }
      />
    );
  } else {
    body = (
      <>
        <DataTable
          rows={events.data.items}
          columns={AUDIT_COLUMNS}
          rowKey={(event) => event.id}
          minWidth={860}
          busy={events.isFetching}
          dimWhenBusy
        />
        <Group justify="space-between" mt="md">
          <Text size="sm" c="dimmed" aria-live="polite">
            Showing {first}–{last} of {total} {total === 1 ? "event" : "events"}
          </Text>
          {pages > 1 && (
            <Pagination
              total={pages}
              value={Math.min(page, pages)}
              onChange={(next) => apply(filters, next)}
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

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change to access and configuration in this workspace, newest first."
      />
      <AuditFiltersForm key={search.toString()} initial={filters} onApply={(next) => apply(next)} />
      {body}
    </>
  );
}
