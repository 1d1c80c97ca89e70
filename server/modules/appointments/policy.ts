/**
 * Booking policy as a list of named checks. The service gathers the facts once (calendar day,
 * closed day, the person's open bookings and no-shows, the slot) and runs the checks in order;
 * the first refusal is the answer, with a stable error code and a message that says why.
 *
 * The built-in checks are pure. A check may also be async and read the database through `env`
 * (e.g. emergency mode: "item deferred → no new bookings", "appointment-only halls"); add one with
 * addBookingCheck() at start-up.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ApptSettings } from '../../../common/api-appointments.ts';
import { noShowBan, type BookingWindow, type DayPlan, type SlotTime } from '../../../common/appointments.ts';
import type { ErrorCode } from '../../../common/errors.ts';
import type { DB } from '../../db/types.ts';

export interface BookingFacts {
  kind: 'book' | 'reschedule';
  agencyCode: string;
  officeId: number;
  businessCode: string;
  itemCode: string | null;
  userId: number;
  date: string;
  start: string;
  today: string;
  /** China time of day now, 'HH:MM'. */
  nowTime: string;
  settings: ApptSettings;
  /** The office takes appointments and offers this business type. */
  serviceAvailable: boolean;
  window: BookingWindow;
  /** The office's plan for the date (calendar, closed day, template). */
  plan: DayPlan;
  /** The slot asked for, when the plan has it. */
  slot: SlotTime | null;
  /** The person's open bookings at this agency (the one being moved not counted). */
  openBookings: number;
  /** The person already holds a booking for this office, business type and date (the one being moved not counted). */
  duplicate: boolean;
  /** Days of the person's no-shows at this agency. */
  noShowDays: string[];
}

export interface Refusal {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export interface CheckEnv {
  db: Kysely<DB> | Transaction<DB>;
}

export interface BookingCheck {
  name: string;
  run(f: BookingFacts, env: CheckEnv): Refusal | null | Promise<Refusal | null>;
}

const weekdayName = (d: number) => ['日', '一', '二', '三', '四', '五', '六'][d];

export const serviceAvailable: BookingCheck = {
  name: 'service_available',
  run: (f) => (f.serviceAvailable ? null : { code: 'APPT_SERVICE_UNAVAILABLE', message: '该大厅暂不提供此项业务的预约，请选择其他大厅或业务。' }),
};

/** Repeated no-shows stop new bookings for a while (moving an existing booking stays allowed). */
export const noShowBanCheck: BookingCheck = {
  name: 'no_show_ban',
  run: (f) => {
    if (f.kind === 'reschedule') return null;
    const s = f.settings;
    const ban = noShowBan(f.noShowDays, { limit: s.noShowLimit, windowDays: s.noShowWindowDays, banDays: s.noShowBanDays }, f.today);
    if (!ban) return null;
    return {
      code: 'APPT_BANNED',
      message: banMessage(ban.days, ban.until, s),
      details: { until: ban.until, noShows: ban.days },
    };
  },
};

export function banMessage(days: string[], until: string, s: ApptSettings): string {
  return `您在${s.noShowWindowDays}天内有${days.length}次预约未按时到场（${days.join('、')}），按规定暂停预约${s.noShowBanDays}天，${until} 起可重新预约。`;
}

export const perPersonLimit: BookingCheck = {
  name: 'per_person_limit',
  run: (f) =>
    f.openBookings >= f.settings.maxOpenBookings
      ? {
          code: 'APPT_LIMIT_REACHED',
          message: `每人最多同时持有${f.settings.maxOpenBookings}个未办理的预约，您已有${f.openBookings}个。请先办理或取消已有预约。`,
          details: { open: f.openBookings, max: f.settings.maxOpenBookings },
        }
      : null,
};

export const noDuplicate: BookingCheck = {
  name: 'duplicate',
  run: (f) => (f.duplicate ? { code: 'APPT_DUPLICATE', message: `您已预约 ${f.date} 在该大厅办理同一项业务，无需重复预约。` } : null),
};

export const calendarCovered: BookingCheck = {
  name: 'calendar_covered',
  run: (f) =>
    f.plan.day === null
      ? {
          code: 'CALENDAR_NOT_COVERED',
          message: `${f.date.slice(0, 4)} 年的工作日历尚未录入，暂不能预约该日。`,
          details: { year: Number(f.date.slice(0, 4)) },
        }
      : null,
};

/** Rest days (weekends, holidays) and days the admin closed. */
export const dayOpen: BookingCheck = {
  name: 'day_open',
  run: (f) =>
    f.plan.day && !f.plan.open
      ? { code: 'APPT_DAY_CLOSED', message: `${f.date}（星期${weekdayName(f.plan.day.weekday)}）${f.plan.reason ?? '不办公'}，请选择其他日期。` }
      : null,
};

/** Dalian: 至少提前1个工作日预约 (configurable per agency). */
export const openAhead: BookingCheck = {
  name: 'open_ahead',
  run: (f) => {
    const { earliest } = f.window;
    if (earliest !== null && f.date >= earliest) return null;
    const lead = f.settings.leadWorkingDays;
    return {
      code: 'APPT_TOO_SOON',
      message:
        lead > 0
          ? `须至少提前${lead}个工作日预约${earliest ? `，现在最早可约 ${earliest}` : ''}。`
          : `不能预约已过去的日期${earliest ? `，最早可约 ${earliest}` : ''}。`,
      details: { earliest },
    };
  },
};

export const withinHorizon: BookingCheck = {
  name: 'horizon',
  run: (f) =>
    f.window.latest !== null && f.date > f.window.latest
      ? {
          code: 'APPT_TOO_FAR',
          message: f.window.calendarEnds
            ? `工作日历只录入到 ${f.window.latest}，暂只能预约此前的日期。`
            : `最多可预约${f.settings.horizonWorkingDays}个工作日内的时段（至 ${f.window.latest}）。`,
          details: { latest: f.window.latest },
        }
      : null,
};

export const slotExists: BookingCheck = {
  name: 'slot_exists',
  run: (f) => (f.slot ? null : { code: 'APPT_SLOT_NOT_FOUND', message: `${f.date} 没有 ${f.start} 开始的预约时段，请重新选择。` }),
};

/** Same-day booking (lead 0): a slot that has begun cannot be booked. */
export const slotNotStarted: BookingCheck = {
  name: 'slot_not_started',
  run: (f) =>
    f.slot && f.date === f.today && f.slot.start <= f.nowTime
      ? { code: 'APPT_TOO_SOON', message: `${f.slot.start} 的时段已开始，请选择之后的时段。` }
      : null,
};

/** In order: the first refusal wins. Person-level reasons come first so the citizen learns them at once. */
export const bookingChecks: BookingCheck[] = [
  serviceAvailable,
  noShowBanCheck,
  perPersonLimit,
  calendarCovered,
  dayOpen,
  openAhead,
  withinHorizon,
  slotExists,
  slotNotStarted,
  noDuplicate,
];

/** Add a check (e.g. from emergency mode) before the named one, or at the end. */
export function addBookingCheck(check: BookingCheck, before?: string): void {
  const existing = bookingChecks.findIndex((c) => c.name === check.name);
  if (existing >= 0) bookingChecks.splice(existing, 1);
  const i = before ? bookingChecks.findIndex((c) => c.name === before) : -1;
  if (i >= 0) bookingChecks.splice(i, 0, check);
  else bookingChecks.push(check);
}

export async function firstRefusal(
  f: BookingFacts,
  env: CheckEnv,
  checks: readonly BookingCheck[] = bookingChecks,
): Promise<(Refusal & { check: string }) | null> {
  for (const c of checks) {
    const r = await c.run(f, env);
    if (r) return { ...r, check: c.name };
  }
  return null;
}
