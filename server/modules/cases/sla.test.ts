import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkCalendar } from '../../../common/calendar.ts';
import { planClock, shiftPlan, slaLimit, workingDaysLeft } from './sla.ts';

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
