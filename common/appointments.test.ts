import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { WorkCalendar } from './calendar.ts';
import {
  CODE_ALPHABET,
  bookingWindow,
  chinaInstant,
  chinaTimeOfDay,
  codeCheckChar,
  dayPlan,
  groupCode,
  noShowBan,
  normaliseApptCode,
  periodProblems,
  previousWorkingDay,
  qrText,
  slotTimes,
} from './appointments.ts';

// The real 2025 national calendar (data/calendar), as the server resolves it.
function calendar(years: number[]): WorkCalendar {
  const holidays = new Map<string, string>();
  const workdays = new Map<string, string>();
  for (const y of years) {
    const doc = parse(readFileSync(`data/calendar/CN-${y}.yaml`, 'utf8')) as {
      holidays: { date: string; name: string }[];
      workdays: { date: string; name: string }[];
    };
    for (const d of doc.holidays) holidays.set(d.date, d.name);
    for (const d of doc.workdays) workdays.set(d.date, d.name);
  }
  return new WorkCalendar({ holidays, workdays, years });
}
const cal2025 = calendar([2025]);
const hours = [
  { from: '08:30', to: '11:30' },
  { from: '13:00', to: '16:30' },
];

test('slots are cut from each opening period; a remainder too short for a slot is left out', () => {
  const s = slotTimes(hours, 30);
  assert.equal(s.length, 6 + 7);
  assert.deepEqual(s[0], { start: '08:30', end: '09:00' });
  assert.deepEqual(s[5], { start: '11:00', end: '11:30' });
  assert.deepEqual(s[6], { start: '13:00', end: '13:30' });
  assert.deepEqual(s.at(-1), { start: '16:00', end: '16:30' });
  assert.deepEqual(
    slotTimes([{ from: '08:30', to: '10:15' }], 45).map((x) => x.start),
    ['08:30', '09:15'],
  );
  assert.throws(() => slotTimes(hours, 0), RangeError);
});

test('opening periods must be valid, ordered and not overlap', () => {
  assert.deepEqual(periodProblems(hours), []);
  assert.equal(periodProblems([{ from: '11:30', to: '08:30' }])[0]!.path, 'hours.0.to');
  assert.equal(periodProblems([{ from: '8:30', to: '11:30' }])[0]!.path, 'hours.0.from');
  assert.equal(
    periodProblems([
      { from: '08:30', to: '12:00' },
      { from: '11:00', to: '16:00' },
    ])[0]!.path,
    'hours.1.from',
  );
});

test('a day plan follows the calendar: weekdays open, weekends and holidays closed, 调休 make-up days open', () => {
  const tpl = { slotMinutes: 30, capacity: 3 };
  const tue = dayPlan(cal2025, '2025-09-30', hours, tpl);
  assert.equal(tue.open, true);
  assert.equal(tue.slots.length, 13);
  const sat = dayPlan(cal2025, '2025-09-27', hours, tpl);
  assert.equal(sat.open, false);
  assert.match(sat.reason!, /周末/);
  const nationalDay = dayPlan(cal2025, '2025-10-01', hours, tpl);
  assert.equal(nationalDay.open, false);
  assert.equal(nationalDay.day?.kind, 'holiday');
  assert.match(nationalDay.reason!, /国庆节/);
  // Sunday 28 September 2025 is a make-up working day for the National Day holiday.
  const makeup = dayPlan(cal2025, '2025-09-28', hours, tpl);
  assert.equal(makeup.open, true);
  assert.equal(makeup.day?.kind, 'makeup');
  const closed = dayPlan(cal2025, '2025-09-30', hours, tpl, '系统升级');
  assert.deepEqual([closed.open, closed.reason, closed.slots.length], [false, '系统升级', 0]);
  assert.equal(dayPlan(cal2025, '2025-09-30', hours, { slotMinutes: 30, capacity: 0 }).open, false);
});

test('a year the calendar does not cover is never guessed', () => {
  const p = dayPlan(cal2025, '2026-01-05', hours, { slotMinutes: 30, capacity: 3 });
  assert.equal(p.day, null);
  assert.equal(p.open, false);
  assert.match(p.reason!, /2026 年的工作日历尚未录入/);
  assert.equal(previousWorkingDay(cal2025, '2026-01-05'), null);
});

test('booking opens lead working days ahead (Dalian: 至少提前1个工作日), counting holidays and 调休', () => {
  // Tuesday 30 September 2025, before the National Day week: the next working day is 9 October;
  // the 10th is 21 October (Saturday 11 October is a make-up working day).
  assert.deepEqual(bookingWindow(cal2025, '2025-09-30', 1, 10), { earliest: '2025-10-09', latest: '2025-10-21', calendarEnds: false });
  // Friday 26 September: the next working day is the make-up Sunday.
  assert.equal(bookingWindow(cal2025, '2025-09-26', 1, 10).earliest, '2025-09-28');
  // lead 0: today itself.
  assert.equal(bookingWindow(cal2025, '2025-09-30', 0, 5).earliest, '2025-09-30');
  // At the end of the covered years the window stops at the last covered day.
  assert.deepEqual(bookingWindow(cal2025, '2025-12-29', 1, 10), { earliest: '2025-12-30', latest: '2025-12-31', calendarEnds: true });
  assert.deepEqual(bookingWindow(cal2025, '2025-12-31', 1, 10), { earliest: null, latest: null, calendarEnds: true });
  const both = calendar([2025, 2026]);
  assert.equal(bookingWindow(both, '2025-12-31', 1, 10).earliest, '2026-01-04'); // 4 January 2026 is a make-up Sunday
});

test('the reminder goes out on the working day before the visit', () => {
  assert.equal(previousWorkingDay(cal2025, '2025-10-09'), '2025-09-30');
  assert.equal(previousWorkingDay(cal2025, '2025-09-29'), '2025-09-28'); // Monday ← make-up Sunday
  assert.equal(previousWorkingDay(cal2025, '2025-10-13'), '2025-10-11'); // Monday ← make-up Saturday
  assert.equal(previousWorkingDay(cal2025, '2025-11-04'), '2025-11-03');
});

test('3 no-shows within 90 days stop new bookings for 30 days from the last of them', () => {
  const rule = { limit: 3, windowDays: 90, banDays: 30 };
  const three = ['2025-03-01', '2025-04-01', '2025-05-01'];
  assert.deepEqual(noShowBan(three, rule, '2025-05-02'), { until: '2025-05-31', days: three });
  assert.deepEqual(noShowBan(three, rule, '2025-05-30')?.until, '2025-05-31');
  assert.equal(noShowBan(three, rule, '2025-05-31'), null, 'open again on the day the ban ends');
  assert.equal(noShowBan(three.slice(0, 2), rule, '2025-05-02'), null, 'two are not enough');
  // Spread over more than 90 days: no ban.
  assert.equal(noShowBan(['2025-01-01', '2025-02-15', '2025-04-01'], rule, '2025-04-02'), null);
  // Exactly 90 days from first to last counts (the 1st and the 90th day of the window).
  assert.ok(noShowBan(['2025-01-01', '2025-02-01', '2025-03-31'], rule, '2025-04-01'));
  // Order does not matter; the latest ban wins.
  const four = ['2025-05-10', '2025-03-01', '2025-04-01', '2025-05-01'];
  assert.equal(noShowBan(four, rule, '2025-05-11')?.until, '2025-06-09');
  assert.equal(noShowBan(three, { ...rule, banDays: 0 }, '2025-05-02'), null);
});

test('check-in codes: a check character catches any single typo; scanners, lower case and look-alikes are accepted', () => {
  const raw = 'K7M29QX';
  const values = [...raw].map((c) => CODE_ALPHABET.indexOf(c));
  const code = groupCode(raw + codeCheckChar(values));
  assert.equal(normaliseApptCode(code), code);
  assert.equal(normaliseApptCode(code.toLowerCase().replace('-', ' ')), code);
  assert.equal(normaliseApptCode(qrText(code)), code);
  assert.equal(normaliseApptCode(`  ${qrText(code)}\n`), code);
  for (let i = 0; i < 8; i++) {
    const flat = code.replace('-', '');
    for (const ch of CODE_ALPHABET) {
      if (ch === flat[i]) continue;
      const typo = flat.slice(0, i) + ch + flat.slice(i + 1);
      assert.equal(normaliseApptCode(typo), null, `typo ${typo}`);
    }
  }
  assert.equal(normaliseApptCode('1234'), null);
  assert.equal(normaliseApptCode('UUUU-UUUU'), null);
});

test('China time of day and instants', () => {
  assert.equal(chinaTimeOfDay(new Date('2025-09-30T01:05:00Z')), '09:05');
  assert.equal(chinaInstant('2025-09-30', '09:05').toISOString(), '2025-09-30T01:05:00.000Z');
});
