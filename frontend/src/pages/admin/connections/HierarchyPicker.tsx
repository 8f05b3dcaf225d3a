import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Group,
  Loader,
  ScrollArea,
  Skeleton,
  Stack,
  Text,
  TextInput,
  Tooltip,
  VisuallyHidden,
} from "@mantine/core";
import {
  IconAlertTriangle,
  IconArchive,
  IconBook2,
  IconBrandGoogleDrive,
  IconChevronRight,
  IconDatabase,
  IconExternalLink,
  IconFileText,
  IconFolder,
  IconInfoCircle,
  IconLock,
  IconSearch,
  type Icon,
} from "@tabler/icons-react";
import { useCallback, useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { HierarchyNode } from "../../../api/client";
import { errorMessage } from "../../../api/errors";
import { ErrorState } from "../../../components/states";
import { kindLabel } from "../../knowledge/badges";
import { checkState, EMPTY_TREE, matchesFilter, ROOT, toggleNode, withChildren, type Tree } from "./selection";

const NODE_ICONS: Record<string, Icon> = {
  page: IconFileText,
  database: IconDatabase,
  folder: IconFolder,
  shared_drive: IconBrandGoogleDrive,
  repository: IconBook2,
};

/** Show the filter box from this many top-level parts on. */
const FILTER_FROM = 7;
/** Say that the source is slow after this long. */
export const SLOW_AFTER_MS = 6000;

export interface HierarchyPickerProps {
  /** The source's kind, for the wording ("Open in Slack"). */
  kind: string;
  /** Lists the top-level parts (null) or the children of one part. */
  loadChildren: (parentId: string | null) => Promise<HierarchyNode[]>;
  selected: string[];
  onChange: (selected: string[]) => void;
  /** The tree's accessible name, e.g. "Slack channels". */
  label: string;
  /** Plural name of the parts, for the filter and the empty state ("channels"). */
  parts: string;
  disabled?: boolean;
}

function NodeDetails({ node, source }: { node: HierarchyNode; source: string }) {
  const details = node.details ?? {};
  const members = typeof details.members === "number" ? details.members : null;
  return (
    <Group gap={6} wrap="nowrap" ml="auto" style={{ flexShrink: 0 }}>
      {details.bot_is_member === false && (
        <Tooltip
          label={`The bot is not in ${node.title}. Invite it in ${source}, or this part syncs nothing.`}
          multiline
          w={260}
        >
          <Badge variant="light" color="orange" leftSection={<IconAlertTriangle size={11} />} tabIndex={0}>
            Bot not invited
          </Badge>
        </Tooltip>
      )}
      {details.archived === true && (
        <Badge variant="light" color="gray" leftSection={<IconArchive size={11} />}>
          Archived
        </Badge>
      )}
      {details.private === true && (
        <Badge variant="light" color="gray" leftSection={<IconLock size={11} />}>
          Private
        </Badge>
      )}
      {members != null && (
        <Text size="xs" c="dimmed" w={86} ta="right" style={{ whiteSpace: "nowrap" }}>
          {members.toLocaleString()} {members === 1 ? "member" : "members"}
        </Text>
      )}
      {node.url ? (
        <Tooltip label={`Open in ${source}`}>
          <ActionIcon
            component="a"
            href={node.url}
            target="_blank"
            rel="noreferrer"
            variant="subtle"
            color="gray"
            size="sm"
            aria-label={`Open ${node.title} in ${source}`}
          >
            <IconExternalLink size={14} />
          </ActionIcon>
        </Tooltip>
      ) : (
        <span style={{ width: 22 }} />
      )}
    </Group>
  );
}

/**
 * A tree of the source's parts with a checkbox each; children load when a part is opened.
 * Keyboard: Up/Down move between parts, Right opens a part (or goes to its first child), Left
 * closes it (or goes to its parent), Space picks.
 */
export function HierarchyPicker({
  kind,
  loadChildren,
  selected,
  onChange,
  label,
  parts,
  disabled,
}: HierarchyPickerProps) {
  const [tree, setTree] = useState<Tree>(EMPTY_TREE);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [loading, setLoading] = useState<Set<string>>(() => new Set([ROOT]));
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  const [filter, setFilter] = useState("");
  const treeRef = useRef<HTMLUListElement>(null);
  const loadRef = useRef(loadChildren);
  loadRef.current = loadChildren;
  const hintId = useId();
  const source = kindLabel(kind);

  const load = useCallback(async (parentId: string | null) => {
    const key = parentId ?? ROOT;
    setLoading((current) => new Set(current).add(key));
    setErrors(({ [key]: _dropped, ...rest }) => rest);
    try {
      const nodes = await loadRef.current(parentId);
      setTree((current) => withChildren(current, parentId, nodes));
    } catch (error) {
      setErrors((current) => ({ ...current, [key]: error }));
    } finally {
      setLoading((current) => {
        const next = new Set(current);
        next.delete(key);
        return next;
      });
    }
  }, []);

  useEffect(() => {
    void load(null);
  }, [load]);

  // The API retries an unreachable source for up to a minute before it answers.
  const rootLoading = loading.has(ROOT);
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!rootLoading) return;
    setSlow(false);
    const timer = window.setTimeout(() => setSlow(true), SLOW_AFTER_MS);
    return () => window.clearTimeout(timer);
  }, [rootLoading]);

  const setOpen = (node: HierarchyNode, open: boolean) => {
    setExpanded((current) => {
      const next = new Set(current);
      if (open) next.add(node.id);
      else next.delete(node.id);
      return next;
    });
    if (open && !tree.children[node.id] && !loading.has(node.id)) void load(node.id);
  };

  const focusNode = (id: string | undefined) => {
    if (!id) return;
    const boxes = treeRef.current?.querySelectorAll<HTMLInputElement>("input[data-node-id]") ?? [];
    Array.from(boxes)
      .find((box) => box.getAttribute("data-node-id") === id)
      ?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const target = event.target as HTMLElement;
    const id = target.getAttribute("data-node-id");
    if (id == null || !treeRef.current) return;
    const boxes = Array.from(treeRef.current.querySelectorAll<HTMLInputElement>("input[data-node-id]"));
    const index = boxes.findIndex((box) => box === target);
    const node = tree.nodes[id];
    let handled = true;
    switch (event.key) {
      case "ArrowDown":
        boxes[Math.min(index + 1, boxes.length - 1)]?.focus();
        break;
      case "ArrowUp":
        boxes[Math.max(index - 1, 0)]?.focus();
        break;
      case "Home":
        boxes[0]?.focus();
        break;
      case "End":
        boxes[boxes.length - 1]?.focus();
        break;
      case "ArrowRight":
        if (node?.has_children) {
          if (!expanded.has(id)) setOpen(node, true);
          else focusNode(tree.children[id]?.[0]);
        }
        break;
      case "ArrowLeft":
        if (node?.has_children && expanded.has(id)) setOpen(node, false);
        else focusNode(tree.parentOf[id] ?? undefined);
        break;
      default:
        handled = false;
    }
    if (handled) event.preventDefault();
  };

  // A flat list (Slack channels, GitHub repositories) needs no room for open/close buttons.
  const flat = !Object.values(tree.nodes).some((node) => node.has_children);

  const renderLevel = (parentKey: string, level: number) => {
    const ids = (tree.children[parentKey] ?? []).filter((id) => matchesFilter(tree, id, filter));
    return ids.map((id) => {
      const node = tree.nodes[id];
      const state = checkState(tree, selected, id);
      const isOpen = node.has_children && expanded.has(id);
      const NodeIcon = NODE_ICONS[node.kind];
      const description = typeof node.details?.description === "string" ? node.details.description : "";
      // The item is named by its title alone, not by the text of the items inside it.
      const labelId = `${hintId}-node-${encodeURIComponent(id)}`;
      return (
        <li
          key={id}
          role="treeitem"
          aria-level={level}
          aria-expanded={node.has_children ? isOpen : undefined}
          aria-selected={state === "checked" || state === "inherited"}
          aria-labelledby={labelId}
          className="tree-item"
        >
          <div className="tree-row" style={{ paddingLeft: 8 + (level - 1) * 24 }}>
            {node.has_children ? (
              <ActionIcon
                variant="subtle"
                color="gray"
                size="sm"
                tabIndex={-1}
                aria-label={`${isOpen ? "Close" : "Open"} ${node.title}`}
                onClick={() => setOpen(node, !isOpen)}
              >
                <IconChevronRight size={14} className="tree-chevron" data-open={isOpen || undefined} />
              </ActionIcon>
            ) : (
              !flat && <span className="tree-spacer" />
            )}
            <Checkbox
              checked={state === "checked" || state === "inherited"}
              indeterminate={state === "partial"}
              onChange={() => onChange(toggleNode(tree, selected, id))}
              disabled={disabled}
              data-node-id={id}
              label={
                <Group gap={6} wrap="nowrap" component="span">
                  {NodeIcon && <NodeIcon size={15} stroke={1.7} color="var(--mantine-color-dimmed)" aria-hidden />}
                  <Text span size="sm" fw={state === "unchecked" ? 500 : 600} id={labelId}>
                    {node.title || "Untitled"}
                  </Text>
                </Group>
              }
              description={description || undefined}
              styles={{ body: { alignItems: "center" }, labelWrapper: { minWidth: 0 } }}
              style={{ flex: 1, minWidth: 0 }}
            />
            <NodeDetails node={node} source={source} />
          </div>
          {isOpen && (
            <ul role="group" className="tree-group">
              {loading.has(id) && (
                <li className="tree-status" style={{ paddingLeft: 8 + level * 24 + 30 }}>
                  <Group gap={8}>
                    <Loader size={12} />
                    <Text size="xs" c="dimmed">
                      Loading…
                    </Text>
                  </Group>
                </li>
              )}
              {errors[id] != null && (
                <li className="tree-status" style={{ paddingLeft: 8 + level * 24 + 30 }} role="alert">
                  <Group gap={8}>
                    <Text size="xs" c="red.7">
                      {errorMessage(errors[id])}
                    </Text>
                    <Button size="compact-xs" variant="light" color="red" onClick={() => void load(id)}>
                      Retry
                    </Button>
                  </Group>
                </li>
              )}
              {!loading.has(id) && errors[id] == null && (tree.children[id] ?? []).length === 0 && (
                <li className="tree-status" style={{ paddingLeft: 8 + level * 24 + 30 }}>
                  <Text size="xs" c="dimmed">
                    Nothing inside to pick.
                  </Text>
                </li>
              )}
              {renderLevel(id, level + 1)}
            </ul>
          )}
        </li>
      );
    });
  };

  const rootLoaded = tree.children[ROOT] != null;
  if (errors[ROOT] != null && !rootLoaded) {
    return (
      <ErrorState
        error={errors[ROOT]}
        onRetry={() => void load(null)}
        title={`Could not list the ${parts} of ${source}`}
      />
    );
  }
  if (!rootLoaded) {
    return (
      <Stack gap="xs">
        <div className="picker-group" role="status" aria-label={`Loading ${parts} from ${source}`}>
          {Array.from({ length: 5 }, (_, index) => (
            <Group key={index} className="tree-row" gap="sm" wrap="nowrap" py={12}>
              <Skeleton h={18} w={18} radius="sm" />
              <Skeleton h={12} w={index % 2 ? 160 : 120} radius="xl" />
              <Skeleton h={12} w={70} radius="xl" ml="auto" />
            </Group>
          ))}
        </div>
        {slow && (
          <Group gap={8} aria-live="polite">
            <Loader size={12} />
            <Text size="xs" c="dimmed">
              Still waiting for {source}: it is slow or unreachable, and the platform retries for up to a minute before
              giving up.
            </Text>
          </Group>
        )}
      </Stack>
    );
  }
  const roots = tree.children[ROOT];
  if (roots.length === 0) {
    return (
      <div className="picker-empty">
        <Text size="sm" c="dimmed" ta="center" py="lg" px="md">
          The credentials reach no {parts} yet. Share some with the app or integration in {source}, then reload this
          page.
        </Text>
      </div>
    );
  }
  const visible = roots.filter((id) => matchesFilter(tree, id, filter));
  const unseen = selected.filter((id) => !tree.nodes[id]);

  return (
    <Stack gap="sm">
      {roots.length >= FILTER_FROM && (
        <TextInput
          aria-label={`Filter ${parts}`}
          placeholder={`Filter ${parts}`}
          leftSection={<IconSearch size={15} />}
          value={filter}
          onChange={(event) => setFilter(event.currentTarget.value)}
          maw={320}
          size="sm"
        />
      )}
      <div className="picker-group">
        <ScrollArea.Autosize mah={420} type="auto">
          <ul
            ref={treeRef}
            role="tree"
            aria-label={label}
            aria-describedby={hintId}
            aria-multiselectable
            className="tree"
            onKeyDown={onKeyDown}
          >
            {renderLevel(ROOT, 1)}
          </ul>
          {visible.length === 0 && (
            <Text size="sm" c="dimmed" ta="center" py="md">
              No {parts} match “{filter.trim()}”.
            </Text>
          )}
        </ScrollArea.Autosize>
      </div>
      <VisuallyHidden id={hintId}>
        Up and down arrows move between {parts}; right opens a part, left closes it; space picks it.
      </VisuallyHidden>
      {unseen.length > 0 && (
        <Group gap={6}>
          <IconInfoCircle size={14} color="var(--mantine-color-dimmed)" aria-hidden />
          <Text size="xs" c="dimmed">
            {unseen.length === 1 ? "One more part is" : `${unseen.length} more parts are`} picked but not shown: further
            down the tree (open their parents), or gone from {source}.
          </Text>
        </Group>
      )}
    </Stack>
  );
}
