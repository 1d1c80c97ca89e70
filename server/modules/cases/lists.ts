/**
 * Lists of cases and what hangs off an account: my cases, the staff queue's page, in-app messages
 * and a staff member's saved filters. Each answers what its route sends.
 */
import { sql } from 'kysely';
import type { WorkCalendar } from '../../../common/calendar.ts';
import type { CaseState } from '../../../common/workflow.ts';
import type { QueueQuery } from '../../../common/api-cases.ts';
import type { Ctx, UserActor } from '../../http/actor.ts';
import { loadCalendar } from '../calendar/index.ts';
import { scopeCases } from './policy.ts';
import { summary, SUMMARY_COLUMNS } from './presenter.ts';
import { listQueue } from './queue.ts';

export interface MyCasesQuery {
  page: number;
  pageSize: number;
  status?: CaseState;
  agency?: string;
  item?: string;
}

/** The cases the actor may see as an applicant (own, or the unit's), newest first. */
export async function myCases(ctx: Ctx, q: MyCasesQuery) {
  let base = scopeCases(ctx.db.selectFrom('cases'), ctx.actor);
  if (q.status) base = base.where('status', '=', q.status);
  if (q.agency) base = base.where('agency_code', '=', q.agency);
  if (q.item) base = base.where('item_code', '=', q.item.toUpperCase());
  // The page, its total (a window count) and each agency's region in one statement; a page past
  // the end asks for the count alone.
  const rows = await base
    .select(SUMMARY_COLUMNS)
    .select(sql<number>`count(*) over ()`.as('total_count'))
    .select(sql<string>`(select a.region_code from agencies a where a.code = cases.agency_code)`.as('region_code'))
    .orderBy('updated_at', 'desc')
    .orderBy('id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  const total = rows.length
    ? Number(rows[0]!.total_count)
    : Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  const cals = new Map<string, WorkCalendar | null>();
  for (const c of rows) if (!cals.has(c.agency_code)) cals.set(c.agency_code, await loadCalendar(ctx.db, c.region_code).catch(() => null));
  return { items: rows.map((c) => summary(c, ctx.today, cals.get(c.agency_code) ?? null)), total, page: q.page, pageSize: q.pageSize };
}

/** One page of the staff queue, deadlines drawn on the agency's calendar. */
export async function queuePage(ctx: Ctx, q: QueueQuery) {
  const { rows, total, totalCapped, regionCode } = await listQueue(ctx, q);
  const cal = regionCode === null ? null : await loadCalendar(ctx.db, regionCode).catch(() => null);
  return {
    items: rows.map((c) => summary(c, ctx.today, cal)),
    total,
    ...(totalCapped ? { totalCapped } : {}),
    page: q.page,
    pageSize: q.pageSize,
  };
}

/** The newest 50 in-app messages of a user. */
export async function notifications(ctx: Ctx, user: UserActor) {
  const rows = await ctx.db
    .selectFrom('outbox')
    .select(['id', 'subject', 'body', 'created_at', 'case_id'])
    .where('channel', '=', 'inapp')
    .where('user_id', '=', user.id)
    .orderBy('id', 'desc')
    .limit(50)
    .execute();
  return {
    items: rows.map((n) => ({
      id: Number(n.id),
      subject: n.subject ?? '',
      body: n.body,
      at: new Date(n.created_at).toISOString(),
      caseId: n.case_id === null ? null : Number(n.case_id),
    })),
  };
}

const filterOut = (f: { id: number; name: string; filters: unknown }) => ({
  id: Number(f.id),
  name: f.name,
  filters: f.filters as Record<string, string>,
});

export async function savedFilters(ctx: Ctx, user: UserActor) {
  const rows = await ctx.db.selectFrom('saved_filters').selectAll().where('user_id', '=', user.id).orderBy('id').execute();
  return { items: rows.map(filterOut) };
}

export async function saveFilter(ctx: Ctx, user: UserActor, input: { name: string; filters: Record<string, string> }) {
  const row = await ctx.db
    .insertInto('saved_filters')
    .values({ user_id: user.id, name: input.name, filters: JSON.stringify(input.filters) })
    .returningAll()
    .executeTakeFirstOrThrow();
  return filterOut(row);
}

/** Deletes one of the user's own filters; another user's id deletes nothing. */
export async function deleteFilter(ctx: Ctx, user: UserActor, id: number): Promise<void> {
  await ctx.db.deleteFrom('saved_filters').where('id', '=', id).where('user_id', '=', user.id).execute();
}
