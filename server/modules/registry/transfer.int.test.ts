/** 转移接续 between two platform agencies: destination accepts → 联系函 → origin issues 信息表 and moves the account → destination completes. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { staffClient, testIdNo, setSeparationOfDuties } from '../../../test/client.ts';
import { daysAgo, testToday } from '../../../test/clock.ts';
import { submittedCase } from '../../../test/factories.ts';
import { loadCalendar } from '../calendar/service.ts';
import { sweepDeadlines } from '../cases/jobs.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
  // About registry effects and benefits, not who does what: one admin drives each case.
  await setSeparationOfDuties(s, false, 'daye', 'haicheng');
});
after(async () => {
  await s.close();
});

test('海城 → 大冶: each leg with its own due date; the account balance and the months follow the person', async () => {
  // Insured in 海城 from 2020 for 60 months (2020-01…2024-12), now suspended there.
  const d = await submittedCase({
    server: s,
    citizen: { name: '高峰', idNo: testIdNo('210381', '19850505') },
    person: {
      agency: 'haicheng',
      enrol: [{ type: 'employee', start: '2020-01-01', status: 'suspended', employment: 'employed' }],
      contributions: [{ type: 'employee', from: '2020-01', months: 60, baseYuan: 5000 }],
      accountYuan: 8765.43,
    },
    item: 'DY-11',
    answers: { originAgency: 'haicheng' },
  });
  const { citizen: c } = d;
  const pid = d.personId!;

  const dy = (await staffClient(s, { agency: 'daye', roles: ['agency_admin'] })).client;
  const hc = (await staffClient(s, { agency: 'haicheng', roles: ['acceptor'] })).client;
  const acc = await dy.post(`/api/cases/${d.id}/actions/accept`, {});
  assert.equal(acc.body.status, 'accepted', JSON.stringify(acc.body));
  assert.ok(acc.body.documents.some((x: { title: string }) => x.title === '基本医疗保险关系转移接续联系函'));
  assert.ok(acc.body.events.some((e: { action: string }) => e.action === 'transfer_letter'));

  // The destination cannot complete before the origin's 信息表.
  await dy.post(`/api/cases/${d.id}/actions/start_review`, {});
  const early = await dy.post(`/api/cases/${d.id}/actions/approve`, {});
  assert.equal(early.body.error.code, 'GUARD_FAILED');
  assert.match(early.body.error.message, /尚未出具信息表/);

  // The origin sees the letter with its 10-working-day due date, and issues the 信息表.
  const list = await hc.get('/api/staff/transfers');
  const t = list.body.items.find((x: { caseId: number }) => x.caseId === d.id);
  assert.equal(t.direction, 'out');
  assert.equal(t.status, 'letter_sent');
  assert.ok(t.originDue > t.letterOn);
  assert.ok(!JSON.stringify(t).includes(c.idNo), 'the origin sees a masked ID');
  assert.equal((await dy.post(`/api/staff/transfers/${t.id}/issue-info`, {})).status, 404, 'only the origin issues the 信息表');
  assert.equal((await hc.post(`/api/staff/transfers/${t.id}/issue-info`, {})).status, 200);
  assert.equal((await hc.post(`/api/staff/transfers/${t.id}/issue-info`, {})).body.error.code, 'TRANSITION_NOT_ALLOWED');

  const accounts = await s.dbh.db.selectFrom('personal_accounts').selectAll().where('person_id', '=', pid).orderBy('agency_code').execute();
  assert.deepEqual(
    accounts.map((a) => [a.agency_code, Number(a.balance_fen)]),
    [
      ['daye', 876543],
      ['haicheng', 0],
    ],
  );
  const origin = await s.dbh.db
    .selectFrom('enrolments')
    .selectAll()
    .where('person_id', '=', pid)
    .where('agency_code', '=', 'haicheng')
    .executeTakeFirstOrThrow();
  assert.equal(origin.status, 'terminated');

  const done = await dy.post(`/api/cases/${d.id}/actions/approve`, {});
  assert.equal(done.body.status, 'approved', JSON.stringify(done.body));
  assert.ok(done.body.documents.some((x: { title: string }) => x.title === '参保人员基本医疗保险类型变更信息表'));
  const note = done.body.events.find((e: { action: string }) => e.action === 'registry_update').note;
  assert.match(note, /60 个月/);
  assert.match(note, /8,765\.43/);
  const dest = await s.dbh.db
    .selectFrom('enrolments')
    .selectAll()
    .where('person_id', '=', pid)
    .where('agency_code', '=', 'daye')
    .executeTakeFirstOrThrow();
  assert.equal(dest.status, 'active');
  const after = (await dy.get('/api/staff/transfers')).body.items.find((x: { caseId: number }) => x.caseId === d.id);
  assert.equal(after.status, 'completed');
  assert.equal(after.direction, 'in');
});

test('an origin outside the platform: the 联系函 is exported as a PDF and the received 信息表 recorded', async () => {
  const d = await submittedCase({
    server: s,
    citizen: { name: '范伟', idNo: testIdNo('110105', '19800101') },
    item: 'DY-11',
    answers: { originAgency: 'external', originName: '北京市医疗保障事务管理中心' },
  });
  const dy = (await staffClient(s, { agency: 'daye', roles: ['agency_admin'] })).client;
  const acc = await dy.post(`/api/cases/${d.id}/actions/accept`, {});
  const letter = acc.body.documents.find((x: { title: string }) => x.title === '基本医疗保险关系转移接续联系函');
  const pdf = await dy.get(`/api/cases/${d.id}/documents/${letter.id}/pdf`);
  assert.equal(pdf.body.subarray(0, 5).toString(), '%PDF-');
  const t = (await dy.get('/api/staff/transfers')).body.items.find((x: { caseId: number }) => x.caseId === d.id);
  assert.equal(t.originExternal, '北京市医疗保障事务管理中心');
  // 大冶's limit is "不超过9个工作日（不含资料邮寄时间）": the clock stands still while the letters are in the post.
  const clock = () => s.dbh.db.selectFrom('cases').select(['clock_state', 'paused_on', 'due_date']).where('id', '=', d.id).executeTakeFirstOrThrow();
  const posted = await clock();
  assert.equal(posted.clock_state, 'paused');
  // Pretend the letter was posted a week ago, so the 信息表 arrives today after a week in the post.
  const postedOn = daysAgo(7, s.clock);
  const today = testToday(s.clock);
  await s.dbh.db.updateTable('cases').set({ paused_on: postedOn }).where('id', '=', d.id).execute();
  assert.equal((await dy.post(`/api/staff/transfers/${t.id}/external-info`, { months: 36, amountYuan: 1200, infoOn: today })).status, 200);
  const cal = await loadCalendar(s.dbh.db, '420281');
  const resumed = await clock();
  assert.equal(resumed.clock_state, 'running');
  const inThePost = cal.workingDaysBetween(postedOn, today);
  assert.ok(inThePost > 0, `working days between ${postedOn} and ${today}`);
  assert.equal(resumed.due_date, cal.addWorkingDays(posted.due_date!, inThePost));
  assert.ok(resumed.due_date! > posted.due_date!);
  await dy.post(`/api/cases/${d.id}/actions/start_review`, {});
  const done = await dy.post(`/api/cases/${d.id}/actions/approve`, {});
  assert.equal(done.body.status, 'approved', JSON.stringify(done.body));
});

test('a transfer leg is warned at 75 % and flagged once when overdue, to the agency whose leg it is', async () => {
  const d = await submittedCase({
    server: s,
    citizen: { name: '唐明', idNo: testIdNo('210381', '19860606') },
    person: { agency: 'haicheng', enrol: [{ type: 'employee', start: '2021-01-01', status: 'suspended' }] },
    item: 'DY-11',
    answers: { originAgency: 'haicheng' },
  });
  const dy = (await staffClient(s, { agency: 'daye', roles: ['agency_admin'] })).client;
  const hc = await staffClient(s, { agency: 'haicheng', roles: ['acceptor'] });
  await dy.post(`/api/cases/${d.id}/actions/accept`, {});
  // The origin's leg runs on 海城's calendar: 10 working days, warned on the 8th.
  const row = await s.dbh.db.selectFrom('transfers').selectAll().where('case_id', '=', d.id).executeTakeFirstOrThrow();
  const cal = await loadCalendar(s.dbh.db, '210381');
  assert.equal(row.origin_due, cal.addWorkingDays(row.letter_on, 10));
  assert.equal(row.origin_warn, cal.addWorkingDays(row.letter_on, 8));
  const subjects = async (prefix: string) =>
    (await hc.client.get('/api/notifications')).body.items.filter(
      (n: { subject: string; caseId: number }) => n.subject.startsWith(prefix) && n.caseId === d.id,
    ).length;
  // 75 % of the leg has passed (the warning date has come, the due date has not).
  assert.ok(row.origin_due > testToday(s.clock));
  await s.dbh.db
    .updateTable('transfers')
    .set({ origin_warn: daysAgo(7, s.clock) })
    .where('case_id', '=', d.id)
    .execute();
  await s.runner.runOnce();
  await s.runner.runOnce();
  assert.equal(await subjects('【转移接续预警】'), 1);
  assert.equal(await subjects('【转移接续超期】'), 0);
  const warned = (await hc.client.get('/api/staff/transfers')).body.items.find((x: { caseId: number }) => x.caseId === d.id);
  assert.deepEqual([warned.warning, warned.overdue], [true, false]);
  // The origin let its 10 working days pass.
  await s.dbh.db
    .updateTable('transfers')
    .set({ origin_due: daysAgo(3, s.clock) })
    .where('case_id', '=', d.id)
    .execute();
  await sweepDeadlines(s.dbh.db, s.clockNow()); // the runner's sweep runs once a minute; this one runs now
  await s.runner.runOnce();
  await sweepDeadlines(s.dbh.db, s.clockNow()); // a second sweep enqueues nothing new
  await s.runner.runOnce();
  assert.equal(await subjects('【转移接续预警】'), 1);
  const notes = await hc.client.get('/api/notifications');
  assert.equal(
    notes.body.items.filter((n: { subject: string; caseId: number }) => n.subject.startsWith('【转移接续超期】') && n.caseId === d.id).length,
    1,
  );
  const t = (await hc.client.get('/api/staff/transfers')).body.items.find((x: { caseId: number }) => x.caseId === d.id);
  assert.deepEqual([t.overdue, t.warning], [true, false]);
});

test('海城 医保关系转移（转出）: no 联系函 is started at acceptance; completion issues the 《参保凭证》 to take to the new area', async () => {
  const d = await submittedCase({
    server: s,
    citizen: { name: '邵刚', idNo: testIdNo('210381', '19790303') },
    person: { enrol: [{ type: 'employee', start: '2015-01-01', status: 'suspended' }] },
    item: 'HC-12',
    answers: { direction: 'out' },
  });
  const hc = (await staffClient(s, { agency: 'haicheng', roles: ['agency_admin'] })).client;
  const acc = await hc.post(`/api/cases/${d.id}/actions/accept`, {});
  assert.equal(acc.body.status, 'accepted', JSON.stringify(acc.body));
  assert.equal(await s.dbh.db.selectFrom('transfers').select('id').where('case_id', '=', d.id).executeTakeFirst(), undefined);
  await hc.post(`/api/cases/${d.id}/actions/start_review`, {});
  const done = await hc.post(`/api/cases/${d.id}/actions/approve`, {});
  assert.equal(done.body.status, 'approved', JSON.stringify(done.body));
  assert.ok(
    done.body.documents.some((x: { title: string }) => x.title === '参保凭证'),
    JSON.stringify(done.body.documents),
  );
});
