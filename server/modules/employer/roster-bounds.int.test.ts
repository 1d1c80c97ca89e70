/**
 * Bounded roster parsing (issue 17): files are read as a stream in a worker with caps, so a hostile
 * file is refused with a coded 4xx, never a 500 or a dead server. The row cap is lowered here
 * (ROSTER_MAX_ROWS=1000) so the files stay small and the test fast; the caps on cells and
 * characters follow from it.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { startServer, type TestServer } from '../../../test/support.ts';
import { registerUnitClerk, testIdNo, uploadRoster, type Client } from '../../../test/client.ts';
import { usccCheckChar } from '../../../common/ids.ts';
import { monthStart } from '../../../test/clock.ts';

const MAX = 1000;
let s: TestServer;
let clerk: Client;
let ADD_ON: string;

before(async () => {
  s = await startServer({ config: { ROSTER_MAX_ROWS: String(MAX) } });
  ADD_ON = monthStart(0, s.clock);
  const u17 = '91420281MA4RQTB1C';
  const uscc = u17 + usccCheckChar(u17);
  clerk = (await registerUnitClerk(s, { uscc, unitName: '大冶花名册上限测试有限公司' })).client;
  await s.dbh.db.updateTable('units').set({ agency_code: 'daye' }).where('uscc', '=', uscc).execute();
});
after(async () => {
  await s.close();
});

const upload = (name: string, bytes: Buffer | Uint8Array) => uploadRoster(clerk, name, bytes);

const HEADER = ['操作', '公民身份号码', '姓名', '日期', '缴费基数'];

/** An XLSX written with exceljs's streaming writer (shared strings, as Excel writes them). */
async function xlsx(rows: Iterable<unknown[]>, styledEmptyRow?: number): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: true });
  const ws = wb.addWorksheet('花名册');
  for (const r of rows) ws.addRow(r).commit();
  if (styledEmptyRow) {
    const row = ws.getRow(styledEmptyRow);
    row.getCell(1).font = { bold: true };
    row.commit();
  }
  ws.commit();
  await wb.commit();
  return Buffer.concat(chunks);
}

function* roster(n: number) {
  yield HEADER;
  for (let i = 0; i < n; i++) yield ['增员', testIdNo('420281', '19880808'), `职工${i}`, ADD_ON, 5000];
}

test('a roster of exactly the cap is read; one row more is refused with ROSTER_TOO_MANY_ROWS, as XLSX and as CSV', async () => {
  const ok = await upload('花名册.xlsx', await xlsx(roster(MAX)));
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.body.total, MAX);

  const over = await upload('花名册.xlsx', await xlsx(roster(MAX * 3)));
  assert.equal(over.status, 413, JSON.stringify(over.body));
  assert.equal(over.body.error.code, 'ROSTER_TOO_MANY_ROWS');
  assert.deepEqual(over.body.error.details, { max: MAX });
  assert.match(over.body.error.message, /一次最多导入 1000 行/);

  const csv = [...roster(MAX + 1)].map((r) => r.join(',')).join('\r\n');
  const overCsv = await upload('花名册.csv', Buffer.from(csv));
  assert.equal(overCsv.status, 413, JSON.stringify(overCsv.body));
  assert.equal(overCsv.body.error.code, 'ROSTER_TOO_MANY_ROWS');

  // Styled but empty rows far below the data are not rows of data.
  const sparse = await xlsx([HEADER, ['增员', testIdNo('420281', '19880808'), '甲', ADD_ON, 5000]], MAX * 10);
  const sp = await upload('花名册.xlsx', sparse);
  assert.equal(sp.status, 201, JSON.stringify(sp.body));
  assert.equal(sp.body.total, 1);
});

test('a small workbook that expands to too many cells or too much text (a zip bomb) is refused with ROSTER_TOO_COMPLEX', async () => {
  // 500 rows × 400 columns: 200,000 cells.
  const wide = await xlsx(
    (function* () {
      yield HEADER;
      for (let i = 0; i < 500; i++) yield Array.from({ length: 400 }, () => 1);
    })(),
  );
  const r1 = await upload('wide.xlsx', wide);
  assert.equal(r1.status, 422, JSON.stringify(r1.body));
  assert.equal(r1.body.error.code, 'ROSTER_TOO_COMPLEX');

  // One shared string of 3 million characters.
  const long = await xlsx([HEADER, ['增员', 'x'.repeat(3_000_000), '甲', ADD_ON, 5000]]);
  assert.ok(long.length < 200_000, `the file is small (${long.length} bytes)`);
  const r2 = await upload('long.xlsx', long);
  assert.equal(r2.status, 422, JSON.stringify(r2.body));
  assert.equal(r2.body.error.code, 'ROSTER_TOO_COMPLEX');
});

test('a truncated or damaged XLSX and a CSV with an unterminated quote are refused with ROSTER_UNREADABLE', async () => {
  const good = await xlsx(roster(20));
  const truncated = await upload('花名册.xlsx', good.subarray(0, Math.floor(good.length / 2)));
  assert.equal(truncated.status, 400, JSON.stringify(truncated.body));
  assert.equal(truncated.body.error.code, 'ROSTER_UNREADABLE');
  assert.match(truncated.body.error.message, /无法读取 Excel 文件“花名册.xlsx”/);

  // The directory intact, the compressed data in the middle overwritten.
  const damaged = Buffer.from(good);
  for (let i = 200; i < damaged.length - 600; i += 7) damaged[i] = (damaged[i]! * 31 + 17) & 0xff;
  const d = await upload('花名册.xlsx', damaged);
  assert.ok(d.status >= 400 && d.status < 500, `${d.status} ${JSON.stringify(d.body)}`);
  assert.ok(['ROSTER_UNREADABLE', 'ROSTER_TOO_COMPLEX'].includes(d.body.error.code), d.body.error.code);

  const csv = `${HEADER.join(',')}\r\n增员,${testIdNo('420281', '19880808')},"未闭合,${ADD_ON},5000\r\n`;
  const q = await upload('花名册.csv', Buffer.from(csv));
  assert.equal(q.status, 400, JSON.stringify(q.body));
  assert.equal(q.body.error.code, 'ROSTER_UNREADABLE');
  assert.match(q.body.error.message, /^CSV 文件格式有误/);
});

test('parallel uploads are all answered with 2xx or a coded 4xx (ROSTER_BUSY beyond the queue) and /healthz keeps answering', async () => {
  const files = [
    ['ok.xlsx', await xlsx(roster(200))],
    ['over.xlsx', await xlsx(roster(MAX * 2))],
    ['bad.xlsx', (await xlsx(roster(5))).subarray(0, 300)],
    ['ok.csv', Buffer.from([...roster(100)].map((r) => r.join(',')).join('\n'))],
  ] as const;
  const uploads = Array.from({ length: 10 }, (_, i) => upload(files[i % files.length]![0], files[i % files.length]![1]));
  const health = await s.get('/healthz');
  assert.equal(health.status, 200);
  const answers = await Promise.all(uploads);
  for (const a of answers) {
    assert.ok(a.status < 500, `${a.status} ${JSON.stringify(a.body)}`);
    if (a.status === 429) {
      assert.equal(a.body.error.code, 'ROSTER_BUSY');
      assert.equal(a.body.error.message, '系统正忙，请稍后再上传');
    }
  }
  assert.ok(answers.some((a) => a.status === 201));
  assert.ok(answers.some((a) => a.body.error?.code === 'ROSTER_TOO_MANY_ROWS'));
  assert.equal((await s.get('/healthz')).status, 200);
});
