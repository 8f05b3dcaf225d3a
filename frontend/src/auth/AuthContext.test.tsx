import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { act, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { invitationKeys } from "../api/invitations";
import { memberKeys } from "../api/members";
import { meWithRole, renderWithProviders, stubFetch } from "../test/utils";
import { useAuth, type AuthContextValue } from "./AuthContext";

let auth: AuthContextValue | null = null;
let cache: QueryClient | null = null;

function Probe() {
  auth = useAuth();
  cache = useQueryClient();
  return <p>{auth.me ? `Signed in as ${auth.me.email}` : "Signed out"}</p>;
}

/** Answers as one person's session would have cached them. */
function seed(client: QueryClient) {
  client.setQueryData(invitationKeys.mine(), [{ id: 5, workspace_name: "Globex" }]);
  client.setQueryData(memberKeys.list(1), [{ id: 1, email: "admin@example.com" }]);
}

describe("AuthProvider and the server-state cache", { timeout: 20_000 }, () => {
  it("empties the cache on logout and on the next login, so one person never sees another's answers", async () => {
    document.cookie = "csrftoken=abc; path=/";
    stubFetch({
      "GET /api/v1/me": { body: meWithRole("member") },
      "POST /api/v1/auth/logout": { status: 204 },
      "POST /api/v1/auth/login": { body: { ...meWithRole("admin"), id: 8, email: "other@example.com" } },
    });
    renderWithProviders(<Probe />);
    expect(await screen.findByText("Signed in as member@example.com")).toBeInTheDocument();

    seed(cache!);
    await act(async () => {
      await auth!.logout();
    });
    expect(screen.getByText("Signed out")).toBeInTheDocument();
    expect(cache!.getQueryData(invitationKeys.mine())).toBeUndefined();
    expect(cache!.getQueryData(memberKeys.list(1))).toBeUndefined();

    // A session that expired ends without a logout: what it cached is dropped at the next login.
    seed(cache!);
    await act(async () => {
      await auth!.login("other@example.com", "a-long-passphrase");
    });
    expect(screen.getByText("Signed in as other@example.com")).toBeInTheDocument();
    expect(cache!.getQueryData(invitationKeys.mine())).toBeUndefined();
    expect(cache!.getQueryData(memberKeys.list(1))).toBeUndefined();
  });
});
