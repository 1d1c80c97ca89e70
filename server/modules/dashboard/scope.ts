/**
 * What every dashboard query shares: the agency, its calendar region, the period, the office filter,
 * and SQL fragments for them. Panels are plain SQL over the real tables (cases, case_clock_events,
 * offices, users, items/item_versions) and the derived working-day table (calendar/ordinals.ts).
 */
import { sql, type RawBuilder } from 'kysely';
import type { DashPanel } from '../../../common/api-dashboard.ts';
import type { Db } from '../../db/index.ts';

export interface DashScope {
  db: Db;
  agencyCode: string;
  /** The agency's region: its working-day calendar. */
  regionCode: string;
  /** China business date of the request: the snapshot day of backlog and overdue. */
  today: string;
  /** The period, China dates, both included. */
  from: string;
  to: string;
  /** The period as instants: [fromTs, toTs). */
  fromTs: Date;
  toTs: Date;
  /** An office id, 'none' (no office: online/mobile), or null for all. */
  office: number | 'none' | null;
}

/** A dashboard panel: one query module, its tables, and what they measure. */
export interface PanelDef {
  key: string;
  title: string;
  /** The panel's tables by key (each exports as /api/dashboard/{key}.csv|.xlsx). */
  tables: readonly string[];
  run(s: DashScope): Promise<DashPanel>;
}

/** `and <the office filter>` on a cases alias. */
export function officeFilter(s: DashScope, alias = 'c'): RawBuilder<unknown> {
  const col = sql.ref(`${alias}.office_id`);
  if (s.office === 'none') return sql`and ${col} is null`;
  if (s.office !== null) return sql`and ${col} = ${s.office}`;
  return sql``;
}

/**
 * Working days in (a, b] from two joined working_day_ordinals rows (aliases); NULL when either day
 * is outside the covered years or the two lie in separate runs of covered years.
 */
export function wdBetween(a: string, b: string): RawBuilder<number | null> {
  const [oa, ob, sa, sb] = [sql.ref(`${a}.ord`), sql.ref(`${b}.ord`), sql.ref(`${a}.span`), sql.ref(`${b}.span`)];
  return sql<number | null>`(case when ${sa} = ${sb} then ${ob} - ${oa} end)`;
}

/** `left join working_day_ordinals <alias> on <alias>.day = <dayExpr>` for the scope's region. */
export function ordinalJoin(s: DashScope, alias: string, dayExpr: RawBuilder<unknown>): RawBuilder<unknown> {
  const t = sql.table(`working_day_ordinals`);
  const a = sql.raw(alias);
  return sql`left join ${t} ${a} on ${sql.ref(`${alias}.region_code`)} = ${s.regionCode} and ${sql.ref(`${alias}.day`)} = ${dayExpr}`;
}

/** The latest item version's name for items alias `i`. */
export const itemName = (alias = 'i') =>
  sql<string>`(select iv.name from item_versions iv where iv.item_id = ${sql.ref(`${alias}.id`)} order by iv.id desc limit 1)`;
