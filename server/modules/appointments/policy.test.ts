import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bookingWindow, dayPlan } from '../../../common/appointments.ts';
import { WorkCalendar } from '../../../common/calendar.ts';
import { addBookingCheck, bookingChecks, firstRefusal, type BookingCheck, type BookingFacts } from './policy.ts';

// 2025 around the National Day holiday: 1–8 October off, Sunday 28 September and Saturday 11 October worked.
const holidays = new Map(
  ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08'].map((d) => [d, '国庆节']),
);
const cal = new WorkCalendar({ holidays, workdays: { '2025-09-28': '国庆节', '2025-10-11': '国庆节' }, years: [2025] });
const hours = [{ from: '08:30', to: '11:30' }];
const settings = { leadWorkingDays: 1, horizonWorkingDays: 10, maxOpenBookings: 3, noShowLimit: 3, noShowWindowDays: 90, noShowBanDays: 30 };
const env = { db: null as never };

/** Facts for booking `date` at `start`, today being Tuesday 30 September 2025 at 10:00. */
function facts(over: Partial<BookingFacts> & { date?: string; closed?: string } = {}): BookingFacts {
  const date = over.date ?? '2025-10-09';
  const start = over.start ?? '09:00';
  const plan = dayPlan(cal, date, hours, { slotMinutes: 30, capacity: 2 }, over.closed ?? null);
  return {
    kind: 'book',
    agencyCode: 'dalian',
    officeId: 1,
    businessCode: 'maternity',
    itemCode: null,
    userId: 7,
    date,
    start,
    today: '2025-09-30',
    nowTime: '10:00',
    settings,
    serviceAvailable: true,
    window: bookingWindow(cal, '2025-09-30', settings.leadWorkingDays, settings.horizonWorkingDays),
    plan,
    slot: plan.slots.find((s) => s.start === start) ?? null,
    openBookings: 0,
    duplicate: false,
    noShowDays: [],
    ...over,
  };
}

async function refusal(f: BookingFacts) {
  return firstRefusal(f, env);
}

test('a booking inside the window on a working day passes every check', async () => {
  assert.equal(await refusal(facts()), null);
  assert.equal(await refusal(facts({ date: '2025-10-11', start: '08:30' })), null, 'a 调休 Saturday is bookable');
});

test('open-ahead: at least one working day ahead, so the holiday week pushes the first day to 9 October', async () => {
  const r = await refusal(facts({ date: '2025-09-30' }));
  assert.equal(r?.check, 'open_ahead');
  assert.equal(r?.code, 'APPT_TOO_SOON');
  assert.match(r!.message, /至少提前1个工作日.*2025-10-09/);
});

test('rest days and closed days are refused with the reason', async () => {
  const holiday = await refusal(facts({ date: '2025-10-03' }));
  assert.equal(holiday?.check, 'day_open');
  assert.equal(holiday?.code, 'APPT_DAY_CLOSED');
  assert.match(holiday!.message, /国庆节/);
  const closed = await refusal(facts({ closed: '消防检查' }));
  assert.equal(closed?.check, 'day_open');
  assert.match(closed!.message, /消防检查/);
});

test('horizon, unknown slot and an uncovered year', async () => {
  assert.equal((await refusal(facts({ date: '2025-10-28' })))?.check, 'horizon');
  assert.equal((await refusal(facts({ start: '09:10' })))?.check, 'slot_exists');
  const next = await refusal(facts({ date: '2026-01-05' }));
  assert.equal(next?.check, 'calendar_covered');
  assert.equal(next?.code, 'CALENDAR_NOT_COVERED');
});

test('per-person limit and duplicates; a reschedule does not count the booking it moves', async () => {
  const full = await refusal(facts({ openBookings: 3 }));
  assert.equal(full?.check, 'per_person_limit');
  assert.equal(full?.code, 'APPT_LIMIT_REACHED');
  assert.match(full!.message, /最多同时持有3个/);
  assert.equal((await refusal(facts({ duplicate: true })))?.code, 'APPT_DUPLICATE');
});

test('no-show ban: the citizen is told how many, when, and from which day booking opens again', async () => {
  const noShowDays = ['2025-07-10', '2025-08-01', '2025-09-29'];
  const r = await refusal(facts({ noShowDays }));
  assert.equal(r?.check, 'no_show_ban');
  assert.equal(r?.code, 'APPT_BANNED');
  assert.match(r!.message, /90天内有3次.*2025-10-29 起可重新预约/);
  assert.deepEqual(r?.details, { until: '2025-10-29', noShows: noShowDays });
  // Person-level reasons come before slot-level ones.
  assert.equal((await refusal(facts({ noShowDays, date: '2025-10-03' })))?.check, 'no_show_ban');
  // Moving an existing booking stays allowed.
  assert.equal(await refusal(facts({ noShowDays, kind: 'reschedule' })), null);
});

test('same-day booking (lead 0): a slot that has begun cannot be taken', async () => {
  const s0 = { ...settings, leadWorkingDays: 0 };
  const base = { settings: s0, window: bookingWindow(cal, '2025-09-30', 0, 10), date: '2025-09-30' };
  assert.equal((await refusal(facts({ ...base, start: '09:30' })))?.check, 'slot_not_started');
  assert.equal(await refusal(facts({ ...base, start: '10:30' })), null);
});

test('a switched-off office or business type is refused first', async () => {
  assert.equal((await refusal(facts({ serviceAvailable: false, openBookings: 9 })))?.code, 'APPT_SERVICE_UNAVAILABLE');
});

test('checks can be added by name (e.g. emergency mode) and run in order, async ones too', async () => {
  const before = bookingChecks.map((c) => c.name);
  const deferred: BookingCheck = {
    name: 'emergency_item_deferred',
    run: async (f) => (f.itemCode === 'DL-13' ? { code: 'APPT_SERVICE_UNAVAILABLE', message: '该事项暂缓办理。' } : null),
  };
  addBookingCheck(deferred, 'no_show_ban');
  try {
    assert.equal(bookingChecks[1]!.name, 'emergency_item_deferred');
    assert.equal((await refusal(facts({ itemCode: 'DL-13', openBookings: 3 })))?.check, 'emergency_item_deferred');
    assert.equal(await refusal(facts({ itemCode: 'DL-12' })), null);
  } finally {
    bookingChecks.splice(bookingChecks.indexOf(deferred), 1);
  }
  assert.deepEqual(
    bookingChecks.map((c) => c.name),
    before,
  );
});
