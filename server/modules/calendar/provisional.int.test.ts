/**
 * Past the last published holiday notice (issue 14), over HTTP on a real database: provisional
 * years answer with `provisional: true`, deadlines counted through them are 预计, the yearly
 * reminder from 1 October, and what happens on the day the official year is published (an admin
 * on the calendar page, or a newer data file): every open deadline counted again, each applicant
 * told, each change audited, and a booking on a day that became a holiday moved, not dropped.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, type TestServer } from '../../../test/support.ts';
import { publishTolerance, registerCitizen, staffClient, testIdNo } from '../../../test/client.ts';
import { submittedCase } from '../../../test/factories.ts';
import { mutableClock } from '../../platform/clock.ts';
import { staffTotp } from '../../../test/totp.ts';
import { seedCalendar } from './service.ts';

const HAICHENG = '210381';
let s: TestServer;
const clock = mutableClock('2026-10-09T02:00:00Z'); // Friday 9 October 2026, 10:00 China time

type Citizen = Awaited<ReturnType<typeof registerCitizen>>;
type Staff = Awaited<ReturnType<typeof staffClient>>;
let admin: Staff;
let clerk: Staff;

async function relogin(...who: (Citizen | Staff)[]) {
  for (const w of who) {
    const body =
      'secret' in w
        ? { login: w.login, password: w.password, totp: await staffTotp(s, w.secret) }
        : { login: (w as Citizen).mobile, password: (w as Citizen).password };
    assert.equal((await w.client.post('/api/auth/login', body)).status, 200);
  }
}

/** A 海城 HC-12 转出 application (20 working days) by a person whose enrolment is stopped, submitted. */
async function hc12(name: string, materials = [0, 1, 2]): Promise<{ c: Citizen; id: number }> {
  const k = await submittedCase({
    server: s,
    item: 'HC-12',
    answers: { direction: 'out' },
    materials,
    citizen: { name, idNo: testIdNo(HAICHENG, '19790303') },
    person: { enrol: [{ type: 'employee', start: '2015-01-01', status: 'suspended' }] },
  });
  return { c: k.citizen, id: k.id };
}

const inbox = (userId: number) =>
  s.dbh.db.selectFrom('outbox').select(['subject', 'body']).where('channel', '=', 'inapp').where('user_id', '=', userId).orderBy('id').execute();

before(async () => {
  s = await startServer({ clock });
  admin = await staffClient(s, { agency: 'haicheng', roles: ['agency_admin', 'acceptor', 'reviewer'], name: '海城管理员' });
  clerk = await staffClient(s, { agency: 'haicheng', roles: ['acceptor'], name: '海城受理员' });
});
after(async () => {
  await s?.close();
});

test('provisional years exist up to three years ahead, computed from the statutory holidays, and say so', async () => {
  const y = await s.get<any>(`/api/calendar/${HAICHENG}/2027`);
  assert.equal(y.status, 200);
  assert.equal(y.body.source, 'provisional');
  assert.equal(y.body.provisional, true);
  assert.equal(y.body.resolvedFrom, '000000');
  assert.equal(y.body.workdays.length, 0, 'no 调休 is guessed');
  assert.ok(y.body.months[1].days.every((d: { provisional?: boolean }) => d.provisional === true));
  assert.deepEqual(await s.get('/api/calendar/is-working-day?region=210381&date=2027-02-08').then((r) => r.body), {
    workingDay: false,
    provisional: true,
  });
  assert.deepEqual(await s.get('/api/calendar/is-working-day?region=210381&date=2027-01-05').then((r) => r.body), {
    workingDay: true,
    provisional: true,
  });
  assert.equal((await s.get<any>(`/api/calendar/${HAICHENG}/2029`)).body.source, 'provisional');
  const beyond = await s.get<any>(`/api/calendar/${HAICHENG}/2030`);
  assert.equal(beyond.status, 422);
  assert.equal(beyond.body.error.code, 'CALENDAR_NOT_COVERED');
});

test('from 1 October, agency admins are told once a week until next year is published', async () => {
  const st = await s.get<any>(`/api/calendar/status?region=${HAICHENG}`);
  assert.equal(st.status, 200);
  assert.deepEqual(st.body.provisionalYears, [2027, 2028, 2029]);
  assert.equal(st.body.lastPublishedYear, 2026);
  assert.deepEqual(st.body.nextYear, { year: 2027, published: false, covered: true });
  assert.match(st.body.warning, /2027 年的放假安排尚未录入/);
  assert.equal(st.body.warningYear, 2027);
  await s.runner.runOnce();
  await s.runner.runOnce();
  const told = (await inbox(admin.id)).filter((m) => m.subject === '请录入 2027 年放假安排');
  assert.equal(told.length, 1, 'once, however often the runner polls');
  assert.equal((await inbox(clerk.id)).filter((m) => m.subject?.includes('放假安排')).length, 0, 'admins only');
  clock.set('2026-10-16T02:00:00Z'); // a week later
  await s.runner.runOnce();
  assert.equal((await inbox(admin.id)).filter((m) => m.subject === '请录入 2027 年放假安排').length, 2);
  clock.set('2026-09-30T02:00:00Z');
  assert.equal((await s.get<any>(`/api/calendar/status?region=${HAICHENG}`)).body.warning, null, 'not before 1 October');
  clock.set('2027-03-01T02:00:00Z');
  const late = (await s.get<any>(`/api/calendar/status?region=${HAICHENG}`)).body;
  assert.equal(late.warningYear, 2027, 'a year still provisional once it has begun is asked for at any date');
  assert.match(late.warning, /^2027 年的放假安排尚未录入/);
});

let accepted: { c: Citizen; id: number };
let tolerated: { c: Citizen; id: number };
let complaintId: number;
let booking: { c: Citizen; id: number; office: number; business: string };

test('2026-12-21: a 20-working-day acceptance falls due 2027-01-19, 预计, printed so on the receipt', async () => {
  clock.set('2026-12-21T02:00:00Z');
  await relogin(admin, clerk);
  const days = await s.get<any>(`/api/calendar/working-days?region=${HAICHENG}&from=2026-12-21&days=20`);
  assert.deepEqual(days.body, { date: '2027-01-19', provisional: true });
  accepted = await hc12('岳明');
  const acc = await clerk.client.post(`/api/cases/${accepted.id}/actions/accept`, {});
  assert.equal(acc.status, 200, JSON.stringify(acc.body));
  assert.equal(acc.body.dueDate, '2027-01-19');
  assert.equal(acc.body.dueProvisional, true);
  assert.equal(acc.body.workingDaysLeft, 20);
  const mine = await accepted.c.client.get('/api/cases/mine');
  assert.equal(mine.body.items.find((x: { id: number }) => x.id === accepted.id).dueProvisional, true);
  const receipt = await s.dbh.db.selectFrom('documents').select(['title', 'content']).where('case_id', '=', accepted.id).executeTakeFirstOrThrow();
  const text = JSON.stringify(receipt.content);
  assert.match(text, /将于预计2027年1月19日（以国务院公布的放假安排为准）前办结/);
  assert.match(text, /"provisional":true/);
});

test('a 容缺 deadline across Spring Festival 2027 (provisional): 10 working days from 2027-01-29 skip 除夕–初三', async () => {
  await publishTolerance(s, 'haicheng', 'HC-12', 1, 10, '2026-12-21');
  tolerated = await hc12('柏林', [0, 2]); // 《参保凭证》 to follow
  clock.set('2027-01-29T02:00:00Z'); // Friday
  await relogin(clerk, tolerated.c);
  const acc = await clerk.client.post(`/api/cases/${tolerated.id}/actions/accept_tolerance`, { pledge: { signed: true } });
  assert.equal(acc.status, 200, JSON.stringify(acc.body));
  // Feb 1–4, then 除夕 5th to 初三 8th (provisional), Feb 9–12, 15, 16.
  assert.equal(acc.body.toleranceDue, '2027-02-16');
  assert.equal(acc.body.toleranceDueProvisional, true);
  clock.set('2026-12-21T02:00:00Z');
  await relogin(admin, clerk, accepted.c, tolerated.c);
});

test('a complaint and a hall booking on days of the provisional year', async () => {
  const who = accepted.c;
  const t = await who.client.post('/api/complaints', {
    agencyCode: 'haicheng',
    subjectKind: 'case',
    caseId: accepted.id,
    content: '想知道办件什么时候可以办完，期限能不能提前告知',
  });
  assert.equal(t.status, 201, JSON.stringify(t.body));
  assert.equal(t.body.dueDate, '2027-01-05', '10 working days after 12-21, 元旦 skipped');
  complaintId = t.body.id;
  // January 2027 can be booked: its slots come from the provisional year.
  const opts = await s.get<any>('/api/agencies/haicheng/appointments');
  assert.equal(opts.status, 200, JSON.stringify(opts.body));
  const office = opts.body.offices[0];
  const business = office.services[0].business as string;
  const slots = await s.get<any>(`/api/appointments/slots?office=${office.id}&business=${business}&from=2027-01-04&days=5`);
  const jan4 = slots.body.days.find((d: { date: string }) => d.date === '2027-01-04');
  assert.equal(jan4.bookable, true, JSON.stringify(jan4));
  assert.equal(jan4.provisional, true);
  const b = await who.client.post('/api/appointments', { officeId: office.id, business, date: '2027-01-04', start: jan4.slots[0].start });
  assert.equal(b.status, 201, JSON.stringify(b.body));
  booking = { c: who, id: b.body.id, office: office.id, business };
});

test('the day 2027 is published with another arrangement: deadlines move, applicants are told why, each change audited', async () => {
  // The admin enters the notice: 元旦 1–4 January (one more day than the statutory one), 春节 5–13 February with two 调休 days.
  const holidays = [
    ...['01-01', '01-02', '01-03', '01-04'].map((d) => ({ date: `2027-${d}`, name: '元旦' })),
    ...['02-05', '02-06', '02-07', '02-08', '02-09', '02-10', '02-11', '02-12', '02-13'].map((d) => ({ date: `2027-${d}`, name: '春节' })),
    { date: '2027-04-05', name: '清明节' },
    ...['05-01', '05-02', '05-03', '05-04', '05-05'].map((d) => ({ date: `2027-${d}`, name: '劳动节' })),
    { date: '2027-06-09', name: '端午节' },
    { date: '2027-09-15', name: '中秋节' },
    ...['10-01', '10-02', '10-03', '10-04', '10-05', '10-06', '10-07'].map((d) => ({ date: `2027-${d}`, name: '国庆节' })),
  ];
  const workdays = [
    { date: '2027-01-31', name: '春节' },
    { date: '2027-02-20', name: '春节' },
  ];
  const put = await admin.client.put(`/api/calendar/${HAICHENG}/2027`, { holidays, workdays, note: '国办发明电〔2026〕号（测试）' });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  assert.equal(put.body.recompute, 1, 'one job: the one agency whose region this is');
  await s.runner.runOnce();

  const c = (await accepted.c.client.get(`/api/cases/${accepted.id}`)).body;
  assert.equal(c.dueDate, '2027-01-20', '2027-01-04 is now a holiday');
  assert.equal(c.dueProvisional, false);
  const moved = c.events.find((e: { action: string }) => e.action === 'deadline_moved');
  assert.match(moved.note, /国务院公布了2027年放假安排.*办结期限由2027年1月19日调整为2027年1月20日/);
  assert.ok(c.clockEvents.some((e: { kind: string; dueDate: string }) => e.kind === 'recompute' && e.dueDate === '2027-01-20'));
  const told = (await inbox(accepted.c.user.id)).map((m) => m.body).join('\n');
  assert.match(told, /办结期限由2027年1月19日调整为2027年1月20日/);
  assert.match(told, /答复期限由 2027-01-05 调整为 2027-01-06/);
  assert.match(told, /2027-01-04（元旦）大厅不办公.*已为您改到 2027-01-05/);

  const tol = (await tolerated.c.client.get(`/api/cases/${tolerated.id}`)).body;
  // From 01-29: the 调休 Sunday 01-31, Feb 1–4, then 15–19 after the 9-day holiday.
  assert.equal(tol.toleranceDue, '2027-02-19');
  assert.equal(tol.toleranceDueProvisional, false);
  assert.match((await inbox(tolerated.c.user.id)).map((m) => m.body).join('\n'), /容缺材料补交期限由2027年2月16日调整为2027年2月19日/);

  const complaint = (await accepted.c.client.get(`/api/complaints/${complaintId}`)).body;
  assert.equal(complaint.dueDate, '2027-01-06');
  const appt = (await booking.c.client.get(`/api/appointments/${booking.id}`)).body;
  assert.equal(appt.date ?? appt.day, '2027-01-05');
  assert.equal(appt.status, 'booked');

  const audit = await s.dbh.db.selectFrom('audit_log').select(['action', 'subject_id']).where('actor_label', '=', '工作日历').execute();
  const actions = audit.map((a) => a.action).sort();
  for (const a of ['calendar.recompute', 'case.deadline_moved', 'complaint.deadline_moved', 'appointment.moved_holiday'])
    assert.ok(actions.includes(a), `${a} in ${actions}`);
  assert.equal(audit.filter((a) => a.action === 'case.deadline_moved').length, 2);

  // The job again (a retry, a second instance): nothing more moves, nobody is told twice.
  const before = (
    await s.dbh.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;
  const { handleRecompute } = await import('./jobs.ts');
  const row = await s.dbh.db
    .selectFrom('calendar_years')
    .select('id')
    .where('region_code', '=', HAICHENG)
    .where('year', '=', 2027)
    .executeTakeFirstOrThrow();
  const { recomputeCase } = await import('../cases/recompute.ts');
  const { recomputeFeedbackDeadlines } = await import('../feedback/recompute.ts');
  const { moveBookingsOffClosedDays } = await import('../appointments/service.ts');
  await s.dbh.db.transaction().execute(async (trx) => {
    await handleRecompute(
      trx,
      clock.now(),
      { agencyCode: 'haicheng', region: HAICHENG, year: 2027, rowId: Number(row.id), replacedProvisional: true },
      { feedback: recomputeFeedbackDeadlines, appointments: moveBookingsOffClosedDays },
    );
    const ctx = { db: trx, now: clock.now(), today: '2026-12-21', actor: { kind: 'system' as const, label: '工作日历' } };
    for (const id of [accepted.id, tolerated.id]) assert.equal(await recomputeCase(ctx, { caseId: id, year: 2027, why: '再算一次' }), false);
  });
  const afterN = (
    await s.dbh.db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
  ).n;
  assert.equal(Number(afterN), Number(before));
  assert.equal((await s.get<any>(`/api/calendar/status?region=${HAICHENG}`)).body.nextYear.published, true);
});

test('a newer data package that brings the official year replaces the provisional one and recomputes', async () => {
  // Dalian still has 2027 provisional (the admin above published only 海城's region): a 转移接续
  // from Dalian to 大冶 accepted today gives Dalian's 信息表 leg 10 working days, to 2027-01-05 (预计).
  const d = await submittedCase({
    server: s,
    item: 'DY-11',
    answers: { originAgency: 'dalian' },
    citizen: { name: '戴文', idNo: testIdNo('210202', '19850505') },
    person: {
      agency: 'dalian',
      enrol: [{ type: 'employee', start: '2020-01-01', status: 'suspended', employment: 'employed' }],
      contributions: [{ type: 'employee', lastMonths: 60, clock, baseYuan: 5000 }],
    },
  });
  const dy = await staffClient(s, { agency: 'daye', roles: ['acceptor'] });
  assert.equal((await dy.client.post(`/api/cases/${d.id}/actions/accept`, {})).status, 200);
  const dl = await staffClient(s, { agency: 'dalian', roles: ['acceptor'] });
  const leg = async () => (await dl.client.get('/api/staff/transfers')).body.items.find((x: { caseId: number }) => x.caseId === d.id);
  assert.deepEqual([(await leg()).originDue, (await leg()).dueProvisional], ['2027-01-05', true]);
  const letter = await s.dbh.db
    .selectFrom('documents')
    .select('content')
    .where('case_id', '=', d.id)
    .where('title', 'like', '%联系函%')
    .executeTakeFirstOrThrow();
  assert.match(JSON.stringify(letter.content), /请于预计2027-01-05（以国务院公布的放假安排为准）前办结/);

  const dir = mkdtempSync(path.join(tmpdir(), 'yb-cal-'));
  mkdirSync(path.join(dir, 'calendar'));
  writeFileSync(
    path.join(dir, 'calendar', 'CN-2027.yaml'),
    `region: '000000'\nyear: 2027\nsource: 'test'\nholidays:\n  - { date: '2027-01-01', name: '元旦' }\n  - { date: '2027-01-04', name: '元旦' }\nworkdays: []\n`,
  );
  const report = await seedCalendar(s.dbh.db, dir, undefined, clock.now());
  assert.deepEqual(report.replaced, [2027]);
  const jobs = await s.dbh.db.selectFrom('jobs').select('payload').where('kind', '=', 'calendar.recompute').where('status', '=', 'pending').execute();
  const agencies = jobs.map((j) => (j.payload as { agencyCode: string }).agencyCode).sort();
  assert.deepEqual(agencies, ['dalian', 'daye', 'fushun', 'haicheng', 'shandong']);
  await s.runner.runOnce();
  assert.deepEqual((await s.get('/api/calendar/is-working-day?region=210200&date=2027-01-04')).body, { workingDay: false, provisional: false });
  assert.deepEqual(
    (await s.get('/api/calendar/is-working-day?region=210381&date=2027-01-04')).body,
    { workingDay: false, provisional: false },
    "海城's own version stays",
  );
  assert.equal((await s.get<any>('/api/calendar/000000/2027/versions')).body.versions[0].source, 'chinese-days');
  assert.deepEqual([(await leg()).originDue, (await leg()).dueProvisional], ['2027-01-06', false], "Dalian's leg moved by the new holiday");
  const ev = (await dy.client.get(`/api/cases/${d.id}`)).body.events.find((e: { action: string }) => e.action === 'transfer_deadline_moved');
  assert.match(ev.note, /转出地出具信息表的期限由 2027-01-05 调整为 2027-01-06/);
  assert.equal((await seedCalendar(s.dbh.db, dir, undefined, clock.now())).replaced.length, 0, 'once');
});
