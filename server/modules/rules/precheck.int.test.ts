/** Pre-check before applying, and the same evaluation at acceptance; an agency admin publishes benefit parameters. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { registerCitizen, staffClient, testIdNo } from '../../../test/client.ts';
import { seedPerson } from '../../../test/registry.ts';
import { monthStart, monthsAgo } from '../../../test/clock.ts';
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
