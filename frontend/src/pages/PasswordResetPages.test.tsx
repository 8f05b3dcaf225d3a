import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Route, Routes } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { renderWithProviders, stubFetch } from "../test/utils";
import { LoginPage, safeNext } from "./LoginPage";
import { ConfirmPasswordResetPage, RequestPasswordResetPage } from "./PasswordResetPages";

const NOT_LOGGED_IN = { status: 401, body: { error: { code: "unauthenticated", message: "Log in first." } } };

function renderAt(path: string, routes: Parameters<typeof stubFetch>[0]) {
  document.cookie = "csrftoken=abc; path=/";
  const stub = stubFetch({ "GET /api/v1/me": NOT_LOGGED_IN, ...routes });
  renderWithProviders(
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route path="/reset-password" element={<RequestPasswordResetPage />} />
      <Route path="/reset-password/:uid/:token" element={<ConfirmPasswordResetPage />} />
    </Routes>,
    { path },
  );
  return stub;
}

async function typeInto(user: ReturnType<typeof userEvent.setup>, label: RegExp, value: string) {
  await user.click(screen.getByLabelText(label, { selector: "input" }));
  await user.paste(value);
}

describe("password reset", { timeout: 20_000 }, () => {
  it("is reached from 'Forgot password?' and always answers the same, account or not", async () => {
    const { requests } = renderAt("/login", {
      "POST /api/v1/auth/password-reset": { status: 202, body: {} },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("link", { name: "Forgot password?" }));
    await user.click(await screen.findByLabelText(/work email/i));
    await user.paste("nobody@example.com");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));

    expect(await screen.findByRole("status")).toHaveTextContent(
      "If an account exists for that email, we sent a link",
    );
    const post = requests.find((r) => r.method === "POST");
    expect(post?.url.pathname).toBe("/api/v1/auth/password-reset");
    expect(post?.body).toEqual({ email: "nobody@example.com" });
    expect(post?.headers.get("X-CSRFToken")).toBe("abc");
  });

  it("shows a rate limit as an error, not as 'sent'", async () => {
    renderAt("/reset-password", {
      "POST /api/v1/auth/password-reset": {
        status: 429,
        body: { error: { code: "rate_limited", message: "Too many requests. Try again in a minute." } },
      },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByLabelText(/work email/i));
    await user.paste("ada@example.com");
    await user.click(screen.getByRole("button", { name: "Send reset link" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("Too many requests. Try again in a minute.");
    expect(screen.queryByRole("status")).not.toBeInTheDocument();
  });

  it("sets the new password from the emailed link, then sends the person to log in", async () => {
    const { requests } = renderAt("/reset-password/MTI/abc-123", {
      "POST /api/v1/auth/password-reset/confirm": { status: 204 },
    });
    const user = userEvent.setup();
    await screen.findByRole("form", { name: "Choose a new password" });
    await typeInto(user, /^New password/, "a-fresh-passphrase");
    await typeInto(user, /^Confirm new password/, "a-fresh-passphrase");
    await user.click(screen.getByRole("button", { name: "Change password" }));

    const done = await screen.findByRole("status");
    expect(done).toHaveTextContent("Password changed, log in");
    expect(screen.getByRole("link", { name: "Log in" })).toHaveAttribute("href", "/login");
    const post = requests.find((r) => r.method === "POST");
    expect(post?.body).toEqual({ uid: "MTI", token: "abc-123", new_password: "a-fresh-passphrase" });
  });

  it("refuses differing passwords locally and shows the API's weak-password message", async () => {
    const { requests } = renderAt("/reset-password/MTI/abc-123", {
      "POST /api/v1/auth/password-reset/confirm": {
        status: 422,
        body: { error: { code: "weak_password", message: "This password is too short." } },
      },
    });
    const user = userEvent.setup();
    const form = await screen.findByRole("form", { name: "Choose a new password" });
    await typeInto(user, /^New password/, "short1");
    await typeInto(user, /^Confirm new password/, "short2");
    await user.click(within(form).getByRole("button", { name: "Change password" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("The two passwords differ");
    expect(requests.some((r) => r.method === "POST")).toBe(false);

    await user.clear(screen.getByLabelText(/^Confirm new password/, { selector: "input" }));
    await user.paste("short1");
    await user.click(within(form).getByRole("button", { name: "Change password" }));
    expect(await within(form).findByText("This password is too short.")).toBeInTheDocument();
  });

  it("says a used or expired link is invalid (410) and offers a new one", async () => {
    renderAt("/reset-password/MTI/used-token", {
      "POST /api/v1/auth/password-reset/confirm": {
        status: 410,
        body: { error: { code: "reset_link_invalid", message: "This link is no longer valid." } },
      },
    });
    const user = userEvent.setup();
    await screen.findByRole("form", { name: "Choose a new password" });
    await typeInto(user, /^New password/, "a-fresh-passphrase");
    await typeInto(user, /^Confirm new password/, "a-fresh-passphrase");
    await user.click(screen.getByRole("button", { name: "Change password" }));

    expect(await screen.findByRole("status")).toHaveTextContent(/not valid any more.*Request a new one/);
    expect(screen.getByRole("link", { name: "Request a new link" })).toHaveAttribute("href", "/reset-password");
    expect(screen.queryByRole("form")).not.toBeInTheDocument();
  });
});

describe("safeNext", () => {
  it("follows only this app's own paths after login", () => {
    expect(safeNext("/invite/tok")).toBe("/invite/tok");
    expect(safeNext("/data/3?tab=files")).toBe("/data/3?tab=files");
    for (const hostile of [null, "", "https://evil.example", "//evil.example", "/\\evil.example", "javascript:alert(1)", "evil"]) {
      expect(safeNext(hostile)).toBe("/");
    }
  });
});
