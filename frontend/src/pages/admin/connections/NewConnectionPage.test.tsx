import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { RequireAuth } from "../../../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch, type RecordedRequest } from "../../../test/utils";
import { CHANNELS, connection, CONNECTORS, syncRun } from "./fixtures";
import { NewConnectionPage } from "./NewConnectionPage";

const SPACES = [
  { id: 1, name: "Company", kind: "company", description: "", created_at: "2026-11-01T10:00:00Z" },
  { id: 2, name: "Finance", kind: "restricted", description: "", created_at: "2026-11-02T10:00:00Z" },
];

type Routes = Parameters<typeof stubFetch>[0];

/** Pastes into a field: what admins do with tokens, and quicker than typing each key. */
async function fill(user: ReturnType<typeof userEvent.setup>, field: HTMLElement, value: string) {
  await user.click(field);
  await user.paste(value);
}

function renderPage(routes: Routes = {}) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    "GET /api/v1/workspaces/1/connectors": { body: CONNECTORS },
    "GET /api/v1/workspaces/1/spaces": { body: SPACES },
    ...routes,
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/admin/connections/new"
        element={
          <RequireAuth>
            <NewConnectionPage />
          </RequireAuth>
        }
      />
      <Route path="/admin/connections/:connectionId" element={<p>connection page</p>} />
    </Routes>,
    { path: "/admin/connections/new" },
  );
  return stub;
}

const CREATED = connection({
  id: 5,
  document_count: 0,
  last_full_sync_at: null,
  last_successful_sync_at: null,
  latest_run: syncRun({ status: "queued", started_at: null, finished_at: null, duration_seconds: null }),
});

describe("NewConnectionPage", () => {
  it("generates the form from the connector's credential fields, secrets as password inputs", async () => {
    renderPage();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: /^GitHub/ }));

    const token = screen.getByLabelText(/^Access token/);
    const secret = screen.getByLabelText(/^Webhook secret/);
    const organization = screen.getByLabelText(/^Organization/);
    expect(token).toHaveAttribute("type", "password");
    expect(secret).toHaveAttribute("type", "password");
    expect((organization as HTMLInputElement).type).toBe("text");
    // The token is required; the webhook secret and the organization are not.
    expect(token).toBeRequired();
    expect(secret).not.toBeRequired();
    expect(organization).not.toBeRequired();
    expect(screen.getByRole("textbox", { name: /^Name/ })).toHaveValue("GitHub");
    // The space defaults to the company space.
    expect(await screen.findByRole("textbox", { name: /^Space/ })).toHaveValue("Company (everyone)");

    // Nothing to submit until the required field is filled in.
    const connect = screen.getByRole("button", { name: "Connect GitHub" });
    expect(connect).toBeDisabled();
    await user.type(token, "ghp_abc");
    expect(connect).toBeEnabled();
  });

  it("shows a refusal clearly, marks the fields, and sends trimmed values with the API base URL", async () => {
    const { requests } = renderPage({
      "POST /api/v1/workspaces/1/connections": {
        status: 422,
        body: {
          error: {
            code: "invalid_credentials",
            message:
              "Slack refused these credentials: Slack refused the bot token. Paste the app's current Bot User OAuth Token (xoxb-…).",
          },
        },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: /^Slack/ }));
    await user.clear(screen.getByRole("textbox", { name: /^Name/ }));
    await fill(user, screen.getByRole("textbox", { name: /^Name/ }), "Acme Slack");
    await fill(user, screen.getByLabelText(/^Bot token/), "  xoxb-wrong  ");
    const advanced = screen.getByRole("button", { name: "Advanced" });
    expect(advanced).toHaveAttribute("aria-expanded", "false");
    await user.click(advanced);
    expect(advanced).toHaveAttribute("aria-expanded", "true");
    await fill(user, screen.getByLabelText("API base URL"), "http://127.0.0.1:9999");
    await user.click(screen.getByRole("button", { name: "Connect Slack" }));

    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("Slack refused these credentials")).toBeInTheDocument();
    expect(alert).toHaveTextContent(
      "Slack refused the bot token. Paste the app's current Bot User OAuth Token (xoxb-…).",
    );
    expect(alert).toHaveTextContent(/Check that you copied the whole value/);
    expect(alert).toHaveFocus();
    expect(screen.getByLabelText(/^Bot token/)).toHaveAttribute("aria-invalid", "true");
    // The empty signing secret is left out; the rest is trimmed.
    const post = requests.find((request: RecordedRequest) => request.method === "POST")!;
    expect(post.body).toEqual({
      kind: "slack",
      name: "Acme Slack",
      credentials: { bot_token: "xoxb-wrong" },
      api_base_url: "http://127.0.0.1:9999",
      selected_ids: [],
    });
  });

  it("sends the chosen space, then offers the picker and saves the selection", async () => {
    const { requests } = renderPage({
      "POST /api/v1/workspaces/1/connections": { status: 201, body: CREATED },
      "GET /api/v1/workspaces/1/connections/5/hierarchy": { body: CHANNELS },
      "PATCH /api/v1/workspaces/1/connections/5": (request) => ({
        body: { ...CREATED, selected_ids: (request.body as { selected_ids: string[] }).selected_ids },
      }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: /^Slack/ }));
    await fill(user, screen.getByLabelText(/^Bot token/), "xoxb-right");
    await user.click(await screen.findByRole("textbox", { name: /^Space/ }));
    await user.click(await screen.findByRole("option", { name: "Finance" }));
    await user.click(screen.getByRole("button", { name: "Connect Slack" }));

    expect(await screen.findByText("Connected “Acme Slack”")).toBeInTheDocument();
    const post = requests.find((request) => request.method === "POST")!;
    expect(post.body).toMatchObject({ space_id: 2, credentials: { bot_token: "xoxb-right" } });

    const tree = await screen.findByRole("tree", { name: "Slack channels" });
    const save = screen.getByRole("button", { name: "Save selection" });
    expect(save).toBeDisabled();
    await user.click(within(tree).getByRole("checkbox", { name: "#engineering" }));
    await user.click(within(tree).getByRole("checkbox", { name: "#general" }));
    expect(screen.getByText("2 picked")).toBeInTheDocument();
    await user.click(save);

    expect(await screen.findByText("connection page")).toBeInTheDocument();
    const patch = requests.find((request) => request.method === "PATCH")!;
    expect(patch.body).toEqual({ selected_ids: ["C1", "C2"] });
  });

  it("can keep everything without picking", async () => {
    renderPage({
      "POST /api/v1/workspaces/1/connections": { status: 201, body: CREATED },
      "GET /api/v1/workspaces/1/connections/5/hierarchy": { body: CHANNELS },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: /^Slack/ }));
    await fill(user, screen.getByLabelText(/^Bot token/), "xoxb-right");
    await user.click(screen.getByRole("button", { name: "Connect Slack" }));
    await screen.findByRole("tree");
    expect(screen.getByText("everything the credentials can reach")).toBeInTheDocument();
    await user.click(screen.getByRole("link", { name: "Keep everything" }));
    await waitFor(() => expect(screen.getByText("connection page")).toBeInTheDocument());
  });
});
