import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkCalendar } from '../../../common/calendar.ts';
import { ordinalRows } from './ordinals.ts';

const at = (rows: ReturnType<typeof ordinalRows>, day: string) => {
  const i = rows.days.indexOf(day);
  assert.ok(i >= 0, `${day} has a row`);
  return { working: rows.working[i]!, ord: rows.ord[i]!, span: rows.span[i]! };
};

test('ordinal subtraction counts the working days in (a, b], holidays and make-up days included', () => {
  const cal = new WorkCalendar({
    holidays: {
      '2025-10-01': '国庆节',
      '2025-10-02': '国庆节',
      '2025-10-03': '国庆节',
      '2025-10-06': '国庆节',
      '2025-10-07': '国庆节',
      '2025-10-08': '国庆节',
    },
    workdays: { '2025-10-11': '国庆节' },
    years: [2025],
  });
  const rows = ordinalRows(cal);
  assert.equal(rows.days.length, 365);
  assert.equal(rows.days[0], '2025-01-01');
  assert.equal(rows.days.at(-1), '2025-12-31');
  for (const [a, b] of [
    ['2025-09-30', '2025-10-09'],
    ['2025-09-29', '2025-10-23'],
    ['2025-10-09', '2025-10-24'],
    ['2025-10-04', '2025-10-05'],
    ['2025-01-01', '2025-12-31'],
  ] as const)
    assert.equal(at(rows, b).ord - at(rows, a).ord, cal.workingDaysBetween(a, b), `${a} → ${b}`);
  assert.equal(at(rows, '2025-10-09').ord - at(rows, '2025-09-30').ord, 1);
  assert.equal(at(rows, '2025-10-11').working, true, 'a make-up Saturday works');
  assert.equal(at(rows, '2025-10-06').working, false);
});

test('a gap in the covered years starts a new span; uncovered years have no rows', () => {
  const cal = new WorkCalendar({ holidays: {}, workdays: {}, years: [2024, 2025, 2027] });
  const rows = ordinalRows(cal);
  assert.equal(rows.days.length, 366 + 365 + 365);
  assert.equal(rows.days.indexOf('2026-06-01'), -1);
  assert.equal(at(rows, '2024-01-01').span, 2024);
  assert.equal(at(rows, '2025-12-31').span, 2024, '2024 and 2025 are one run');
  assert.equal(at(rows, '2027-01-01').span, 2027, '2027 follows a gap');
  assert.equal(at(rows, '2027-01-01').ord, 1, 'Friday 2027-01-01 (no holidays in this test calendar) is the first working day of its span');
  assert.equal(at(rows, '2025-01-02').ord - at(rows, '2024-12-31').ord, cal.workingDaysBetween('2024-12-31', '2025-01-02'));
});
