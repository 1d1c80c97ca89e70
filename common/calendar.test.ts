import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import {
  CalendarNotCovered,
  InvalidDate,
  WorkCalendar,
  addMonths,
  addNaturalDays,
  deadlineFor,
  isValidDate,
  weekdayOf,
  yearGrid,
} from './calendar.ts';

function range(from: string, to: string, name: string): [string, string][] {
  const out: [string, string][] = [];
  for (let d = from; d <= to; d = addNaturalDays(d, 1)) out.push([d, name]);
  return out;
}

// 国办发明电〔2024〕12号: the 2025 arrangement.
const holidays2025 = new Map<string, string>([
  ['2025-01-01', '元旦'],
  ...range('2025-01-28', '2025-02-04', '春节'),
  ...range('2025-04-04', '2025-04-06', '清明节'),
  ...range('2025-05-01', '2025-05-05', '劳动节'),
  ...range('2025-05-31', '2025-06-02', '端午节'),
  ...range('2025-10-01', '2025-10-08', '国庆节'),
]);
const workdays2025 = {
  '2025-01-26': '春节',
  '2025-02-08': '春节',
  '2025-04-27': '劳动节',
  '2025-09-28': '国庆节',
  '2025-10-11': '国庆节',
};
const cal = new WorkCalendar({ holidays: holidays2025, workdays: workdays2025, years: [2025] });

test('2025 National Day: 10 working days from 2025-09-30 is 2025-10-21', () => {
  assert.equal(cal.addWorkingDays('2025-09-30', 10), '2025-10-21');
  // 10/9, 10/10, 10/11 (Saturday, make-up), 10/13–17, 10/20, 10/21
  assert.equal(cal.addWorkingDays('2025-09-30', 1), '2025-10-09');
  assert.equal(cal.addWorkingDays('2025-09-30', 3), '2025-10-11');
  assert.equal(cal.workingDaysBetween('2025-09-30', '2025-10-21'), 10);
  assert.equal(cal.isWorkingDay('2025-09-28'), true, 'Sunday make-up day');
  assert.equal(cal.isWorkingDay('2025-10-11'), true, 'Saturday make-up day');
  for (const d of range('2025-10-01', '2025-10-08', '')) assert.equal(cal.isWorkingDay(d[0]), false, d[0]);
  assert.deepEqual(cal.dayInfo('2025-10-06'), { date: '2025-10-06', weekday: 1, workingDay: false, kind: 'holiday', name: '国庆节' });
  assert.deepEqual(cal.dayInfo('2025-09-28'), { date: '2025-09-28', weekday: 0, workingDay: true, kind: 'makeup', name: '国庆节' });
  // 9/26 (Fri) + 1 → 9/28 (the Sunday make-up day), + 2 → 9/29
  assert.equal(cal.addWorkingDays('2025-09-26', 1), '2025-09-28');
  assert.equal(cal.addWorkingDays('2025-09-26', 2), '2025-09-29');
});

test('2025 Spring Festival', () => {
  assert.equal(cal.isWorkingDay('2025-01-26'), true, 'Sunday 1/26 is worked');
  assert.equal(cal.isWorkingDay('2025-02-08'), true, 'Saturday 2/8 is worked');
  assert.equal(cal.isWorkingDay('2025-01-28'), false);
  assert.equal(cal.isWorkingDay('2025-02-04'), false);
  // From Friday 1/24: 1/26 (Sun, make-up), 1/27 (Mon), then 2/5, 2/6, 2/7, 2/8 (Sat, make-up), 2/10
  assert.equal(cal.addWorkingDays('2025-01-24', 1), '2025-01-26');
  assert.equal(cal.addWorkingDays('2025-01-24', 2), '2025-01-27');
  assert.equal(cal.addWorkingDays('2025-01-24', 3), '2025-02-05');
  assert.equal(cal.addWorkingDays('2025-01-24', 6), '2025-02-08');
  assert.equal(cal.addWorkingDays('2025-01-24', 7), '2025-02-10');
  assert.equal(cal.workingDaysBetween('2025-01-27', '2025-02-04'), 0);
});

test('weekends, n = 0 and counting in (a, b]', () => {
  assert.equal(weekdayOf('2025-03-08'), 6);
  assert.equal(weekdayOf('1970-01-01'), 4);
  assert.equal(cal.isWorkingDay('2025-03-08'), false);
  assert.equal(cal.dayInfo('2025-03-09').kind, 'weekend');
  assert.equal(cal.dayInfo('2025-03-10').kind, 'workday');
  assert.equal(cal.addWorkingDays('2025-03-07', 1), '2025-03-10', 'Friday + 1 → Monday');
  assert.equal(cal.addWorkingDays('2025-03-08', 1), '2025-03-10', 'from a Saturday');
  assert.equal(cal.addWorkingDays('2025-03-08', 0), '2025-03-08', 'n = 0 returns from, even on a rest day');
  assert.equal(cal.addWorkingDays('2025-03-03', 5), '2025-03-10');
  assert.equal(cal.workingDaysBetween('2025-03-03', '2025-03-03'), 0);
  assert.equal(cal.workingDaysBetween('2025-03-03', '2025-03-10'), 5);
  assert.equal(cal.workingDaysBetween('2025-03-10', '2025-03-03'), -5);
  assert.throws(() => cal.addWorkingDays('2025-03-03', -1), RangeError);
  assert.throws(() => cal.addWorkingDays('2025-03-03', 1.5), RangeError);
});

test('working days between two dates: the cumulative table agrees with counting day by day', () => {
  const walk = (a: string, b: string) => {
    let n = 0;
    for (let d = a; d < b;) {
      d = addNaturalDays(d, 1);
      if (cal.isWorkingDay(d)) n++;
    }
    return n;
  };
  const days = ['2025-01-01', '2025-01-26', '2025-02-04', '2025-04-30', '2025-05-06', '2025-09-28', '2025-10-08', '2025-12-31'];
  for (const a of days) for (const b of days) if (a <= b) assert.equal(cal.workingDaysBetween(a, b), walk(a, b), `${a} → ${b}`);
  // A gap in the covered years is never bridged: asking across it throws.
  const gap = new WorkCalendar({ holidays: {}, workdays: {}, years: [2024, 2026] });
  assert.throws(() => gap.workingDaysBetween('2024-12-30', '2026-01-05'), CalendarNotCovered);
  assert.equal(gap.workingDaysBetween('2026-01-02', '2026-01-05'), 1);
});

test('natural days and months: end-of-month clamp, leap years', () => {
  assert.equal(addNaturalDays('2025-12-31', 1), '2026-01-01');
  assert.equal(addNaturalDays('2024-02-28', 1), '2024-02-29');
  assert.equal(addNaturalDays('2025-02-28', 1), '2025-03-01');
  assert.equal(addNaturalDays('2025-03-01', -1), '2025-02-28');
  assert.equal(addNaturalDays('2025-01-01', 0), '2025-01-01');
  assert.equal(addMonths('2025-01-31', 1), '2025-02-28');
  assert.equal(addMonths('2024-01-31', 1), '2024-02-29');
  assert.equal(addMonths('2024-02-29', 12), '2025-02-28');
  assert.equal(addMonths('2000-02-29', 12 * 100), '2100-02-28', '2100 is not a leap year');
  assert.equal(addMonths('2025-03-31', 1), '2025-04-30');
  assert.equal(addMonths('2025-11-15', 3), '2026-02-15');
  assert.equal(addMonths('2025-01-15', -1), '2024-12-15');
  assert.equal(cal.addMonths('2025-08-31', 1), '2025-09-30');
  assert.equal(cal.addNaturalDays('2025-09-30', 10), '2025-10-10');
  assert.ok(isValidDate('2024-02-29'));
  assert.ok(!isValidDate('2025-02-29'));
  assert.ok(!isValidDate('1900-02-29'));
  assert.ok(isValidDate('2000-02-29'));
});

test('bad dates are rejected', () => {
  for (const bad of ['2025-13-01', '2025-02-30', '2025-1-1', '20250101', '2025-01-01T00:00', '', 'abc', '2025-04-31']) {
    assert.ok(!isValidDate(bad), bad);
    assert.throws(() => cal.isWorkingDay(bad), InvalidDate, bad);
    assert.throws(() => addNaturalDays(bad, 1), InvalidDate, bad);
    assert.throws(() => addMonths(bad, 1), InvalidDate, bad);
  }
  assert.throws(() => cal.addWorkingDays('2025-02-30', 0), InvalidDate, 'n = 0 still validates');
  assert.throws(() => new WorkCalendar({ holidays: { '2025-02-30': 'x' }, workdays: {}, years: [2025] }), InvalidDate);
  assert.throws(() => new WorkCalendar({ holidays: { '2025-05-01': 'x' }, workdays: { '2025-05-01': 'y' }, years: [2025] }), RangeError);
});

test('years the calendar does not cover throw CalendarNotCovered with the year', () => {
  assert.throws(
    () => cal.isWorkingDay('2026-01-05'),
    (e: unknown) => e instanceof CalendarNotCovered && e.year === 2026,
  );
  assert.throws(
    () => cal.addWorkingDays('2025-12-30', 5),
    (e: unknown) => e instanceof CalendarNotCovered && e.year === 2026,
  );
  assert.throws(
    () => cal.workingDaysBetween('2024-12-30', '2025-01-03'),
    (e: unknown) => e instanceof CalendarNotCovered && e.year === 2024,
  );
  assert.equal(cal.addWorkingDays('2025-12-29', 2), '2025-12-31', 'up to the last covered day is fine');
  assert.ok(cal.covers(2025) && !cal.covers(2026));
  assert.throws(() => yearGrid(cal, 2024), CalendarNotCovered);
});

test('deadlineFor', () => {
  assert.equal(deadlineFor({ kind: 'working_days', value: 10 }, '2025-09-30', cal), '2025-10-21');
  assert.equal(deadlineFor({ kind: 'natural_days', value: 30 }, '2025-01-31', cal), '2025-03-02');
  assert.equal(deadlineFor({ kind: 'months', value: 1 }, '2025-01-31', cal), '2025-02-28');
  assert.equal(deadlineFor({ kind: 'immediate', value: 0 }, '2025-10-01', cal), '2025-10-01');
  assert.equal(deadlineFor({ kind: 'natural_days', value: 30 }, '2030-01-01', cal), '2030-01-31', 'natural days need no calendar');
  assert.throws(() => deadlineFor({ kind: 'working_days', value: 1 }, '2030-01-01', cal), CalendarNotCovered);
  assert.throws(() => deadlineFor({ kind: 'immediate', value: 0 }, '2025-02-30', cal), InvalidDate);
  assert.throws(() => deadlineFor({ kind: 'natural_days', value: -1 }, '2025-01-01', cal), RangeError);
});

test('year grid', () => {
  const g = yearGrid(cal, 2025);
  assert.equal(g.length, 12);
  assert.equal(
    g.reduce((n, m) => n + m.days.length, 0),
    365,
  );
  assert.equal(g[0]!.firstWeekday, 3, '2025-01-01 was a Wednesday');
  // Working days = weekdays − holidays falling on weekdays + make-up days.
  const weekdays = g.flatMap((m) => m.days).filter((d) => d.weekday >= 1 && d.weekday <= 5).length;
  const weekdayHolidays = [...holidays2025.keys()].filter((d) => weekdayOf(d) >= 1 && weekdayOf(d) <= 5).length;
  assert.equal(
    g.reduce((n, m) => n + m.workingDays, 0),
    weekdays - weekdayHolidays + 5,
  );
  assert.equal(g[9]!.days[5]!.kind, 'holiday');
});

test('data/calendar/CN-2025.yaml matches the State Council notice', () => {
  const doc = parse(readFileSync(new URL('../data/calendar/CN-2025.yaml', import.meta.url), 'utf8')) as {
    holidays: { date: string; name: string }[];
    workdays: { date: string; name: string }[];
  };
  assert.deepEqual(doc.holidays.map((d) => d.date).sort(), [...holidays2025.keys()].sort());
  assert.deepEqual(doc.workdays.map((d) => d.date).sort(), Object.keys(workdays2025).sort());
  const fromData = new WorkCalendar({
    holidays: new Map(doc.holidays.map((d) => [d.date, d.name])),
    workdays: new Map(doc.workdays.map((d) => [d.date, d.name])),
    years: [2025],
  });
  assert.equal(fromData.addWorkingDays('2025-09-30', 10), '2025-10-21');
  for (let y = 2020; y <= 2026; y++) {
    const d = parse(readFileSync(new URL(`../data/calendar/CN-${y}.yaml`, import.meta.url), 'utf8')) as { year: number; holidays: unknown[] };
    assert.equal(d.year, y);
    assert.ok(d.holidays.length >= 20, `${y} has its holidays`);
  }
});

test('provisional years: every day of one says so, and so does any span through one', () => {
  const cal = new WorkCalendar({
    holidays: { '2026-10-01': '国庆节', '2027-02-08': '春节' },
    workdays: {},
    years: [2026, 2027],
    provisionalYears: [2027, 2031],
  });
  assert.deepEqual(cal.provisionalYears, [2027], 'only covered years can be provisional');
  assert.equal(cal.isProvisionalYear(2027), true);
  assert.equal(cal.dayInfo('2026-12-31').provisional, undefined);
  assert.deepEqual(cal.dayInfo('2027-02-08'), {
    date: '2027-02-08',
    weekday: 1,
    workingDay: false,
    kind: 'holiday',
    name: '春节',
    provisional: true,
  });
  assert.equal(cal.provisionalBetween('2026-12-01', '2026-12-31'), false);
  assert.equal(cal.provisionalBetween('2026-12-21', '2027-01-19'), true);
  assert.equal(cal.provisionalBetween('2027-01-19', '2026-12-21'), true, 'either order');
  // 20 working days from Monday 2026-12-21 run into January 2027.
  assert.equal(cal.addWorkingDays('2026-12-21', 20), '2027-01-18');
});

test('a year beyond the last covered one names the last year it could reckon', () => {
  const cal = new WorkCalendar({ holidays: {}, workdays: {}, years: [2026, 2027] });
  assert.throws(
    () => cal.addWorkingDays('2027-12-30', 5),
    (e: unknown) => e instanceof CalendarNotCovered && e.year === 2028 && e.lastYear === 2027 && /超出/.test(e.message),
  );
  assert.throws(
    () => cal.isWorkingDay('2025-06-01'),
    (e: unknown) => e instanceof CalendarNotCovered && e.year === 2025 && /尚未录入/.test(e.message),
  );
});
