/** The unit page's limits, labels and CSV helpers. */
import { ROSTER_COLUMNS } from '../../../../common/roster.ts';

export const MAX_ROSTER_BYTES = 30 * 1024 * 1024;
/** Error rows drawn in the page; the downloadable error list always has all of them. */
export const MAX_SHOWN_ERRORS = 1000;
/** Employees drawn before 「显示全部」. */
export const FIRST_EMPLOYEES = 200;

export const STATUS_LABELS: Record<string, string> = { active: '在职参保', suspended: '已减员' };

/** A CSV text Excel opens as UTF-8: BOM first, CRLF lines, every cell quoted. */
export function csvText(rows: readonly (readonly (string | number)[])[]): string {
  const cell = (v: string | number) => `"${String(v).replace(/"/g, '""')}"`;
  return '\uFEFF' + rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}
export const csvHref = (text: string) => `data:text/csv;charset=utf-8,${encodeURIComponent(text)}`;

/** The template: the header row only, each column's help in brackets (the server accepts “列名（…）”). */
export const TEMPLATE_HREF = csvHref(csvText([ROSTER_COLUMNS.map((c) => (c.help ? `${c.label}（${c.help}）` : c.label))]));
