/** The benefit a case pays, computed with its trace while it is handled and paid at completion: the 生育津贴 and 手工报销. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { registerCitizen, staffClient, testIdNo, setSeparationOfDuties } from '../../../test/client.ts';
import { enterBenefitParams, seedPerson, seedUnit } from '../../../test/registry.ts';
import { daysAgo } from '../../../test/clock.ts';
import { submittedCase } from '../../../test/factories.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
  // About registry effects and benefits, not who does what: one admin drives each case.
  await setSeparationOfDuties(s, false, 'daye');
});
after(async () => {
  await s.close();
});

test('大冶：剖宫产143天 — the 生育津贴 is computed with its trace and paid at completion', async () => {
  const c = await registerCitizen(s, { name: '周敏', idNo: testIdNo('420281', '19940808', 'F') });
  const unitId = await seedUnit(s.dbh.db, {
    uscc: '91420281MA49ABCD0X'.slice(0, 17) + 'X',
    name: '大冶测试有限公司',
    agency: 'daye',
    avgWageFen: 600000,
  });
  await seedPerson(s.dbh.db, {
    idNo: c.idNo,
    name: '周敏',
    agency: 'daye',
    enrol: [{ type: 'employee', start: '2024-01-01', unitId, employment: 'employed' }],
    contributions: [{ type: 'employee', lastMonths: 34, clock: s.clock, baseYuan: 6000 }],
  });
  const answers = {
    beneficiary: 'female',
    delivery: 'caesarean',
    deliveryDate: daysAgo(46, s.clock),
    unitName: '大冶测试有限公司',
    bankAccount: '6217002870012345678',
  };
  const pre = await c.client.post('/api/agencies/daye/items/DY-23/precheck', { answers });
  assert.equal(pre.body.eligible, true, JSON.stringify(pre.body.results.filter((r: { passed: boolean }) => !r.passed)));
  const d = await submittedCase({ server: s, citizen: c, item: 'DY-23', answers, materials: [0, 1] });
  assert.equal(d.body.benefit.amount, 28600);
  assert.ok(d.body.benefit.trace.some((t: { step: string; value: string }) => /剖宫产/.test(t.step) && t.value === '143天'));
  assert.equal(d.body.benefit.paid, false);

  const admin = (await staffClient(s, { agency: 'daye', roles: ['agency_admin'] })).client;
  await admin.post(`/api/cases/${d.id}/actions/accept`, {});
  await admin.post(`/api/cases/${d.id}/actions/start_review`, {});
  const done = await admin.post(`/api/cases/${d.id}/actions/approve`, {});
  assert.equal(done.body.status, 'approved', JSON.stringify(done.body));
  assert.equal(done.body.benefit.paid, true);
  assert.equal(done.body.benefit.amount, 28600);
  const pay = await s.dbh.db.selectFrom('payments').selectAll().where('case_id', '=', d.id).executeTakeFirstOrThrow();
  assert.equal(Number(pay.amount_fen), 2860000);
  assert.equal(pay.kind, 'maternity_allowance');
  assert.ok(done.body.events.some((e: { action: string; note: string }) => e.action === 'registry_update' && /28,600\.00/.test(e.note)));
});
test('手工报销: the reviewer enters the bill lines; example parameters are never paid; the agency’s own are', async () => {
  const c = await registerCitizen(s, { name: '何军', idNo: testIdNo('420281', '19700707') });
  await seedPerson(s.dbh.db, {
    idNo: c.idNo,
    name: '何军',
    agency: 'daye',
    enrol: [{ type: 'employee', start: '2015-01-01', employment: 'employed' }],
    contributions: [{ type: 'employee', lastMonths: 34, clock: s.clock, baseYuan: 5000 }],
  });
  const d = await submittedCase({ server: s, citizen: c, item: 'DY-19' });
  const admin = (await staffClient(s, { agency: 'daye', roles: ['agency_admin'] })).client;
  await admin.post(`/api/cases/${d.id}/actions/accept`, {});
  const rev = await admin.post(`/api/cases/${d.id}/actions/start_review`, {});
  assert.match(rev.body.benefit.problem, /录入费用明细/);
  const lines = [
    { name: '床位费', amount: 1200, category: 'covered' },
    { name: '进口药品', amount: 2000, category: 'partly', selfPayRatio: 0.2 },
    { name: '美容项目', amount: 800, category: 'excluded' },
  ];
  const billed = await admin.put(`/api/cases/${d.id}/bill`, { lines });
  assert.equal(billed.status, 200, JSON.stringify(billed.body));
  assert.equal(billed.body.benefit.example, true, JSON.stringify(billed.body.benefit));
  assert.ok(billed.body.benefit.trace.some((t: { step: string }) => /美容项目：不予支付/.test(t.step)));
  const blocked = await admin.post(`/api/cases/${d.id}/actions/approve`, {});
  assert.equal(blocked.body.error.code, 'GUARD_FAILED');
  assert.match(blocked.body.error.message, /示例参数/);

  // The agency enters its own 起付线 500, 比例 90 %, 封顶线 50,000: (1200 + 2000×0.8 − 500) × 0.9 = 2,070.00
  await enterBenefitParams(s.dbh.db, 'daye', 'reimbursement', { deductible: 500, ratio: 0.9, ceiling: 50000 });
  const view = await admin.get(`/api/cases/${d.id}`);
  assert.equal(view.body.benefit.amount, 2070);
  assert.deepEqual(view.body.benefit.bill, lines, 'the saved lines come back, so the form shows them');
  const done = await admin.post(`/api/cases/${d.id}/actions/approve`, {});
  assert.equal(done.body.status, 'approved', JSON.stringify(done.body));
  const pay = await s.dbh.db.selectFrom('payments').selectAll().where('case_id', '=', d.id).executeTakeFirstOrThrow();
  assert.equal(Number(pay.amount_fen), 207000);
});
