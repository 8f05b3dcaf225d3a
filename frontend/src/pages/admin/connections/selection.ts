import type { HierarchyNode } from "../../../api/client";

/**
 * The picker's tree as far as it has been loaded, and what picking a node means.
 *
 * Picking a node syncs it with everything under it, so `selected_ids` holds the top-most picks
 * only. Unpicking a node that is included through a picked ancestor replaces that ancestor by
 * the node's siblings (and the siblings of the nodes on the way down), which are all loaded,
 * since the node is on screen.
 */
export interface Tree {
  nodes: Record<string, HierarchyNode>;
  /** Child ids of each loaded parent; ROOT for the top level. */
  children: Record<string, string[]>;
  /** The parent each loaded node was listed under (null at the top). */
  parentOf: Record<string, string | null>;
}

export const ROOT = "";

export const EMPTY_TREE: Tree = { nodes: {}, children: {}, parentOf: {} };

/** The tree with the children of `parentId` (null: the top level) added. */
export function withChildren(tree: Tree, parentId: string | null, nodes: HierarchyNode[]): Tree {
  const next: Tree = {
    nodes: { ...tree.nodes },
    children: { ...tree.children, [parentId ?? ROOT]: nodes.map((node) => node.id) },
    parentOf: { ...tree.parentOf },
  };
  for (const node of nodes) {
    next.nodes[node.id] = node;
    next.parentOf[node.id] = parentId;
  }
  return next;
}

/** Loaded ancestors of a node, nearest first. */
export function ancestorsOf(tree: Tree, id: string): string[] {
  const found: string[] = [];
  const seen = new Set<string>([id]);
  let parent = tree.parentOf[id] ?? null;
  while (parent != null && !seen.has(parent)) {
    found.push(parent);
    seen.add(parent);
    parent = tree.parentOf[parent] ?? null;
  }
  return found;
}

export type CheckState = "checked" | "inherited" | "partial" | "unchecked";

/**
 * "checked": picked itself; "inherited": synced because an ancestor is picked; "partial":
 * something under it is picked; "unchecked": not synced (unless nothing at all is picked).
 */
export function checkState(tree: Tree, selected: readonly string[], id: string): CheckState {
  const picked = new Set(selected);
  if (picked.has(id)) return "checked";
  if (ancestorsOf(tree, id).some((ancestor) => picked.has(ancestor))) return "inherited";
  if (selected.some((other) => ancestorsOf(tree, other).includes(id))) return "partial";
  return "unchecked";
}

/** The selection after the admin clicks a node's checkbox. */
export function toggleNode(tree: Tree, selected: readonly string[], id: string): string[] {
  const state = checkState(tree, selected, id);
  if (state === "checked") return selected.filter((other) => other !== id);
  if (state === "inherited") {
    const ancestors = ancestorsOf(tree, id);
    const pickedIndex = ancestors.findIndex((ancestor) => selected.includes(ancestor));
    // From the picked ancestor down to the node: [picked, ..., parent, node].
    const path = [...ancestors.slice(0, pickedIndex + 1).reverse(), id];
    const next = selected.filter((other) => other !== path[0]);
    for (let index = 0; index < path.length - 1; index += 1) {
      const keep = path[index + 1];
      for (const sibling of tree.children[path[index]] ?? []) {
        if (sibling !== keep && !next.includes(sibling)) next.push(sibling);
      }
    }
    return next;
  }
  // Picking a node covers what is under it: drop the picks it now includes.
  const next = selected.filter((other) => !ancestorsOf(tree, other).includes(id));
  next.push(id);
  return next;
}

export function sameSelection(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}

/** Does a node or something loaded under it match the filter text? */
export function matchesFilter(tree: Tree, id: string, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  if (!needle) return true;
  const node = tree.nodes[id];
  if (node?.title.toLowerCase().includes(needle)) return true;
  return (tree.children[id] ?? []).some((child) => matchesFilter(tree, child, filter));
}
