import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import { api, setUnauthenticatedHandler, type Me } from "../api/client";
import { ApiError, unwrap } from "../api/errors";

type AuthStatus = "loading" | "authenticated" | "anonymous" | "error";

export interface AuthContextValue {
  status: AuthStatus;
  me: Me | null;
  /** Set when loading the session failed for a reason other than not being logged in. */
  error: unknown;
  login: (email: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
  /** Adopts a session another call started (accepting an invitation answers with the new `me`). */
  signedIn: (me: Me) => void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<AuthStatus>("loading");
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<unknown>(null);
  // The server-state cache belongs to one session: whoever signs in next must not see it.
  const queryClient = useQueryClient();

  const refresh = useCallback(async () => {
    try {
      const value = await unwrap(api.GET("/api/v1/me"));
      setMe(value);
      setError(null);
      setStatus("authenticated");
    } catch (reason) {
      setMe(null);
      if (reason instanceof ApiError && (reason.status === 401 || reason.status === 403)) {
        setError(null);
        setStatus("anonymous");
      } else {
        setError(reason);
        setStatus("error");
      }
    }
  }, []);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setMe(null);
      setStatus("anonymous");
    });
    return () => setUnauthenticatedHandler(null);
  }, []);

  const login = useCallback(async (email: string, password: string) => {
    const value = await unwrap(api.POST("/api/v1/auth/login", { body: { email, password } }));
    // An expired session ends without a logout; the next login starts from an empty cache.
    queryClient.clear();
    setMe(value);
    setError(null);
    setStatus("authenticated");
    return value;
  }, [queryClient]);

  const signedIn = useCallback((value: Me) => {
    setMe(value);
    setError(null);
    setStatus("authenticated");
  }, []);

  const logout = useCallback(async () => {
    try {
      await unwrap(api.POST("/api/v1/auth/logout"));
    } finally {
      setMe(null);
      setStatus("anonymous");
      queryClient.clear();
    }
  }, [queryClient]);

  const value = useMemo(
    () => ({ status, me, error, login, logout, refresh, signedIn }),
    [status, me, error, login, logout, refresh, signedIn],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useAuth must be used inside <AuthProvider>");
  return value;
}
