/**
 * SLA clocks: which limit applies to a case, its due date and its 75% warning date, and how a
 * pause moves them. Working-day limits count on the region's calendar; natural days and months
 * are plain date arithmetic (the limit's own rule).
 */
import { addNaturalDays, deadlineFor, type DeadlineLimit, type WorkCalendar } from '../../../common/calendar.ts';
import type { TimeLimit } from '../../../common/catalog.ts';

/** The limit that governs a case, or null when the guide states none (未载明). */
export function slaLimit(tl: TimeLimit): DeadlineLimit | null {
  const one = (kind: string, value: number | undefined, unit?: string): DeadlineLimit | null => {
    if (kind === 'immediate') return { kind: 'immediate', value: 0 };
    if (!value) return null;
    if (kind === 'working_days' || unit === 'working_day') return { kind: 'working_days', value };
    if (kind === 'natural_days' || unit === 'natural_day') return { kind: 'natural_days', value };
    if (kind === 'months' || unit === 'month') return { kind: 'months', value };
    return null;
  };
  if (tl.kind === 'per_channel') {
    // Per-way limits (承诺制 即时 vs 提交材料 N 日): an application with materials takes the longest.
    const options = (tl.perChannel ?? []).map((p) => one(p.kind, p.value, p.unit)).filter((x): x is DeadlineLimit => x !== null);
    return options.sort((a, b) => b.value - a.value)[0] ?? null;
  }
  return one(tl.kind, tl.value, tl.unit);
}

export function naturalDaysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400_000);
}

export interface ClockPlan {
  due: string;
  warn: string;
}

/** Due date and the 75% warning date for a clock started on `start`. */
export function planClock(limit: DeadlineLimit, start: string, cal: WorkCalendar): ClockPlan {
  const due = deadlineFor(limit, start, cal);
  if (limit.kind === 'working_days') return { due, warn: cal.addWorkingDays(start, Math.ceil(limit.value * 0.75)) };
  if (limit.kind === 'immediate') return { due, warn: due };
  return { due, warn: addNaturalDays(start, Math.ceil(naturalDaysBetween(start, due) * 0.75)) };
}

/**
 * A paused clock running again today: the case columns to set (due and warning dates moved by the
 * pause; the last-day warning may be given again when the due date moved) and the new due date.
 * For act()'s resume and for a transfer's end of 邮寄时间.
 */
export function resumeClock(
  c: { sla_kind: string; due_date: string; warn_date: string; paused_on: string },
  today: string,
  cal: WorkCalendar,
): { set: { clock_state: 'running'; paused_on: null; due_date: string; warn_date: string; warned_last_at?: null }; due: string } {
  const plan = shiftPlan(c.sla_kind as DeadlineLimit['kind'], { due: c.due_date, warn: c.warn_date }, c.paused_on, today, cal);
  return {
    set: {
      clock_state: 'running',
      paused_on: null,
      due_date: plan.due,
      warn_date: plan.warn,
      ...(plan.due !== c.due_date ? { warned_last_at: null } : {}),
    },
    due: plan.due,
  };
}

/** Move due and warning dates by the time the clock stood still (paused on `from`, resumed on `to`). */
export function shiftPlan(kind: DeadlineLimit['kind'], plan: ClockPlan, from: string, to: string, cal: WorkCalendar): ClockPlan {
  if (kind === 'working_days') {
    const n = Math.max(0, cal.workingDaysBetween(from, to));
    return { due: cal.addWorkingDays(plan.due, n), warn: cal.addWorkingDays(plan.warn, n) };
  }
  const n = Math.max(0, naturalDaysBetween(from, to));
  return { due: addNaturalDays(plan.due, n), warn: addNaturalDays(plan.warn, n) };
}

/**
 * The clock's dates replayed on a calendar: planned from `start`, then moved by each pause that has
 * ended (`pause` on p, `resume` on r), exactly as act() and resumeClock moved them when they
 * happened. Used when a calendar year changes (a provisional year replaced by the published one):
 * the same events on the new calendar give the dates the case would have had. Events before the
 * last `start` and kinds other than pause/resume are ignored.
 */
export function replayClock(limit: DeadlineLimit, start: string, events: readonly { kind: string; day: string }[], cal: WorkCalendar): ClockPlan {
  let plan = planClock(limit, start, cal);
  let pausedOn: string | null = null;
  const fromLastStart = events.slice(events.map((e) => e.kind).lastIndexOf('start') + 1);
  for (const e of fromLastStart) {
    if (e.kind === 'pause' && pausedOn === null) pausedOn = e.day;
    else if (e.kind === 'resume' && pausedOn !== null) {
      plan = shiftPlan(limit.kind, plan, pausedOn, e.day, cal);
      pausedOn = null;
    }
  }
  return plan;
}

/**
 * The 容缺 补正 deadline for a case accepted on `start`: the item's 容缺 days for the missing
 * materials (`days`, one per material; null where the guide gives none), never beyond the item's
 * own working-day limit; an immediate item's is its due date. Without a limit, 10 working days
 * where the guide gives none.
 */
export function toleranceDue(limit: DeadlineLimit | null, days: readonly (number | null | undefined)[], start: string, cal: WorkCalendar): string {
  if (!limit) return cal.addWorkingDays(start, Math.min(...days.map((d) => d ?? 10)));
  if (limit.kind === 'immediate') return deadlineFor(limit, start, cal);
  const n = Math.min(...days.map((d) => d ?? limit.value), limit.kind === 'working_days' ? limit.value : Infinity);
  return cal.addWorkingDays(start, Number.isFinite(n) ? n : limit.value);
}

/** Working days left until the due date (0 on the last day, negative when overdue). */
export function workingDaysLeft(today: string, due: string, cal: WorkCalendar): number {
  if (today <= due) return cal.workingDaysBetween(today, due);
  return -cal.workingDaysBetween(due, today);
}

export function describeLimit(limit: DeadlineLimit | null, text: string): string {
  if (!limit) return `${text}（指南未载明工作日时限）`;
  if (limit.kind === 'immediate') return '即时办结';
  const unit = limit.kind === 'working_days' ? '个工作日' : limit.kind === 'natural_days' ? '个自然日' : '个月';
  return `${limit.value}${unit}`;
}
