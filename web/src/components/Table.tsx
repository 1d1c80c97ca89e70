/**
 * A data table: a caption (its accessible name), a header row of `scope="col"` headers, one row per
 * item. With `empty`, no rows draw one full-width muted row saying so. Each column's `label` is the
 * cell's data-label, which the stacked phone layouts (`table.stack` and friends) show before the value.
 */
import type { Key, ReactNode } from 'react';

export interface Column<R> {
  header: ReactNode;
  cell: (row: R, index: number) => ReactNode;
  /** The cell's class. */
  className?: string;
  /** The header's class. */
  headerClassName?: string;
  /** data-label on the cell (the stacked phone layout's label). */
  label?: string;
}

export function Table<R>({
  columns,
  rows,
  rowKey,
  rowClassName,
  caption,
  empty,
  className,
}: {
  columns: readonly (Column<R> | false | null | undefined)[];
  rows: readonly R[];
  rowKey?: (row: R, index: number) => Key;
  rowClassName?: (row: R) => string | undefined;
  caption?: ReactNode;
  /** Text of the row drawn when there are no rows (none without it). */
  empty?: ReactNode;
  className?: string;
}) {
  const cols = columns.filter((c): c is Column<R> => !!c);
  return (
    <table className={className}>
      {caption !== undefined && <caption>{caption}</caption>}
      <thead>
        <tr>
          {cols.map((c, i) => (
            <th key={i} scope="col" className={c.headerClassName}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.length === 0 && empty !== undefined && (
          <tr>
            <td colSpan={cols.length} className="muted">
              {empty}
            </td>
          </tr>
        )}
        {rows.map((r, i) => (
          <tr key={rowKey ? rowKey(r, i) : i} className={rowClassName?.(r)}>
            {cols.map((c, j) => (
              <td key={j} className={c.className} data-label={c.label}>
                {c.cell(r, i)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
