/**
 * 好差评 for a hall visit, over HTTP on a real database: the person who booked rates the visit once
 * they were checked in at the hall (GET/POST /api/appointments/{id}/rating) — nobody else, not
 * before check-in, not for a cancelled or missed visit, and only once, even when two ratings are
 * sent at the same moment. The rating carries the hall, the business (or item) and the staff
 * member who served; a 差评 opens a 整改 task for the supervisors, whose result reaches the person.
 * 大连's 中山办事处 (生育保险, 30-minute slots, 3 seats); the clock starts on Tuesday 2025-09-30,
 * the day before the National Day holiday, so the first bookable day is Thursday 10-09.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { Client, registerCitizen, staffClient } from '../../../test/client.ts';
import { mutableClock } from '../../platform/clock.ts';
import { staffTotp } from '../../../test/totp.ts';

const clock = mutableClock('2025-09-30T02:00:00Z');
let s: TestServer;
type Citizen = Awaited<ReturnType<typeof registerCitizen>>;
type Staff = Awaited<ReturnType<typeof staffClient>>;
let alice: Citizen;
let bob: Citizen;
let clerk: Staff;
let server2: Staff;
let sup: Staff;
let zhongshan: number;

before(async () => {
  s = await startServer({ clock });
  alice = await registerCitizen(s, { name: '王丽' });
  bob = await registerCitizen(s, { name: '刘强' });
  clerk = await staffClient(s, { agency: 'dalian', roles: ['acceptor'], name: '窗口张' });
  server2 = await staffClient(s, { agency: 'dalian', roles: ['acceptor'], name: '窗口李' });
  sup = await staffClient(s, { agency: 'dalian', roles: ['supervisor'], name: '监督员赵' });
  const opts = await s.get<{ offices: { id: number; code: string }[] }>('/api/agencies/dalian/appointments');
  zhongshan = opts.body.offices.find((o) => o.code === 'zhongshan')!.id;
});
after(async () => {
  await s?.close();
});

/** Move the clock (China time on `day` at `hhmm`) and sign everyone in again. */
async function at(day: string, hhmm: string) {
  clock.set(`${day}T${hhmm}:00+08:00`);
  for (const c of [alice, bob]) assert.equal((await c.client.post('/api/auth/login', { login: c.mobile, password: c.password })).status, 200);
  for (const st of [clerk, server2, sup]) {
    const r = await st.client.post('/api/auth/login', { login: st.login, password: st.password, totp: await staffTotp(s, st.secret) });
    assert.equal(r.status, 200, JSON.stringify(r.body));
  }
}
async function book(c: Citizen, date: string, start: string): Promise<{ id: number; code: string }> {
  const r = await c.client.post('/api/appointments', { officeId: zhongshan, business: 'maternity', date, start });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { id: r.body.id, code: r.body.code };
}
async function checkIn(st: Staff, code: string) {
  const r = await st.client.post('/api/staff/appointments/check-in', { code, officeId: zhongshan });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.row;
}
const rating = (c: Client, id: number) => c.get(`/api/appointments/${id}/rating`);
const rate = (c: Client, id: number, level: number, comment = '') => c.post(`/api/appointments/${id}/rating`, { level, comment });

test('only the person who booked, only after check-in, and only once; the row carries hall, business and who served', async () => {
  const a1 = await book(alice, '2025-10-09', '09:00');

  // Booked, not yet visited.
  const before = await rating(alice.client, a1.id);
  assert.equal(before.status, 200);
  assert.deepEqual([before.body.canRate, before.body.reason, before.body.rating], [false, '到大厅签到办理后可以评价本次服务。', null]);
  assert.deepEqual(
    before.body.levels.map((l: { label: string }) => l.label),
    ['非常满意', '满意', '基本满意', '不满意', '非常不满意'],
  );
  const early = await rate(alice.client, a1.id, 5);
  assert.equal(early.status, 409);
  assert.equal(early.body.error.code, 'RATING_NOT_ALLOWED');
  assert.match(early.body.error.message, /签到/);

  // 10-09, 09:20: checked in at the hall by 窗口张.
  await at('2025-10-09', '09:20');
  assert.equal((await checkIn(clerk, a1.code)).status, 'checked_in');

  // Nobody but the booker: another citizen and a staff member are told there is no such booking; no session is 401.
  for (const c of [bob.client, clerk.client]) {
    for (const r of [await rating(c, a1.id), await rate(c, a1.id, 1, '别人的预约随便评')]) {
      assert.equal(r.status, 404);
      assert.equal(r.body.error.code, 'APPT_NOT_FOUND');
    }
  }
  assert.equal((await rate(new Client(s.url), a1.id, 5)).status, 401);
  assert.equal((await rate(alice.client, 999999, 5)).body.error.code, 'APPT_NOT_FOUND');
  assert.equal((await rate(alice.client, a1.id, 0)).body.error.code, 'VALIDATION_FAILED');

  const open = await rating(alice.client, a1.id);
  assert.deepEqual([open.body.canRate, open.body.reason], [true, null]);
  const ok = await rate(alice.client, a1.id, 4, '工作人员很耐心');
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.equal(ok.body.canRate, false);
  assert.equal(ok.body.rating.levelLabel, '满意');
  assert.equal(ok.body.rating.subjectKind, 'visit');
  assert.equal(ok.body.rating.appointmentId, a1.id);
  assert.equal(ok.body.rating.rectification, null, 'a good rating opens no 整改');

  // Once.
  const again = await rate(alice.client, a1.id, 1, '再评一次试试看');
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'ALREADY_RATED');
  const shown = await rating(alice.client, a1.id);
  assert.deepEqual([shown.body.canRate, shown.body.reason, shown.body.rating.level], [false, '已评价。', 4]);

  const row = await s.dbh.db.selectFrom('ratings').selectAll().where('appointment_id', '=', a1.id).executeTakeFirstOrThrow();
  assert.deepEqual(
    [row.subject_kind, row.case_id, row.agency_code, Number(row.office_id), row.item_code, row.item_name, row.level, row.bad, row.excluded],
    ['visit', null, 'dalian', zhongshan, 'maternity', '生育保险', 4, false, false],
  );
  assert.equal(Number(row.handler_id), clerk.id, 'the staff member who checked the visitor in');
  assert.equal(Number(row.rater_user_id), alice.user.id);
  const audit = await s.dbh.db.selectFrom('audit_log').selectAll().where('action', '=', 'rating.create').execute();
  assert.equal(audit.length, 1);
  assert.equal((audit[0]!.data as { appointmentId: number }).appointmentId, a1.id);
});

test('a cancelled or missed visit cannot be rated; a late arrival checked in can', async () => {
  await at('2025-10-09', '10:00');
  const cancelled = await book(alice, '2025-10-13', '09:00');
  assert.equal((await alice.client.post(`/api/appointments/${cancelled.id}/cancel`, {})).body.status, 'cancelled');
  const missed = await book(bob, '2025-10-10', '09:00');

  await at('2025-10-10', '10:00');
  assert.equal((await clerk.client.post(`/api/staff/appointments/${missed.id}/no-show`)).body.row.status, 'no_show');
  for (const [c, id] of [
    [alice, cancelled.id],
    [bob, missed.id],
  ] as const) {
    const r = await rate(c.client, id, 5);
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'RATING_NOT_ALLOWED');
    assert.equal((await rating(c.client, id)).body.canRate, false);
  }
  // Bob turns up late the same morning: checked in, the no-show is undone, and he may rate.
  assert.equal((await checkIn(clerk, missed.code)).status, 'checked_in');
  assert.equal((await rating(bob.client, missed.id)).body.canRate, true);
  assert.equal((await rate(bob.client, missed.id, 5)).status, 201);
});

test('two ratings sent at the same moment: one is recorded, the other is refused', async () => {
  await at('2025-10-10', '11:00');
  const v = await book(alice, '2025-10-13', '10:00');
  await at('2025-10-13', '10:05');
  await checkIn(clerk, v.code);
  const [r1, r2] = await Promise.all([rate(alice.client, v.id, 5), rate(alice.client, v.id, 2, '同时提交的另一条评价')]);
  assert.deepEqual([r1.status, r2.status].sort(), [201, 409]);
  assert.equal((r1.status === 409 ? r1 : r2).body.error.code, 'ALREADY_RATED');
  const rows = await s.dbh.db.selectFrom('ratings').select('level').where('appointment_id', '=', v.id).execute();
  assert.equal(rows.length, 1);
  assert.equal(
    await s.dbh.db
      .selectFrom('rectifications as r')
      .innerJoin('ratings as g', 'g.id', 'r.rating_id')
      .select('r.id')
      .where('g.appointment_id', '=', v.id)
      .execute()
      .then((x) => x.length),
    rows[0]!.level <= 2 ? 1 : 0,
    'a 整改 only if the 差评 was the one recorded',
  );
});

test('a 差评 of a visit opens a 整改 for the supervisors; its result reaches the person in-app and by SMS', async () => {
  await at('2025-10-13', '11:00');
  const v = await book(alice, '2025-10-14', '14:00');
  await at('2025-10-14', '14:10');
  await checkIn(clerk, v.code);
  const served = await server2.client.post(`/api/staff/appointments/${v.id}/serve`);
  assert.equal(served.body.row.status, 'served');

  const noReason = await rate(alice.client, v.id, 2);
  assert.equal(noReason.status, 400);
  assert.equal(noReason.body.error.details[0].field, 'comment');
  const bad = await rate(alice.client, v.id, 2, '叫号后等了四十分钟才办理');
  assert.equal(bad.status, 201, JSON.stringify(bad.body));
  const rect = bad.body.rating.rectification;
  assert.equal(rect.status, 'open');
  assert.equal(rect.dueDate, '2025-10-21', '5 working days after 10-14: 10-15, 16, 17, 20, 21');

  const row = await s.dbh.db.selectFrom('ratings').selectAll().where('appointment_id', '=', v.id).executeTakeFirstOrThrow();
  assert.equal(Number(row.handler_id), server2.id, 'the staff member who served is the one rated');
  assert.equal(row.bad, true);

  // The supervisors are told, and the desk lists the task as a hall visit at 中山办事处.
  const told = await s.dbh.db
    .selectFrom('outbox')
    .select(['subject', 'body'])
    .where('channel', '=', 'inapp')
    .where('recipient', '=', String(sup.id))
    .execute();
  assert.ok(told.some((m) => m.subject === `【差评整改】大厅服务（预约 #${v.id}）` && /2025-10-21/.test(m.body)));
  const desk = await sup.client.get('/api/staff/feedback/rectifications');
  const task = desk.body.items.find((x: { ratingId: number }) => x.ratingId === Number(row.id));
  assert.ok(task, JSON.stringify(desk.body));
  assert.equal(task.subjectKind, 'visit');
  assert.equal(task.officeName, '市医保中心中山办事处');
  assert.equal(task.handlerName, '窗口李');
  assert.equal(task.levelLabel, '不满意');

  await at('2025-10-15', '10:00');
  const cb = await sup.client.post(`/api/staff/feedback/rectifications/${task.id}/callback`, {
    at: '2025-10-15T01:30:00Z',
    channel: 'phone',
    note: '申请人反映当天叫号系统故障',
  });
  assert.equal(cb.status, 200, JSON.stringify(cb.body));
  const done = await sup.client.post(`/api/staff/feedback/rectifications/${task.id}/result`, { result: '已修复叫号系统，高峰时段增开一个窗口' });
  assert.equal(done.status, 200, JSON.stringify(done.body));

  const seen = await rating(alice.client, v.id);
  assert.equal(seen.body.rating.rectification.status, 'closed');
  assert.equal(seen.body.rating.rectification.result, '已修复叫号系统，高峰时段增开一个窗口');
  const inapp = await s.dbh.db
    .selectFrom('outbox')
    .select(['subject', 'body'])
    .where('channel', '=', 'inapp')
    .where('recipient', '=', String(alice.user.id))
    .execute();
  assert.ok(inapp.some((m) => m.subject === '您对大厅服务的评价已处理' && /已修复叫号系统/.test(m.body)));
  const sms = await s.dbh.db.selectFrom('outbox').select('body').where('channel', '=', 'sms').where('recipient', '=', alice.mobile).execute();
  assert.ok(
    sms.some((m) => /您对大厅服务的“不满意”评价已回访整改/.test(m.body)),
    'texted to the mobile the visit was booked with',
  );
});
