import { MantineProvider } from "@mantine/core";
import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import type { HierarchyNode } from "../../../api/client";
import { ApiError } from "../../../api/errors";
import { theme } from "../../../theme";
import { HierarchyPicker } from "./HierarchyPicker";

function page(id: string, title: string, parent: string | null = null, hasChildren = false): HierarchyNode {
  return { id, title, kind: "page", parent_id: parent, has_children: hasChildren, url: "", details: {} };
}

const CHILDREN: Record<string, HierarchyNode[]> = {
  "": [page("handbook", "Handbook", null, true), page("roadmap", "Roadmap")],
  handbook: [page("engineering", "Engineering", "handbook"), page("people", "People", "handbook")],
};

function Harness({
  load,
  initial = [],
  onChange,
}: {
  load: (parentId: string | null) => Promise<HierarchyNode[]>;
  initial?: string[];
  onChange?: (ids: string[]) => void;
}) {
  const [selected, setSelected] = useState(initial);
  return (
    <MantineProvider theme={theme} env="test">
      <HierarchyPicker
        kind="notion"
        loadChildren={load}
        selected={selected}
        onChange={(ids) => {
          setSelected(ids);
          onChange?.(ids);
        }}
        label="Notion pages and databases"
        parts="pages and databases"
      />
      <output data-testid="selected">{[...selected].sort().join(",")}</output>
    </MantineProvider>
  );
}

const loader = () => vi.fn(async (parentId: string | null) => CHILDREN[parentId ?? ""] ?? []);

describe("HierarchyPicker", () => {
  it("lists the top level as a tree and loads children only when a part is opened", async () => {
    const load = loader();
    render(<Harness load={load} />);

    const tree = await screen.findByRole("tree", { name: "Notion pages and databases" });
    expect(load).toHaveBeenCalledTimes(1);
    expect(load).toHaveBeenCalledWith(null);
    const handbook = within(tree).getByRole("treeitem", { name: /Handbook/ });
    expect(handbook).toHaveAttribute("aria-level", "1");
    expect(handbook).toHaveAttribute("aria-expanded", "false");
    // A leaf has no expanded state.
    expect(within(tree).getByRole("treeitem", { name: /Roadmap/ })).not.toHaveAttribute("aria-expanded");

    await userEvent.click(within(tree).getByRole("button", { name: "Open Handbook" }));
    expect(load).toHaveBeenLastCalledWith("handbook");
    const engineering = await within(tree).findByRole("treeitem", { name: /Engineering/ });
    expect(engineering).toHaveAttribute("aria-level", "2");
    expect(handbook).toHaveAttribute("aria-expanded", "true");

    // Closing and opening again does not ask the source twice.
    await userEvent.click(within(tree).getByRole("button", { name: "Close Handbook" }));
    await userEvent.click(within(tree).getByRole("button", { name: "Open Handbook" }));
    expect(load).toHaveBeenCalledTimes(2);
  });

  it("picking a parent includes its children; unpicking a child keeps its siblings", async () => {
    const changes: string[][] = [];
    render(<Harness load={loader()} onChange={(ids) => changes.push(ids)} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Open Handbook" }));
    await screen.findByRole("checkbox", { name: "Engineering" });

    await user.click(screen.getByRole("checkbox", { name: "Handbook" }));
    expect(screen.getByTestId("selected")).toHaveTextContent(/^handbook$/);
    expect(screen.getByRole("checkbox", { name: "Engineering" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "People" })).toBeChecked();

    await user.click(screen.getByRole("checkbox", { name: "Engineering" }));
    expect(screen.getByTestId("selected")).toHaveTextContent(/^people$/);
    expect(screen.getByRole("checkbox", { name: "Engineering" })).not.toBeChecked();
    // The parent is now partly picked.
    const handbook = screen.getByRole("checkbox", { name: "Handbook" });
    expect(handbook).not.toBeChecked();
    expect(handbook).toHaveAttribute("data-indeterminate", "true");

    expect(changes).toEqual([["handbook"], ["people"]]);
  });

  it("shows an earlier selection checked, and counts picks it has not loaded", async () => {
    render(<Harness load={loader()} initial={["roadmap", "deep-page"]} />);
    expect(await screen.findByRole("checkbox", { name: "Roadmap" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Handbook" })).not.toBeChecked();
    expect(screen.getByText(/One more part is picked but not shown/)).toBeInTheDocument();
  });

  it("moves with the arrow keys and opens a part with the right arrow", async () => {
    const load = loader();
    render(<Harness load={load} />);
    const user = userEvent.setup();
    const handbook = await screen.findByRole("checkbox", { name: "Handbook" });
    handbook.focus();
    await user.keyboard("{ArrowDown}");
    expect(screen.getByRole("checkbox", { name: "Roadmap" })).toHaveFocus();
    await user.keyboard("{ArrowUp}{ArrowRight}");
    expect(await screen.findByRole("checkbox", { name: "Engineering" })).toBeInTheDocument();
    await user.keyboard("{ArrowRight}");
    expect(screen.getByRole("checkbox", { name: "Engineering" })).toHaveFocus();
    await user.keyboard("{ArrowLeft}");
    expect(handbook).toHaveFocus();
    await user.keyboard(" ");
    expect(screen.getByTestId("selected")).toHaveTextContent(/^handbook$/);
  });

  it("says what went wrong when the source cannot list its parts, and retries", async () => {
    let calls = 0;
    const load = vi.fn(async () => {
      calls += 1;
      if (calls === 1) {
        throw new ApiError(
          422,
          "rate_limited",
          "The source could not list its contents (rate limited). Try again shortly.",
        );
      }
      return CHILDREN[""];
    });
    render(<Harness load={load} />);
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Could not list the pages and databases of Notion");
    expect(alert).toHaveTextContent("Try again shortly.");
    await userEvent.click(within(alert).getByRole("button", { name: "Retry" }));
    expect(await screen.findByRole("tree")).toBeInTheDocument();
  });

  it("explains an empty source", async () => {
    render(<Harness load={vi.fn(async () => [])} />);
    expect(await screen.findByText(/The credentials reach no pages and databases yet/)).toBeInTheDocument();
  });

  it("marks Slack channels the bot is not in, and private ones", async () => {
    const channels: HierarchyNode[] = [
      { ...page("C1", "#general"), kind: "channel", details: { private: false, members: 31, bot_is_member: true } },
      { ...page("C2", "#random"), kind: "channel", details: { private: false, members: 27, bot_is_member: false } },
      { ...page("C3", "#leadership"), kind: "channel", details: { private: true, members: 7, bot_is_member: true } },
    ];
    render(<Harness load={vi.fn(async () => channels)} />);
    const tree = await screen.findByRole("tree");
    const random = within(tree).getByRole("treeitem", { name: /#random/ });
    expect(within(random).getByText("Bot not invited")).toBeInTheDocument();
    expect(within(random).getByText("27 members")).toBeInTheDocument();
    expect(
      within(within(tree).getByRole("treeitem", { name: /#leadership/ })).getByText("Private"),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(within(within(tree).getByRole("treeitem", { name: /#general/ })).queryByText("Private")).toBeNull(),
    );
  });
});
