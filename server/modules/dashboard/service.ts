/**
 * Dashboard use cases: who may see which agency, the filters turned into a scope, and the panels
 * run in one read-only snapshot.
 */
import { addNaturalDays, isValidDate } from '../../../common/calendar.ts';
import { DASHBOARD_MAX_DAYS, type DashboardOut, type DashboardQuery, type DashPanel, type DashTable } from '../../../common/api-dashboard.ts';
import { AppError } from '../../../common/errors.ts';
import type { Database } from '../../db/index.ts';
import type { Ctx, UserActor } from '../../http/actor.ts';
import { calendarStatus, ensureWorkingDayOrdinals } from '../calendar/index.ts';
import { PANELS, panelOfTable } from './panels/index.ts';
import type { DashScope, PanelDef } from './scope.ts';

export const DASHBOARD_ROLES = ['agency_admin', 'supervisor', 'sysadmin'] as const;

/** Agency admins and supervisors see their own agency; a system administrator any agency. */
export function dashboardAgency(a: UserActor, requested: string | undefined): string {
  if (!a.roles.some((r) => (DASHBOARD_ROLES as readonly string[]).includes(r)))
    throw new AppError('FORBIDDEN', '机构运行看板仅供机构管理员、监督人员查看。');
  if (!requested || requested === a.agencyCode) return a.agencyCode!;
  if (!a.roles.includes('sysadmin')) throw new AppError('FORBIDDEN', '只能查看本机构的运行看板。');
  return requested;
}

function bad(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', message, [{ path, message }]);
}

function chinaMidnight(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

interface Resolved {
  scope: Omit<DashScope, 'db'>;
  agencyName: string;
  officeName: string | null;
  offices: { id: number; name: string }[];
  years: number[];
}

/** Check the filters against the agency and make the scope (the default period: this month to today). */
export async function resolveScope(db: Database, ctx: Ctx, agencyCode: string, q: DashboardQuery): Promise<Resolved> {
  const agency = await db.selectFrom('agencies').select(['code', 'name', 'region_code']).where('code', '=', agencyCode).executeTakeFirst();
  if (!agency) throw new AppError('AGENCY_NOT_FOUND');
  const from = q.from ?? `${ctx.today.slice(0, 8)}01`;
  const to = q.to ?? ctx.today;
  if (!isValidDate(from)) throw bad('from', `不是有效的日期：${from}`);
  if (!isValidDate(to)) throw bad('to', `不是有效的日期：${to}`);
  if (from > to) throw bad('to', '结束日期不能早于开始日期。');
  if (from < addNaturalDays(to, -DASHBOARD_MAX_DAYS + 1)) throw bad('from', '统计期间最长 3 年，请缩短期间。');
  const offices = await db
    .selectFrom('offices')
    .select(['id', 'name'])
    .where('agency_code', '=', agency.code)
    .where('active', '=', true)
    .orderBy('seq')
    .execute();
  let office: DashScope['office'] = null;
  let officeName: string | null = null;
  if (q.office === 'none') {
    office = 'none';
    officeName = '未经窗口（网上、掌上等）';
  } else if (q.office) {
    const o = await db
      .selectFrom('offices')
      .select(['id', 'name'])
      .where('agency_code', '=', agency.code)
      .where('id', '=', Number(q.office))
      .executeTakeFirst();
    if (!o) throw bad('office', '本机构没有这个窗口。');
    office = Number(o.id);
    officeName = o.name;
  }
  const regionCode = agency.region_code.trim();
  await ensureWorkingDayOrdinals(db, regionCode);
  const stamp = await db.selectFrom('working_day_stamps').select('years').where('region_code', '=', regionCode).executeTakeFirst();
  return {
    scope: {
      agencyCode: agency.code,
      regionCode,
      today: ctx.today,
      from,
      to,
      fromTs: chinaMidnight(from),
      toTs: chinaMidnight(addNaturalDays(to, 1)),
      office,
    },
    agencyName: agency.name,
    officeName,
    offices: offices.map((o) => ({ id: Number(o.id), name: o.name })),
    years: (stamp?.years ?? []).map(Number),
  };
}

/** Run panels in one repeatable-read snapshot, so every number describes the same moment. */
async function runPanels(db: Database, scope: Omit<DashScope, 'db'>, panels: readonly PanelDef[]): Promise<DashPanel[]> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const out: DashPanel[] = [];
      for (const p of panels) out.push(await p.run({ ...scope, db: trx }));
      return out;
    });
}

/** Years the period or today fall in (up to this year) that the calendar does not cover. */
function calendarNotes(r: Resolved): string[] {
  const thisYear = Number(r.scope.today.slice(0, 4));
  const need = new Set([thisYear]);
  for (let y = Number(r.scope.from.slice(0, 4)); y <= Math.min(Number(r.scope.to.slice(0, 4)), thisYear); y++) need.add(y);
  return [...need]
    .sort((a, b) => a - b)
    .filter((y) => !r.years.includes(y))
    .map((y) => `${y} 年的工作日历尚未录入：涉及该年的工作日数无法计算，已单列或不计入，请管理员补录工作日历。`);
}

export async function dashboard(db: Database, ctx: Ctx, agencyCode: string, q: DashboardQuery): Promise<DashboardOut> {
  const r = await resolveScope(db, ctx, agencyCode, q);
  const panels = await runPanels(db, r.scope, PANELS);
  const admin = ctx.actor.kind === 'user' && ctx.actor.roles.some((x) => x === 'agency_admin' || x === 'sysadmin');
  const st = admin ? await calendarStatus(db, r.scope.regionCode, ctx.today) : null;
  return {
    agency: { code: r.scope.agencyCode, name: r.agencyName, regionCode: r.scope.regionCode },
    filters: { from: r.scope.from, to: r.scope.to, office: r.scope.office === null ? null : String(r.scope.office), officeName: r.officeName },
    asOf: r.scope.today,
    offices: r.offices,
    calendar: { years: r.years, notes: calendarNotes(r), warning: st?.warning ?? null, warningYear: st?.warningYear ?? null },
    panels,
  };
}

export interface TableExport {
  agencyName: string;
  agencyCode: string;
  panel: DashPanel;
  table: DashTable;
  filters: { from: string; to: string; officeName: string | null; asOf: string };
}

/** One table with its panel, for an export. */
export async function dashboardTable(db: Database, ctx: Ctx, agencyCode: string, key: string, q: DashboardQuery): Promise<TableExport> {
  const def = panelOfTable(key);
  if (!def) throw new AppError('NOT_FOUND', `看板没有“${key}”这张表。`);
  const r = await resolveScope(db, ctx, agencyCode, q);
  const [panel] = await runPanels(db, r.scope, [def]);
  const table = panel!.tables.find((t) => t.key === key)!;
  return {
    agencyName: r.agencyName,
    agencyCode: r.scope.agencyCode,
    panel: panel!,
    table,
    filters: { from: r.scope.from, to: r.scope.to, officeName: r.officeName, asOf: r.scope.today },
  };
}
