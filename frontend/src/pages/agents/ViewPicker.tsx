import { Alert, Anchor, Button, Checkbox, Group, Skeleton, Stack, Text } from "@mantine/core";
import { IconFolders, IconRefresh } from "@tabler/icons-react";
import { Link } from "react-router-dom";
import type { DataSourceView } from "../../api/client";
import { errorMessage } from "../../api/errors";
import { DataSourceKindBadge } from "../knowledge/badges";

export interface SpaceViews {
  spaceId: number;
  spaceName: string;
  views: DataSourceView[];
}

/** Views grouped by their space, spaces and sources in alphabetical order. */
export function groupViewsBySpace(views: DataSourceView[]): SpaceViews[] {
  const bySpace = new Map<number, SpaceViews>();
  for (const view of views) {
    const group = bySpace.get(view.space_id) ?? { spaceId: view.space_id, spaceName: view.space_name, views: [] };
    group.views.push(view);
    bySpace.set(view.space_id, group);
  }
  return [...bySpace.values()]
    .map((group) => ({
      ...group,
      views: [...group.views].sort((a, b) => a.data_source_name.localeCompare(b.data_source_name)),
    }))
    .sort((a, b) => a.spaceName.localeCompare(b.spaceName));
}

function scopeLabel(view: DataSourceView): string {
  const parts = view.parent_ids.length;
  return parts === 0 ? "Everything in it" : `${parts} selected part${parts === 1 ? "" : "s"}`;
}

/** Checkboxes for the data views an agent searches, grouped by the space each lies in. */
export function ViewPicker({
  views,
  loading,
  error,
  onRetry,
  value,
  onChange,
  canAddData,
}: {
  views: DataSourceView[] | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  value: number[];
  onChange: (viewIds: number[]) => void;
  canAddData: boolean;
}) {
  if (error != null && !views) {
    return (
      <Alert color="red" variant="light" role="alert" title="Could not load your data views">
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{errorMessage(error)}</Text>
          <Button size="xs" variant="white" color="red" leftSection={<IconRefresh size={14} />} onClick={onRetry}>
            Retry
          </Button>
        </Stack>
      </Alert>
    );
  }
  if (loading && !views) {
    return (
      <Stack gap="sm" role="status" aria-label="Loading data views">
        {[0, 1, 2].map((index) => (
          <Group key={index} gap="sm">
            <Skeleton h={18} w={18} radius="sm" />
            <Skeleton h={12} w={index === 1 ? 140 : 200} radius="xl" />
          </Group>
        ))}
      </Stack>
    );
  }
  const groups = groupViewsBySpace(views ?? []);
  if (groups.length === 0) {
    return (
      <Stack gap={4} className="picker-empty" p="md" align="flex-start">
        <Text size="sm" fw={600}>
          No data in your spaces yet
        </Text>
        <Text size="sm" c="dimmed">
          {canAddData
            ? "Create a folder under Data sources and upload a few files; it shows up here to pick."
            : "Ask an admin to share data with a space you belong to."}
        </Text>
        {canAddData && (
          <Anchor component={Link} to="/data" size="sm" fw={600} mt={4}>
            Go to Data sources
          </Anchor>
        )}
      </Stack>
    );
  }

  const selected = new Set(value);
  const toggle = (viewId: number, checked: boolean) => {
    const next = new Set(selected);
    if (checked) next.add(viewId);
    else next.delete(viewId);
    onChange([...next].sort((a, b) => a - b));
  };

  return (
    <Stack gap="md">
      {groups.map((group) => {
        const chosen = group.views.filter((view) => selected.has(view.id)).length;
        return (
          <div key={group.spaceId} className="picker-group" role="group" aria-labelledby={`space-${group.spaceId}`}>
            <div className="picker-legend" id={`space-${group.spaceId}`}>
              <Group gap={6}>
                <IconFolders size={14} stroke={1.7} aria-hidden />
                <span>{group.spaceName}</span>
                {chosen > 0 && (
                  <Text span size="xs" c="dimmed" fw={500}>
                    · {chosen} selected
                  </Text>
                )}
              </Group>
            </div>
            <Stack gap={0}>
              {group.views.map((view) => (
                <Group key={view.id} justify="space-between" wrap="nowrap" className="picker-row" gap="sm">
                  <Checkbox
                    checked={selected.has(view.id)}
                    onChange={(event) => toggle(view.id, event.currentTarget.checked)}
                    label={view.data_source_name}
                    description={scopeLabel(view)}
                    styles={{ label: { fontWeight: 500 } }}
                  />
                  <DataSourceKindBadge kind={view.data_source_kind} />
                </Group>
              ))}
            </Stack>
          </div>
        );
      })}
    </Stack>
  );
}
