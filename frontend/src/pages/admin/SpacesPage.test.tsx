import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import type { Space } from "../../api/client";
import { RequireAuth } from "../../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch } from "../../test/utils";
import { SpacesPage } from "./SpacesPage";

const COMPANY: Space = {
  id: 1,
  name: "Acme",
  description: "",
  kind: "company",
  created_at: "2026-01-01T10:00:00Z",
};

function renderSpaces(routes: Parameters<typeof stubFetch>[0] = {}) {
  document.cookie = "csrftoken=abc; path=/";
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    "GET /api/v1/workspaces/1/spaces": { body: [COMPANY] },
    ...routes,
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/admin/spaces"
        element={
          <RequireAuth>
            <SpacesPage />
          </RequireAuth>
        }
      />
      <Route path="/admin/spaces/:spaceId" element={<p>Space detail page</p>} />
    </Routes>,
    { path: "/admin/spaces" },
  );
  return stub;
}

describe("SpacesPage", { timeout: 20_000 }, () => {
  it("lists spaces with their kind, and each row opens its space", async () => {
    renderSpaces();
    const user = userEvent.setup();
    const link = await screen.findByRole("link", { name: "Acme" });
    expect(link).toHaveAttribute("href", "/admin/spaces/1");
    expect(within(link.closest("tr")!).getByText("Company-wide")).toBeInTheDocument();
    await user.click(within(link.closest("tr")!).getByText("Company-wide"));
    expect(await screen.findByText("Space detail page")).toBeInTheDocument();
  });

  it("creates a restricted space and opens it to add grants", async () => {
    const { requests } = renderSpaces({
      "POST /api/v1/workspaces/1/spaces": {
        status: 201,
        body: { id: 4, name: "Finance", description: "Budgets", kind: "restricted", created_at: "2026-01-05T10:00:00Z" },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "New restricted space" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByRole("textbox", { name: "Name" }), " Finance ");
    await user.type(within(dialog).getByRole("textbox", { name: "Description" }), "Budgets");
    await user.click(within(dialog).getByRole("button", { name: "Create space" }));
    expect(await screen.findByText("Space detail page")).toBeInTheDocument();
    expect(requests.find((request) => request.method === "POST")?.body).toEqual({
      name: "Finance",
      description: "Budgets",
    });
  });
});
