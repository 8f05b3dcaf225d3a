import { useCallback, useEffect, useRef, useState } from "react";
import type { HierarchyNode } from "../../../api/client";
import { EMPTY_TREE, ROOT, withChildren, type Tree } from "./selection";

/** Say that the source is slow after this long. */
export const SLOW_AFTER_MS = 6000;

/**
 * The part of a source's tree loaded so far: levels load when a part opens (the top level at
 * once), each with its own loading and error state, kept until the picker goes away.
 */
export function useHierarchyTree(loadChildren: (parentId: string | null) => Promise<HierarchyNode[]>) {
  const [tree, setTree] = useState<Tree>(EMPTY_TREE);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [loading, setLoading] = useState<Set<string>>(() => new Set([ROOT]));
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  const loadRef = useRef(loadChildren);
  loadRef.current = loadChildren;

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

  return { tree, expanded, loading, errors, slow, load, setOpen };
}
