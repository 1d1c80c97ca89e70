/**
 * Dashboard tables as files: CSV (UTF-8 with a BOM so Excel reads the Chinese, CRLF, RFC 4180
 * quoting) and XLSX (exceljs: the table on the first sheet, the filters and definitions on a
 * second). Text cells that a spreadsheet would run as a formula get a leading apostrophe.
 */
import type { DashCell, DashColumn, DashRow } from '../../../common/api-dashboard.ts';
import { AppError } from '../../../common/errors.ts';
import type { DashboardQuery } from '../../../common/api-dashboard.ts';
import type { Ctx, UserActor } from '../../http/actor.ts';
import { audit } from '../audit/index.ts';
import { dashboardTable, type TableExport } from './service.ts';

const BOM = '\uFEFF';

/** A text cell made safe for spreadsheets (no formula injection). */
export function safeText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

export function csvField(v: DashCell): string {
  if (v === null) return '';
  const s = typeof v === 'number' ? String(v) : safeText(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function allRows(t: TableExport): DashRow[] {
  return t.table.totals ? [...t.table.rows, t.table.totals] : t.table.rows;
}

export function toCsv(t: TableExport): string {
  const cols = t.table.columns;
  const lines = [cols.map((c) => csvField(c.label)).join(',')];
  for (const r of allRows(t)) lines.push(cols.map((c) => csvField(r[c.key] ?? null)).join(','));
  return BOM + lines.join('\r\n') + '\r\n';
}

export function filtersText(t: TableExport): [string, string][] {
  return [
    ['经办机构', t.agencyName],
    ['报表', `${t.panel.title} · ${t.table.title}`],
    ['统计期间', `${t.filters.from} 至 ${t.filters.to}`],
    ['窗口', t.filters.officeName ?? '全部'],
    ['数据日期', t.filters.asOf],
    ['口径', t.panel.description],
    ...(t.table.note ? ([['说明', t.table.note]] as [string, string][]) : []),
  ];
}

function numFmt(c: DashColumn): string | undefined {
  if (c.type === 'int') return '0';
  if (c.type === 'percent') return '0.0';
  if (c.type === 'decimal') return '0.00';
  return undefined;
}

export async function toXlsx(t: TableExport): Promise<Buffer> {
  // Loaded on first use: exceljs alone took ~0.5 s of every start-up (docs/SCALING.md, start-up time).
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = '医保经办服务平台';
  wb.created = new Date(`${t.filters.asOf}T00:00:00+08:00`);
  const ws = wb.addWorksheet(t.table.title.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  const cols = t.table.columns;
  ws.columns = cols.map((c) => ({
    header: c.label,
    key: c.key,
    width: Math.max(10, Math.min(50, c.label.length * 2 + 4, c.type === 'text' ? 40 : 14)),
    style: numFmt(c) ? { numFmt: numFmt(c) } : {},
  }));
  ws.getRow(1).font = { bold: true };
  for (const r of allRows(t)) {
    ws.addRow(
      cols.map((c) => {
        const v = r[c.key] ?? null;
        return typeof v === 'string' ? safeText(v) : v;
      }),
    );
  }
  if (t.table.totals) ws.getRow(ws.rowCount).font = { bold: true };
  const info = wb.addWorksheet('说明');
  info.columns = [
    { header: '项目', key: 'k', width: 12 },
    { header: '内容', key: 'v', width: 100 },
  ];
  info.getRow(1).font = { bold: true };
  for (const [k, v] of filtersText(t)) info.addRow([k, v]);
  info.getColumn(2).alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** `attachment` with an ASCII fallback name and the Chinese one (RFC 6266 / 5987). */
export function contentDisposition(t: TableExport, ext: 'csv' | 'xlsx'): string {
  const period = `${t.filters.from}_${t.filters.to}`;
  const ascii = `${t.agencyCode}-${t.table.key}-${period}.${ext}`;
  const zh = `${t.agencyName}-${t.panel.title}-${t.table.title}-${t.filters.from}至${t.filters.to}.${ext}`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(zh)}`;
}

/** One table of the dashboard as a CSV or XLSX file; every export is audited (who, which table, which filters, how many rows). */
export async function exportTable(ctx: Ctx, a: UserActor, agency: string, key: string, ext: 'csv' | 'xlsx', q: DashboardQuery) {
  const t = await dashboardTable(ctx.db, ctx, agency, key, q);
  const body = ext === 'csv' ? Buffer.from(toCsv(t), 'utf8') : await toXlsx(t);
  await audit(
    ctx,
    'dashboard.export',
    { kind: 'dashboard', id: `${agency}/${key}`, agency },
    { format: ext, from: t.filters.from, to: t.filters.to, office: q.office ?? null, rows: t.table.rows.length },
  );
  if (!body.length) throw new AppError('INTERNAL');
  return { body, disposition: contentDisposition(t, ext) };
}
