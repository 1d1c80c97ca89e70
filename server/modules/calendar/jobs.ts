/**
 * Calendar jobs.
 *
 * - `calendar.recompute` (one per agency and new calendar row, enqueued with the row by putYear or
 *   seedCalendar): every module that keeps working-day deadlines plugs in a hook (boot.ts wires
 *   them: case clocks and 容缺 deadlines, transfer legs, complaint and 整改 deadlines, hall
 *   bookings). Each hook counts its open deadlines again on the calendar now in force from what
 *   they were counted from (an anchor day and a number of working days, or a case's clock events),
 *   so a job that runs twice, or after a later edit, leaves the same dates. A hook updates what
 *   moved, writes its own timeline, audit and outbox rows, and reports how many it moved (or, for
 *   the cases, which can be many, fans out one job per case and reports how many it enqueued).
 * - A daily task adds provisional years as the years pass and, from 1 October until next year is
 *   published, enqueues one `calendar.warn` per agency and week: its admins are told in-app.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { WorkCalendar } from '../../../common/calendar.ts';
import type { DB } from '../../db/types.ts';
import { chinaDate } from '../../platform/clock.ts';
import { enqueueMany, type JobRunner } from '../../platform/jobs.ts';
import { queueMessages } from '../../platform/outbox.ts';
import type { Ctx } from '../../http/actor.ts';
import { appendAudit } from '../audit/index.ts';
import { calendarStatus, clearCalendarCache, ensureProvisionalYears, loadCalendarFresh, type RecomputePayload } from './service.ts';

export interface CalendarChange {
  /** A system actor's context in the job's transaction. */
  ctx: Ctx;
  agencyCode: string;
  year: number;
  /** The agency's calendar as now in force (read fresh, not from the cache). */
  cal: WorkCalendar;
  /** The first day a deadline must reach to have counted through the changed year. */
  from: string;
  /** Why dates moved, for the people told: "国务院公布了2027年放假安排" or "2027年工作日历已调整". */
  why: string;
  /** The calendar_years row that brought the change (a hook that fans out keys its jobs by it). */
  rowId: number;
}

/** One module's open deadlines counted again; answers how many moved. */
export type DeadlineHook = (change: CalendarChange) => Promise<number>;

export async function handleRecompute(trx: Transaction<DB>, now: Date, p: RecomputePayload, hooks: Record<string, DeadlineHook>): Promise<void> {
  const cal = await loadCalendarFresh(trx, p.region);
  const ctx: Ctx = { db: trx, now, today: chinaDate(now), actor: { kind: 'system', label: '工作日历' } };
  const why = p.replacedProvisional ? `国务院公布了${p.year}年放假安排` : `${p.year}年工作日历已调整`;
  const change: CalendarChange = {
    ctx,
    agencyCode: p.agencyCode,
    year: p.year,
    cal,
    from: `${String(p.year).padStart(4, '0')}-01-01`,
    why,
    rowId: p.rowId,
  };
  const moved: Record<string, number> = {};
  for (const [name, hook] of Object.entries(hooks)) moved[name] = await hook(change);
  await appendAudit(trx, {
    actorKind: 'system',
    actorId: null,
    actorLabel: '工作日历',
    action: 'calendar.recompute',
    subjectKind: 'calendar',
    subjectId: `${p.region}/${p.year}`,
    agencyCode: p.agencyCode,
    data: { rowId: p.rowId, replacedProvisional: p.replacedProvisional, moved },
    at: now,
  });
  // This process may have cached the calendar before the change arrived from another instance.
  clearCalendarCache();
}

/** Monday of the China-time week of `today` (the weekly reminder's key). */
function weekOf(today: string): string {
  const d = new Date(`${today}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/** Add provisional years and enqueue this week's reminders for agencies whose next year is not yet published. */
export async function dailyCalendarSweep(db: Kysely<DB>, now: Date): Promise<number> {
  const today = chinaDate(now);
  const added = await ensureProvisionalYears(db, today, now);
  const agencies = await db.selectFrom('agencies').select(['code', 'region_code']).orderBy('code').execute();
  const jobs = [];
  for (const a of agencies) {
    const status = await calendarStatus(db, a.region_code.trim(), today);
    if (!status.warning || status.warningYear === null) continue;
    jobs.push({
      kind: 'calendar.warn',
      dedupeKey: `calendar-warn:${a.code}:${status.warningYear}:${weekOf(today)}`,
      payload: { agencyCode: a.code, year: status.warningYear, warning: status.warning },
      runAt: now,
    });
  }
  return added.length + (await enqueueMany(db, jobs));
}

/** Tell an agency's admins (in-app) that next year's arrangement is still to be entered. */
export async function handleWarn(trx: Transaction<DB>, now: Date, p: { agencyCode: string; year: number; warning: string }): Promise<void> {
  const admins = await trx
    .selectFrom('users')
    .select('id')
    .where('kind', '=', 'staff')
    .where('agency_code', '=', p.agencyCode)
    .where('disabled', '=', false)
    .where(sql<boolean>`'agency_admin' = any(roles)`)
    .execute();
  await queueMessages(
    trx,
    admins.map((u) => ({
      channel: 'inapp' as const,
      recipient: String(u.id),
      userId: Number(u.id),
      subject: `请录入 ${p.year} 年放假安排`,
      body: p.warning,
      agencyCode: p.agencyCode,
    })),
  );
  await appendAudit(trx, {
    actorKind: 'system',
    actorId: null,
    actorLabel: '工作日历',
    action: 'calendar.warn',
    subjectKind: 'calendar',
    subjectId: `${p.agencyCode}/${p.year}`,
    agencyCode: p.agencyCode,
    data: { admins: admins.length },
    at: now,
  });
}

/** Wire the calendar jobs and the daily task (run once per business date) into a runner. */
export function registerCalendarJobs(runner: JobRunner, hooks: Record<string, DeadlineHook>): void {
  runner.register('calendar.recompute', async (p: RecomputePayload, { trx, now }) => handleRecompute(trx, now, p, hooks));
  runner.register('calendar.warn', async (p: { agencyCode: string; year: number; warning: string }, { trx, now }) => handleWarn(trx, now, p));
  let lastDay = '';
  runner.addTask('calendar-daily', async ({ db, now }) => {
    const day = chinaDate(now);
    if (day === lastDay) return 0;
    lastDay = day;
    return dailyCalendarSweep(db, now);
  });
}
