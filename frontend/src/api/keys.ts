/**
 * The prefix of every workspace-scoped query key: `["workspaces", workspaceId, resource, ...]`.
 * Each resource module builds its keys from it, so a mutation can invalidate one resource of one
 * workspace by prefix, and switching workspace never shows another workspace's cache.
 */
export function workspaceKey(workspaceId: number, resource: string) {
  return ["workspaces", workspaceId, resource] as const;
}
