import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import type { Membership } from "../api/client";
import { useAuth } from "./AuthContext";

const STORAGE_KEY = "agents.workspaceId";

interface WorkspaceContextValue {
  /** The membership of the current user in the selected workspace; null when they have none. */
  workspace: Membership | null;
  workspaces: Membership[];
  selectWorkspace: (workspaceId: number) => void;
  isAdmin: boolean;
}

const WorkspaceContext = createContext<WorkspaceContextValue | null>(null);

function storedWorkspaceId(): number | null {
  try {
    const raw = window.localStorage.getItem(STORAGE_KEY);
    return raw ? Number(raw) : null;
  } catch {
    return null;
  }
}

export function WorkspaceProvider({ children }: { children: ReactNode }) {
  const { me } = useAuth();
  const [selectedId, setSelectedId] = useState<number | null>(storedWorkspaceId);
  const workspaces = useMemo(() => me?.workspaces ?? [], [me]);
  const workspace =
    workspaces.find((item) => item.workspace_id === selectedId) ?? workspaces[0] ?? null;

  const selectWorkspace = useCallback((workspaceId: number) => {
    setSelectedId(workspaceId);
    try {
      window.localStorage.setItem(STORAGE_KEY, String(workspaceId));
    } catch {
      // Storage may be unavailable (private mode); the choice then lasts for this tab only.
    }
  }, []);

  const value = useMemo(
    () => ({ workspace, workspaces, selectWorkspace, isAdmin: workspace?.role === "admin" }),
    [workspace, workspaces, selectWorkspace],
  );
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

export function useWorkspace(): WorkspaceContextValue {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error("useWorkspace must be used inside <WorkspaceProvider>");
  return value;
}

/** The selected workspace, for pages that only render inside the app shell (which ensures one). */
export function useCurrentWorkspace(): Membership {
  const { workspace } = useWorkspace();
  if (!workspace) throw new Error("No workspace is selected");
  return workspace;
}
