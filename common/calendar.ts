/**
 * Working-day calendar arithmetic (pure; runs on the server and in the browser).
 *
 * Dates are 'YYYY-MM-DD' strings, handled as whole UTC days so no time zone can shift them.
 * Default rule: Monday–Friday working, Saturday/Sunday rest; the calendar's lists override it:
 * `holidays` (public holidays, rest even on a weekday) and `workdays` (调休 make-up working days,
 * working even on a weekend). A calendar covers whole years; any question about a day in a year
 * it does not cover throws `CalendarNotCovered` rather than guessing. Some covered years may be
 * provisional (预计: computed from the statutory holidays before the State Council's notice is
 * published); every day of such a year says so, and so does any span that runs through one.
 */
import { InvalidValue } from './errors.ts';

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup';

export interface DayInfo {
  date: string;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  workingDay: boolean;
  kind: DayKind;
  name?: string;
  /** The day belongs to a provisional year (预计, until the notice is published). */
  provisional?: true;
}

export interface NamedDay {
  date: string;
  name: string;
}

export type TimeLimitKind = 'working_days' | 'natural_days' | 'months' | 'immediate';
export interface DeadlineLimit {
  kind: TimeLimitKind;
  value: number;
}

/** A date that is not a real 'YYYY-MM-DD' calendar day. */
export class InvalidDate extends Error {
  readonly value: string;
  constructor(value: string) {
    super(`不是有效的日期（应为 YYYY-MM-DD）：${value}`);
    this.name = 'InvalidDate';
    this.value = value;
  }
}

/** A computation needed a year the calendar has no data for (`lastYear`: the last year it does cover). */
export class CalendarNotCovered extends Error {
  readonly year: number;
  readonly lastYear: number | null;
  constructor(year: number, lastYear: number | null = null) {
    super(
      lastYear !== null && year > lastYear
        ? `${year} 年超出了工作日历可推算的范围（目前至 ${lastYear} 年），暂不能计算。`
        : `${year} 年的工作日历尚未录入。`,
    );
    this.name = 'CalendarNotCovered';
    this.year = year;
    this.lastYear = lastYear;
  }
}

const DAY_MS = 86_400_000;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

/** Whether `s` is a real calendar day written as 'YYYY-MM-DD'. */
export function isValidDate(s: string): boolean {
  const m = DATE_RE.exec(s);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  return y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function parts(s: string): [number, number, number] {
  if (typeof s !== 'string' || !isValidDate(s)) throw new InvalidDate(String(s));
  return [Number(s.slice(0, 4)), Number(s.slice(5, 7)), Number(s.slice(8, 10))];
}

/** Days since 1970-01-01. */
function toDayNumber(s: string): number {
  const [y, m, d] = parts(s);
  return Math.round(Date.UTC(y, m - 1, d) / DAY_MS);
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function fromDayNumber(n: number): string {
  const dt = new Date(n * DAY_MS);
  return `${pad(dt.getUTCFullYear(), 4)}-${pad(dt.getUTCMonth() + 1)}-${pad(dt.getUTCDate())}`;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: string): number {
  return (((toDayNumber(date) + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

export function yearOf(date: string): number {
  return parts(date)[0];
}

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new InvalidValue(`${what} 应为非负整数：${n}`);
}

/** The date `n` calendar days after `from` (n may be negative). */
export function addNaturalDays(from: string, n: number): string {
  if (!Number.isInteger(n)) throw new InvalidValue(`天数应为整数：${n}`);
  return fromDayNumber(toDayNumber(from) + n);
}

/** The same day `n` months later, clamped to the month's end (2024-01-31 + 1 → 2024-02-29). n may be negative. */
export function addMonths(from: string, n: number): string {
  if (!Number.isInteger(n)) throw new InvalidValue(`月数应为整数：${n}`);
  const [y, m, d] = parts(from);
  const idx = y * 12 + (m - 1) + n;
  const ny = Math.floor(idx / 12);
  const nm = (idx % 12) + 1;
  return `${pad(ny, 4)}-${pad(nm)}-${pad(Math.min(d, daysInMonth(ny, nm)))}`;
}

type DayMap = Map<string, string> | Record<string, string>;

export interface WorkCalendarInit {
  holidays: DayMap;
  workdays: DayMap;
  /** The years the lists are complete for. */
  years: Iterable<number>;
  /** Those of `years` that are provisional (预计): computed, not yet published. */
  provisionalYears?: Iterable<number>;
}

function toMap(m: DayMap, what: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [date, name] of m instanceof Map ? m : Object.entries(m)) {
    if (!isValidDate(date)) throw new InvalidDate(date);
    if (typeof name !== 'string' || !name.trim()) throw new InvalidValue(`${what} ${date} 缺少名称`);
    out.set(date, name);
  }
  return out;
}

export class WorkCalendar {
  readonly holidays: ReadonlyMap<string, string>;
  readonly workdays: ReadonlyMap<string, string>;
  /** Covered years, ascending. */
  readonly years: readonly number[];
  readonly #years: ReadonlySet<number>;
  /** Covered years that are provisional, ascending. */
  readonly provisionalYears: readonly number[];
  readonly #provisional: ReadonlySet<number>;

  constructor(init: WorkCalendarInit) {
    this.holidays = toMap(init.holidays, '节假日');
    this.workdays = toMap(init.workdays, '调休上班日');
    this.#years = new Set(init.years);
    this.years = [...this.#years].sort((a, b) => a - b);
    this.#provisional = new Set([...(init.provisionalYears ?? [])].filter((y) => this.#years.has(y)));
    this.provisionalYears = [...this.#provisional].sort((a, b) => a - b);
    for (const d of this.workdays.keys()) if (this.holidays.has(d)) throw new InvalidValue(`${d} 同时是节假日和调休上班日`);
  }

  covers(year: number): boolean {
    return this.#years.has(year);
  }

  /** Whether a covered year is provisional (预计). */
  isProvisionalYear(year: number): boolean {
    return this.#provisional.has(year);
  }

  /**
   * Whether an answer about the days from `a` to `b` (either order, both included) rests on a
   * provisional year: a deadline counted through one may move when the notice is published.
   */
  provisionalBetween(a: string, b: string): boolean {
    if (!this.#provisional.size) return false;
    const [lo, hi] = [yearOf(a), yearOf(b)].sort((x, y) => x - y) as [number, number];
    return this.provisionalYears.some((y) => y >= lo && y <= hi);
  }

  #check(date: string): void {
    const y = yearOf(date);
    if (!this.#years.has(y)) throw new CalendarNotCovered(y, this.years.at(-1) ?? null);
  }

  dayInfo(date: string): DayInfo {
    this.#check(date);
    const weekday = weekdayOf(date);
    const p = this.#provisional.has(yearOf(date)) ? ({ provisional: true } as const) : {};
    const makeup = this.workdays.get(date);
    if (makeup !== undefined) return { date, weekday, workingDay: true, kind: 'makeup', name: makeup, ...p };
    const holiday = this.holidays.get(date);
    if (holiday !== undefined) return { date, weekday, workingDay: false, kind: 'holiday', name: holiday, ...p };
    if (weekday === 0 || weekday === 6) return { date, weekday, workingDay: false, kind: 'weekend', ...p };
    return { date, weekday, workingDay: true, kind: 'workday', ...p };
  }

  isWorkingDay(date: string): boolean {
    return this.dayInfo(date).workingDay;
  }

  /** The n-th working day after `from` (`from` itself not counted; n = 0 → `from`). */
  addWorkingDays(from: string, n: number): string {
    checkCount(n, '工作日数');
    let day = toDayNumber(from);
    if (n === 0) return from;
    let left = n;
    while (left > 0) {
      day++;
      if (this.isWorkingDay(fromDayNumber(day))) left--;
    }
    return fromDayNumber(day);
  }

  // Cumulative working days from the first covered year's 1 January, built on first use: a staff
  // queue page asks "working days left" for every row, and a day-by-day walk over months of an
  // overdue backlog was a tenth of that page's time (npm run bench, scenario 5).
  #ord: { start: number; end: number; cum: Int32Array } | null | undefined;

  #ordinals(): { start: number; end: number; cum: Int32Array } | null {
    if (this.#ord !== undefined) return this.#ord;
    const ys = this.years;
    // Only a run of consecutive years: a gap must still throw CalendarNotCovered below.
    if (!ys.length || ys.at(-1)! - ys[0]! + 1 !== ys.length) return (this.#ord = null);
    const start = toDayNumber(`${pad(ys[0]!, 4)}-01-01`);
    const end = toDayNumber(`${pad(ys.at(-1)!, 4)}-12-31`);
    const cum = new Int32Array(end - start + 1);
    let n = 0;
    for (let d = start; d <= end; d++) {
      if (this.isWorkingDay(fromDayNumber(d))) n++;
      cum[d - start] = n;
    }
    return (this.#ord = { start, end, cum });
  }

  /** Working days in (a, b]; negative when b is before a (the count in (b, a]). */
  workingDaysBetween(a: string, b: string): number {
    const da = toDayNumber(a);
    const db = toDayNumber(b);
    if (db < da) return -this.workingDaysBetween(b, a);
    const o = this.#ordinals();
    if (o && da >= o.start && db <= o.end) return o.cum[db - o.start]! - o.cum[da - o.start]!;
    let count = 0;
    for (let d = da + 1; d <= db; d++) if (this.isWorkingDay(fromDayNumber(d))) count++;
    return count;
  }

  addNaturalDays(from: string, n: number): string {
    return addNaturalDays(from, n);
  }

  addMonths(from: string, n: number): string {
    return addMonths(from, n);
  }
}

/**
 * The due date of a time limit counted from `from`: working days skip weekends and holidays
 * (and count 调休 days); natural days and months are plain calendar arithmetic; immediate → `from`.
 */
export function deadlineFor(limit: DeadlineLimit, from: string, cal: WorkCalendar): string {
  switch (limit.kind) {
    case 'immediate':
      parts(from);
      return from;
    case 'working_days':
      return cal.addWorkingDays(from, limit.value);
    case 'natural_days':
      checkCount(limit.value, '天数');
      return addNaturalDays(from, limit.value);
    case 'months':
      checkCount(limit.value, '月数');
      return addMonths(from, limit.value);
    default:
      throw new InvalidValue(`未知的时限类型：${String((limit as { kind: unknown }).kind)}`);
  }
}

export interface MonthGrid {
  month: number;
  /** Weekday of the 1st (0 = Sunday … 6 = Saturday), for laying out a month table. */
  firstWeekday: number;
  days: DayInfo[];
  workingDays: number;
}

/** Every day of a covered year, month by month — what an admin calendar page draws. */
export function yearGrid(cal: WorkCalendar, year: number): MonthGrid[] {
  if (!cal.covers(year)) throw new CalendarNotCovered(year, cal.years.at(-1) ?? null);
  const out: MonthGrid[] = [];
  for (let m = 1; m <= 12; m++) {
    const days: DayInfo[] = [];
    for (let d = 1; d <= daysInMonth(year, m); d++) days.push(cal.dayInfo(`${pad(year, 4)}-${pad(m)}-${pad(d)}`));
    out.push({ month: m, firstWeekday: days[0]!.weekday, days, workingDays: days.filter((x) => x.workingDay).length });
  }
  return out;
}
