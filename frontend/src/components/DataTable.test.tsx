import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { IconUsers } from "@tabler/icons-react";
import { describe, expect, it, vi } from "vitest";
import { ApiError } from "../api/errors";
import { renderWithProviders } from "../test/utils";
import { DataTable, QueryTable, type Column } from "./DataTable";
import { EmptyState } from "./states";

interface Row {
  id: number;
  name: string;
}

const COLUMNS: Column<Row>[] = [
  { key: "name", header: "Name", render: (row) => row.name },
  { key: "actions", header: "Actions", hiddenHeader: true, width: 60, render: (row) => `#${row.id}` },
];

describe("DataTable", () => {
  it("renders one header per column and one row per item, headers hidden where asked", () => {
    renderWithProviders(
      <DataTable
        rows={[
          { id: 1, name: "Ada" },
          { id: 2, name: "Grace" },
        ]}
        columns={COLUMNS}
        rowKey={(row) => row.id}
        minWidth={400}
        aria-label="People"
      />,
    );
    const table = screen.getByRole("table", { name: "People" });
    const headers = within(table).getAllByRole("columnheader");
    expect(headers.map((header) => header.textContent)).toEqual(["Name", "Actions"]);
    // "Actions" is for screen readers only: it is in the header, visually hidden.
    expect(within(headers[1]).getByText("Actions")).toBeInTheDocument();
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((row) => within(row).getAllByRole("cell").map((cell) => cell.textContent))).toEqual([
      ["Ada", "#1"],
      ["Grace", "#2"],
    ]);
  });
});

describe("QueryTable", () => {
  const empty = <EmptyState icon={IconUsers} title="Nobody here" />;

  it("shows a skeleton while loading, then the rows", () => {
    renderWithProviders(
      <QueryTable
        query={{ data: undefined, error: null }}
        errorTitle="Could not load people"
        empty={empty}
        columns={COLUMNS}
        rowKey={(row) => row.id}
        minWidth={400}
      />,
    );
    expect(screen.getByRole("status", { name: "Loading" })).toBeInTheDocument();
    expect(screen.queryByRole("table")).toBeNull();
  });

  it("shows the empty state for no rows", () => {
    renderWithProviders(
      <QueryTable
        query={{ data: [], error: null }}
        errorTitle="Could not load people"
        empty={empty}
        columns={COLUMNS}
        rowKey={(row) => row.id}
        minWidth={400}
      />,
    );
    expect(screen.getByText("Nobody here")).toBeInTheDocument();
    expect(screen.queryByRole("table")).toBeNull();
  });

  it("says what failed with a retry that asks the query again", async () => {
    const refetch = vi.fn();
    renderWithProviders(
      <QueryTable
        query={{ data: undefined, error: new ApiError(500, "server_error", "The server had a problem."), refetch }}
        errorTitle="Could not load people"
        empty={empty}
        columns={COLUMNS}
        rowKey={(row) => row.id}
        minWidth={400}
      />,
    );
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("Could not load people");
    expect(alert).toHaveTextContent("The server had a problem.");
    await userEvent.setup().click(within(alert).getByRole("button", { name: "Retry" }));
    expect(refetch).toHaveBeenCalledTimes(1);
  });
});
