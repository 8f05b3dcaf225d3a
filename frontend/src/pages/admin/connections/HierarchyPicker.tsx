import { ActionIcon, Checkbox, Group, ScrollArea, Stack, Text, TextInput, VisuallyHidden } from "@mantine/core";
import { IconChevronRight, IconInfoCircle, IconSearch } from "@tabler/icons-react";
import { useId, useRef, useState, type KeyboardEvent } from "react";
import type { HierarchyNode } from "../../../api/client";
import { ErrorState } from "../../../components/states";
import { kindLabel } from "../../knowledge/badges";
import { LevelStatus, NODE_ICONS, NodeDetails, PickerSkeleton } from "./hierarchyNode";
import { checkState, matchesFilter, ROOT, toggleNode } from "./selection";
import { useHierarchyTree } from "./useHierarchyTree";

/** Show the filter box from this many top-level parts on. */
const FILTER_FROM = 7;
export { SLOW_AFTER_MS } from "./useHierarchyTree";

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
  /** Offer "Resync now" on the parts that are documents themselves (a Notion page). */
  onResync?: (node: HierarchyNode) => void;
  canResync?: (node: HierarchyNode) => boolean;
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
  onResync,
  canResync,
}: HierarchyPickerProps) {
  const { tree, expanded, loading, errors, slow, load, setOpen } = useHierarchyTree(loadChildren);
  const [filter, setFilter] = useState("");
  const treeRef = useRef<HTMLUListElement>(null);
  const hintId = useId();
  const source = kindLabel(kind);

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
            <NodeDetails node={node} source={source} onResync={onResync && canResync?.(node) ? onResync : undefined} />
          </div>
          {isOpen && (
            <ul role="group" className="tree-group">
              <LevelStatus
                level={level}
                loading={loading.has(id)}
                error={errors[id]}
                empty={(tree.children[id] ?? []).length === 0}
                onRetry={() => void load(id)}
              />
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
    return <PickerSkeleton parts={parts} source={source} slow={slow} />;
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
