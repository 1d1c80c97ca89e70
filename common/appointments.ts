/**
 * Hall appointments (预约), the pure part: slot generation against the working-day calendar, the
 * bookable window, the no-show ban, reminder days and the check-in code. Runs on the server and
 * in the browser; imports only the calendar.
 *
 * Times of day are 'HH:MM' in China time. A slot template is a slot length and a capacity; the
 * slots of a working day are cut from the office's opening hours, period by period (a slot never
 * runs past the end of its period). Holidays and weekends come from the calendar, 调休 make-up
 * working days open like any working day, and a year the calendar does not cover is never guessed.
 */
import { CalendarNotCovered, addNaturalDays, type DayInfo, type WorkCalendar } from './calendar.ts';
import { InvalidValue } from './errors.ts';

export const APPOINTMENT_STATUSES = ['booked', 'cancelled', 'checked_in', 'served', 'no_show'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];
export const APPOINTMENT_STATUS_LABELS: Record<AppointmentStatus, string> = {
  booked: '已预约',
  cancelled: '已取消',
  checked_in: '已签到',
  served: '已办理',
  no_show: '未到（爽约）',
};

export interface Period {
  from: string;
  to: string;
}
export interface SlotTemplate {
  slotMinutes: number;
  capacity: number;
}
export interface SlotTime {
  start: string;
  end: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

export function isTimeOfDay(s: string): boolean {
  return typeof s === 'string' && HHMM.test(s);
}

/** Minutes since midnight of an 'HH:MM'. */
export function toMinutes(s: string): number {
  const m = HHMM.exec(s);
  if (!m) throw new InvalidValue(`时间应为 HH:MM：${s}`);
  return Number(m[1]) * 60 + Number(m[2]);
}

export function fromMinutes(n: number): string {
  return `${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`;
}

/** Problems with a list of opening periods (empty = fine): valid times, each from < to, in order, not overlapping. */
export function periodProblems(periods: Period[]): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  let prevEnd = -1;
  periods.forEach((p, i) => {
    if (!isTimeOfDay(p.from)) out.push({ path: `hours.${i}.from`, message: `开始时间应为 HH:MM：${p.from}` });
    if (!isTimeOfDay(p.to)) out.push({ path: `hours.${i}.to`, message: `结束时间应为 HH:MM：${p.to}` });
    if (!isTimeOfDay(p.from) || !isTimeOfDay(p.to)) return;
    const a = toMinutes(p.from);
    const b = toMinutes(p.to);
    if (a >= b) out.push({ path: `hours.${i}.to`, message: `结束时间应晚于开始时间（${p.from}–${p.to}）` });
    else if (a < prevEnd) out.push({ path: `hours.${i}.from`, message: `时段 ${p.from}–${p.to} 与前一时段重叠或顺序颠倒` });
    prevEnd = Math.max(prevEnd, b);
  });
  return out;
}

/** The slots of one working day: each period cut into slotMinutes pieces; a remainder too short for a slot is left out. */
export function slotTimes(hours: Period[], slotMinutes: number): SlotTime[] {
  if (!Number.isInteger(slotMinutes) || slotMinutes <= 0) throw new InvalidValue(`时段长度应为正整数分钟：${slotMinutes}`);
  const out: SlotTime[] = [];
  for (const p of hours) {
    const end = toMinutes(p.to);
    for (let t = toMinutes(p.from); t + slotMinutes <= end; t += slotMinutes) out.push({ start: fromMinutes(t), end: fromMinutes(t + slotMinutes) });
  }
  return out;
}

export interface DayPlan {
  date: string;
  /** null when the calendar does not cover the date's year. */
  day: DayInfo | null;
  open: boolean;
  /** Why the office takes no appointments that day (holiday, weekend, closed by the admin, year not in the calendar). */
  reason: string | null;
  /** The same, as a code the UI may branch on (it never reads `reason`'s words). */
  closedBy: ClosedBy | null;
  slots: SlotTime[];
}

/**
 * Why a day cannot be booked: a rest day, a day the admin closed, a business the office does not
 * offer that day, before the booking window opens (`too_soon`; `past` when no lead time is set),
 * beyond it (`not_open`), or a year the calendar does not cover.
 */
export const CLOSED_BY = ['weekend', 'holiday', 'closed', 'no_service', 'too_soon', 'past', 'not_open', 'no_calendar'] as const;
export type ClosedBy = (typeof CLOSED_BY)[number];

/**
 * What an office offers for one business type on one date: nothing on rest days (weekends and
 * holidays from the calendar) and days the admin closed; the template's slots on working days,
 * 调休 make-up days included.
 */
export function dayPlan(cal: WorkCalendar, date: string, hours: Period[], template: SlotTemplate, closedReason: string | null = null): DayPlan {
  let day: DayInfo;
  try {
    day = cal.dayInfo(date);
  } catch (e) {
    if (e instanceof CalendarNotCovered)
      return { date, day: null, open: false, reason: `${e.year} 年的工作日历尚未录入，暂不能预约`, closedBy: 'no_calendar', slots: [] };
    throw e;
  }
  if (!day.workingDay)
    return day.kind === 'holiday'
      ? { date, day, open: false, reason: `${day.name ?? '法定节假日'}，不办公`, closedBy: 'holiday', slots: [] }
      : { date, day, open: false, reason: '周末不办公', closedBy: 'weekend', slots: [] };
  if (closedReason) return { date, day, open: false, reason: closedReason, closedBy: 'closed', slots: [] };
  if (template.capacity <= 0) return { date, day, open: false, reason: '该业务暂不开放预约', closedBy: 'no_service', slots: [] };
  return { date, day, open: true, reason: null, closedBy: null, slots: slotTimes(hours, template.slotMinutes) };
}

/**
 * The n-th working day after `from`, or — when the calendar runs out first — the last covered
 * day before the gap, with `truncated` set. Never guesses an uncovered year.
 */
export function addWorkingDaysCovered(cal: WorkCalendar, from: string, n: number): { date: string; truncated: boolean } {
  let date = from;
  let left = n;
  while (left > 0) {
    const next = addNaturalDays(date, 1);
    if (!cal.covers(Number(next.slice(0, 4)))) return { date, truncated: true };
    date = next;
    if (cal.isWorkingDay(date)) left--;
  }
  return { date, truncated: false };
}

export interface BookingWindow {
  /** First bookable date: `lead` working days after today ("至少提前1个工作日"). null when the calendar does not reach it. */
  earliest: string | null;
  /** Last bookable date (`horizon` working days after today, or the calendar's end). */
  latest: string | null;
  /** The calendar ends before the horizon. */
  calendarEnds: boolean;
}

export function bookingWindow(cal: WorkCalendar, today: string, lead: number, horizon: number): BookingWindow {
  if (!cal.covers(Number(today.slice(0, 4)))) return { earliest: null, latest: null, calendarEnds: true };
  const e = addWorkingDaysCovered(cal, today, lead);
  if (e.truncated) return { earliest: null, latest: null, calendarEnds: true };
  const l = addWorkingDaysCovered(cal, today, Math.max(horizon, lead));
  return { earliest: e.date, latest: l.date, calendarEnds: l.truncated };
}

/** The last working day before `date` (when the reminder goes out), or null if the calendar does not cover it. */
export function previousWorkingDay(cal: WorkCalendar, date: string): string | null {
  let d = date;
  for (let i = 0; i < 60; i++) {
    d = addNaturalDays(d, -1);
    if (!cal.covers(Number(d.slice(0, 4)))) return null;
    if (cal.isWorkingDay(d)) return d;
  }
  return null;
}

export interface NoShowRule {
  /** This many no-shows … */
  limit: number;
  /** … within this many days … */
  windowDays: number;
  /** … stop new bookings for this many days from the last of them. */
  banDays: number;
}
export interface NoShowBan {
  /** First day bookings are open again. */
  until: string;
  /** The no-shows that caused it. */
  days: string[];
}

/**
 * Whether repeated no-shows stop a person booking today: `limit` no-shows whose first and last
 * lie within `windowDays` ban new bookings for `banDays` from the day of the last of them.
 * Returns the ban in force (the one ending last), or null.
 */
export function noShowBan(noShowDays: string[], rule: NoShowRule, today: string): NoShowBan | null {
  if (rule.banDays <= 0 || rule.limit <= 0) return null;
  const days = [...noShowDays].sort();
  let best: NoShowBan | null = null;
  for (let i = rule.limit - 1; i < days.length; i++) {
    const first = days[i - rule.limit + 1]!;
    const last = days[i]!;
    if (addNaturalDays(first, rule.windowDays - 1) < last) continue; // not within the window
    const until = addNaturalDays(last, rule.banDays);
    if (until > today && (!best || until > best.until)) best = { until, days: days.slice(i - rule.limit + 1, i + 1) };
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Check-in codes (预约码): 8 characters of Crockford's base32 (no I, L, O, U), shown XXXX-XXXX.
// 7 random characters and a check character (weights 1, 3, …, 13 modulo 32, so a single mistyped
// character is always caught). A hall scanner types the code from the QR code and presses Enter.

export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_PAYLOAD = 7;

export function codeCheckChar(values: number[]): string {
  let sum = 0;
  for (let i = 0; i < CODE_PAYLOAD; i++) sum += (2 * i + 1) * values[i]!;
  return CODE_ALPHABET[sum % 32]!;
}

/** 'XXXXXXXX' → 'XXXX-XXXX'. */
export function groupCode(raw: string): string {
  return `${raw.slice(0, 4)}-${raw.slice(4)}`;
}

/**
 * What someone typed or a scanner sent, as the canonical XXXX-XXXX, or null when it is not a valid
 * code. Case, spaces, dashes and full-width forms are ignored; O reads as 0, I and L as 1. A
 * scanned URL or prefixed text ending in the code is accepted (only its last 8 code characters count
 * when the rest is a known prefix).
 */
export function normaliseApptCode(input: string): string | null {
  if (typeof input !== 'string' || input.length > 200) return null;
  let s = input.normalize('NFKC').trim();
  const m = /(?:^|[/:=])YY[:-]?([0-9A-Za-z-]{8,9})\s*$/.exec(s);
  if (m) s = m[1]!;
  s = s
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—―－]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (s.length !== CODE_PAYLOAD + 1) return null;
  const values: number[] = [];
  for (const ch of s) {
    const v = CODE_ALPHABET.indexOf(ch);
    if (v < 0) return null;
    values.push(v);
  }
  if (codeCheckChar(values) !== s[CODE_PAYLOAD]) return null;
  return groupCode(s);
}

/** The text in the booking's QR code: a short tagged form of the code that a hall scanner types. */
export function qrText(code: string): string {
  return `YY:${code}`;
}

/** China time of day 'HH:MM' of an instant. */
export function chinaTimeOfDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(11, 16);
}

/** The instant a China-time date and 'HH:MM' denote. */
export function chinaInstant(date: string, time: string): Date {
  return new Date(`${date}T${time}:00+08:00`);
}
