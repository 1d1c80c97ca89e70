/**
 * Hall appointments over HTTP on a real database: what can be booked, booking and its policy
 * checks, the per-person limit, cancel and reschedule, the QR code, check-in at the hall, and the
 * admin's hours, slot and closed-day editor.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { registerCitizen, staffClient, type Client } from '../../../test/client.ts';
import { mutableClock } from '../../platform/clock.ts';
import { staffTotp } from '../../../test/totp.ts';

// Tuesday 30 September 2025, 10:00 China time: the National Day holiday (1–8 October) is ahead,
// so booking "at least 1 working day ahead" opens on Thursday 9 October.
const clock = mutableClock('2025-09-30T02:00:00Z');
let s: TestServer;
let alice: Awaited<ReturnType<typeof registerCitizen>>;
let bob: Awaited<ReturnType<typeof registerCitizen>>;
let clerk: Awaited<ReturnType<typeof staffClient>>;
let admin: Awaited<ReturnType<typeof staffClient>>;
let zhongshan: number; // 中山办事处: 生育保险, 3 seats per 30 minutes (示例)
let xigang: number;
let center: number; // 市医保中心

/** Sessions last 7 days: after moving the clock, everyone signs in again. */
async function login(c: Client, cred: { login?: string; mobile?: string; password: string; secret?: string }) {
  const r = await c.post('/api/auth/login', {
    login: cred.login ?? cred.mobile,
    password: cred.password,
    ...(cred.secret ? { totp: await staffTotp(s, cred.secret) } : {}),
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

before(async () => {
  s = await startServer({ clock });
  alice = await registerCitizen(s, { name: '王丽' });
  bob = await registerCitizen(s, { name: '刘强' });
  clerk = await staffClient(s, { agency: 'dalian', roles: ['acceptor'], name: '窗口张' });
  admin = await staffClient(s, { agency: 'dalian', roles: ['agency_admin'], name: '管理员李' });
  const opts = await s.get<any>('/api/agencies/dalian/appointments');
  const id = (code: string) => opts.body.offices.find((o: { code: string }) => o.code === code).id as number;
  [zhongshan, xigang, center] = [id('zhongshan'), id('xigang'), id('shizhongxin')];
});
after(async () => {
  await s.close();
});

const book = (c: Client, body: Record<string, unknown>) => c.post('/api/appointments', { officeId: zhongshan, business: 'maternity', ...body });
const slotsOf = async (office: number, business: string, from = '2025-09-30', days = 14) =>
  (await s.get<any>(`/api/appointments/slots?office=${office}&business=${business}&from=${from}&days=${days}`)).body;
const seatsLeft = async (date: string, start: string, office = zhongshan, business = 'maternity') => {
  const d = (await slotsOf(office, business, date, 1)).days[0];
  return d.slots.find((x: { start: string }) => x.start === start)?.left as number | undefined;
};

test('options: Dalian offices with their business lines, the seed rule and the window from the working calendar', async () => {
  const r = await s.get<any>('/api/agencies/dalian/appointments');
  assert.equal(r.status, 200);
  assert.equal(r.body.settings.leadWorkingDays, 1);
  assert.ok(!r.body.settings.example.includes('leadWorkingDays'), '至少提前1个工作日 is from the seed');
  assert.ok(r.body.settings.example.includes('maxOpenBookings'));
  assert.equal(r.body.earliest, '2025-10-09');
  const zs = r.body.offices.find((o: { id: number }) => o.id === zhongshan);
  assert.deepEqual(
    zs.services.map((x: { business: string }) => x.business),
    ['maternity'],
  );
  assert.equal(zs.hoursExample, true);
  const lv = r.body.offices.find((o: { code: string }) => o.code === 'lvshun');
  assert.deepEqual(lv.services.map((x: { business: string }) => x.business).sort(), ['maternity', 'remote-reimburse', 'resettle-account']);
  assert.equal((await s.get<any>('/api/agencies/shandong/appointments')).body.error.code, 'APPT_SERVICE_UNAVAILABLE');
  assert.equal((await s.get<any>('/api/agencies/nowhere/appointments')).status, 404);
});

test('slots follow the calendar: today too soon, the holiday week closed, the 调休 Saturday open', async () => {
  const body = await slotsOf(zhongshan, 'maternity');
  const day = (d: string) => body.days.find((x: { date: string }) => x.date === d);
  assert.equal(day('2025-09-30').bookable, false);
  assert.match(day('2025-09-30').reason, /至少提前1个工作日/);
  assert.equal(day('2025-10-03').kind, 'holiday');
  assert.match(day('2025-10-03').reason, /国庆节/);
  assert.equal(day('2025-10-09').bookable, true);
  assert.equal(day('2025-10-09').slots.length, 13);
  assert.deepEqual(day('2025-10-09').slots[0], { start: '08:30', end: '09:00', capacity: 3, left: 3, bookable: true });
  assert.equal(day('2025-10-11').kind, 'makeup');
  assert.equal(day('2025-10-11').bookable, true);
  assert.equal(day('2025-10-12').kind, 'weekend');
  const bad = await s.get<any>(`/api/appointments/slots?office=${zhongshan}&business=nope`);
  assert.equal(bad.body.error.code, 'APPT_SERVICE_UNAVAILABLE');
});

test('booking: a seat is taken, the code and item are kept, and the policy checks refuse with clear codes', async () => {
  const r = await book(alice.client, { date: '2025-10-09', start: '09:00', itemCode: 'dl-12' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.match(r.body.code, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  assert.equal(r.body.status, 'booked');
  assert.deepEqual(r.body.item, { code: 'DL-12', name: '办理城乡居民新参保建档业务' });
  assert.deepEqual([r.body.date, r.body.start, r.body.end, r.body.business.name], ['2025-10-09', '09:00', '09:30', '生育保险']);
  assert.equal(r.body.office.name, '市医保中心中山办事处');
  assert.equal(r.body.canCancel, true);
  assert.equal(r.body.rateable, false);
  assert.equal(await seatsLeft('2025-10-09', '09:00'), 2);
  const note = await alice.client.get('/api/notifications');
  assert.match(note.body.items[0].body, new RegExp(r.body.code));

  const refused = async (body: Record<string, unknown>, code: string, re?: RegExp) => {
    const x = await book(alice.client, body);
    assert.equal(x.body.error?.code, code, JSON.stringify(x.body));
    if (re) assert.match(x.body.error.message, re);
    return x;
  };
  await refused({ date: '2025-10-09', start: '10:00' }, 'APPT_DUPLICATE');
  await refused({ date: '2025-09-30', start: '15:00' }, 'APPT_TOO_SOON', /至少提前1个工作日.*2025-10-09/);
  await refused({ date: '2025-10-06', start: '09:00' }, 'APPT_DAY_CLOSED', /中秋节|国庆节/);
  await refused({ date: '2025-10-10', start: '09:10' }, 'APPT_SLOT_NOT_FOUND');
  await refused({ date: '2025-12-01', start: '09:00' }, 'APPT_TOO_FAR', /10个工作日/);
  await refused({ date: '2025-10-10', start: '09:00', business: 'remote-reimburse' }, 'APPT_SERVICE_UNAVAILABLE');
  assert.equal((await book(alice.client, { date: '2025-10-10', start: '09:00', itemCode: 'XX-99' })).body.error.code, 'ITEM_NOT_FOUND');
  assert.equal((await book(alice.client, { date: '2025-10-10', start: '9:00' })).status, 400);
  assert.equal((await book(clerk.client, { date: '2025-10-10', start: '09:00' })).body.error.code, 'FORBIDDEN');
  const anon = await s.post<any>('/api/appointments', { officeId: zhongshan, business: 'maternity', date: '2025-10-10', start: '09:00' });
  assert.equal(anon.body.error.code, 'AUTH_REQUIRED');
});

test('a person holds at most 3 open bookings per agency; the standing says why', async () => {
  // Alice has one (9 October); two more at other offices or days, then the fourth is refused.
  assert.equal((await book(alice.client, { date: '2025-10-10', start: '09:00' })).status, 201);
  assert.equal(
    (await alice.client.post('/api/appointments', { officeId: center, business: 'general', date: '2025-10-11', start: '08:30' })).status,
    201,
  );
  const fourth = await alice.client.post('/api/appointments', { officeId: xigang, business: 'maternity', date: '2025-10-13', start: '08:30' });
  assert.equal(fourth.body.error.code, 'APPT_LIMIT_REACHED');
  assert.match(fourth.body.error.message, /最多同时持有3个.*已有3个/);
  const st = await alice.client.get('/api/appointments/standing?agency=dalian');
  assert.deepEqual([st.body.openBookings, st.body.maxOpenBookings, st.body.canBook, st.body.ban], [3, 3, false, null]);
  assert.match(st.body.message, /最多同时持有3个/);
  const mine = await alice.client.get('/api/appointments/mine');
  assert.equal(mine.body.items.length, 3);
  assert.deepEqual(
    mine.body.items.map((a: { date: string }) => a.date),
    ['2025-10-09', '2025-10-10', '2025-10-11'],
  );
  assert.equal(mine.body.standings[0].canBook, false);
});

test('cancel frees the seat; reschedule moves it, a full slot leaves everything as it was', async () => {
  const mine = (await alice.client.get('/api/appointments/mine')).body.items;
  const oct10 = mine.find((a: { date: string }) => a.date === '2025-10-10');
  // Bob fills 10 October 10:00 (3 seats: Bob and two more citizens).
  for (const c of [bob, await registerCitizen(s), await registerCitizen(s)])
    assert.equal((await book(c.client, { date: '2025-10-10', start: '10:00' })).status, 201);
  const full = await alice.client.post(`/api/appointments/${oct10.id}/reschedule`, { date: '2025-10-10', start: '10:00' });
  assert.equal(full.status, 409);
  assert.equal(full.body.error.code, 'APPT_SLOT_FULL');
  assert.equal(await seatsLeft('2025-10-10', '09:00'), 2, 'the old seat is still held');

  const moved = await alice.client.post(`/api/appointments/${oct10.id}/reschedule`, { date: '2025-10-13', start: '14:00' });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  assert.deepEqual([moved.body.date, moved.body.start, moved.body.code, moved.body.reschedules], ['2025-10-13', '14:00', oct10.code, 1]);
  assert.equal(await seatsLeft('2025-10-10', '09:00'), 3);
  assert.equal(await seatsLeft('2025-10-13', '14:00'), 2);
  assert.ok(
    moved.body.events.some((e: { kind: string; note: string }) => e.kind === 'rescheduled' && /2025-10-10 09:00 → 2025-10-13 14:00/.test(e.note)),
  );
  assert.equal((await alice.client.post(`/api/appointments/${oct10.id}/reschedule`, { date: '2025-10-13', start: '14:00' })).status, 400);

  const cancelled = await alice.client.post(`/api/appointments/${oct10.id}/cancel`, { reason: '行程有变' });
  assert.equal(cancelled.status, 200);
  assert.deepEqual([cancelled.body.status, cancelled.body.cancelReason, cancelled.body.canCancel], ['cancelled', '行程有变', false]);
  assert.equal(await seatsLeft('2025-10-13', '14:00'), 3);
  assert.equal((await alice.client.post(`/api/appointments/${oct10.id}/cancel`, {})).body.error.code, 'APPT_NOT_CHANGEABLE');
  assert.equal((await bob.client.post(`/api/appointments/${oct10.id}/cancel`, {})).body.error.code, 'APPT_NOT_FOUND');
  assert.equal((await bob.client.get(`/api/appointments/${oct10.id}`)).status, 404);
  // A freed place under the limit: Alice may book again.
  assert.equal((await alice.client.get('/api/appointments/standing?agency=dalian')).body.canBook, true);
});

test('the QR code carries the booking code and is shown only to its holder', async () => {
  const a = (await alice.client.get('/api/appointments/mine')).body.items[0];
  const qr = await alice.client.get(`/api/appointments/${a.id}/qr.svg`);
  assert.equal(qr.status, 200);
  assert.match(qr.headers.get('content-type')!, /image\/svg\+xml/);
  assert.match(String(qr.body), /<svg/);
  assert.equal((await bob.client.get(`/api/appointments/${a.id}/qr.svg`)).status, 404);
});

test('check-in at the hall by code (typed or scanned), then served; the wrong hall, day or code is refused', async () => {
  const oct9 = (await alice.client.get('/api/appointments/mine')).body.items.find((a: { date: string }) => a.date === '2025-10-09');
  const oct11 = (await alice.client.get('/api/appointments/mine')).body.items.find((a: { date: string }) => a.date === '2025-10-11');
  clock.set('2025-10-09T00:50:00Z'); // 08:50 on the day
  for (const [c, cred] of [
    [clerk.client, clerk],
    [alice.client, alice],
    [bob.client, bob],
  ] as const)
    await login(c, cred);
  const day = await clerk.client.get(`/api/staff/appointments?office=${zhongshan}`);
  assert.equal(day.status, 200);
  assert.equal(day.body.date, '2025-10-09');
  const row = day.body.rows.find((r: { code: string }) => r.code === oct9.code);
  assert.deepEqual([row.personName, row.actions], ['王丽', ['check_in']]);
  assert.match(row.mobileMasked, /^\d{3}\*{4}\d{4}$/);

  const ci = (code: string, officeId = zhongshan) => clerk.client.post('/api/staff/appointments/check-in', { code, officeId });
  assert.equal((await ci('ABCD-EFGH')).body.error.code, 'APPT_CODE_INVALID');
  assert.equal((await ci(oct9.code, xigang)).body.error.code, 'APPT_WRONG_OFFICE');
  assert.match((await ci(oct9.code, xigang)).body.error.message, /中山办事处/);
  assert.equal((await ci(oct11.code, center)).body.error.code, 'APPT_NOT_TODAY');
  // A scanner sends the QR text; a person types lower case without the dash.
  const scanned = await ci(`YY:${oct9.code}`);
  assert.equal(scanned.status, 200, JSON.stringify(scanned.body));
  assert.equal(scanned.body.row.status, 'checked_in');
  assert.equal(scanned.body.row.checkedInBy, '窗口张');
  assert.deepEqual(scanned.body.row.actions, ['serve']);
  assert.match(scanned.body.message, /王丽 签到成功/);
  const again = await ci(oct9.code.toLowerCase().replace('-', ''));
  assert.equal(again.body.error.code, 'APPT_BAD_STATUS');
  assert.match(again.body.error.message, /已于 08:50 签到/);

  const other = await staffClient(s, { agency: 'daye', roles: ['acceptor'] });
  assert.equal((await other.client.post('/api/staff/appointments/check-in', { code: oct9.code, officeId: zhongshan })).status, 404);
  assert.equal((await alice.client.post('/api/staff/appointments/check-in', { code: oct9.code, officeId: zhongshan })).body.error.code, 'FORBIDDEN');

  const served = await clerk.client.post(`/api/staff/appointments/${oct9.id}/serve`);
  assert.equal(served.status, 200);
  assert.deepEqual([served.body.row.status, served.body.row.servedBy], ['served', '窗口张']);
  assert.equal((await clerk.client.post(`/api/staff/appointments/${oct9.id}/serve`)).body.error.code, 'APPT_BAD_STATUS');
  // The holder sees it as rateable; what a rating needs is stored on the booking.
  const mine = await alice.client.get(`/api/appointments/${oct9.id}`);
  assert.deepEqual([mine.body.status, mine.body.rateable], ['served', true]);
  assert.deepEqual(
    mine.body.events.map((e: { kind: string }) => e.kind),
    ['booked', 'checked_in', 'served'],
  );
  const stored = await s.dbh.db.selectFrom('appointments').selectAll().where('id', '=', oct9.id).executeTakeFirstOrThrow();
  assert.deepEqual(
    [stored.agency_code, Number(stored.office_id), stored.business_code, stored.item_code, Number(stored.served_by), Number(stored.checked_in_by)],
    ['dalian', zhongshan, 'maternity', 'DL-12', clerk.id, clerk.id],
  );
  const audit = await s.dbh.db
    .selectFrom('audit_log')
    .select('action')
    .where('subject_kind', '=', 'appointment')
    .where('subject_id', '=', String(oct9.id))
    .execute();
  assert.deepEqual(
    audit.map((a) => a.action),
    ['appointment.check_in', 'appointment.serve'],
  );
  // Marking a no-show needs the slot to have begun.
  const later = (await bob.client.get('/api/appointments/mine')).body.items[0];
  assert.equal((await clerk.client.post(`/api/staff/appointments/${later.id}/no-show`)).body.error.code, 'APPT_BAD_STATUS');
});

test('admin: hours and slot templates, capacity changes never below seats taken, closing a day cancels and tells each person', async () => {
  clock.set('2025-10-09T02:00:00Z');
  await login(admin.client, admin);
  await login(bob.client, bob);
  await login(clerk.client, clerk);
  const cfg = await admin.client.get('/api/admin/appointments');
  assert.equal(cfg.status, 200);
  const zs = cfg.body.offices.find((o: { id: number }) => o.id === zhongshan);
  assert.deepEqual([zs.configured, zs.enabled, zs.hoursExample], [true, true, true]);
  assert.equal((await clerk.client.get('/api/admin/appointments')).body.error.code, 'FORBIDDEN');

  // Bad hours: a field error, nothing saved.
  const bad = await admin.client.put(`/api/admin/appointments/offices/${zhongshan}`, {
    enabled: true,
    hours: [{ from: '11:00', to: '09:00' }],
    services: [{ business: 'maternity', slotMinutes: 30, capacity: 3, active: true }],
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.details[0].path, 'hours.0.to');
  // Three seats are taken at 10:00 on 10 October; capacity 1 keeps them (never below booked), no new seat.
  const put = await admin.client.put(`/api/admin/appointments/offices/${zhongshan}`, {
    enabled: true,
    hours: [{ from: '09:00', to: '12:00' }],
    services: [{ business: 'maternity', slotMinutes: 60, capacity: 1, active: true }],
  });
  assert.equal(put.status, 200, JSON.stringify(put.body));
  const slot = await s.dbh.db
    .selectFrom('appt_slots')
    .select(['capacity', 'booked'])
    .where('office_id', '=', zhongshan)
    .where('day', '=', '2025-10-10')
    .where('start_time', '=', '10:00')
    .executeTakeFirstOrThrow();
  assert.deepEqual(slot, { capacity: 3, booked: 3 });
  const oct13 = (await slotsOf(zhongshan, 'maternity', '2025-10-13', 1)).days[0];
  assert.deepEqual(
    oct13.slots.map((x: { start: string; capacity: number }) => `${x.start}/${x.capacity}`),
    ['09:00/1', '10:00/1', '11:00/1'],
  );
  const after = (await admin.client.get('/api/admin/appointments')).body.offices.find((o: { id: number }) => o.id === zhongshan);
  assert.deepEqual([after.hoursExample, after.services[0].example], [false, false]);

  // Close 10 October: Bob's booking is cancelled, he gets an SMS and an in-app message; no one can book it.
  const close = await admin.client.post(`/api/admin/appointments/offices/${zhongshan}/closed-days`, { date: '2025-10-10', reason: '线路改造停电' });
  assert.equal(close.status, 201, JSON.stringify(close.body));
  assert.equal(close.body.cancelled, 3);
  const bobs = (await bob.client.get('/api/appointments/mine')).body.items[0];
  assert.deepEqual([bobs.status, bobs.cancelReason], ['cancelled', '大厅暂停办公：线路改造停电']);
  const sms = await s.dbh.db.selectFrom('outbox').select('body').where('channel', '=', 'sms').where('recipient', '=', bob.mobile).execute();
  assert.ok(sms.some((m) => /线路改造停电/.test(m.body)));
  assert.equal(await seatsLeft('2025-10-10', '10:00'), undefined, 'a closed day offers no slots');
  const refused = await book(bob.client, { date: '2025-10-10', start: '09:00' });
  assert.equal(refused.body.error.code, 'APPT_DAY_CLOSED');
  assert.match(refused.body.error.message, /线路改造停电/);
  assert.equal(
    (await admin.client.post(`/api/admin/appointments/offices/${zhongshan}/closed-days`, { date: '2025-10-01', reason: 'x' })).status,
    400,
  );
  assert.equal((await admin.client.del(`/api/admin/appointments/offices/${zhongshan}/closed-days/2025-10-10`)).status, 200);
  assert.equal((await book(bob.client, { date: '2025-10-10', start: '09:00' })).status, 201);

  // Rules: two working days ahead from now on (Friday, then the 调休 Saturday).
  const rules = { leadWorkingDays: 2, horizonWorkingDays: 10, maxOpenBookings: 3, noShowLimit: 3, noShowWindowDays: 90, noShowBanDays: 30 };
  assert.equal((await admin.client.put('/api/admin/appointments/settings', rules)).status, 200);
  assert.equal((await s.get<any>('/api/agencies/dalian/appointments')).body.earliest, '2025-10-11');
  const tooSoon = await book(bob.client, { date: '2025-10-10', start: '11:00' });
  assert.match(tooSoon.body.error.message, /至少提前2个工作日/);
  const actions = await s.dbh.db.selectFrom('audit_log').select('action').where('subject_kind', '=', 'appointment_config').execute();
  assert.deepEqual(
    actions.map((a) => a.action),
    ['appointment.office', 'appointment.close_day', 'appointment.reopen_day', 'appointment.settings'],
  );
});
