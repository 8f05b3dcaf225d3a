import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it, vi } from "vitest";
import { RequireAuth } from "../../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch } from "../../test/utils";
import { TokenCreatedModal } from "./TokenCreatedModal";
import { TokensPage } from "./TokensPage";

const CREATED = {
  id: 9,
  name: "CI export",
  prefix: "agt_AbC1",
  member_email: "admin@example.com",
  created_at: "2026-11-25T15:00:00Z",
  last_used_at: null,
  revoked_at: null,
  token: "agt_AbC1.s3cr3t-value-shown-once",
};

describe("TokenCreatedModal", () => {
  it("shows the secret once with a copy button", async () => {
    stubFetch({ "GET /api/v1/me": { status: 401, body: {} } });
    const onClose = vi.fn();
    // user-event installs a clipboard stub on navigator.clipboard.
    const user = userEvent.setup();
    renderWithProviders(<TokenCreatedModal token={CREATED} onClose={onClose} />);

    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByTestId("token-secret")).toHaveTextContent(CREATED.token);
    expect(within(dialog).getByText(/only time the secret/i)).toBeInTheDocument();

    await user.click(within(dialog).getByRole("button", { name: "Copy secret" }));
    expect(await navigator.clipboard.readText()).toBe(CREATED.token);
    expect(await within(dialog).findByRole("button", { name: "Secret copied" })).toBeInTheDocument();

    await user.click(within(dialog).getByRole("button", { name: "I have copied it" }));
    expect(onClose).toHaveBeenCalled();
  });

  it("opens after creating a token, and the list keeps only the prefix", async () => {
    document.cookie = "csrftoken=abc; path=/";
    const { requests } = stubFetch({
      "GET /api/v1/me": { body: meWithRole("admin") },
      "GET /api/v1/workspaces/1/api-tokens": { body: [] },
      "POST /api/v1/workspaces/1/api-tokens": { status: 201, body: CREATED },
    });
    const user = userEvent.setup();
    renderWithProviders(
      <Routes>
        <Route
          path="/admin/api-tokens"
          element={
            <RequireAuth>
              <TokensPage />
            </RequireAuth>
          }
        />
      </Routes>,
      { path: "/admin/api-tokens" },
    );

    expect(await screen.findByText("No API tokens yet")).toBeInTheDocument();
    await user.click(screen.getAllByRole("button", { name: "New token" })[0]);
    await user.type(await screen.findByLabelText(/^name/i), "CI export");
    await user.click(screen.getByRole("button", { name: "Create token" }));

    expect(await screen.findByTestId("token-secret")).toHaveTextContent(CREATED.token);
    const post = requests.find((r) => r.method === "POST");
    expect(post?.body).toEqual({ name: "CI export" });

    await user.click(screen.getByRole("button", { name: "I have copied it" }));
    await waitFor(() => expect(screen.queryByTestId("token-secret")).not.toBeInTheDocument());
    expect(screen.getByText("CI export")).toBeInTheDocument();
    expect(screen.getByText("agt_AbC1…")).toBeInTheDocument();
    expect(screen.queryByText(CREATED.token)).not.toBeInTheDocument();
  });
});
