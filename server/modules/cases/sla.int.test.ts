import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { PDF_BYTES, publishTolerance, registerCitizen, staffClient, testIdNo, type Client } from '../../../test/client.ts';
import { seedPerson } from '../../../test/registry.ts';
import { mutableClock } from '../../platform/clock.ts';
import { staffTotp } from '../../../test/totp.ts';

// The server's clock starts on 2025-09-30 (Tuesday), the day before the National Day holiday.
const clock = mutableClock('2025-09-30T02:00:00Z');
let s: TestServer;
let citizen: Awaited<ReturnType<typeof registerCitizen>>;
let clerk: Client;
let reviewer: Client;
let clerkCred: { login: string; password: string; secret: string };
let reviewerCred: { login: string; password: string; secret: string };

/** Move the server to 10:00 China time on `day`. Sessions last 7 days, so everyone signs in again. */
async function setDay(day: string) {
  clock.set(`${day}T02:00:00Z`);
  assert.equal((await citizen.client.post('/api/auth/login', { login: citizen.mobile, password: citizen.password })).status, 200);
  for (const [c, cred] of [
    [clerk, clerkCred],
    [reviewer, reviewerCred],
  ] as const)
    assert.equal(
      (await c.post('/api/auth/login', { login: cred.login, password: cred.password, totp: await staffTotp(s, cred.secret) })).status,
      200,
    );
}

before(async () => {
  s = await startServer({ clock });
  citizen = await registerCitizen(s, { name: '陈静', idNo: testIdNo('420281', '19920305', 'F') });
  // Her registry record: employee insurance in 大冶 since 2023 with every month paid (生育津贴 from the 7th month)
  // up to 2025-12: the tests move the clock on to November 2025, and the months paid stay continuous up to each day's last month.
  await seedPerson(s.dbh.db, {
    idNo: citizen.idNo,
    name: '陈静',
    agency: 'daye',
    enrol: [{ type: 'employee', start: '2023-01-01', employment: 'employed' }],
    contributions: [{ type: 'employee', from: '2023-01', months: 36, baseYuan: 6000 }],
  });
  const a = await staffClient(s, { agency: 'daye', roles: ['acceptor'] });
  const b = await staffClient(s, { agency: 'daye', roles: ['reviewer', 'supervisor'] });
  [clerk, clerkCred, reviewer, reviewerCred] = [a.client, a, b.client, b];
});
after(async () => {
  await s.close();
});

async function dy23(answers: Record<string, string> = {}, files = [0, 1]) {
  const d = await citizen.client.post('/api/cases', {
    agencyCode: 'daye',
    itemCode: 'DY-23',
    answers: {
      beneficiary: 'female',
      delivery: 'natural',
      deliveryDate: '2025-08-01',
      unitName: '大冶某公司',
      bankAccount: '6217002870012345678',
      ...answers,
    },
  });
  assert.equal(d.status, 201, JSON.stringify(d.body));
  for (const i of files) assert.equal((await citizen.client.upload(d.body.id, i, `m${i}.pdf`, PDF_BYTES)).status, 201);
  const sub = await citizen.client.post(`/api/cases/${d.body.id}/submit`);
  assert.equal(sub.body.status, 'submitted', JSON.stringify(sub.body));
  return d.body.id as number;
}

test('working-day contract: 10 working days from 2025-09-30 in Dalian is 2025-10-21', async () => {
  const r = await s.get<{ date: string }>('/api/calendar/working-days?region=210200&from=2025-09-30&days=10');
  assert.deepEqual(r.body, { date: '2025-10-21', provisional: false });
  const w = await s.get<{ workingDay: boolean }>('/api/calendar/is-working-day?region=210200&date=2025-10-11');
  assert.deepEqual(w.body, { workingDay: true, provisional: false });
});

test('a 10-working-day case accepted on 2025-09-30 is due 2025-10-21: warned, last-day, then overdue', async () => {
  await setDay('2025-09-30');
  const id = await dy23();
  const acc = await clerk.post(`/api/cases/${id}/actions/accept`, {});
  assert.equal(acc.body.status, 'accepted', JSON.stringify(acc.body));
  assert.equal(acc.body.dueDate, '2025-10-21');
  assert.equal(acc.body.workingDaysLeft, 10);

  // During the holiday nothing is due and no working day passes.
  await setDay('2025-10-08');
  await s.runner.runOnce();
  let c = (await reviewer.get(`/api/cases/${id}`)).body;
  assert.equal(c.workingDaysLeft, 10);
  assert.deepEqual(
    c.clockEvents.map((e: { kind: string }) => e.kind),
    ['start'],
  );

  await setDay('2025-10-17'); // the 8th working day: 75 % used
  await s.runner.runOnce();
  await s.runner.runOnce(); // a second sweep on the same day enqueues nothing new
  c = (await reviewer.get(`/api/cases/${id}`)).body;
  assert.deepEqual(
    c.clockEvents.map((e: { kind: string }) => e.kind),
    ['start', 'warn75'],
  );

  await setDay('2025-10-21');
  await s.runner.runOnce();
  c = (await reviewer.get(`/api/cases/${id}`)).body;
  assert.equal(c.workingDaysLeft, 0);
  assert.equal(c.overdue, false);
  assert.ok(c.clockEvents.some((e: { kind: string }) => e.kind === 'last_day'));
  const notOverdue = await reviewer.get('/api/staff/queue?overdue=1');
  assert.ok(!notOverdue.body.items.some((x: { id: number }) => x.id === id));

  await setDay('2025-10-22');
  await s.runner.runOnce();
  c = (await reviewer.get(`/api/cases/${id}`)).body;
  assert.equal(c.overdue, true);
  assert.equal(c.workingDaysLeft, -1);
  assert.deepEqual(
    c.clockEvents.map((e: { kind: string }) => e.kind),
    ['start', 'warn75', 'last_day', 'breach'],
  );
  const overdue = await reviewer.get('/api/staff/queue?overdue=1');
  assert.ok(overdue.body.items.some((x: { id: number }) => x.id === id));
  // The supervisor was told in-app.
  const note = await reviewer.get('/api/notifications');
  assert.ok(note.body.items.some((n: { subject: string }) => n.subject.startsWith('【超期】')));
  const jobs = await s.dbh.db.selectFrom('jobs').select(['kind', 'status']).where('dedupe_key', 'like', `sla:%:${id}:%`).execute();
  assert.equal(jobs.length, 3);
  assert.ok(jobs.every((j) => j.status === 'done'));
});

test('a pause for 补正 during review moves the deadline by the working days it lasted', async () => {
  await setDay('2025-10-09');
  const id = await dy23();
  const acc = await clerk.post(`/api/cases/${id}/actions/accept`, {});
  assert.equal(acc.body.dueDate, '2025-10-22'); // 10-11 is a 调休 working Saturday
  await reviewer.post(`/api/cases/${id}/actions/start_review`, {});
  await setDay('2025-10-10');
  const more = await reviewer.post(`/api/cases/${id}/actions/request_more`, { materials: [{ index: 1, note: '病历不清晰' }] });
  assert.equal(more.body.status, 'correction');
  assert.equal(more.body.clockState, 'paused');
  await setDay('2025-10-14');
  await citizen.client.upload(id, 1, 'clear.pdf', Buffer.concat([PDF_BYTES, Buffer.from('%clear')]));
  const back = await citizen.client.post(`/api/cases/${id}/actions/resubmit_review`, {});
  assert.equal(back.body.status, 'reviewing');
  assert.equal(back.body.clockState, 'running');
  assert.equal(back.body.dueDate, '2025-10-27'); // +3 working days: 10-11, 10-13, 10-14
  assert.deepEqual(
    back.body.clockEvents.map((e: { kind: string }) => e.kind),
    ['start', 'pause', 'resume'],
  );
});

test('容缺: accepted without the identity document, terminated by the sweep when it is not supplied in time', async () => {
  await setDay('2025-11-03');
  await publishTolerance(s, 'daye', 'DY-23', 0, 5, '2025-11-03');
  const id = await dy23({}, [1]);
  const staffView = (await clerk.get(`/api/cases/${id}`)).body;
  assert.deepEqual(
    staffView.missing.map((m: { name: string; tolerable: boolean }) => [m.name, m.tolerable]),
    [['有效身份证件或社保卡或医保电子凭证', true]],
  );
  const noPledge = await clerk.post(`/api/cases/${id}/actions/accept_tolerance`, {});
  assert.equal(noPledge.body.error.code, 'VALIDATION_FAILED');
  const tol = await clerk.post(`/api/cases/${id}/actions/accept_tolerance`, { pledge: { signed: true } });
  assert.equal(tol.body.status, 'tolerance_accepted');
  assert.equal(tol.body.toleranceDue, '2025-11-10');
  assert.ok(tol.body.documents.some((d: { title: string }) => d.title === '容缺受理通知书'));

  await setDay('2025-11-11');
  await s.runner.runOnce();
  const c = (await citizen.client.get(`/api/cases/${id}`)).body;
  assert.equal(c.status, 'terminated');
  assert.ok(c.documents.some((d: { title: string }) => d.title === '终止办理通知书'));
  assert.equal(c.events.at(-1).action, 'terminate');
});

test('an applicant with a bad-credit record cannot use 容缺', async () => {
  await setDay('2025-11-03');
  const id = await dy23({}, [1]);
  await s.dbh.db.updateTable('users').set({ bad_credit: true }).where('login', '=', citizen.mobile).execute();
  const r = await clerk.post(`/api/cases/${id}/actions/accept_tolerance`, { pledge: { signed: true } });
  assert.equal(r.body.error.code, 'GUARD_FAILED');
  assert.match(r.body.error.message, /失信/);
  await s.dbh.db.updateTable('users').set({ bad_credit: false }).where('login', '=', citizen.mobile).execute();
});

test('行政许可法 §32: not told to correct within 5 working days, a case counts as accepted from the day it arrived', async () => {
  await setDay('2025-12-01');
  const id = await dy23();
  await setDay('2025-12-08'); // the 5th working day: the agency may still ask for 补正
  await s.runner.runOnce();
  assert.equal((await clerk.get(`/api/cases/${id}`)).body.status, 'submitted');
  await setDay('2025-12-09');
  await s.runner.runOnce();
  const c = (await citizen.client.get(`/api/cases/${id}`)).body;
  assert.equal(c.status, 'accepted');
  assert.equal(c.dueDate, '2025-12-15', '10 working days counted from 2025-12-01, the day the materials arrived');
  assert.equal(c.events.at(-1).action, 'deem_accepted');
  assert.ok(c.documents.some((d: { title: string }) => d.title === '受理回执'));
});
