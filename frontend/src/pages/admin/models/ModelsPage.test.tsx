import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import type { ModelCredential } from "../../../api/client";
import { RequireAuth } from "../../../auth/RequireAuth";
import { NAV_SECTIONS } from "../../../layout/nav";
import { meWithRole, renderWithProviders, stubFetch } from "../../../test/utils";
import { ModelsPage } from "./ModelsPage";

const LOCAL: ModelCredential = {
  provider: "openai-compatible",
  base_url: "http://127.0.0.1:11434/v1",
  has_key: true,
  key_hint: "abcd",
  updated_at: "2026-12-01T10:00:00Z",
  updated_by_name: "Ada Admin",
  updated_by_email: "ada@example.com",
};

const BASE = "/api/v1/workspaces/1/model-credentials";

function renderModels(routes: Parameters<typeof stubFetch>[0] = {}) {
  const stub = stubFetch({
    "GET /api/v1/me": { body: meWithRole("admin") },
    [`GET ${BASE}`]: { body: [LOCAL] },
    ...routes,
  });
  renderWithProviders(
    <Routes>
      <Route
        path="/admin/models"
        element={
          <RequireAuth>
            <ModelsPage />
          </RequireAuth>
        }
      />
    </Routes>,
    { path: "/admin/models" },
  );
  return stub;
}

describe("ModelsPage", { timeout: 20_000 }, () => {
  it("lists every provider with its key state, who set it and when", async () => {
    renderModels();
    const local = await screen.findByRole("region", { name: "OpenAI-compatible server" });
    expect(within(local).getByText("Key ····abcd")).toBeInTheDocument();
    expect(within(local).getByText("http://127.0.0.1:11434/v1")).toBeInTheDocument();
    expect(within(local).getByText(/Set by Ada Admin \(ada@example.com\)/)).toBeInTheDocument();
    const openai = screen.getByRole("region", { name: "OpenAI" });
    expect(within(openai).getByText("Not set")).toBeInTheDocument();
    expect(within(openai).queryByRole("button", { name: /Test/ })).not.toBeInTheDocument();
    expect(screen.getAllByRole("heading", { level: 2 })).toHaveLength(5);
  });

  it("tests a key and shows the outcome, success or the clear refusal", async () => {
    let ok = true;
    const stub = renderModels({
      [`POST ${BASE}/openai-compatible/test`]: () => ({
        body: ok
          ? { ok: true, message: "127.0.0.1:11434 accepted the key and lists 2 models.", latency_ms: 12, models: ["llama3", "qwen2.5"] }
          : { ok: false, message: "127.0.0.1:11434 refused this key (HTTP 401).", latency_ms: 5, models: null },
      }),
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Test the OpenAI-compatible server key" }));
    expect(await screen.findByText("The key works")).toBeInTheDocument();
    expect(await screen.findByText(/lists 2 models/)).toBeInTheDocument();
    expect(screen.getByText(/Took 12 ms · 2 models: llama3, qwen2.5/)).toBeInTheDocument();
    ok = false;
    await user.click(screen.getByRole("button", { name: "Test the OpenAI-compatible server key" }));
    const alert = await screen.findByRole("alert");
    expect(within(alert).getByText("The test failed")).toBeInTheDocument();
    expect(within(alert).getByText(/refused this key \(HTTP 401\)/)).toBeInTheDocument();
    expect(stub.requests.filter((request) => request.method === "POST")).toHaveLength(2);
  });

  it("sets a key with its base URL and removes one after confirming", async () => {
    const stub = renderModels({
      [`PUT ${BASE}/openai`]: { body: { ...LOCAL, provider: "openai", base_url: "", key_hint: "9999" } },
      [`DELETE ${BASE}/openai-compatible`]: { status: 204 },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Set the OpenAI key" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).queryByLabelText(/Base URL/)).not.toBeInTheDocument();
    await user.type(within(dialog).getByLabelText(/API key/), "sk-live-0123456789999");
    await user.click(within(dialog).getByRole("button", { name: "Save key" }));
    await waitFor(() => expect(stub.requests.some((request) => request.method === "PUT")).toBe(true));
    const put = stub.requests.find((request) => request.method === "PUT");
    expect(put?.body).toEqual({ api_key: "sk-live-0123456789999", base_url: "" });

    await user.click(screen.getByRole("button", { name: "Remove the OpenAI-compatible server key" }));
    const confirm = await screen.findByRole("dialog", { name: "Remove key" });
    await user.click(within(confirm).getByRole("button", { name: "Remove key" }));
    await waitFor(() => expect(stub.requests.some((request) => request.method === "DELETE")).toBe(true));
  });

  it("asks the OpenAI-compatible server's base URL", async () => {
    renderModels({ [`GET ${BASE}`]: { body: [] } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Set the OpenAI-compatible server key" }));
    const dialog = await screen.findByRole("dialog");
    const save = within(dialog).getByRole("button", { name: "Save key" });
    expect(save).toBeDisabled();
    await user.type(within(dialog).getByLabelText(/Base URL/), "https://llm.example.com/v1");
    expect(save).toBeEnabled();
  });

  it("says so, with a retry, when the keys cannot be loaded, and has a nav entry", async () => {
    renderModels({ [`GET ${BASE}`]: { status: 500, body: { error: { code: "server_error", message: "Down." } } } });
    expect(await screen.findByText("Could not load the model keys")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: /retry/i })).toBeInTheDocument();
    const admin = NAV_SECTIONS.find((section) => section.label === "Admin");
    expect(admin?.items.some((item) => item.to === "/admin/models" && item.label === "Models")).toBe(true);
  });
});
