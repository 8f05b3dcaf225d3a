import { useQuery } from "@tanstack/react-query";
import { api } from "./client";
import { unwrap } from "./errors";
import { workspaceKey } from "./keys";

export const limitKeys = {
  list: (workspaceId: number) => workspaceKey(workspaceId, "limits"),
};

/** Every limit the instance enforces, in the API's order (read-only: the operator sets them). */
export function useLimits(workspaceId: number) {
  return useQuery({
    queryKey: limitKeys.list(workspaceId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/workspaces/{workspace_id}/limits", {
          params: { path: { workspace_id: workspaceId } },
        }),
      ).then((answer) => answer.entries),
  });
}
