import { useMutation } from "@tanstack/react-query";
import { api } from "./client";
import { unwrap } from "./errors";

/**
 * The signed-in person's own account and the public password-reset flow. Login, logout and
 * `me` stay in auth/AuthContext, which owns the session state.
 */
export function useChangePasswordMutation() {
  return useMutation({
    mutationFn: (body: { current_password: string; new_password: string }) =>
      unwrap(api.POST("/api/v1/auth/password", { body })),
  });
}

/** Asks for a reset email; the API answers the same whether or not the address has an account. */
export function requestPasswordReset(email: string) {
  return unwrap(api.POST("/api/v1/auth/password-reset", { body: { email } }));
}

export function confirmPasswordReset(body: { uid: string; token: string; new_password: string }) {
  return unwrap(api.POST("/api/v1/auth/password-reset/confirm", { body }));
}

/** Creates a workspace with the caller as its admin (who may is the operator's setting). */
export function useCreateWorkspaceMutation() {
  return useMutation({
    mutationFn: (name: string) => unwrap(api.POST("/api/v1/workspaces", { body: { name } })),
  });
}
