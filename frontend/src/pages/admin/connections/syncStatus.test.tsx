import { MantineProvider } from "@mantine/core";
import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { ReactElement } from "react";
import { describe, expect, it } from "vitest";
import { theme } from "../../../theme";
import { connection, syncRun } from "./fixtures";
import { SyncHistory } from "./SyncHistory";
import { LastSyncSummary, runCountsText, runProgress, SyncProgress } from "./syncStatus";

function renderUi(ui: ReactElement) {
  return render(
    <MantineProvider theme={theme} env="test">
      {ui}
    </MantineProvider>,
  );
}

const FAILED_ITEMS = syncRun({
  id: 12,
  mode: "incremental",
  trigger: "schedule",
  documents_upserted: 3,
  documents_unchanged: 120,
  documents_deleted: 1,
  documents_failed: 2,
  errors: [
    {
      external_id: "C3",
      title: "#random",
      code: "not_in_channel",
      message: "The bot is not a member of this channel: invite it (/invite @bot).",
    },
    {
      external_id: "C9:thread:1700000000.000100",
      title: "",
      code: "file_too_large",
      message: "The file is over 50 MB.",
    },
  ],
});

const FAILED_RUN = syncRun({
  id: 13,
  status: "failed",
  documents_upserted: 0,
  error_code: "invalid_credentials",
  error_message: "Slack refused the bot token. Paste the app's current Bot User OAuth Token (xoxb-…).",
  duration_seconds: 1.25,
});

describe("sync status", () => {
  it("uses a total only when it is known and not passed", () => {
    expect(runProgress(syncRun({ status: "running", progress_done: 3, progress_total: 8 }))).toEqual({
      percent: 38,
      label: "3 of 8",
    });
    // Documents counted against a total of channels: no percentage that would be wrong.
    expect(runProgress(syncRun({ status: "running", progress_done: 43, progress_total: 8 }))).toEqual({
      percent: null,
      label: "43 items so far",
    });
    expect(runProgress(syncRun({ status: "running", progress_done: 0, progress_total: null })).label).toBe("Starting…");
    expect(runProgress(syncRun({ status: "queued", progress_done: 0 })).label).toBe("Waiting to start");
  });

  it("exposes progress to screen readers", () => {
    renderUi(<SyncProgress run={syncRun({ status: "running", progress_done: 3, progress_total: 4 })} />);
    const bar = screen.getByRole("progressbar", { name: "Sync progress" });
    expect(bar).toHaveAttribute("aria-valuenow", "75");
    expect(bar).toHaveAttribute("aria-valuetext", "3 of 4");
  });

  it("leaves the value out of an indeterminate bar", () => {
    renderUi(<SyncProgress run={syncRun({ status: "running", progress_done: 12, progress_total: null })} />);
    const bar = screen.getByRole("progressbar");
    expect(bar).not.toHaveAttribute("aria-valuenow");
    expect(bar).toHaveAttribute("aria-valuetext", "12 items so far");
  });

  it("summarises the counts, leaving out zeros", () => {
    expect(runCountsText(FAILED_ITEMS)).toBe("3 added or updated · 120 unchanged · 1 deleted · 2 failed");
    expect(runCountsText(syncRun({ documents_upserted: 0 }))).toBe("No documents changed");
  });

  it("shows the last sync of a connection: progress while running, else the result", () => {
    const running = connection({ latest_run: syncRun({ status: "running", progress_done: 2, progress_total: 8 }) });
    const { unmount } = renderUi(<LastSyncSummary connection={running} />);
    expect(screen.getByRole("progressbar", { name: "Sync progress of Acme Slack" })).toHaveAttribute(
      "aria-valuenow",
      "25",
    );
    expect(screen.getByText("Full sync running")).toBeInTheDocument();
    unmount();

    renderUi(<LastSyncSummary connection={connection({ latest_run: FAILED_RUN })} />);
    expect(screen.getByText("Failed")).toBeInTheDocument();
    expect(screen.getByText(/Slack refused the bot token/)).toBeInTheDocument();
    expect(screen.queryByRole("progressbar")).toBeNull();
  });
});

describe("SyncHistory", () => {
  it("lists each run with its counts, duration and error", () => {
    renderUi(<SyncHistory runs={[FAILED_RUN, FAILED_ITEMS]} />);
    const table = screen.getByRole("table", { name: "Sync history" });
    const [, failed, withErrors] = within(table).getAllByRole("row");

    expect(within(failed).getByText("Failed")).toBeInTheDocument();
    expect(within(failed).getByText("1.3 s")).toBeInTheDocument();
    const message = within(failed).getByTestId("run-error-13");
    expect(message).toHaveTextContent(
      "Slack refused the bot token. Paste the app's current Bot User OAuth Token (xoxb-…).",
    );
    expect(message).toHaveTextContent("invalid_credentials");

    expect(within(withErrors).getByText("Succeeded with errors")).toBeInTheDocument();
    expect(within(withErrors).getByText("Incremental")).toBeInTheDocument();
    expect(within(withErrors).getByText("scheduled")).toBeInTheDocument();
    const cells = within(withErrors)
      .getAllByRole("cell")
      .map((cell) => cell.textContent);
    expect(cells.slice(3)).toEqual(["3", "120", "1", "2", "30 s"]);
  });

  it("expands a run's per-item errors", async () => {
    renderUi(<SyncHistory runs={[FAILED_ITEMS]} />);
    const toggle = screen.getByRole("button", { name: "Show 2 item errors" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByText("#random")).toBeNull();

    await userEvent.click(toggle);
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    expect(toggle).toHaveAccessibleName("Hide 2 item errors");
    const list = screen.getByRole("list", { name: "Documents that failed in this sync" });
    expect(list).toHaveAttribute("id", toggle.getAttribute("aria-controls"));
    const [random, thread] = within(list).getAllByRole("listitem");
    expect(random).toHaveTextContent("#random");
    expect(random).toHaveTextContent("The bot is not a member of this channel: invite it (/invite @bot).");
    expect(random).toHaveTextContent("not_in_channel");
    // Without a title, the external id names the item.
    expect(thread).toHaveTextContent("C9:thread:1700000000.000100");
    expect(thread).toHaveTextContent("file_too_large");

    await userEvent.click(toggle);
    expect(screen.queryByRole("list", { name: "Documents that failed in this sync" })).toBeNull();
  });

  it("says when only the latest failures were kept", async () => {
    renderUi(<SyncHistory runs={[syncRun({ ...FAILED_ITEMS, documents_failed: 7 })]} />);
    await userEvent.click(screen.getByRole("button", { name: "Show 2 item errors" }));
    expect(screen.getByText("5 earlier failures not listed: only the latest are kept.")).toBeInTheDocument();
  });

  it("has an empty state", () => {
    renderUi(<SyncHistory runs={[]} />);
    expect(screen.getByText("No syncs yet")).toBeInTheDocument();
  });
});
