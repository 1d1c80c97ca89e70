import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { WorkCalendar } from '../../../common/calendar.ts';
import { PROVISIONAL_RANGE, provisionalYearDays } from './provisional.ts';

const published = (year: number) => parse(readFileSync(`data/calendar/CN-${year}.yaml`, 'utf8')) as { holidays: { date: string; name: string }[] };

test('2027: 元旦, 春节 除夕–初三 (2-5…2-8), 清明 4-5, 劳动节 5-1/5-2, 端午 6-9, 中秋 9-15, 国庆 10-1…10-3; no 调休', () => {
  const d = provisionalYearDays(2027);
  assert.deepEqual(d.holidays, [
    { date: '2027-01-01', name: '元旦' },
    { date: '2027-02-05', name: '春节' },
    { date: '2027-02-06', name: '春节' },
    { date: '2027-02-07', name: '春节' },
    { date: '2027-02-08', name: '春节' },
    { date: '2027-04-05', name: '清明节' },
    { date: '2027-05-01', name: '劳动节' },
    { date: '2027-05-02', name: '劳动节' },
    { date: '2027-06-09', name: '端午节' },
    { date: '2027-09-15', name: '中秋节' },
    { date: '2027-10-01', name: '国庆节' },
    { date: '2027-10-02', name: '国庆节' },
    { date: '2027-10-03', name: '国庆节' },
  ]);
  assert.deepEqual(d.workdays, []);
  const cal = new WorkCalendar({
    holidays: new Map(d.holidays.map((h) => [h.date, h.name])),
    workdays: new Map(),
    years: [2027],
    provisionalYears: [2027],
  });
  assert.equal(cal.isWorkingDay('2027-02-08'), false, '初三 (a Monday) is a holiday');
  assert.equal(cal.isWorkingDay('2027-01-05'), true);
  assert.equal(cal.dayInfo('2027-01-05').provisional, true);
});

test('a day two festivals share is one holiday named after both (2028: 中秋 falls on 10-3)', () => {
  const d = provisionalYearDays(2028);
  assert.equal(d.holidays.filter((h) => h.date.startsWith('2028-10-')).length, 3);
  assert.deepEqual(
    d.holidays.find((h) => h.date === '2028-10-03'),
    { date: '2028-10-03', name: '中秋节、国庆节' },
  );
  // 除夕 is 腊月廿九 when the twelfth month is short (2027-02-05), 三十 otherwise.
  assert.equal(d.holidays.filter((h) => h.name === '春节')[0]!.date, '2028-01-25');
});

test('the statutory days of the amended rule are holidays in every published year since it took effect (2025, 2026)', () => {
  for (const year of [2025, 2026]) {
    const pub = new Set(published(year).holidays.map((h) => h.date));
    for (const h of provisionalYearDays(year).holidays) assert.ok(pub.has(h.date), `${year}: ${h.date} ${h.name} is in the State Council notice`);
  }
});

test('always 13 statutory days (fewer when two festivals share one), within the year, sorted', () => {
  for (let y = 2027; y <= 2060; y++) {
    const d = provisionalYearDays(y).holidays;
    assert.ok(d.length === 13 || (d.length === 12 && d.some((h) => h.name.includes('、'))), `${y}: ${d.length}`);
    assert.deepEqual(
      d.map((h) => h.date),
      [...d.map((h) => h.date)].sort(),
    );
    assert.ok(d.every((h) => h.date.startsWith(`${y}-`)));
  }
});

test('years outside the lunar tables are refused', () => {
  assert.throws(() => provisionalYearDays(PROVISIONAL_RANGE.to + 1), /农历数据只覆盖/);
  assert.throws(() => provisionalYearDays(2027.5), RangeError);
});
