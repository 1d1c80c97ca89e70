import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { CalendarNotCovered, WorkCalendar } from './calendar.ts';
import {
  DEFAULT_RECTIFY_DAYS,
  RATING_LEVELS,
  classifyLevel,
  feedbackDaysLeft,
  isBadRating,
  isCompleted,
  levelLabel,
  planFeedbackDeadline,
  thresholdsDue,
} from './feedback.ts';

// The 2025 national calendar as the platform seeds it (国庆 10-01…10-08, 调休 09-28 and 10-11).
function seeded(year: number): WorkCalendar {
  const f = parse(readFileSync(new URL(`../data/calendar/CN-${year}.yaml`, import.meta.url), 'utf8')) as {
    holidays: { date: string; name: string }[];
    workdays: { date: string; name: string }[];
  };
  return new WorkCalendar({
    holidays: new Map(f.holidays.map((d) => [d.date, d.name])),
    workdays: new Map(f.workdays.map((d) => [d.date, d.name])),
    years: [year],
  });
}
const cal2025 = seeded(2025);

test('five levels, 5 = 非常满意 … 1 = 非常不满意; the two lowest are 差评', () => {
  assert.deepEqual(
    RATING_LEVELS.map((l) => `${l.level}${l.label}`),
    ['5非常满意', '4满意', '3基本满意', '2不满意', '1非常不满意'],
  );
  assert.deepEqual([5, 4, 3, 2, 1].map(classifyLevel), ['good', 'good', 'neutral', 'bad', 'bad']);
  assert.equal(isBadRating(2), true);
  assert.equal(isBadRating(1), true);
  assert.equal(isBadRating(3), false, '基本满意 is not a 差评');
  assert.equal(levelLabel(2), '不满意');
  for (const bad of [0, 6, 2.5, Number.NaN]) assert.throws(() => classifyLevel(bad), RangeError);
});

test('办结 means decided: approved or denied, not withdrawn, refused or terminated', () => {
  assert.equal(isCompleted('approved'), true);
  assert.equal(isCompleted('denied'), true);
  for (const s of ['reviewing', 'withdrawn', 'rejected', 'terminated', 'submitted']) assert.equal(isCompleted(s), false, s);
});

test('a 差评 opened the day before 国庆 is due five working days later, counting the 调休 Saturday', () => {
  // 2025-09-30 (Tue) + 5: 10-09, 10-10, 10-11 (make-up Saturday), 10-13, 10-14.
  const p = planFeedbackDeadline(cal2025, '2025-09-30', DEFAULT_RECTIFY_DAYS);
  assert.deepEqual(p, { due: '2025-10-14', warn: '2025-10-13' });
  // Opened on a Friday: the make-up Sunday 09-28 counts, the holiday week does not.
  assert.deepEqual(planFeedbackDeadline(cal2025, '2025-09-26', 5), { due: '2025-10-10', warn: '2025-10-09' });
  // A one-day limit has no separate early warning.
  assert.deepEqual(planFeedbackDeadline(cal2025, '2025-09-30', 1), { due: '2025-10-09', warn: null });
  assert.throws(() => planFeedbackDeadline(cal2025, '2025-09-30', 0), RangeError);
  assert.throws(() => planFeedbackDeadline(cal2025, '2025-09-30', 61), RangeError);
});

test('a deadline that runs into a year the calendar does not cover is not guessed', () => {
  assert.throws(
    () => planFeedbackDeadline(cal2025, '2025-12-29', 5),
    (e: unknown) => e instanceof CalendarNotCovered && e.year === 2026,
  );
});

test('warnings: the working day before, the due day, and after it', () => {
  const plan = { due: '2025-10-14', warn: '2025-10-13' };
  assert.deepEqual(thresholdsDue('2025-10-10', plan), []);
  assert.deepEqual(thresholdsDue('2025-10-13', plan), ['before']);
  assert.deepEqual(thresholdsDue('2025-10-14', plan), ['due']);
  assert.deepEqual(thresholdsDue('2025-10-15', plan), ['overdue']);
  assert.deepEqual(thresholdsDue('2025-10-14', { due: '2025-10-14', warn: null }), ['due']);
  assert.equal(feedbackDaysLeft(cal2025, '2025-09-30', '2025-10-14'), 5);
  assert.equal(feedbackDaysLeft(cal2025, '2025-10-14', '2025-10-14'), 0);
  assert.equal(feedbackDaysLeft(cal2025, '2025-10-16', '2025-10-14'), -2);
});
