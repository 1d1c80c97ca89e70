/**
 * The derived working-day table `working_day_ordinals` (migration 0015): one row per day of each
 * covered year of a region's calendar, with a running count of working days, so that SQL can count
 * working days by subtraction — the working days in (a, b] are ord(b) − ord(a) when a and b share a
 * `span` (a run of consecutive covered years). Days of uncovered years have no row, so a query that
 * needs one gets NULL rather than a guess. The table is rebuilt from the calendar in force whenever
 * the calendar module seeds or edits it (service.ts); `working_day_stamps` records which calendar
 * state (the highest calendar_years.id) each region was built from, so a stale region is noticed.
 */
import { sql } from 'kysely';
import { addNaturalDays, type WorkCalendar } from '../../../common/calendar.ts';
import type { Db } from '../../db/index.ts';

export interface OrdinalRows {
  days: string[];
  working: boolean[];
  ord: number[];
  span: number[];
}

/** Every day of the calendar's covered years with its running working-day count (pure). */
export function ordinalRows(cal: WorkCalendar): OrdinalRows {
  const out: OrdinalRows = { days: [], working: [], ord: [], span: [] };
  let span = 0;
  let ord = 0;
  let prevYear: number | null = null;
  for (const year of cal.years) {
    if (prevYear === null || year !== prevYear + 1) {
      span = year;
      ord = 0;
    }
    prevYear = year;
    const end = `${String(year).padStart(4, '0')}-12-31`;
    for (let d = `${String(year).padStart(4, '0')}-01-01`; d <= end; d = addNaturalDays(d, 1)) {
      const w = cal.isWorkingDay(d);
      if (w) ord++;
      out.days.push(d);
      out.working.push(w);
      out.ord.push(ord);
      out.span.push(span);
    }
  }
  return out;
}

/** The calendar state the table is built from: the newest calendar_years row id (0 when empty). */
export async function calendarStamp(db: Db): Promise<number> {
  const r = await db
    .selectFrom('calendar_years')
    .select(({ fn }) => fn.max('id').as('m'))
    .executeTakeFirst();
  return Number(r?.m ?? 0);
}

export async function regionStamp(db: Db, region: string): Promise<number | null> {
  const r = await db.selectFrom('working_day_stamps').select('calendar_stamp').where('region_code', '=', region).executeTakeFirst();
  return r ? Number(r.calendar_stamp) : null;
}

/** Serialise rebuilds of one region (call inside a transaction). */
export async function lockRegion(db: Db, region: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`working_day_ordinals:${region}`}))`.execute(db);
}

/** Replace a region's rows (call inside a transaction, holding lockRegion). */
export async function writeRegion(db: Db, region: string, cal: WorkCalendar, stamp: number): Promise<void> {
  const rows = ordinalRows(cal);
  await db.deleteFrom('working_day_ordinals').where('region_code', '=', region).execute();
  if (rows.days.length)
    await sql`insert into working_day_ordinals (region_code, day, working, ord, span)
      select ${region}, d, w, o, s
      from unnest(${rows.days}::date[], ${rows.working}::boolean[], ${rows.ord}::int[], ${rows.span}::int[]) as t(d, w, o, s)`.execute(db);
  await db
    .insertInto('working_day_stamps')
    .values({ region_code: region, calendar_stamp: stamp, years: sql<number[]>`${[...cal.years]}::int[]` as never, refreshed_at: new Date() })
    .onConflict((oc) =>
      oc.column('region_code').doUpdateSet((eb) => ({
        calendar_stamp: eb.ref('excluded.calendar_stamp'),
        years: eb.ref('excluded.years'),
        refreshed_at: eb.ref('excluded.refreshed_at'),
      })),
    )
    .execute();
}
