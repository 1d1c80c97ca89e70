/**
 * Working-day calendar use cases: seed from data/calendar, resolve a region's calendar, admin edits,
 * history, and provisional years. A year without a published notice is computed from the statutory
 * holidays (provisional.ts) and stored as a 'provisional' national version, up to
 * PROVISIONAL_HORIZON_YEARS after this year; a later year is refused (CalendarNotCovered). When a
 * year gets a new version (an admin publishes it, or a data file brings it), one
 * `calendar.recompute` job per agency that uses it moves every open deadline (jobs.ts).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { parse as parseYaml } from 'yaml';
import { calendarFile, type CalendarVersionsOut, type CalendarYearOut } from '../../../common/api-calendar.ts';
import { CalendarNotCovered, WorkCalendar, isValidDate, yearGrid } from '../../../common/calendar.ts';
import { AppError, ERRORS } from '../../../common/errors.ts';
import type { Database, Db } from '../../db/index.ts';
import { appendOnlyStamp } from '../../db/stamp.ts';
import * as repo from './repository.ts';
import * as ordinals from './ordinals.ts';
import type { CalendarDays } from './repository.ts';
import { ttlCache } from '../../platform/ttl-cache.ts';
import { enqueueMany } from '../../platform/jobs.ts';
import { appendAudit, type AuditEntry } from '../audit/index.ts';
import { domainToAppError } from '../../errors.ts';
import { PROVISIONAL_BASIS, provisionalYearDays } from './provisional.ts';

export const NATIONAL = '000000';
const REGION_RE = /^\d{6}$/;

/** Resolution order for a region: itself → its province (first two digits + 0000) → national. */
export function regionChain(region: string): string[] {
  if (!REGION_RE.test(region)) throw new AppError('VALIDATION_FAILED', `地区代码应为6位数字：${region}`);
  return [...new Set([region, `${region.slice(0, 2)}0000`, NATIONAL])];
}

/** Years after this one that get a provisional calendar; later years are refused. */
export const PROVISIONAL_HORIZON_YEARS = 3;

/** Map the pure module's errors to API errors (CALENDAR_NOT_COVERED → 422, bad date → 400): server/errors.ts. */
export function toAppError(e: unknown): unknown {
  return domainToAppError(e) ?? e;
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
  const provisionalYears: number[] = [];
  for (const r of rows) {
    const days = r.days as unknown as CalendarDays;
    for (const d of days.holidays) holidays.set(d.date, d.name);
    for (const d of days.workdays) workdays.set(d.date, d.name);
    years.push(r.year);
    if (r.source === 'provisional') provisionalYears.push(r.year);
  }
  return new WorkCalendar({ holidays, workdays, years, provisionalYears });
}

/** The rows in force per year for a region, read now (no cache); with `belowId`, as they stood before that row. */
async function resolveRows(db: Db, region: string, belowId?: number): Promise<Map<number, YearRow>> {
  const chain = regionChain(region);
  const all = await repo.latestRows(db, chain, undefined, belowId);
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

/** The calendar in force for a region read from the database now, bypassing the cache (jobs that act on a change). */
export async function loadCalendarFresh(db: Db, regionCode: string): Promise<WorkCalendar> {
  return buildCalendar((await resolveRows(db, regionCode)).values());
}

// ---------------------------------------------------------------------------------------------
// Reads used by the routes (errors already mapped to AppError).

/** The n-th working day after `from`, and whether it rests on a provisional year (预计). */
export function workingDaysAfter(db: Db, region: string, from: string, days: number): Promise<{ date: string; provisional: boolean }> {
  return mapped(async () => {
    const cal = await loadCalendar(db, region);
    const date = cal.addWorkingDays(from, days);
    return { date, provisional: cal.provisionalBetween(from, date) };
  });
}

export function isWorkingDay(db: Db, region: string, date: string): Promise<{ workingDay: boolean; provisional: boolean }> {
  return mapped(async () => {
    const info = (await loadCalendar(db, region)).dayInfo(date);
    return { workingDay: info.workingDay, provisional: info.provisional === true };
  });
}

/** The years in force for a region, with where each comes from. */
export async function listYears(db: Db, region: string) {
  const r = await resolve(db, region);
  return [...r.rows.values()]
    .sort((a, b) => a.year - b.year)
    .map((row) => ({
      year: row.year,
      version: row.version,
      source: row.source,
      provisional: row.source === 'provisional',
      resolvedFrom: row.region_code.trim(),
    }));
}

export interface CalendarStatus {
  region: string;
  /** The last year in force with a published (non-provisional) version, or null. */
  lastPublishedYear: number | null;
  /** Years in force that are provisional (预计), ascending. */
  provisionalYears: number[];
  /** The last year covered at all; later years are refused. */
  lastYear: number | null;
  /** Next year and whether its arrangement is published. */
  nextYear: { year: number; published: boolean; covered: boolean };
  /** What an agency admin is asked to do: enter this year while it is provisional, and next year from 1 October (null otherwise). */
  warning: string | null;
  /** The year the warning asks for. */
  warningYear: number | null;
}

/** What an admin page shows about the region's calendar today: provisional years and the yearly warning. */
export async function calendarStatus(db: Db, region: string, today: string): Promise<CalendarStatus> {
  const r = await resolve(db, region);
  const rows = [...r.rows.values()].sort((a, b) => a.year - b.year);
  const published = rows.filter((x) => x.source !== 'provisional').map((x) => x.year);
  const provisional = rows.filter((x) => x.source === 'provisional').map((x) => x.year);
  const thisYear = Number(today.slice(0, 4));
  const year = thisYear + 1;
  const next = r.rows.get(year);
  const nextPublished = next !== undefined && next.source !== 'provisional';
  const current = r.rows.get(thisYear);
  const ask = (y: number) =>
    `${y} 年的放假安排尚未录入。国务院办公厅发布通知后，请在“工作日历”页录入 ${y} 年的节假日和调休上班日；在此之前，${y} 年的期限按${PROVISIONAL_BASIS}预计，并注明“预计”。`;
  // This year still provisional or missing: always; next year: from 1 October.
  const warningYear = !current || current.source === 'provisional' ? thisYear : today.slice(5) >= '10-01' && !nextPublished ? year : null;
  return {
    region,
    lastPublishedYear: published.at(-1) ?? null,
    provisionalYears: provisional,
    lastYear: rows.at(-1)?.year ?? null,
    nextYear: { year, published: nextPublished, covered: next !== undefined },
    warning: warningYear === null ? null : ask(warningYear),
    warningYear,
  };
}

/** One year as in force for a region, with the month grid an admin page draws. */
export function getYear(db: Db, region: string, year: number): Promise<CalendarYearOut> {
  return mapped(async () => {
    const r = await resolve(db, region);
    const row = r.rows.get(year);
    if (!row) throw new CalendarNotCovered(year, r.cal.years.at(-1) ?? null);
    const days = row.days as unknown as CalendarDays;
    const months = yearGrid(r.cal, year);
    return {
      region,
      resolvedFrom: row.region_code.trim(),
      year,
      version: row.version,
      source: row.source,
      provisional: row.source === 'provisional',
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
    if (!row) throw toAppError(new CalendarNotCovered(year, r.cal.years.at(-1) ?? null));
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

/** An agency admin changes only the calendar of the region their agency is in. */
export async function assertOwnRegion(db: Db, agencyCode: string, region: string): Promise<void> {
  const agency = await db.selectFrom('agencies').select('region_code').where('code', '=', agencyCode).executeTakeFirst();
  if (agency?.region_code !== region) throw new AppError('FORBIDDEN', '机构管理员只能修改本机构所在地区的工作日历。');
}

export interface PutYearInput {
  region: string;
  year: number;
  holidays: { date: string; name: string }[];
  workdays: { date: string; name: string }[];
  note?: string | null;
  actor?: string | null;
  /** When the version is entered (the request's clock). */
  now?: Date;
  /** Who entered it, audited in the same transaction as the new version. */
  audit?: Pick<AuditEntry, 'actorKind' | 'actorId' | 'actorLabel' | 'agencyCode' | 'requestId' | 'ip'>;
}

/** The agencies whose calendar a region's rows feed: the region itself, its province's regions, or all for 000000. */
async function agenciesUsing(db: Db, region: string): Promise<{ code: string; region: string }[]> {
  const rows = await db.selectFrom('agencies').select(['code', 'region_code']).orderBy('code').execute();
  return rows
    .map((r) => ({ code: r.code, region: r.region_code.trim() }))
    .filter((a) => REGION_RE.test(a.region) && regionChain(a.region).includes(region));
}

export interface RecomputePayload {
  agencyCode: string;
  region: string;
  year: number;
  /** The calendar_years row whose arrival asks for the recomputation. */
  rowId: number;
  /** The year it replaced was provisional (the arrangement has now been published). */
  replacedProvisional: boolean;
}

/**
 * A new version of (region, year) is in force: one `calendar.recompute` job per agency that uses the
 * region's rows, in the caller's transaction (dedupe key = agency + row), so the write and the
 * jobs commit together and a repeated call adds nothing.
 */
async function enqueueRecompute(db: Db, region: string, year: number, rowId: number, replacedProvisional: boolean, runAt?: Date): Promise<number> {
  const agencies = await agenciesUsing(db, region);
  return enqueueMany(
    db,
    agencies.map((a) => ({
      kind: 'calendar.recompute',
      dedupeKey: `calendar-recompute:${a.code}:${year}:${rowId}`,
      payload: { agencyCode: a.code, region: a.region, year, rowId, replacedProvisional } satisfies RecomputePayload,
      ...(runAt ? { runAt } : {}),
    })),
  );
}

/** Whether the year in force for `region` (its chain) is provisional now. */
async function inForceIsProvisional(db: Db, region: string, year: number, belowId?: number): Promise<boolean> {
  const rows = await resolveRows(db, region, belowId);
  return rows.get(year)?.source === 'provisional';
}

/**
 * Save a region's whole year as a new version (version+1), which is then in force. Open deadlines
 * that counted through the year are recomputed by the jobs this enqueues.
 */
export async function putYear(db: Database, input: PutYearInput): Promise<{ region: string; year: number; version: number; recompute: number }> {
  regionChain(input.region);
  if (!Number.isInteger(input.year) || input.year < 1900 || input.year > 2200)
    throw new AppError('VALIDATION_FAILED', `年份不正确：${input.year}`, [{ path: 'year', message: '应为 1900–2200 的整数' }]);
  const days = { holidays: input.holidays ?? [], workdays: input.workdays ?? [] };
  const problems = checkYearDays(input.year, days);
  if (problems.length) throw new AppError('VALIDATION_FAILED', `${ERRORS.VALIDATION_FAILED.zh}（${problems[0]!.message}）`, problems);
  const out = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`calendar:${input.region}:${input.year}`}))`.execute(trx);
    const wasProvisional = await inForceIsProvisional(trx, input.region, input.year);
    const v = (await repo.maxVersion(trx, input.region, input.year)) + 1;
    const id = await repo.insertVersion(trx, {
      region: input.region,
      year: input.year,
      version: v,
      days: normaliseDays(days),
      source: 'admin',
      note: input.note?.trim() || null,
      createdBy: input.actor ?? null,
      createdAt: input.now,
    });
    // The derived working-day table changes with the calendar, in the same transaction.
    await refreshWorkingDayOrdinals(trx);
    const recompute = id === null ? 0 : await enqueueRecompute(trx, input.region, input.year, id, wasProvisional, input.now);
    if (input.audit)
      await appendAudit(trx, {
        ...input.audit,
        action: 'calendar.put_year',
        subjectKind: 'calendar',
        subjectId: `${input.region}/${input.year}`,
        data: {
          version: v,
          holidays: days.holidays.length,
          workdays: days.workdays.length,
          note: input.note,
          replacedProvisional: wasProvisional,
          recompute,
        },
        at: input.now,
      });
    return { v, recompute };
  });
  clearCalendarCache();
  return { region: input.region, year: input.year, version: out.v, recompute: out.recompute };
}

/**
 * Store a provisional national version for every year from the year after the last national one
 * up to PROVISIONAL_HORIZON_YEARS after `today`'s year. Idempotent (one query when nothing is
 * missing); two instances adding the same year insert it once. Returns the years added.
 */
export async function ensureProvisionalYears(db: Db, today: string, now?: Date): Promise<number[]> {
  const thisYear = Number(today.slice(0, 4));
  const have = new Set(await repo.regionYears(db, NATIONAL));
  const last = have.size ? Math.max(...have) : thisYear - 1;
  const added: number[] = [];
  for (let year = Math.min(last + 1, thisYear); year <= thisYear + PROVISIONAL_HORIZON_YEARS; year++) {
    if (have.has(year)) continue;
    const id = await repo.insertVersion(db, {
      region: NATIONAL,
      year,
      version: 1,
      days: provisionalYearDays(year),
      source: 'provisional',
      note: `国务院办公厅尚未公布 ${year} 年放假安排：按${PROVISIONAL_BASIS}推算（法定节假日加周末，不含调休），日期均为预计。`,
      createdBy: null,
      createdAt: now,
    });
    if (id !== null) added.push(year);
  }
  if (added.length) {
    clearCalendarCache();
    await refreshWorkingDayOrdinals(db);
  }
  return added;
}

export interface CalendarSeedReport {
  loaded: number[];
  skipped: number[];
  /** Years whose provisional version a data file replaced (their deadlines are recomputed). */
  replaced: number[];
  /** Provisional years added. */
  provisional: number[];
}

/**
 * Load data/calendar/CN-<year>.yaml for every year the national calendar lacks or holds only
 * provisionally (version 1, or the next version over a provisional one; source chinese-days),
 * then add provisional years up to the horizon. Idempotent and cheap when seeded: no file parsed.
 */
export async function seedCalendar(db: Database, dataDir: string, today?: string, now?: Date): Promise<CalendarSeedReport> {
  const report: CalendarSeedReport = { loaded: [], skipped: [], replaced: [], provisional: [] };
  const dir = path.join(dataDir, 'calendar');
  const latest = new Map((await repo.latestRows(db, [NATIONAL])).map((r) => [r.year, r]));
  const files = existsSync(dir)
    ? readdirSync(dir)
        .map((f) => ({ f, m: /^CN-(\d{4})\.yaml$/.exec(f) }))
        .filter((x) => x.m)
        .sort((a, b) => a.f.localeCompare(b.f))
    : [];
  for (const { f, m } of files) {
    const year = Number(m![1]);
    const have = latest.get(year);
    if (have && have.source !== 'provisional') {
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
    await db.transaction().execute(async (trx) => {
      const id = await repo.insertVersion(trx, {
        region: NATIONAL,
        year,
        version: (have?.version ?? 0) + 1,
        days: normaliseDays(doc),
        source: 'chinese-days',
        note: `data/calendar/${f}（${doc.source}）`,
        createdBy: null,
      });
      if (id !== null && have) {
        await enqueueRecompute(trx, NATIONAL, year, id, true, now);
        report.replaced.push(year);
      }
    });
    report.loaded.push(year);
  }
  if (report.loaded.length) {
    clearCalendarCache();
    await refreshWorkingDayOrdinals(db);
  }
  if (today) report.provisional = await ensureProvisionalYears(db, today, now);
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
