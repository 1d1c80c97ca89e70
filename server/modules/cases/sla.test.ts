import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkCalendar } from '../../../common/calendar.ts';
import { planClock, replayClock, shiftPlan, slaLimit, toleranceDue, workingDaysLeft } from './sla.ts';

// 2025 holidays around National Day, as published by the State Council.
const cal = new WorkCalendar({
  holidays: Object.fromEntries(
    ['2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08'].map((d) => [
      d,
      '国庆节、中秋节',
    ]),
  ),
  workdays: { '2025-09-28': '国庆节调休', '2025-10-11': '国庆节调休' },
  years: [2025],
});

test('10 working days from 2025-09-30 fall due on 2025-10-21, warning on the 8th working day', () => {
  const plan = planClock({ kind: 'working_days', value: 10 }, '2025-09-30', cal);
  assert.deepEqual(plan, { due: '2025-10-21', warn: '2025-10-17' });
  assert.equal(workingDaysLeft('2025-10-20', plan.due, cal), 1);
  assert.equal(workingDaysLeft('2025-10-21', plan.due, cal), 0);
  assert.equal(workingDaysLeft('2025-10-22', plan.due, cal), -1);
});

test('a pause moves the due date by the working days it lasted', () => {
  const plan = planClock({ kind: 'working_days', value: 10 }, '2025-09-30', cal);
  // paused Fri 10-10, resumed Tue 10-14: 10-11 (调休 Saturday), 10-13 and 10-14 are working days → +3
  assert.deepEqual(shiftPlan('working_days', plan, '2025-10-10', '2025-10-14', cal), { due: '2025-10-24', warn: '2025-10-22' });
});

test('natural days and months follow plain dates', () => {
  assert.equal(planClock({ kind: 'natural_days', value: 30 }, '2025-09-30', cal).due, '2025-10-30');
  assert.equal(planClock({ kind: 'months', value: 3 }, '2025-11-30', cal).due, '2026-02-28');
  assert.deepEqual(planClock({ kind: 'immediate', value: 0 }, '2025-10-09', cal), { due: '2025-10-09', warn: '2025-10-09' });
});

test('the limit is read from the guide: per-way limits take the longest, unstated gives none', () => {
  assert.deepEqual(slaLimit({ text: '10个工作日', kind: 'working_days', value: 10, unit: 'working_day' }), { kind: 'working_days', value: 10 });
  assert.equal(slaLimit({ text: '未载明', kind: 'unspecified' }), null);
  assert.deepEqual(
    slaLimit({
      text: '即时办结（承诺制）；2个工作日（提交材料）',
      kind: 'per_channel',
      perChannel: [
        { channel: '承诺制', text: '即时办结', kind: 'immediate' },
        { channel: '提交材料', text: '2个工作日', kind: 'working_days', value: 2, unit: 'working_day' },
      ],
    }),
    { kind: 'working_days', value: 2 },
  );
  assert.deepEqual(slaLimit({ text: '3个月', kind: 'months', value: 3, unit: 'month' }), { kind: 'months', value: 3 });
});

test('replayClock: the same start and pauses on a changed calendar give the dates the case would have had', () => {
  const limit = { kind: 'working_days' as const, value: 10 };
  const events = [
    { kind: 'start', day: '2025-09-30' },
    { kind: 'warn75', day: '2025-10-17' },
    { kind: 'pause', day: '2025-10-10' },
    { kind: 'resume', day: '2025-10-14' },
  ];
  // On the calendar the dates were counted on, the replay gives them again.
  assert.deepEqual(replayClock(limit, '2025-09-30', events, cal), { due: '2025-10-24', warn: '2025-10-22' });
  // One more holiday inside the running time moves both by a working day.
  const more = new WorkCalendar({
    holidays: new Map([...cal.holidays, ['2025-10-20', '测试假日'] as const]),
    workdays: new Map(cal.workdays),
    years: [2025],
  });
  assert.deepEqual(replayClock(limit, '2025-09-30', events, more), { due: '2025-10-27', warn: '2025-10-23' });
  // A pause not yet resumed leaves the dates as at the pause.
  assert.deepEqual(replayClock(limit, '2025-09-30', events.slice(0, 3), cal), planClock(limit, '2025-09-30', cal));
});

test('toleranceDue: the 容缺 days, never beyond the item limit; immediate items and items without a limit', () => {
  assert.equal(toleranceDue({ kind: 'working_days', value: 10 }, [5], '2025-09-30', cal), '2025-10-14');
  assert.equal(
    toleranceDue({ kind: 'working_days', value: 3 }, [5], '2025-09-30', cal),
    '2025-10-11',
    'capped at the 3-day limit (10-11 is a 调休 Saturday)',
  );
  assert.equal(toleranceDue({ kind: 'working_days', value: 10 }, [null], '2025-09-30', cal), '2025-10-21', 'no days given: the limit');
  assert.equal(toleranceDue({ kind: 'immediate', value: 0 }, [5], '2025-09-30', cal), '2025-09-30');
  assert.equal(toleranceDue(null, [null], '2025-09-30', cal), '2025-10-21', '10 working days');
});
