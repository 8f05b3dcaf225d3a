import { Code, Stack, Text, Title } from "@mantine/core";
import { IconListDetails } from "@tabler/icons-react";
import type { AuditEvent } from "../../../api/client";
import { useProvisioningEvents } from "../../../api/scim";
import { QueryTable, type Column } from "../../../components/DataTable";
import { EmptyState } from "../../../components/states";
import { formatDateTime } from "../../../lib/format";

const LABELS: Record<string, string> = {
  "scim.token_created": "Token created",
  "scim.token_revoked": "Token revoked",
  "scim.user_created": "Person provisioned",
  "scim.user_replaced": "Person updated",
  "scim.user_patched": "Person updated",
  "scim.user_deactivated": "Person deactivated",
  "scim.user_reactivated": "Person reactivated",
  "scim.user_deleted": "Person removed",
  "scim.group_created": "Group created",
  "scim.group_replaced": "Group updated",
  "scim.group_patched": "Group updated",
  "scim.group_deleted": "Group deleted",
};

/** Whom or what the event is about: a userName, a group's or token's name. */
export function eventSubject(event: AuditEvent): string {
  const data = event.data as Record<string, unknown>;
  const subject = data.user_name ?? data.name ?? data.email;
  return typeof subject === "string" ? subject : `${event.target_type} ${event.target_id}`;
}

const COLUMNS: Column<AuditEvent>[] = [
  {
    key: "when",
    header: "When",
    width: 190,
    render: (event) => <Text size="sm" c="dimmed">{formatDateTime(event.created_at)}</Text>,
  },
  {
    key: "what",
    header: "Event",
    width: 200,
    render: (event) => <Text size="sm" fw={600}>{LABELS[event.action] ?? event.action}</Text>,
  },
  { key: "subject", header: "Subject", render: (event) => <Text size="sm">{eventSubject(event)}</Text> },
  {
    key: "by",
    header: "By",
    width: 200,
    render: (event) => {
      const token = (event.data as Record<string, unknown>).token;
      return event.actor_email ? (
        <Text size="sm">{event.actor_email}</Text>
      ) : (
        <Code>{typeof token === "string" ? `${token}…` : "SCIM"}</Code>
      );
    },
  },
];

/** The latest provisioning events from the audit log. */
export function ProvisioningEvents({ workspaceId }: { workspaceId: number }) {
  const events = useProvisioningEvents(workspaceId);
  return (
    <Stack gap="sm">
      <Title order={2} size="h4" id="provisioning-events-title">
        Latest provisioning events
      </Title>
      <QueryTable
        query={events}
        errorTitle="Could not load provisioning events"
        skeletonRows={3}
        empty={
          <EmptyState
            icon={IconListDetails}
            title="No provisioning events yet"
            description="When your identity provider creates, updates or deactivates people, it shows here."
          />
        }
        columns={COLUMNS}
        rowKey={(event) => event.id}
        minWidth={700}
        aria-labelledby="provisioning-events-title"
      />
    </Stack>
  );
}
