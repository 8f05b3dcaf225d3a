import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Agent, type AgentChanges, type AgentInput } from "./client";
import { unwrap } from "./errors";

/** Query keys of a workspace's agents; mutations invalidate by these prefixes. */
export const agentKeys = {
  all: (workspaceId: number) => ["workspaces", workspaceId, "agents"] as const,
  list: (workspaceId: number) => [...agentKeys.all(workspaceId), "list"] as const,
  detail: (workspaceId: number, agentId: number) => [...agentKeys.all(workspaceId), agentId] as const,
  versions: (workspaceId: number, agentId: number) => [...agentKeys.detail(workspaceId, agentId), "versions"] as const,
};

/** The agents the current member may use (and, for builders, edit). */
export function useAgents(workspaceId: number) {
  return useQuery({
    queryKey: agentKeys.list(workspaceId),
    queryFn: () =>
      unwrap(api.GET("/api/v1/workspaces/{workspace_id}/agents", { params: { path: { workspace_id: workspaceId } } })),
  });
}

/** One agent; `agentId` null (a new agent) reads nothing. */
export function useAgent(workspaceId: number, agentId: number | null) {
  return useQuery({
    queryKey: agentKeys.detail(workspaceId, agentId ?? -1),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/agents/{agent_id}", {
          params: { path: { workspace_id: workspaceId, agent_id: agentId ?? -1 } },
        }),
      ),
    enabled: agentId != null,
  });
}

/** Every saved version of an agent, newest first; read only while `enabled` (the drawer is open). */
export function useAgentVersions(workspaceId: number, agentId: number, enabled: boolean) {
  return useQuery({
    queryKey: agentKeys.versions(workspaceId, agentId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/agents/{agent_id}/versions", {
          params: { path: { workspace_id: workspaceId, agent_id: agentId } },
        }),
      ),
    enabled,
  });
}

/**
 * After a write the answer is the agent as saved: it becomes the cached agent (the form reads
 * it from there), and the list and the version history are read again.
 */
function useStoreSavedAgent(workspaceId: number) {
  const queryClient = useQueryClient();
  return (agent: Agent) => {
    queryClient.setQueryData(agentKeys.detail(workspaceId, agent.id), agent);
    void queryClient.invalidateQueries({ queryKey: agentKeys.list(workspaceId) });
    void queryClient.invalidateQueries({ queryKey: agentKeys.versions(workspaceId, agent.id) });
  };
}

export function useCreateAgentMutation(workspaceId: number) {
  const store = useStoreSavedAgent(workspaceId);
  return useMutation({
    mutationFn: (body: AgentInput) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/agents", { params: { path: { workspace_id: workspaceId } }, body }),
      ),
    onSuccess: store,
  });
}

export function useUpdateAgentMutation(workspaceId: number) {
  const store = useStoreSavedAgent(workspaceId);
  return useMutation({
    mutationFn: ({ agentId, changes }: { agentId: number; changes: AgentChanges }) =>
      unwrap(
        api.PATCH("/api/v1/workspaces/{workspace_id}/agents/{agent_id}", {
          params: { path: { workspace_id: workspaceId, agent_id: agentId } },
          body: changes,
        }),
      ),
    onSuccess: store,
  });
}

export function usePublishAgentMutation(workspaceId: number) {
  const store = useStoreSavedAgent(workspaceId);
  return useMutation({
    mutationFn: (agentId: number) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/agents/{agent_id}/publish", {
          params: { path: { workspace_id: workspaceId, agent_id: agentId } },
        }),
      ),
    onSuccess: store,
  });
}

/** What changed between two versions; read only when both are chosen. */
export function useAgentVersionDiff(workspaceId: number, agentId: number, from: number | null, to: number | null) {
  return useQuery({
    queryKey: [...agentKeys.versions(workspaceId, agentId), "diff", from, to] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/agents/{agent_id}/versions/diff", {
          params: { path: { workspace_id: workspaceId, agent_id: agentId }, query: { from: from ?? 0, to: to ?? 0 } },
        }),
      ),
    enabled: from != null && to != null,
  });
}

/** Brings a version back as the draft (published agents keep answering as published). */
export function useRestoreVersionMutation(workspaceId: number) {
  const store = useStoreSavedAgent(workspaceId);
  return useMutation({
    mutationFn: ({ agentId, number }: { agentId: number; number: number }) =>
      unwrap(
        api.POST("/api/v1/workspaces/{workspace_id}/agents/{agent_id}/versions/{number}/restore", {
          params: { path: { workspace_id: workspaceId, agent_id: agentId, number } },
        }),
      ),
    onSuccess: store,
  });
}
