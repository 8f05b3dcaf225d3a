import { Table, VisuallyHidden, type TableTrProps } from "@mantine/core";
import type { Key, ReactNode } from "react";
import { QueryStates, TableSkeleton, type QueryLike } from "./states";

/** One column of a DataTable: its header, width and how a row's cell renders. */
export interface Column<T> {
  key: string;
  /** The header text; with `hiddenHeader` it is read by screen readers only ("Actions"). */
  header?: ReactNode;
  hiddenHeader?: boolean;
  width?: number;
  align?: "left" | "right";
  render: (row: T) => ReactNode;
}

export interface DataTableProps<T> {
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => Key;
  /** Below this width the table scrolls sideways instead of squeezing its columns. */
  minWidth: number;
  "aria-label"?: string;
  "aria-labelledby"?: string;
  highlightOnHover?: boolean;
  verticalSpacing?: "xs" | "sm" | "md";
  /** A newer answer is loading: the table says it is busy (and, with `dimWhenBusy`, dims). */
  busy?: boolean;
  dimWhenBusy?: boolean;
  /** Extra props per row (a click target, a dimmed style). */
  rowProps?: (row: T) => Omit<TableTrProps, "children">;
}

/** The card-framed table every admin list uses: fixed columns, scrolling on narrow screens. */
export function DataTable<T>({
  rows,
  columns,
  rowKey,
  minWidth,
  highlightOnHover = true,
  verticalSpacing,
  busy,
  dimWhenBusy = false,
  rowProps,
  ...labels
}: DataTableProps<T>) {
  return (
    <div className="table-card" aria-busy={busy}>
      <Table.ScrollContainer minWidth={minWidth}>
        <Table
          highlightOnHover={highlightOnHover}
          verticalSpacing={verticalSpacing}
          style={dimWhenBusy ? { opacity: busy ? 0.6 : 1 } : undefined}
          {...labels}
        >
          <Table.Thead>
            <Table.Tr>
              {columns.map((column) => (
                <Table.Th key={column.key} w={column.width} ta={column.align}>
                  {column.hiddenHeader ? <VisuallyHidden>{column.header}</VisuallyHidden> : column.header}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((row) => (
              <Table.Tr key={rowKey(row)} {...rowProps?.(row)}>
                {columns.map((column) => (
                  <Table.Td key={column.key} ta={column.align}>
                    {column.render(row)}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </div>
  );
}

/**
 * A DataTable over a query: the error (with retry), a skeleton shaped like the table while it
 * loads, the empty state, then the rows.
 */
export function QueryTable<T>({
  query,
  errorTitle,
  empty,
  skeletonRows = 4,
  skeletonColumns,
  ...table
}: Omit<DataTableProps<T>, "rows"> & {
  query: QueryLike<T[]>;
  errorTitle: string;
  empty: ReactNode;
  skeletonRows?: number;
  skeletonColumns?: number;
}) {
  return (
    <QueryStates
      query={query}
      errorTitle={errorTitle}
      loading={<TableSkeleton rows={skeletonRows} columns={skeletonColumns ?? table.columns.length} />}
      empty={empty}
    >
      {(rows) => <DataTable rows={rows} {...table} />}
    </QueryStates>
  );
}
