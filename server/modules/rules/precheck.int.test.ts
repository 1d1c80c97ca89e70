/** Pre-check before applying, and the same evaluation at acceptance; the 生育津贴 computed with its trace. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { registerCitizen, staffClient, testIdNo } from '../../../test/client.ts';
import { enterBenefitParams, seedPerson, seedUnit } from '../../../test/registry.ts';
import { daysAgo, monthStart, monthsAgo } from '../../../test/clock.ts';
import { submittedCase } from '../../../test/factories.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
});
after(async () => {
  await s.close();
});

test('抚顺：医保欠费不能出具《参保凭证》 — the pre-check says why, and staff see the same at acceptance', async () => {
  const c = await registerCitizen(s, { name: '刘强', idNo: testIdNo('210402', '19800606') });
  // The last 10 months, of which the third and second last are unpaid.
  const owed = [monthsAgo(3, s.clock), monthsAgo(2, s.clock)];
  const pid = await seedPerson(s.dbh.db, {
    idNo: c.idNo,
    name: '刘强',
    agency: 'fushun',
    enrol: [{ type: 'employee', start: '2020-01-01', employment: 'employed' }],
    contributions: [{ type: 'employee', lastMonths: 10, clock: s.clock, baseYuan: 4000, unpaid: owed }],
  });
  const pre = await c.client.post('/api/agencies/fushun/items/FS-11/precheck', { answers: {} });
  assert.equal(pre.status, 200, JSON.stringify(pre.body));
  assert.equal(pre.body.known, true);
  assert.equal(pre.body.prohibited, true);
  const fail = pre.body.results.find((r: { code: string }) => r.code === 'FS-JB-02');
  assert.equal(fail.passed, false);
  assert.match(fail.reason, new RegExp(`2个月|${owed[0]}`));
  assert.match(fail.reason, /医保欠费/);
  assert.ok(fail.facts.length > 0);

  // Applying anyway: the acceptor cannot accept, and the coded refusal carries the rule's reason.
  const d = await submittedCase({ server: s, citizen: c, item: 'FS-11' });
  const clerk = (await staffClient(s, { agency: 'fushun', roles: ['acceptor'] })).client;
  const view = await clerk.get(`/api/cases/${d.id}`);
  assert.equal(view.body.evaluation.prohibited, true);
  const acts = view.body.actions.map((a: { action: string }) => a.action);
  assert.ok(!acts.includes('accept') && acts.includes('reject_prohibited'));
  const refused = await clerk.post(`/api/cases/${d.id}/actions/reject_prohibited`, { facts: { checked: [], found: [] } });
  assert.equal(refused.body.status, 'rejected', JSON.stringify(refused.body));
  assert.equal(refused.body.reasons[0].code, 'FS-JB-02');
  assert.match(refused.body.reasons[0].text, /医保欠费/);

  // After paying the arrears the pre-check passes.
  const paid = await s.dbh.db
    .updateTable('contributions')
    .set({ paid: true })
    .where('person_id', '=', pid)
    .where('month', 'in', owed)
    .executeTakeFirst();
  assert.equal(Number(paid.numUpdatedRows), 2);
  const again = await c.client.post('/api/agencies/fushun/items/FS-11/precheck', { answers: {} });
  assert.equal(again.body.prohibited, false);
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

test('大冶：生育津贴连续缴满6个月，第7个月生效 — five paid months are not enough', async () => {
  const c = await registerCitizen(s, { name: '郑洁', idNo: testIdNo('420281', '19950303', 'F') });
  await seedPerson(s.dbh.db, {
    idNo: c.idNo,
    name: '郑洁',
    agency: 'daye',
    // Enrolled five months ago, every month paid since: five paid months up to last month.
    enrol: [{ type: 'employee', start: monthStart(5, s.clock), employment: 'employed' }],
    contributions: [{ type: 'employee', lastMonths: 5, clock: s.clock, baseYuan: 5000 }],
  });
  const pre = await c.client.post('/api/agencies/daye/items/DY-23/precheck', { answers: { beneficiary: 'female', delivery: 'natural' } });
  assert.equal(pre.body.eligible, false);
  const r = pre.body.results.find((x: { code: string }) => x.code === 'DY-R-ALLOWANCE-6M');
  assert.equal(r.passed, false);
  assert.match(r.reason, /5个月/);
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

test('an agency admin publishes the 生育津贴 days its seed does not give, without a deploy', async () => {
  const admin = (await staffClient(s, { agency: 'haicheng', roles: ['agency_admin'] })).client;
  const clerk = (await staffClient(s, { agency: 'haicheng', roles: ['acceptor'] })).client;
  const listed = (await admin.get('/api/admin/benefit-params')).body;
  const current = listed.items.find((p: { benefit: string }) => p.benefit === 'maternity_allowance');
  assert.deepEqual(current.days, {}, '海城 has no days until the admin enters them');
  const body = {
    ...current,
    version: current.version + 1,
    effectiveFrom: listed.today,
    source: '海城市医疗保障局关于生育津贴计发天数的通知（测试）',
    days: { natural: 98, caesarean: 113 },
  };
  assert.equal((await clerk.post('/api/admin/benefit-params', body)).status, 403);
  const bad = await admin.post('/api/admin/benefit-params', { ...body, days: { natural: -1 } });
  assert.equal(bad.status, 400);
  const stale = await admin.post('/api/admin/benefit-params', { ...body, version: current.version });
  assert.match(stale.body.error.message, /版本号须大于/);
  const ok = await admin.post('/api/admin/benefit-params', body);
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  const after = (await admin.get('/api/admin/benefit-params')).body.items.filter((p: { benefit: string }) => p.benefit === 'maternity_allowance');
  assert.deepEqual(
    after.map((p: { version: number }) => p.version),
    [current.version, current.version + 1],
  );
  const audit = await s.dbh.db.selectFrom('audit_log').select('action').where('action', '=', 'benefit_params.publish').execute();
  assert.equal(audit.length, 1);
});
