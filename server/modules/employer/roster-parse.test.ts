/** The roster parser's worker and its limits (roster-parse.ts), without a server. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { AppError } from '../../../common/errors.ts';
import { createRosterParser, type RosterUpload } from './roster-parse.ts';

const csv = (text: string): RosterUpload & { discarded: boolean } => {
  const u = {
    discarded: false,
    load: async () => Buffer.from(text),
    discard: async () => {
      u.discarded = true;
    },
  };
  return u;
};

test('a file is read and checked in a worker; CSV and XLSX give the same rows', async () => {
  const p = createRosterParser({ maxRows: 10 });
  const lines = '操作,公民身份号码,姓名,日期,缴费基数\n减员,11010519491231002X,张三,2026-01-01,\n\n';
  const a = await p.parse(csv(lines), 'a.csv', '2026-12-01');
  assert.equal(a.check.total, 1);
  assert.deepEqual(a.check.errors, []);
  assert.equal(a.check.rows[0]!.idNo, '11010519491231002X');
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册');
  ws.addRow(['操作', '公民身份号码', '姓名', '日期', '缴费基数']);
  ws.addRow(['减员', '11010519491231002X', '张三', new Date('2026-01-01T00:00:00Z'), null]);
  const bytes = Buffer.from(await wb.xlsx.writeBuffer());
  const x = await p.parse({ load: async () => bytes, discard: async () => {} }, 'a.xlsx', '2026-12-01');
  assert.deepEqual(x.check.rows, a.check.rows);
});

test('a worker that runs out of its heap answers ROSTER_TOO_COMPLEX; the process goes on', async () => {
  const p = createRosterParser({ maxRows: 200_000, heapMb: 4 });
  const rows = [
    '操作,公民身份号码,姓名,日期,缴费基数',
    ...Array.from({ length: 50_000 }, (_, i) => `增员,11010519491231002X,职工${i},2026-01-01,5000`),
  ];
  await assert.rejects(p.parse(csv(rows.join('\n')), 'big.csv', '2026-12-01'), (e: AppError) => e.code === 'ROSTER_TOO_COMPLEX');
});

test('beyond the parsers and the queue an upload is drained and refused with ROSTER_BUSY', async () => {
  const p = createRosterParser({ maxRows: 10, parallel: 1, queue: 0 });
  const first = p.parse(csv('操作,公民身份号码,姓名,日期,缴费基数\n'), 'a.csv', '2026-12-01');
  const second = csv('操作\n');
  await assert.rejects(p.parse(second, 'b.csv', '2026-12-01'), (e: AppError) => e.code === 'ROSTER_BUSY' && e.status === 429);
  assert.ok(second.discarded);
  await first;
  // A slot is free again.
  await p.parse(csv('操作,公民身份号码,姓名,日期,缴费基数\n'), 'c.csv', '2026-12-01');
});
