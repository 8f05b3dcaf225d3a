import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { RequireAuth } from "../auth/RequireAuth";
import { meWithRole, renderWithProviders, stubFetch } from "../test/utils";
import { UserMenu } from "./UserMenu";

function renderMenu(routes: Parameters<typeof stubFetch>[0]) {
  document.cookie = "csrftoken=abc; path=/";
  const stub = stubFetch({ "GET /api/v1/me": { body: meWithRole("member") }, ...routes });
  renderWithProviders(
    <RequireAuth>
      <UserMenu />
    </RequireAuth>,
  );
  return stub;
}

async function openChangePassword(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole("button", { name: /Account menu for/ }));
  await user.click(await screen.findByRole("menuitem", { name: "Change password" }));
  return screen.findByRole("dialog", { name: "Change password" });
}

async function fill(user: ReturnType<typeof userEvent.setup>, dialog: HTMLElement, label: RegExp, value: string) {
  await user.click(within(dialog).getByLabelText(label, { selector: "input" }));
  await user.paste(value);
}

describe("Change password", { timeout: 20_000 }, () => {
  it("sends the current and new password and says other sessions were signed out", async () => {
    const { requests } = renderMenu({ "POST /api/v1/auth/password": { status: 204 } });
    const user = userEvent.setup();
    const dialog = await openChangePassword(user);
    await fill(user, dialog, /^Current password/, "old-secret-1");
    await fill(user, dialog, /^New password/, "new-secret-22");
    await fill(user, dialog, /^Confirm new password/, "new-secret-22");
    await user.click(within(dialog).getByRole("button", { name: "Change password" }));

    expect(await screen.findByText(/other sessions were signed out/)).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    const post = requests.find((r) => r.method === "POST");
    expect(post?.body).toEqual({ current_password: "old-secret-1", new_password: "new-secret-22" });
    expect(post?.headers.get("X-CSRFToken")).toBe("abc");
  });

  it("keeps the dialog open with the API's message when the current password is wrong", async () => {
    renderMenu({
      "POST /api/v1/auth/password": {
        status: 400,
        body: { error: { code: "invalid_credentials", message: "The current password is wrong." } },
      },
    });
    const user = userEvent.setup();
    const dialog = await openChangePassword(user);
    await fill(user, dialog, /^Current password/, "guess");
    await fill(user, dialog, /^New password/, "new-secret-22");
    await fill(user, dialog, /^Confirm new password/, "new-secret-22");
    await user.click(within(dialog).getByRole("button", { name: "Change password" }));
    expect(await within(dialog).findByRole("alert")).toHaveTextContent("The current password is wrong.");
    // Still signed in: a 400 from /auth/ is not a lost session.
    expect(screen.getByRole("button", { name: /Account menu for/ })).toBeInTheDocument();
  });
});
