/**
 * Appointment jobs with a moving clock: the reminder the working day before (SMS + in-app, once,
 * again after a move), the no-show recorded after the slot, and repeated no-shows stopping new
 * bookings — with the citizen told why.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { registerCitizen, staffClient, type Client } from '../../../test/client.ts';
import { mutableClock } from '../../platform/clock.ts';
import { staffTotp } from '../../../test/totp.ts';

// Tuesday 30 September 2025, 08:30 China time.
const clock = mutableClock('2025-09-30T00:30:00Z');
let s: TestServer;
let carol: Awaited<ReturnType<typeof registerCitizen>>;
let dave: Awaited<ReturnType<typeof registerCitizen>>;
let clerk: Awaited<ReturnType<typeof staffClient>>;
let zhongshan: number;

/** Move the server to `hhmm` China time on `day`, run the job runner, and sign everyone in again. */
async function at(day: string, hhmm: string) {
  clock.set(`${day}T${hhmm}:00+08:00`);
  await s.runner.runOnce();
  for (const c of [carol, dave]) assert.equal((await c.client.post('/api/auth/login', { login: c.mobile, password: c.password })).status, 200);
  const r = await clerk.client.post('/api/auth/login', { login: clerk.login, password: clerk.password, totp: await staffTotp(s, clerk.secret) });
  assert.equal(r.status, 200);
}

const smsTo = async (mobile: string) =>
  (await s.dbh.db.selectFrom('sms_messages').select('text').where('phone', '=', mobile).orderBy('id').execute()).map((m) => m.text);
const book = (c: Client, date: string, start: string) => c.post('/api/appointments', { officeId: zhongshan, business: 'maternity', date, start });

before(async () => {
  s = await startServer({ clock });
  carol = await registerCitizen(s, { name: '陈红' });
  dave = await registerCitizen(s, { name: '周伟' });
  clerk = await staffClient(s, { agency: 'dalian', roles: ['acceptor'], name: '窗口王' });
  const opts = await s.get<any>('/api/agencies/dalian/appointments');
  zhongshan = opts.body.offices.find((o: { code: string }) => o.code === 'zhongshan').id;
});
after(async () => {
  await s.close();
});

test('reminders go out from 09:00 on the working day before, once, and again for a moved booking', async () => {
  const a = await book(carol.client, '2025-10-09', '09:00'); // the working day before is today (30 September)
  const b = await book(carol.client, '2025-10-10', '09:00'); // … is 9 October
  assert.equal(a.status, 201, JSON.stringify(a.body));
  assert.equal(b.status, 201);
  await s.runner.runOnce(); // sends the registration code; no reminder before 09:00
  const verification = (await smsTo(carol.mobile)).length;
  assert.equal(verification, 1);
  assert.equal((await smsTo(carol.mobile)).length, verification, 'not before 09:00');

  await at('2025-09-30', '09:05');
  const texts = (await smsTo(carol.mobile)).slice(verification);
  assert.equal(texts.length, 1);
  assert.match(texts[0]!, /【医保预约提醒】.*2025-10-09 09:00–09:30.*中山办事处.*生育保险.*预约码/);
  assert.ok(texts[0]!.includes(a.body.code));
  const inapp = await carol.client.get('/api/notifications');
  assert.ok(inapp.body.items.some((n: { subject: string }) => n.subject.startsWith('预约提醒：2025-10-09')));
  assert.ok((await carol.client.get(`/api/appointments/${a.body.id}`)).body.events.some((e: { kind: string }) => e.kind === 'reminded'));

  await at('2025-09-30', '09:10');
  assert.equal((await smsTo(carol.mobile)).length, verification + 1, 'sent once');

  // Moved to Monday 13 October: its working day before is the 调休 Saturday 11 October.
  const moved = await carol.client.post(`/api/appointments/${a.body.id}/reschedule`, { date: '2025-10-13', start: '09:00' });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));

  await at('2025-10-09', '09:30');
  let now = (await smsTo(carol.mobile)).slice(verification + 1);
  assert.equal(now.length, 1);
  assert.match(now[0]!, /2025-10-10 09:00/);

  await at('2025-10-11', '09:30');
  now = (await smsTo(carol.mobile)).slice(verification + 2);
  assert.equal(now.length, 1);
  assert.match(now[0]!, /2025-10-13 09:00/);
  const jobs = await s.dbh.db.selectFrom('jobs').select(['dedupe_key', 'status']).where('kind', '=', 'appointment.remind').execute();
  assert.equal(jobs.length, 3);
  assert.ok(jobs.every((j) => j.status === 'done'));
});

test('a booking nobody checked in is recorded as a no-show after its slot; the citizen is told', async () => {
  // Carol's 10 October 09:00–09:30 passed while the clock moved on (the sweep on the 11th found it).
  const b = (await carol.client.get('/api/appointments/mine')).body.items.find((x: { date: string }) => x.date === '2025-10-10');
  assert.equal(b.status, 'no_show');
  assert.equal(b.statusLabel, '未到（爽约）');
  const note = (await carol.client.get('/api/notifications')).body.items.find((n: { subject: string }) => n.subject.startsWith('预约未到'));
  assert.match(note.body, /未按时到场签到.*多次预约未到将暂停预约/);
  const audit = await s.dbh.db
    .selectFrom('audit_log')
    .select(['action', 'actor_label'])
    .where('subject_kind', '=', 'appointment')
    .where('subject_id', '=', String(b.id))
    .execute();
  assert.deepEqual(audit, [{ action: 'appointment.no_show', actor_label: '预约监控' }]);
});

test('3 no-shows within 90 days stop new bookings for 30 days; a late arrival the same day lifts its no-show', async () => {
  await at('2025-10-13', '08:00');
  for (const d of ['2025-10-14', '2025-10-15', '2025-10-16']) assert.equal((await book(dave.client, d, '08:30')).status, 201);
  await at('2025-10-16', '09:15'); // all three slots over, none attended
  const mine = (await dave.client.get('/api/appointments/mine')).body;
  assert.deepEqual(
    mine.items.map((x: { status: string }) => x.status),
    ['no_show', 'no_show', 'no_show'],
  );
  assert.equal(mine.standings[0].canBook, false);
  assert.equal(mine.standings[0].ban.until, '2025-11-15');
  assert.match(mine.standings[0].message, /90天内有3次预约未按时到场（2025-10-14、2025-10-15、2025-10-16）.*暂停预约30天，2025-11-15 起可重新预约/);
  const last = (await dave.client.get('/api/notifications')).body.items[0];
  assert.match(last.body, /2025-11-15 起可重新预约/);

  const refused = await book(dave.client, '2025-10-20', '09:00');
  assert.equal(refused.status, 422);
  assert.equal(refused.body.error.code, 'APPT_BANNED');
  assert.equal(refused.body.error.details.until, '2025-11-15');

  // Dave arrives late today: the hall checks him in, the no-show is lifted, and so is the ban.
  const today = mine.items.find((x: { date: string }) => x.date === '2025-10-16');
  const ci = await clerk.client.post('/api/staff/appointments/check-in', { code: today.code, officeId: zhongshan });
  assert.equal(ci.status, 200, JSON.stringify(ci.body));
  assert.match(ci.body.message, /迟到/);
  const st = await dave.client.get('/api/appointments/standing?agency=dalian');
  assert.deepEqual([st.body.canBook, st.body.ban], [true, null]);
  assert.equal((await book(dave.client, '2025-10-20', '09:00')).status, 201);
});
