/** Employer roster: the whole file is checked first, bad rows reported by line; nothing applied until the clerk says so. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { startServer, type TestServer } from '../../../test/support.ts';
import { registerCitizen, registerUnitClerk, testIdNo, uploadRoster, type Client } from '../../../test/client.ts';
import { usccCheckChar } from '../../../common/ids.ts';
import { monthStart, testToday } from '../../../test/clock.ts';

let s: TestServer;
let clerk: Client;
let unitId: number;
/** 增员 from the first of this month; 减员 today (the server's). */
let ADD_ON: string;
let REMOVE_ON: string;

before(async () => {
  s = await startServer();
  ADD_ON = monthStart(0, s.clock);
  REMOVE_ON = testToday(s.clock);
  const u17 = '91420281MA4RQTE0A';
  const valid = u17 + usccCheckChar(u17);
  const c = await registerUnitClerk(s, { uscc: valid, unitName: '大冶花名册测试有限公司' });
  clerk = c.client;
  const u = await s.dbh.db.selectFrom('units').select('id').where('uscc', '=', valid).executeTakeFirstOrThrow();
  unitId = Number(u.id);
  // The unit has done 单位参保登记 with 大冶.
  await s.dbh.db.updateTable('units').set({ agency_code: 'daye' }).where('id', '=', unitId).execute();
});
after(async () => {
  await s.close();
});

const upload = (name: string, bytes: Buffer | Uint8Array) => uploadRoster(clerk, name, bytes);

test('a roster with 3 bad rows: every error reported by line, nothing applied until chosen', async () => {
  const good = Array.from({ length: 7 }, () => testIdNo('420281', '19880808'));
  const lines = [
    '操作,公民身份号码,姓名,日期,缴费基数（元）',
    ...good.map((id, i) => `增员,${id},职工${i + 1},${ADD_ON},"5,200"`),
    `增员,420281198808080000,错号,${ADD_ON},5200`,
    `调岗,${testIdNo('420281', '19880808')},错操作,${ADD_ON},5200`,
    `增员,${testIdNo('420281', '19880808')},缺基数,2026-11-31,`, // no such day
  ];
  const r = await upload('花名册.csv', Buffer.from(lines.join('\r\n'), 'utf8'));
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.total, 10);
  assert.equal(r.body.valid, 7);
  assert.deepEqual([...new Set(r.body.errors.map((e: { line: number }) => e.line))], [9, 10, 11]);
  assert.ok(r.body.errors.some((e: { column: string; message: string }) => e.column === '日期' && /2026-11-31/.test(e.message)));
  assert.equal((await clerk.get('/api/unit/employees')).body.items.length, 0, 'nothing applied yet');

  const all = await clerk.post(`/api/unit/roster/${r.body.id}/apply`, { mode: 'all' });
  assert.equal(all.status, 400);
  assert.match(all.body.error.message, /3 行共 4 处错误/);
  const valid = await clerk.post(`/api/unit/roster/${r.body.id}/apply`, { mode: 'valid' });
  assert.equal(valid.status, 200, JSON.stringify(valid.body));
  assert.equal(valid.body.appliedRows, 7);
  const emps = await clerk.get('/api/unit/employees');
  assert.equal(emps.body.items.length, 7);
  assert.ok(emps.body.items.every((e: { status: string; idNoMasked: string }) => e.status === 'active' && e.idNoMasked.includes('*')));
  assert.equal((await clerk.post(`/api/unit/roster/${r.body.id}/apply`, { mode: 'valid' })).body.error.code, 'TRANSITION_NOT_ALLOWED');

  // 减员 of one of them, and a second 增员 of an employee already here, from an XLSX file.
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('花名册');
  ws.addRow(['操作', '公民身份号码', '姓名', '日期', '缴费基数']);
  ws.addRow(['减员', good[0], '职工1', REMOVE_ON, '']);
  ws.addRow(['增员', good[1], '职工2', ADD_ON, 5200]);
  const x = await upload('花名册.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
  assert.equal(x.status, 201, JSON.stringify(x.body));
  assert.equal(x.body.valid, 1);
  assert.deepEqual(
    x.body.errors.map((e: { line: number; message: string }) => [e.line, e.message]),
    [[3, '此人已是本单位在职参保职工，不能重复增员。']],
  );
  await clerk.post(`/api/unit/roster/${x.body.id}/apply`, { mode: 'valid' });
  const after2 = await clerk.get('/api/unit/employees');
  assert.equal(after2.body.items.filter((e: { status: string }) => e.status === 'suspended').length, 1);
});

test('one-by-one 增员 and its errors; only unit clerks may use the portal', async () => {
  const id = testIdNo('420281', '19770707');
  const bad = await clerk.post('/api/unit/employees', { action: 'remove', idNo: id, name: '某人', date: REMOVE_ON });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /不是本单位在职参保职工/);
  const ok = await clerk.post('/api/unit/employees', { action: 'add', idNo: id, name: '某人', date: ADD_ON, base: 4800 });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const h = await s.dbh.db.selectFrom('registry_history').select('change').where('entity_id', '=', `${id}@unit${unitId}`).execute();
  assert.equal(h.length, 1);
  const citizen = await registerCitizen(s);
  assert.equal((await citizen.client.get('/api/unit/employees')).status, 403);
});

test('缴费基数申报: every row checked first; the declared bases set the unit average wage used for 生育津贴', async () => {
  const emps = (await clerk.get('/api/unit/employees')).body.items.filter((e: { status: string }) => e.status === 'active');
  assert.ok(emps.length >= 2);
  const ids = (
    await s.dbh.db
      .selectFrom('enrolments as e')
      .innerJoin('persons as p', 'p.id', 'e.person_id')
      .select('p.id_no')
      .where('e.unit_id', '=', unitId)
      .where('e.status', '=', 'active')
      .orderBy('p.id_no')
      .execute()
  ).map((r) => r.id_no);
  const year = Number(testToday(s.clock).slice(0, 4)) + 1; // declared for next year
  const bad = await clerk.post('/api/unit/base-declaration', {
    year,
    rows: [
      { idNo: ids[0], base: 5000 },
      { idNo: testIdNo('420281', '19600101'), base: 4000 },
    ],
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.details[0].line, 2);
  const before = await s.dbh.db.selectFrom('units').select('avg_monthly_wage_fen').where('id', '=', unitId).executeTakeFirstOrThrow();
  assert.equal(before.avg_monthly_wage_fen, null, 'nothing saved from a declaration with errors');
  const rows = ids.map((idNo, i) => ({ idNo, base: i % 2 ? 7000.07 : 5000.29 })); // two-decimal amounts that are inexact in binary
  const ok = await clerk.post('/api/unit/base-declaration', { year, rows });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const expected = Math.round(rows.reduce((s2, r) => s2 + r.base * 100, 0) / rows.length) / 100;
  assert.equal(ok.body.avgMonthlyWage, expected);
  const unit = await s.dbh.db.selectFrom('units').select('avg_monthly_wage_fen').where('id', '=', unitId).executeTakeFirstOrThrow();
  assert.equal(Number(unit.avg_monthly_wage_fen), Math.round(expected * 100));
});
