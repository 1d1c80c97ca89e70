/**
 * Staff queues (办事不找关系): first in, first out by default, by role and office, with filters.
 * Taking a case out of turn needs a reason, recorded for the supervisor's report.
 */
import { sql } from 'kysely';
import { AppError } from '../../../common/errors.ts';
import type { QueueQuery } from '../../../common/api-cases.ts';
import { CASE_STATES, type StaffRole } from '../../../common/workflow.ts';
import { actorLabel, type Ctx, type UserActor } from '../../http/actor.ts';
import { audit } from '../audit/index.ts';
import * as repo from './repository.ts';
import { SUMMARY_COLUMNS } from './presenter.ts';

/**
 * The statuses each role works on: the default queue when no status filter is given. Their union is
 * the predicate of the partial index cases_queue_item (migration 0023): a new open status goes there too.
 */
export const ROLE_QUEUES: Record<StaffRole, string[]> = {
  acceptor: ['submitted'],
  reviewer: ['accepted', 'tolerance_accepted', 'reviewing'],
  rechecker: ['rechecking'],
  agency_admin: ['submitted', 'accepted', 'tolerance_accepted', 'reviewing', 'rechecking', 'correction', 'suspended'],
  supervisor: ['submitted', 'accepted', 'tolerance_accepted', 'reviewing', 'rechecking', 'correction', 'suspended'],
  sysadmin: [],
};

export function staffOf(ctx: Ctx): UserActor {
  const a = ctx.actor;
  if (a.kind !== 'user' || a.userKind !== 'staff' || !a.agencyCode) throw new AppError('FORBIDDEN');
  return a;
}

function defaultStatuses(a: UserActor): string[] {
  return [...new Set(a.roles.flatMap((r) => ROLE_QUEUES[r]))];
}

/** The queue counts at most this many cases; beyond it the page says "1000+"; filters narrow it. */
export const QUEUE_COUNT_CAP = 1000;

/**
 * One page of the queue, oldest first, in one statement. Shaped for the cases_queue_fifo index
 * (migration 0022): each status's cases are read in FIFO order from the index (filters on its
 * included columns), enough of them for this page, then merged; only the page's rows are read from
 * the table. The count, which stops at QUEUE_COUNT_CAP, and the agency's region (for working days
 * left) ride along as one-off subqueries; a page past the end asks for the count alone. Before: one
 * sort over every open case of the agency (~1 s at 2 million cases), then four round trips.
 */
export async function listQueue(ctx: Ctx, q: QueueQuery, cap = QUEUE_COUNT_CAP) {
  const a = staffOf(ctx);
  const statuses = q.status ? q.status.split(',').filter((s) => (CASE_STATES as readonly string[]).includes(s)) : defaultStatuses(a);
  if (statuses.length === 0) return { rows: [], total: 0, totalCapped: false, regionCode: null };
  const regionOf = sql<string | null>`(select region_code from agencies where code = ${a.agencyCode!})`;
  // Statuses (a closed list, checked above) and the limits are written into the SQL as literals:
  // the prepared statement's plan can then use the partial index cases_queue_item and stay generic
  // (with them as parameters PostgreSQL re-planned every call, ~1.3 ms).
  const filtered = (status: readonly string[]) => {
    let base = ctx.db
      .selectFrom('cases')
      .where('cases.agency_code', '=', a.agencyCode!)
      .where(
        'cases.status',
        'in',
        status.map((x) => sql.lit(x)),
      );
    const seesAllOffices = a.roles.includes('agency_admin') || a.roles.includes('supervisor') || a.officeId === null;
    if (!seesAllOffices) base = base.where((eb) => eb.or([eb('cases.office_id', '=', a.officeId), eb('cases.office_id', 'is', null)]));
    if (q.office) base = base.where('cases.office_id', '=', q.office);
    if (q.item) base = base.where('cases.item_code', '=', q.item.toUpperCase());
    if (q.channel) base = base.where('cases.channel', '=', q.channel);
    // `due_date + 0`: compared as an expression so the planner reads the queue index (due_date is one of
    // its included columns) instead of AND-ing it with cases_due, 58 ms → 2 ms at 2 million cases.
    if (q.dueBefore) base = base.where(sql<string>`cases.due_date + 0`, '<=', q.dueBefore);
    if (q.overdue === '1') base = base.where('cases.clock_state', '=', 'running').where(sql<string>`cases.due_date + 0`, '<', ctx.today);
    if (q.mine === '1') base = base.where('cases.assignee_id', '=', a.id);
    if (q.unassigned === '1') base = base.where('cases.assignee_id', 'is', null);
    if (q.q) {
      const term = `%${q.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
      base = base.where((eb) => eb.or([eb('cases.case_no', 'ilike', term), eb('cases.applicant_name', 'ilike', term)]));
    }
    return base;
  };
  const counted = ctx.db
    .selectFrom(
      filtered(statuses)
        .select('cases.id')
        .limit(sql.lit(cap + 1))
        .as('c'),
    )
    .select((eb) => eb.fn.countAll<number>().as('n'));
  const offset = (q.page - 1) * q.pageSize;
  const upTo = offset + q.pageSize;
  // Each branch in its own subquery: ORDER BY and LIMIT inside a UNION ALL need it.
  const branches = statuses.map((s, i) =>
    ctx.db
      .selectFrom(
        filtered([s]).select(['cases.id', 'cases.queued_at']).orderBy('cases.queued_at').orderBy('cases.id').limit(sql.lit(upTo)).as(`s${i}`),
      )
      .selectAll(),
  );
  const merged = branches.slice(1).reduce((u, b) => u.unionAll(b), branches[0]!);
  const rows = await ctx.db
    .with('page', () => merged)
    .selectFrom('page')
    .innerJoin('cases', 'cases.id', 'page.id')
    .leftJoin('users as asg', 'asg.id', 'cases.assignee_id')
    .select(SUMMARY_COLUMNS.map((c) => `cases.${c}` as const))
    .select('asg.name as assignee_name')
    .select(() => counted.as('counted'))
    .select(regionOf.as('region_code'))
    .orderBy('page.queued_at', 'asc')
    .orderBy('page.id', 'asc')
    .limit(sql.lit(q.pageSize))
    .offset(sql.lit(offset))
    .execute();
  const n = Number(rows.length ? rows[0]!.counted : (await counted.executeTakeFirstOrThrow()).n);
  return { rows, total: Math.min(n, cap), totalCapped: n > cap, regionCode: rows[0]?.region_code ?? null };
}

/** Cases ahead of this one in its FIFO queue that nobody has taken. */
async function aheadInQueue(ctx: Ctx, c: repo.CaseRow): Promise<number> {
  if (!c.queued_at) return 0;
  const r = await ctx.db
    .selectFrom('cases')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('agency_code', '=', c.agency_code)
    .where('status', '=', c.status)
    .where('assignee_id', 'is', null)
    .where('item_code', '=', c.item_code)
    .where((eb) => eb.or([eb('queued_at', '<', c.queued_at!), eb.and([eb('queued_at', '=', c.queued_at!), eb('id', '<', c.id)])]))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function take(ctx: Ctx, id: number, assignee: UserActor | { id: number; name: string }, reason: string | undefined, op: 'claim' | 'assign') {
  const a = staffOf(ctx);
  const c = await repo.caseByIdForUpdate(ctx.db, id);
  if (!c || c.agency_code !== a.agencyCode) throw new AppError('CASE_NOT_FOUND');
  if (op === 'claim' && c.assignee_id !== null && Number(c.assignee_id) !== a.id) throw new AppError('CASE_CLAIMED');
  const ahead = await aheadInQueue(ctx, c);
  if (ahead > 0 && !reason?.trim())
    throw new AppError('OUT_OF_TURN_REASON_REQUIRED', `前面还有 ${ahead} 件同类办件未处理；不按先后顺序办理须填写理由。`, { ahead });
  if (ahead > 0) {
    await ctx.db
      .insertInto('out_of_turn')
      .values({ case_id: id, user_id: a.id, agency_code: a.agencyCode!, reason: reason!.trim(), skipped: ahead, at: ctx.now })
      .execute();
  }
  await ctx.db
    .updateTable('cases')
    .set({ assignee_id: assignee.id, updated_at: ctx.now, lock_version: c.lock_version + 1 })
    .where('id', '=', id)
    .execute();
  await repo.insertEvent(ctx.db, {
    caseId: id,
    at: ctx.now,
    action: op,
    from: c.status,
    to: c.status,
    actorId: a.id,
    actorLabel: actorLabel(a),
    note: `${op === 'claim' ? '认领' : `分派给 ${assignee.name}`}${ahead > 0 ? `（不按顺序，越过 ${ahead} 件：${reason}）` : ''}`,
  });
  await audit(
    ctx,
    `case.${op}`,
    { kind: 'case', id, agency: a.agencyCode },
    { assignee: assignee.id, outOfTurn: ahead > 0 ? { skipped: ahead, reason } : undefined },
  );
}

export async function claim(ctx: Ctx, id: number, reason?: string) {
  await take(ctx, id, staffOf(ctx), reason, 'claim');
}

export async function assign(ctx: Ctx, id: number, userId: number, reason?: string) {
  const a = staffOf(ctx);
  if (!a.roles.some((r) => r === 'agency_admin' || r === 'supervisor' || r === 'acceptor')) throw new AppError('FORBIDDEN');
  const u = await ctx.db.selectFrom('users').select(['id', 'name', 'agency_code', 'kind']).where('id', '=', userId).executeTakeFirst();
  if (!u || u.kind !== 'staff' || u.agency_code !== a.agencyCode) throw new AppError('VALIDATION_FAILED', '只能分派给本机构的工作人员。');
  await take(ctx, id, { id: Number(u.id), name: u.name }, reason, 'assign');
}

export async function outOfTurnReport(ctx: Ctx) {
  const a = staffOf(ctx);
  if (!a.roles.some((r) => r === 'supervisor' || r === 'agency_admin')) throw new AppError('FORBIDDEN');
  return ctx.db
    .selectFrom('out_of_turn as o')
    .innerJoin('cases as c', 'c.id', 'o.case_id')
    .innerJoin('users as u', 'u.id', 'o.user_id')
    .select(['o.at', 'o.reason', 'o.skipped', 'c.case_no', 'c.id as case_id', 'u.name'])
    .where('o.agency_code', '=', a.agencyCode!)
    .orderBy('o.at', 'desc')
    .limit(500)
    .execute();
}

export async function colleagues(ctx: Ctx) {
  const a = staffOf(ctx);
  return ctx.db
    .selectFrom('users')
    .select(['id', 'name', 'roles'])
    .where('kind', '=', 'staff')
    .where('agency_code', '=', a.agencyCode!)
    .where('disabled', '=', false)
    .orderBy('name')
    .execute();
}
