/** Calendar tables: plain Kysely functions taking `db` (or a transaction) first. */
import type { Db } from '../../db/index.ts';

export interface CalendarDays {
  holidays: { date: string; name: string }[];
  workdays: { date: string; name: string }[];
}

const columns = ['id', 'region_code', 'year', 'version', 'days', 'source', 'note', 'created_by', 'created_at'] as const;

/**
 * The latest version of each (region, year) for the given regions (and years, when given). With
 * `belowId`, the calendar as it stood before the row with that id was added (rows are append-only).
 */
export function latestRows(db: Db, regions: string[], years?: number[], belowId?: number) {
  let q = db
    .selectFrom('calendar_years as c')
    .select(columns.map((c) => `c.${c}` as const))
    .where('c.region_code', 'in', regions)
    .where(({ eb, selectFrom }) => {
      let latest = selectFrom('calendar_years as c2')
        .select(({ fn }) => fn.max('c2.version').as('v'))
        .whereRef('c2.region_code', '=', 'c.region_code')
        .whereRef('c2.year', '=', 'c.year');
      if (belowId !== undefined) latest = latest.where('c2.id', '<', belowId);
      return eb('c.version', '=', latest);
    });
  if (years) q = q.where('c.year', 'in', years.length ? years : [-1]);
  return q.orderBy('c.year').execute();
}

/** Every version of one region's year, newest first. */
export function yearVersions(db: Db, region: string, year: number) {
  return db
    .selectFrom('calendar_years')
    .select(columns)
    .where('region_code', '=', region)
    .where('year', '=', year)
    .orderBy('version', 'desc')
    .execute();
}

export async function maxVersion(db: Db, region: string, year: number): Promise<number> {
  const r = await db
    .selectFrom('calendar_years')
    .select(({ fn }) => fn.max('version').as('v'))
    .where('region_code', '=', region)
    .where('year', '=', year)
    .executeTakeFirst();
  return r?.v ?? 0;
}

/** Years that have at least one version for a region. */
export async function regionYears(db: Db, region: string): Promise<number[]> {
  const rows = await db.selectFrom('calendar_years').select('year').distinct().where('region_code', '=', region).orderBy('year').execute();
  return rows.map((r) => r.year);
}

export async function insertVersion(
  db: Db,
  row: {
    region: string;
    year: number;
    version: number;
    days: CalendarDays;
    source: 'chinese-days' | 'admin' | 'provisional';
    note: string | null;
    createdBy: string | null;
    /** The business clock's time (default: the database's now()). */
    createdAt?: Date;
  },
): Promise<number | null> {
  const res = await db
    .insertInto('calendar_years')
    .values({
      region_code: row.region,
      year: row.year,
      version: row.version,
      days: JSON.stringify(row.days),
      source: row.source,
      note: row.note,
      created_by: row.createdBy,
      ...(row.createdAt ? { created_at: row.createdAt } : {}),
    })
    .onConflict((oc) => oc.columns(['region_code', 'year', 'version']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return res ? Number(res.id) : null;
}
