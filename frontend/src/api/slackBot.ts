import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, type Schemas } from "./client";
import { connectionKeys, fetchHierarchy } from "./connections";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";

export type SlackBotSettings = Schemas["SlackBotSettingsOut"];
export type SlackBotSettingsInput = Schemas["SlackBotSettingsIn"];

export const slackBotKeys = {
  settings: (workspaceId: number, connectionId: number) =>
    [...workspaceKey(workspaceId, "slack-bot"), connectionId] as const,
};

/** Which agent answers in which channel of a Slack connection, and the workspace-wide default. */
export function useSlackBotSettings(workspaceId: number, connectionId: number) {
  return useQuery({
    queryKey: slackBotKeys.settings(workspaceId, connectionId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/connections/{connection_id}/slack-bot", {
          params: { path: { workspace_id: workspaceId, connection_id: connectionId } },
        }),
      ),
  });
}

/**
 * The Slack workspace's channels as the connection lists them (Slack's conversations.list):
 * names, privacy, member counts and whether the bot is in each. Shares the picker's cache.
 */
export function useSlackChannels(workspaceId: number, connectionId: number, enabled: boolean) {
  return useQuery({
    queryKey: connectionKeys.hierarchy(workspaceId, connectionId, null),
    queryFn: () => fetchHierarchy(workspaceId, connectionId, null),
    enabled,
  });
}

/** Replaces the channel defaults and the workspace-wide default in one save. */
export function useSaveSlackBotMutation(workspaceId: number, connectionId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: SlackBotSettingsInput) =>
      unwrap(
        api.PUT("/api/v1/workspaces/{workspace_id}/connections/{connection_id}/slack-bot", {
          params: { path: { workspace_id: workspaceId, connection_id: connectionId } },
          body: settings,
        }),
      ),
    onSuccess: (saved) => queryClient.setQueryData(slackBotKeys.settings(workspaceId, connectionId), saved),
  });
}
