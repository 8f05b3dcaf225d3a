import { Badge, Button, Group, Text, Title } from "@mantine/core";
import { IconLock } from "@tabler/icons-react";
import { useState } from "react";
import { type LegalHold, useLegalHolds, useReleaseLegalHoldMutation } from "../../../api/retention";
import { ConfirmModal } from "../../../components/ConfirmModal";
import { QueryTable, type Column } from "../../../components/DataTable";
import { EmptyState } from "../../../components/states";
import { formatDateTime } from "../../../lib/format";
import { notifySuccess } from "../../../lib/notify";
import { PlaceHoldModal } from "./PlaceHoldModal";

/** Legal holds: what they cover, why, who placed them, and releasing one. */
export function LegalHoldsSection({ workspaceId }: { workspaceId: number }) {
  const holds = useLegalHolds(workspaceId);
  const release = useReleaseLegalHoldMutation(workspaceId);
  const [placing, setPlacing] = useState(false);
  const [releasing, setReleasing] = useState<LegalHold | null>(null);

  const columns: Column<LegalHold>[] = [
    {
      key: "scope",
      header: "Covers",
      render: (hold) => (
        <Text size="sm" fw={500}>
          {hold.member_email ?? "The whole workspace"}
        </Text>
      ),
    },
    { key: "reason", header: "Reason", render: (hold) => <Text size="sm">{hold.reason}</Text> },
    {
      key: "placed",
      header: "Placed",
      width: 220,
      render: (hold) => (
        <Text size="sm" c="dimmed">
          {formatDateTime(hold.created_at)}
          {hold.created_by_email ? ` by ${hold.created_by_email}` : ""}
        </Text>
      ),
    },
    {
      key: "state",
      header: "State",
      width: 200,
      render: (hold) =>
        hold.active ? (
          <Badge color="orange" variant="light">
            Active
          </Badge>
        ) : (
          <Text size="xs" c="dimmed">
            Released {formatDateTime(hold.released_at)}
            {hold.released_by_email ? ` by ${hold.released_by_email}` : ""}
          </Text>
        ),
    },
    {
      key: "actions",
      header: "",
      width: 110,
      render: (hold) =>
        hold.active ? (
          <Button
            size="xs"
            variant="subtle"
            color="red"
            onClick={() => setReleasing(hold)}
            aria-label={`Release the hold on ${hold.member_email ?? "the whole workspace"}`}
          >
            Release
          </Button>
        ) : null,
    },
  ];

  return (
    <section aria-labelledby="legal-holds-title">
      <Group justify="space-between" mt={32} mb="sm">
        <div>
          <Title order={2} size="h4" id="legal-holds-title">
            Legal holds
          </Title>
          <Text size="sm" c="dimmed">
            While a hold is active, retention deletes nothing it covers.
          </Text>
        </div>
        <Button leftSection={<IconLock size={16} />} onClick={() => setPlacing(true)}>
          Place a hold
        </Button>
      </Group>
      <QueryTable
        query={holds}
        errorTitle="Could not load the legal holds"
        skeletonRows={2}
        empty={<EmptyState icon={IconLock} title="No legal holds" description="Retention applies to everything." />}
        columns={columns}
        rowKey={(hold) => hold.id}
        minWidth={760}
        aria-label="Legal holds"
      />
      <PlaceHoldModal opened={placing} onClose={() => setPlacing(false)} workspaceId={workspaceId} />
      <ConfirmModal
        opened={releasing !== null}
        title="Release the legal hold?"
        confirmLabel="Release hold"
        onClose={() => setReleasing(null)}
        onConfirm={async () => {
          if (!releasing) return;
          await release.mutateAsync(releasing);
          notifySuccess("Hold released. Retention applies again at the next run.");
        }}
      >
        What it kept ({releasing?.member_email ?? "everything in the workspace"}) becomes subject to the retention
        periods again, and may be deleted at the next hourly run.
      </ConfirmModal>
    </section>
  );
}
