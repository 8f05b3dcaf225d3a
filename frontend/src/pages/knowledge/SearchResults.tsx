import { Anchor, Badge, Card, Group, Highlight, Skeleton, Spoiler, Stack, Text, Tooltip } from "@mantine/core";
import { IconExternalLink } from "@tabler/icons-react";
import { Link } from "react-router-dom";
import type { SearchHit } from "../../api/client";
import { formatDate, formatDateTime } from "../../lib/format";
import { DataSourceKindBadge } from "./badges";
import { passageText } from "./searchQuery";

export function ResultsSkeleton() {
  return (
    <Stack gap="sm" role="status" aria-live="polite" aria-label="Searching">
      {[0, 1, 2].map((index) => (
        <Card key={index} p="lg">
          <Skeleton h={14} w="40%" radius="xl" mb="sm" />
          <Skeleton h={10} w="25%" radius="xl" mb="md" />
          <Skeleton h={10} radius="xl" mb={8} />
          <Skeleton h={10} w="85%" radius="xl" />
        </Card>
      ))}
    </Stack>
  );
}

export function HitCard({
  hit,
  terms,
  onOpen,
}: {
  hit: SearchHit;
  terms: string[];
  onOpen: (documentId: number) => void;
}) {
  const updated = hit.source_updated_at ?? hit.source_created_at;
  const title = hit.title || "Untitled";
  return (
    <Card p="lg" component="article" aria-label={title}>
      <Group justify="space-between" align="flex-start" gap="sm" wrap="nowrap">
        <Stack gap={6} style={{ minWidth: 0 }}>
          {hit.url ? (
            <Anchor href={hit.url} target="_blank" rel="noreferrer" fw={650} size="md" style={{ overflowWrap: "anywhere" }}>
              {title} <IconExternalLink size={14} style={{ verticalAlign: "-2px" }} aria-hidden />
            </Anchor>
          ) : (
            <Anchor
              component="button"
              type="button"
              fw={650}
              size="md"
              ta="left"
              style={{ overflowWrap: "anywhere" }}
              onClick={() => onOpen(hit.document_id)}
            >
              {title}
            </Anchor>
          )}
          <Group gap="xs">
            <DataSourceKindBadge kind={hit.source} />
            <Anchor component={Link} to={`/data/${hit.data_source_id}`} size="xs" c="dimmed">
              {hit.data_source_name}
            </Anchor>
            {updated && (
              <Tooltip label={`Updated ${formatDateTime(updated)}`}>
                <Text size="xs" c="dimmed">
                  · {formatDate(updated)}
                </Text>
              </Tooltip>
            )}
          </Group>
        </Stack>
        <Tooltip label="Relevance score">
          <Badge variant="outline" color="gray" tt="none" fw={500} className="mono" style={{ flexShrink: 0 }}>
            {hit.score.toFixed(3)}
          </Badge>
        </Tooltip>
      </Group>
      {hit.passages.length > 0 && (
        <Stack gap="xs" mt="md">
          {hit.passages.map((passage) => (
            <Spoiler
              key={passage.chunk_id}
              maxHeight={132}
              showLabel="Show more"
              hideLabel="Show less"
              className="search-passage"
              styles={{ control: { fontSize: "var(--mantine-font-size-xs)", marginTop: 4 } }}
            >
              <Highlight
                highlight={terms}
                size="sm"
                style={{ whiteSpace: "pre-line" }}
                highlightStyles={{ fontWeight: 600, padding: "0 2px", borderRadius: 3 }}
                data-testid="search-passage"
              >
                {passageText(passage.text)}
              </Highlight>
            </Spoiler>
          ))}
        </Stack>
      )}
    </Card>
  );
}
