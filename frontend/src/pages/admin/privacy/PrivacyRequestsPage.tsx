import { Anchor, Badge, Button, Group, Paper, Progress, Select, Stack, Text } from "@mantine/core";
import { IconDownload, IconFileExport, IconShieldLock, IconTrash } from "@tabler/icons-react";
import { useState } from "react";
import type { Member } from "../../../api/client";
import { useMembers } from "../../../api/members";
import {
  archiveUrl,
  type PrivacyRequest,
  type PrivacyRequestKind,
  usePrivacyRequests,
  useRequestPrivacyAction,
} from "../../../api/privacy";
import { useCurrentWorkspace } from "../../../auth/WorkspaceContext";
import { PageHeader } from "../../../components/PageHeader";
import { QueryTable, type Column } from "../../../components/DataTable";
import { EmptyState } from "../../../components/states";
import { formatDateTime } from "../../../lib/format";
import { notifyError, notifySuccess } from "../../../lib/notify";
import { EraseConfirmModal } from "./EraseConfirmModal";

const STATE_COLORS: Record<string, string> = {
  queued: "gray",
  running: "blue",
  done: "teal",
  failed: "red",
};

function RequestResult({ request }: { request: PrivacyRequest }) {
  if (request.state === "failed") {
    return (
      <Text size="xs" c="red">
        {request.error}
      </Text>
    );
  }
  const documents = (request.result.documents_to_exclude_at_source ?? []) as { id: number; title: string }[];
  if (request.kind === "erase" && request.state === "done") {
    return (
      <Text size="xs" c="dimmed">
        {documents.length
          ? `Exclude at the source: ${documents.map((document) => document.title).join(", ")}`
          : "No synced documents name them."}
      </Text>
    );
  }
  return null;
}

export function PrivacyRequestsPage() {
  const workspace = useCurrentWorkspace();
  const workspaceId = workspace.workspace_id;
  const members = useMembers(workspaceId);
  const requests = usePrivacyRequests(workspaceId);
  const ask = useRequestPrivacyAction(workspaceId);
  const [memberId, setMemberId] = useState<string | null>(null);
  const [erasing, setErasing] = useState<Member | null>(null);
  const selected = members.data?.find((member) => String(member.id) === memberId) ?? null;

  const submit = async (kind: PrivacyRequestKind, member: Member) => {
    await ask.mutateAsync({ kind, memberId: member.id });
    notifySuccess(kind === "export" ? `Exporting ${member.email}'s data.` : `Erasing ${member.email}.`);
  };

  const exportSelected = () => {
    if (selected) submit("export", selected).catch((error: unknown) => notifyError(error));
  };

  const columns: Column<PrivacyRequest>[] = [
    {
      key: "subject",
      header: "Person",
      render: (request) => (
        <>
          <Text size="sm" fw={600}>
            {request.subject}
          </Text>
          <Text size="xs" c="dimmed">
            asked by {request.requested_by ?? "a former member"}, {formatDateTime(request.created_at)}
          </Text>
        </>
      ),
    },
    {
      key: "kind",
      header: "Kind",
      width: 90,
      render: (request) => <Text size="sm">{request.kind === "export" ? "Export" : "Erase"}</Text>,
    },
    {
      key: "state",
      header: "State",
      width: 190,
      render: (request) => (
        <Stack gap={4}>
          <Badge variant="light" color={STATE_COLORS[request.state] ?? "gray"}>
            {request.state}
          </Badge>
          {request.state === "running" && (
            <Progress value={request.progress} size="sm" aria-label={`Progress ${request.progress}%`} />
          )}
        </Stack>
      ),
    },
    { key: "result", header: "Result", render: (request) => <RequestResult request={request} /> },
    {
      key: "archive",
      header: "Archive",
      width: 130,
      render: (request) =>
        request.has_archive && (
          <Anchor href={archiveUrl(workspaceId, request.id)} download size="sm">
            <Group gap={4} wrap="nowrap">
              <IconDownload size={14} /> Download
            </Group>
          </Anchor>
        ),
    },
  ];

  return (
    <>
      <PageHeader
        title="Privacy requests"
        description="Export everything this workspace holds about a member (GDPR article 15), or erase it (article 17). A worker runs each request; the list shows its state."
      />
      <Paper withBorder p="md" mb="lg">
        <Group align="flex-end" gap="sm">
          <Select
            label="Member"
            placeholder="Pick a member"
            searchable
            data={(members.data ?? []).map((member) => ({
              value: String(member.id),
              label: member.full_name ? `${member.full_name} (${member.email})` : member.email,
            }))}
            value={memberId}
            onChange={setMemberId}
            w={340}
          />
          <Button
            leftSection={<IconFileExport size={16} />}
            disabled={!selected}
            loading={ask.isPending && ask.variables?.kind === "export"}
            onClick={exportSelected}
          >
            Export
          </Button>
          <Button
            color="red"
            variant="light"
            leftSection={<IconTrash size={16} />}
            disabled={!selected}
            onClick={() => setErasing(selected)}
          >
            Erase
          </Button>
        </Group>
      </Paper>
      <QueryTable
        query={requests}
        errorTitle="Could not load privacy requests"
        skeletonRows={3}
        empty={
          <EmptyState
            icon={IconShieldLock}
            title="No privacy requests yet"
            description="Pick a member above to export their data or erase them."
          />
        }
        columns={columns}
        rowKey={(request) => request.id}
        minWidth={760}
      />
      <EraseConfirmModal
        member={erasing}
        onClose={() => setErasing(null)}
        onConfirm={async (member) => {
          await submit("erase", member);
          setMemberId(null);
        }}
      />
    </>
  );
}
