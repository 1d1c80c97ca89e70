/**
 * Employer roster (增减员) files: the columns, and the format checks every row must pass. Pure; the
 * server adds the registry checks (already an employee here, not an employee here) and applies.
 */
import { citizenIdProblem } from './ids.ts';

export const ROSTER_COLUMNS = [
  { key: 'action', label: '操作', help: '增员 或 减员' },
  { key: 'idNo', label: '公民身份号码', help: '18位' },
  { key: 'name', label: '姓名', help: '' },
  { key: 'date', label: '日期', help: '增员为参保开始日期，减员为停止日期，YYYY-MM-DD' },
  { key: 'base', label: '缴费基数', help: '元，增员必填' },
] as const;
export type RosterKey = (typeof ROSTER_COLUMNS)[number]['key'];

export interface RosterRow {
  /** 1-based line in the file, counting the header as line 1. */
  line: number;
  action: 'add' | 'remove';
  idNo: string;
  name: string;
  date: string;
  baseFen: number | null;
}
export interface RosterError {
  line: number;
  /** The column's label, for people. */
  column: string;
  /** The field as a code, for forms that place the message beside their input (base declarations). */
  field?: 'idNo' | 'base';
  message: string;
}

export const ROSTER_MAX_ROWS = 200_000;

function validDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Map the header row to column keys; report missing or unknown headers. */
export function mapHeader(header: readonly string[]): { index: Record<RosterKey, number>; errors: RosterError[] } {
  const index = {} as Record<RosterKey, number>;
  const errors: RosterError[] = [];
  const clean = header.map((h) => h.replace(/^\uFEFF/, '').trim());
  for (const c of ROSTER_COLUMNS) {
    const i = clean.findIndex((h) => h === c.label || h.startsWith(`${c.label}（`) || h.startsWith(`${c.label}(`));
    if (i < 0)
      errors.push({ line: 1, column: c.label, message: `缺少“${c.label}”列（表头应为：${ROSTER_COLUMNS.map((x) => x.label).join('、')}）。` });
    else index[c.key] = i;
  }
  return { index, errors };
}

/**
 * A row-by-row checker for a file read as a stream: the header first, then each data row with its
 * 1-based line; rows that pass are kept, errors collected. Duplicates of the same person are errors.
 */
export function rowChecker(header: readonly string[], today: string) {
  const { index, errors: headerErrors } = mapHeader(header);
  const rows: RosterRow[] = [];
  const errors: RosterError[] = [];
  const seen = new Map<string, number>();
  let total = 0;
  return {
    headerErrors,
    rows,
    errors,
    /** Non-blank data rows seen. */
    get total() {
      return total;
    },
    /** Check one data row; false when it is a blank line (skipped). */
    check(line: number, r: readonly string[]): boolean {
      const cell = (k: RosterKey) => (r[index[k]] ?? '').trim();
      if (r.every((c) => !c.trim())) return false; // blank line
      total++;
      const before = errors.length;
      const actionText = cell('action');
      const action = actionText === '增员' ? 'add' : actionText === '减员' ? 'remove' : null;
      if (!action) errors.push({ line, column: '操作', message: `“${actionText || '（空）'}”不是有效操作，应为“增员”或“减员”。` });
      const idNo = cell('idNo').toUpperCase();
      const p = citizenIdProblem(idNo, today);
      if (p)
        errors.push({
          line,
          column: '公民身份号码',
          message: p === 'format' ? '公民身份号码应为18位。' : p === 'birthdate' ? '公民身份号码中的出生日期无效。' : '公民身份号码校验位不正确。',
        });
      const name = cell('name');
      if (!name) errors.push({ line, column: '姓名', message: '姓名不能为空。' });
      else if (name.length > 50) errors.push({ line, column: '姓名', message: '姓名过长。' });
      const date = cell('date');
      if (!validDate(date)) errors.push({ line, column: '日期', message: `“${date || '（空）'}”不是有效日期，应为 YYYY-MM-DD。` });
      const baseText = cell('base').replace(/,/g, '');
      let baseFen: number | null = null;
      if (baseText) {
        if (!/^\d+(\.\d{1,2})?$/.test(baseText) || Number(baseText) <= 0)
          errors.push({ line, column: '缴费基数', message: `“${cell('base')}”不是有效金额。` });
        else baseFen = Math.round(Number(baseText) * 100);
      } else if (action === 'add') errors.push({ line, column: '缴费基数', message: '增员须填写缴费基数。' });
      if (!p) {
        const prev = seen.get(idNo);
        if (prev !== undefined) errors.push({ line, column: '公民身份号码', message: `与第 ${prev} 行是同一人，同一文件中每人只能出现一次。` });
        else seen.set(idNo, line);
      }
      if (errors.length === before) rows.push({ line, action: action!, idNo, name, date, baseFen });
      return true;
    },
  };
}

/** Check every row's format (header row first); duplicates of the same person within the file are errors too. */
export function checkRows(rows: readonly (readonly string[])[], today: string): { rows: RosterRow[]; errors: RosterError[] } {
  if (rows.length === 0) return { rows: [], errors: [{ line: 1, column: '', message: '文件是空的。' }] };
  const c = rowChecker(rows[0]!, today);
  if (c.headerErrors.length) return { rows: [], errors: c.headerErrors };
  if (rows.length - 1 > ROSTER_MAX_ROWS)
    return { rows: [], errors: [{ line: 1, column: '', message: `一次最多导入 ${ROSTER_MAX_ROWS} 行，请分批上传。` }] };
  for (let i = 1; i < rows.length; i++) c.check(i + 1, rows[i]!);
  return { rows: c.rows, errors: c.errors };
}
