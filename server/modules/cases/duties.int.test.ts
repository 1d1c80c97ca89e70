/**
 * Separation of duties (issue 16, common/duties.ts) over HTTP on a real database: the staff member
 * who accepted a case is not offered, and is refused, its review; the agency admin turns the
 * setting off (audited) and one person may then do both; where the item has 复核 it needs a third
 * person, neither the acceptor nor the reviewer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { enterAllowanceDays, seedUnit } from '../../../test/registry.ts';
import { staffClient, testIdNo, type Client } from '../../../test/client.ts';
import { daysAgo, testToday } from '../../../test/clock.ts';
import { submittedCase } from '../../../test/factories.ts';
import { importDraft, publish } from '../catalog/service.ts';
import { currentVersionRow } from '../catalog/repository.ts';

let s: TestServer;
let unitId: number;
/** 受理 and 审核 and 复核 roles in one account each, so only the separation stands in the way. */
let all1: Client;
let all2: Client;
let all3: Client;
let admin: Client;

before(async () => {
  s = await startServer();
  unitId = await seedUnit(s.dbh.db, { uscc: '91210381MA0HC0002X', name: '海城分工测试有限公司', agency: 'haicheng', avgWageFen: 450000 });
  await enterAllowanceDays(s.dbh.db, 'haicheng', { natural: 98, caesarean: 113 });
  const roles = ['acceptor', 'reviewer', 'rechecker'] as const;
  all1 = (await staffClient(s, { agency: 'haicheng', roles: [...roles] })).client;
  all2 = (await staffClient(s, { agency: 'haicheng', roles: [...roles] })).client;
  all3 = (await staffClient(s, { agency: 'haicheng', roles: [...roles] })).client;
  admin = (await staffClient(s, { agency: 'haicheng', roles: ['agency_admin'] })).client;
});
after(async () => {
  await s.close();
});

/** A submitted 海城 HC-24 生育津贴 case whose applicant qualifies (34 months paid). */
async function hc24(): Promise<number> {
  const c = await submittedCase({
    server: s,
    item: 'HC-24',
    citizen: { name: '王芳', idNo: testIdNo('211381', '19930402', 'F') },
    answers: { delivery: 'natural', deliveryDate: daysAgo(46, s.clock), bankAccount: '6217002870012345678' },
    person: {
      enrol: [{ type: 'employee', start: '2024-01-01', employment: 'employed', unitId }],
      contributions: [{ type: 'employee', lastMonths: 34, clock: s.clock, baseYuan: 5000 }],
    },
  });
  return c.id;
}

const actionsOf = async (c: Client, id: number): Promise<string[]> =>
  ((await c.get(`/api/cases/${id}`)).body.actions as { action: string }[]).map((a) => a.action);

async function step(c: Client, id: number, action: string, status: string) {
  const r = await c.post(`/api/cases/${id}/actions/${action}`, {});
  assert.equal(r.status, 200, `${action}: ${JSON.stringify(r.body)}`);
  assert.equal(r.body.status, status, action);
}

test('the acceptor is not offered the review and is refused it with DUTIES_SEPARATED; another reviewer approves', async () => {
  const id = await hc24();
  await step(all1, id, 'accept', 'accepted');
  assert.ok(!(await actionsOf(all1, id)).includes('start_review'), 'the acceptor is not offered 开始审核');
  assert.ok((await actionsOf(all2, id)).includes('start_review'), 'another reviewer is');
  const own = await all1.post(`/api/cases/${id}/actions/start_review`, {});
  assert.equal(own.status, 403);
  assert.equal(own.body.error.code, 'DUTIES_SEPARATED');
  assert.equal(own.body.error.details.conflict, 'acceptor_reviews');

  await step(all2, id, 'start_review', 'reviewing');
  assert.ok(!(await actionsOf(all1, id)).includes('approve'));
  const approve = await all1.post(`/api/cases/${id}/actions/approve`, {});
  assert.equal(approve.status, 403);
  assert.equal(approve.body.error.code, 'DUTIES_SEPARATED');
  assert.ok((await actionsOf(all2, id)).includes('approve'));
  await step(all2, id, 'approve', 'approved');
});

test('the agency admin turns the separation off (audited): one person may then accept and approve', async () => {
  assert.deepEqual((await admin.get('/api/admin/duties')).body, { agency: 'haicheng', separationOfDuties: true, canChange: true });
  const forbidden = await all1.put('/api/admin/duties', { separationOfDuties: false });
  assert.equal(forbidden.status, 403, 'only the agency admin changes it');
  const off = await admin.put('/api/admin/duties', { separationOfDuties: false });
  assert.equal(off.status, 200, JSON.stringify(off.body));
  assert.equal(off.body.separationOfDuties, false);
  const entry = await s.dbh.db
    .selectFrom('audit_log')
    .select(['agency_code', 'data'])
    .where('action', '=', 'agency.duties')
    .where('subject_id', '=', 'haicheng')
    .executeTakeFirstOrThrow();
  assert.deepEqual(entry.data, { from: true, to: false });
  try {
    const id = await hc24();
    await step(all1, id, 'accept', 'accepted');
    assert.ok((await actionsOf(all1, id)).includes('start_review'));
    await step(all1, id, 'start_review', 'reviewing');
    await step(all1, id, 'approve', 'approved');
  } finally {
    assert.equal((await admin.put('/api/admin/duties', { separationOfDuties: true })).body.separationOfDuties, true);
  }
});

test('复核 needs a third person: neither the reviewer who sent it nor the acceptor may do it', async () => {
  // An agency admin's catalogue change: HC-24's review gets a second 复核 step.
  const today = testToday(s.clock);
  const cur = await currentVersionRow(s.dbh.db, 'haicheng', today);
  const cat = structuredClone(cur!.doc) as any;
  const it = cat.items.find((i: { code: string }) => i.code === 'HC-24');
  it.form = { ...(it.form ?? {}), recheck: true };
  const r = await importDraft(s.dbh.db, cat, 'test', '复核：HC-24');
  await publish(s.dbh.db, 'haicheng', r.version, today);

  const id = await hc24();
  await step(all1, id, 'accept', 'accepted');
  await step(all2, id, 'start_review', 'reviewing');
  await step(all2, id, 'send_recheck', 'rechecking');
  for (const [who, conflict] of [
    [all2, 'reviewer_rechecks'],
    [all1, 'acceptor_rechecks'],
  ] as const) {
    assert.ok(!(await actionsOf(who, id)).includes('recheck_approve'), conflict);
    const own = await who.post(`/api/cases/${id}/actions/recheck_approve`, {});
    assert.equal(own.status, 403, conflict);
    assert.equal(own.body.error.details.conflict, conflict);
  }
  assert.ok((await actionsOf(all3, id)).includes('recheck_approve'));
  await step(all3, id, 'recheck_approve', 'approved');
});
