/** Working-day calendar use cases: seed from data/calendar, resolve a region's calendar, admin edits, history. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { parse as parseYaml } from 'yaml';
import { calendarFile, type CalendarVersionsOut, type CalendarYearOut } from '../../../common/api-calendar.ts';
import { CalendarNotCovered, InvalidDate, WorkCalendar, isValidDate, yearGrid } from '../../../common/calendar.ts';
import { AppError, ERRORS } from '../../../common/errors.ts';
import type { Database } from '../../db/index.ts';
import { appendOnlyStamp } from '../../db/stamp.ts';
import * as repo from './repository.ts';
import * as ordinals from './ordinals.ts';
import type { CalendarDays, Db } from './repository.ts';
import { ttlCache } from '../../platform/ttl-cache.ts';

export const NATIONAL = '000000';
const REGION_RE = /^\d{6}$/;

/** Resolution order for a region: itself → its province (first two digits + 0000) → national. */
export function regionChain(region: string): string[] {
  if (!REGION_RE.test(region)) throw new AppError('VALIDATION_FAILED', `地区代码应为6位数字：${region}`);
  return [...new Set([region, `${region.slice(0, 2)}0000`, NATIONAL])];
}

/** Map the pure module's errors to API errors (CALENDAR_NOT_COVERED → 422, bad date → 400). */
export function toAppError(e: unknown): unknown {
  if (e instanceof CalendarNotCovered) {
    return new AppError('CALENDAR_NOT_COVERED', `${e.year} 年的工作日历尚未录入，请联系管理员补录。`, { year: e.year });
  }
  if (e instanceof InvalidDate || e instanceof RangeError) return new AppError('VALIDATION_FAILED', e.message);
  return e;
}

async function mapped<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toAppError(e);
  }
}

/** Check one year's lists. Returns the problems (empty = fine). */
export function checkYearDays(year: number, days: CalendarDays): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const seen = new Map<string, string>();
  for (const list of ['holidays', 'workdays'] as const) {
    days[list].forEach((d, i) => {
      const p = `${list}.${i}`;
      if (!isValidDate(d.date)) problems.push({ path: `${p}.date`, message: `不是有效的日期：${d.date}` });
      else if (Number(d.date.slice(0, 4)) !== year) problems.push({ path: `${p}.date`, message: `${d.date} 不在 ${year} 年内` });
      if (typeof d.name !== 'string' || !d.name.trim()) problems.push({ path: `${p}.name`, message: `${d.date} 缺少名称` });
      const before = seen.get(d.date);
      if (before === list) problems.push({ path: `${p}.date`, message: `${d.date} 重复出现` });
      else if (before) problems.push({ path: `${p}.date`, message: `${d.date} 不能既是节假日又是调休上班日` });
      seen.set(d.date, list);
    });
  }
  return problems;
}

function normaliseDays(days: CalendarDays): CalendarDays {
  const clean = (l: { date: string; name: string }[]) =>
    l.map((d) => ({ date: d.date, name: d.name.trim() })).sort((a, b) => a.date.localeCompare(b.date));
  return { holidays: clean(days.holidays), workdays: clean(days.workdays) };
}

// ---------------------------------------------------------------------------------------------
// In-process cache of resolved calendars, keyed by region. putYear/seedCalendar clear it in this
// process. Other instances (several app processes on one PostgreSQL) do not hear about an edit:
// their entries expire after a minute, so an edit is seen everywhere within 60 s.
type YearRow = Awaited<ReturnType<typeof repo.latestRows>>[number];
interface Resolved {
  /** The row in force per year (the most specific region that has the year). */
  rows: Map<number, YearRow>;
  cal: WorkCalendar;
}
const cache = ttlCache<Resolved>(60_000);

export function clearCalendarCache(): void {
  cache.forget();
}

function buildCalendar(rows: Iterable<YearRow>): WorkCalendar {
  const holidays = new Map<string, string>();
  const workdays = new Map<string, string>();
  const years: number[] = [];
  for (const r of rows) {
    const days = r.days as unknown as CalendarDays;
    for (const d of days.holidays) holidays.set(d.date, d.name);
    for (const d of days.workdays) workdays.set(d.date, d.name);
    years.push(r.year);
  }
  return new WorkCalendar({ holidays, workdays, years });
}

/** The rows in force per year for a region, read now (no cache). */
async function resolveRows(db: Db, region: string): Promise<Map<number, YearRow>> {
  const chain = regionChain(region);
  const all = await repo.latestRows(db, chain);
  const rows = new Map<number, YearRow>();
  for (const code of chain) {
    for (const r of all) if (r.region_code === code && !rows.has(r.year)) rows.set(r.year, r);
  }
  return rows;
}

function resolve(db: Db, region: string): Promise<Resolved> {
  return cache.get(
    region,
    async () => {
      const rows = await resolveRows(db, region);
      return { rows, cal: buildCalendar(rows.values()) };
    },
    // years are versioned, never edited in place
    () => appendOnlyStamp(db, { table: 'calendar_years', column: 'region_code' }, regionChain(region)),
  );
}

/**
 * The working-day calendar in force for a region: per year, the latest version of the region's
 * own data, else its province's, else the national one. With `years`, only those years are
 * covered (asking about another year throws CalendarNotCovered).
 */
export async function loadCalendar(db: Db, regionCode: string, years?: number[]): Promise<WorkCalendar> {
  const r = await resolve(db, regionCode);
  if (!years) return r.cal;
  return buildCalendar(years.flatMap((y) => (r.rows.has(y) ? [r.rows.get(y)!] : [])));
}

// ---------------------------------------------------------------------------------------------
// Reads used by the routes (errors already mapped to AppError).

export function workingDaysAfter(db: Db, region: string, from: string, days: number): Promise<string> {
  return mapped(async () => (await loadCalendar(db, region)).addWorkingDays(from, days));
}

export function isWorkingDay(db: Db, region: string, date: string): Promise<boolean> {
  return mapped(async () => (await loadCalendar(db, region)).isWorkingDay(date));
}

/** The years in force for a region, with where each comes from. */
export async function listYears(db: Db, region: string) {
  const r = await resolve(db, region);
  return [...r.rows.values()]
    .sort((a, b) => a.year - b.year)
    .map((row) => ({ year: row.year, version: row.version, source: row.source, resolvedFrom: row.region_code.trim() }));
}

/** One year as in force for a region, with the month grid an admin page draws. */
export function getYear(db: Db, region: string, year: number): Promise<CalendarYearOut> {
  return mapped(async () => {
    const r = await resolve(db, region);
    const row = r.rows.get(year);
    if (!row) throw new CalendarNotCovered(year);
    const days = row.days as unknown as CalendarDays;
    const months = yearGrid(r.cal, year);
    return {
      region,
      resolvedFrom: row.region_code.trim(),
      year,
      version: row.version,
      source: row.source,
      note: row.note,
      createdBy: row.created_by,
      createdAt: new Date(row.created_at).toISOString(),
      holidays: days.holidays,
      workdays: days.workdays,
      workingDayCount: months.reduce((n, m) => n + m.workingDays, 0),
      months,
    };
  });
}

/** A region's own versions of a year, newest first (the first is in force), and where it inherits from otherwise. */
export async function getYearHistory(db: Db, region: string, year: number): Promise<CalendarVersionsOut> {
  regionChain(region);
  const rows = await repo.yearVersions(db, region, year);
  let inheritedFrom: string | null = null;
  if (!rows.length) {
    const r = await resolve(db, region);
    const row = r.rows.get(year);
    if (!row) throw toAppError(new CalendarNotCovered(year));
    inheritedFrom = row.region_code.trim();
  }
  return {
    region,
    year,
    inheritedFrom,
    versions: rows.map((row, i) => {
      const days = row.days as unknown as CalendarDays;
      return {
        version: row.version,
        source: row.source,
        note: row.note,
        createdBy: row.created_by,
        createdAt: new Date(row.created_at).toISOString(),
        holidayCount: days.holidays.length,
        workdayCount: days.workdays.length,
        current: i === 0,
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Writes.

export interface PutYearInput {
  region: string;
  year: number;
  holidays: { date: string; name: string }[];
  workdays: { date: string; name: string }[];
  note?: string | null;
  actor?: string | null;
}

/** Save a region's whole year as a new version (version+1), which is then in force. */
export async function putYear(db: Database, input: PutYearInput): Promise<{ region: string; year: number; version: number }> {
  regionChain(input.region);
  if (!Number.isInteger(input.year) || input.year < 1900 || input.year > 2200)
    throw new AppError('VALIDATION_FAILED', `年份不正确：${input.year}`, [{ path: 'year', message: '应为 1900–2200 的整数' }]);
  const days = { holidays: input.holidays ?? [], workdays: input.workdays ?? [] };
  const problems = checkYearDays(input.year, days);
  if (problems.length) throw new AppError('VALIDATION_FAILED', `${ERRORS.VALIDATION_FAILED.zh}（${problems[0]!.message}）`, problems);
  const version = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`calendar:${input.region}:${input.year}`}))`.execute(trx);
    const v = (await repo.maxVersion(trx, input.region, input.year)) + 1;
    await repo.insertVersion(trx, {
      region: input.region,
      year: input.year,
      version: v,
      days: normaliseDays(days),
      source: 'admin',
      note: input.note?.trim() || null,
      createdBy: input.actor ?? null,
    });
    // The derived working-day table changes with the calendar, in the same transaction.
    await refreshWorkingDayOrdinals(trx);
    return v;
  });
  clearCalendarCache();
  return { region: input.region, year: input.year, version };
}

export interface CalendarSeedReport {
  loaded: number[];
  skipped: number[];
}

/**
 * Load data/calendar/CN-<year>.yaml for every year the national calendar lacks (version 1,
 * source chinese-days). Idempotent and cheap when seeded: one query, no file parsed.
 */
export async function seedCalendar(db: Database, dataDir: string): Promise<CalendarSeedReport> {
  const report: CalendarSeedReport = { loaded: [], skipped: [] };
  const dir = path.join(dataDir, 'calendar');
  if (!existsSync(dir)) return report;
  const have = new Set(await repo.regionYears(db, NATIONAL));
  const files = readdirSync(dir)
    .map((f) => ({ f, m: /^CN-(\d{4})\.yaml$/.exec(f) }))
    .filter((x) => x.m)
    .sort((a, b) => a.f.localeCompare(b.f));
  for (const { f, m } of files) {
    const year = Number(m![1]);
    if (have.has(year)) {
      report.skipped.push(year);
      continue;
    }
    const res = calendarFile.safeParse(parseYaml(readFileSync(path.join(dir, f), 'utf8')));
    if (!res.success) throw new Error(`data/calendar/${f}: ${res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const doc = res.data;
    const problems = checkYearDays(year, doc);
    if (doc.year !== year || doc.region !== NATIONAL) problems.push({ path: 'year', message: `文件名与内容不符（${doc.region} ${doc.year}）` });
    if (problems.length) throw new Error(`data/calendar/${f}: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    // Two instances booting together: the unique (region, year, version) makes the second insert a no-op.
    await repo.insertVersion(db, {
      region: NATIONAL,
      year,
      version: 1,
      days: normaliseDays(doc),
      source: 'chinese-days',
      note: `data/calendar/${f}（${doc.source}）`,
      createdBy: null,
    });
    report.loaded.push(year);
  }
  if (report.loaded.length) {
    clearCalendarCache();
    await refreshWorkingDayOrdinals(db);
  }
  return report;
}

// ---------------------------------------------------------------------------------------------
// The derived working-day table (ordinals.ts) that lets SQL count working days.

/** The regions whose working days are kept: every agency's region and any region built before. */
async function ordinalRegions(db: Db): Promise<string[]> {
  const [agencies, built] = await Promise.all([
    db.selectFrom('agencies').select('region_code').distinct().execute(),
    db.selectFrom('working_day_stamps').select('region_code').execute(),
  ]);
  return [...new Set([...agencies, ...built].map((r) => r.region_code.trim()))].sort();
}

async function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : (db as Database).transaction().execute(fn);
}

/** Rebuild one region's rows from the calendar as it is now, unless another rebuild already did. */
async function rebuildRegion(trx: Db, region: string, force: boolean): Promise<void> {
  await ordinals.lockRegion(trx, region);
  const stamp = await ordinals.calendarStamp(trx);
  if (!force && (await ordinals.regionStamp(trx, region)) === stamp) return;
  const rows = await resolveRows(trx, region);
  await ordinals.writeRegion(trx, region, buildCalendar(rows.values()), stamp);
}

/**
 * Rebuild working_day_ordinals for the given regions (default: every agency's region and every
 * region built before) from the calendar in force. Runs in the caller's transaction when given one.
 */
export async function refreshWorkingDayOrdinals(db: Db, regions?: string[]): Promise<void> {
  const list = regions ? [...new Set(regions)].sort() : await ordinalRegions(db);
  for (const r of list) regionChain(r);
  await inTransaction(db, async (trx) => {
    for (const r of list) await rebuildRegion(trx, r, true);
  });
}

/**
 * Make sure a region's working_day_ordinals match the calendar in force (one query when they do).
 * Readers call this first, so rows written before a calendar change made outside this module, or
 * a region that had no agency when the calendar was seeded, are rebuilt on first use.
 */
export async function ensureWorkingDayOrdinals(db: Db, region: string): Promise<void> {
  regionChain(region);
  const [stamp, built] = await Promise.all([ordinals.calendarStamp(db), ordinals.regionStamp(db, region)]);
  if (built === stamp) return;
  await inTransaction(db, (trx) => rebuildRegion(trx, region, false));
}
