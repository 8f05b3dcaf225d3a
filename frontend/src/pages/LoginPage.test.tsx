import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { meWithRole, renderWithProviders, stubFetch } from "../test/utils";
import { LoginPage } from "./LoginPage";

const NOT_LOGGED_IN = {
  status: 401,
  body: { error: { code: "unauthenticated", message: "Log in first." } },
};

function renderLogin() {
  return renderWithProviders(
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/" element={<p>Signed-in home</p>} />
    </Routes>,
    { path: "/login" },
  );
}

describe("LoginPage", () => {
  it("shows the API's error message and sends the CSRF token", async () => {
    const { requests } = stubFetch({
      "GET /api/v1/me": NOT_LOGGED_IN,
      "GET /api/v1/auth/csrf": () => {
        document.cookie = "csrftoken=tok123; path=/";
        return { body: { csrf_token: "tok123" } };
      },
      "POST /api/v1/auth/login": {
        status: 401,
        body: {
          error: {
            code: "invalid_credentials",
            message: "Email or password is wrong. Check them, or ask a workspace admin to invite you.",
          },
        },
      },
    });
    const user = userEvent.setup();
    renderLogin();

    await user.type(await screen.findByLabelText(/work email/i), "ada@example.com");
    await user.type(screen.getByLabelText(/password/i, { selector: "input" }), "nope-nope");
    await user.click(screen.getByRole("button", { name: "Log in" }));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not log you in");
    expect(alert).toHaveTextContent(
      "Email or password is wrong. Check them, or ask a workspace admin to invite you.",
    );
    // Still on the login page, with what was typed kept.
    expect(screen.getByLabelText(/work email/i)).toHaveValue("ada@example.com");

    const login = requests.find((r) => r.method === "POST" && r.url.pathname === "/api/v1/auth/login");
    expect(login?.body).toEqual({ email: "ada@example.com", password: "nope-nope" });
    expect(login?.headers.get("X-CSRFToken")).toBe("tok123");
  });

  it("shows a readable message when the server fails without an API error", async () => {
    document.cookie = "csrftoken=abc; path=/";
    stubFetch({
      "GET /api/v1/me": NOT_LOGGED_IN,
      "POST /api/v1/auth/login": { status: 502, body: "<html>bad gateway</html>" },
    });
    const user = userEvent.setup();
    renderLogin();

    await user.type(await screen.findByLabelText(/work email/i), "ada@example.com");
    await user.type(screen.getByLabelText(/password/i, { selector: "input" }), "secret-pass");
    await user.click(screen.getByRole("button", { name: "Log in" }));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The server had a problem. Try again in a moment.",
    );
  });

  it("goes to the app after a successful login", async () => {
    document.cookie = "csrftoken=abc; path=/";
    stubFetch({
      "GET /api/v1/me": NOT_LOGGED_IN,
      "POST /api/v1/auth/login": { body: meWithRole("admin") },
    });
    const user = userEvent.setup();
    renderLogin();

    await user.type(await screen.findByLabelText(/work email/i), "admin@example.com");
    await user.type(screen.getByLabelText(/password/i, { selector: "input" }), "demo-password");
    await user.click(screen.getByRole("button", { name: "Log in" }));

    await waitFor(() => expect(screen.getByText("Signed-in home")).toBeInTheDocument());
  });
  it("offers SSO for a claimed domain and Google for a Google preset", async () => {
    stubFetch({
      "GET /api/v1/me": NOT_LOGGED_IN,
      "GET /api/v1/auth/csrf": () => {
        document.cookie = "csrftoken=tok123; path=/";
        return { body: { csrf_token: "tok123" } };
      },
      "POST /api/v1/auth/sso/discover": (request) => ({
        body: (request.body as { email: string }).email.endsWith("@acme.com")
          ? { sso: true, workspace_name: "Acme", protocol: "oidc", preset: "google", start_url: "/sso/1/oidc/start" }
          : { sso: false, workspace_name: "", protocol: "", preset: "", start_url: "" },
      }),
    });
    const user = userEvent.setup();
    renderLogin();
    await user.type(await screen.findByLabelText(/work email/i), "ada@acme.com");
    const google = await screen.findByRole("link", { name: "Continue with Google" });
    expect(google).toHaveAttribute("href", "/sso/1/oidc/start");
    await user.clear(screen.getByLabelText(/work email/i));
    await user.type(screen.getByLabelText(/work email/i), "ada@else.com");
    await waitFor(() => expect(screen.queryByRole("link", { name: "Continue with Google" })).toBeNull());
  });

  it("shows the message of an SSO error", async () => {
    stubFetch({ "GET /api/v1/me": NOT_LOGGED_IN });
    renderWithProviders(
      <Routes>
        <Route path="/login" element={<LoginPage />} />
      </Routes>,
      { path: "/login?sso_error=email_unverified" },
    );
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Single sign-on did not work");
    expect(alert).toHaveTextContent("not verified");
  });
});
