/**
 * A calendar year changed (calendar/jobs.ts): the agency's open case deadlines that counted through
 * it are counted again on the calendar now in force. The calendar job fans out one idempotent
 * `case.recompute` job per case (DESIGN.md convention 10), so a large agency's cases are never
 * locked together; each job locks its case, replays the clock from its start and its clock events
 * (sla.replayClock) and the 容缺 deadline from the acceptance day and the item's 容缺 days. What
 * moved is written with a clock event, a timeline entry and an audit entry, and the applicant is
 * told through the outbox why and from when to when.
 */
import { resolveForm } from '../../../common/forms.ts';
import type { DeadlineLimit, WorkCalendar } from '../../../common/calendar.ts';
import { enqueueMany } from '../../platform/jobs.ts';
import type { Ctx } from '../../http/actor.ts';
import { appendAudit } from '../audit/index.ts';
import { type CalendarChange, loadCalendarFresh } from '../calendar/index.ts';
import { itemOfVersion } from './items.ts';
import * as repo from './repository.ts';
import { notifyApplicant } from './service.ts';
import { replayClock, slaLimit, toleranceDue } from './sla.ts';

const OPEN = ['accepted', 'tolerance_accepted', 'reviewing', 'rechecking', 'correction', 'suspended'];

function cn(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${y}年${Number(m)}月${Number(d)}日`;
}

export interface CaseRecomputePayload {
  caseId: number;
  year: number;
  why: string;
}

/** The calendar hook: one `case.recompute` job per open case of the agency whose deadline reaches the year. Answers how many. */
export async function enqueueCaseRecompute(ch: CalendarChange): Promise<number> {
  const rows = await ch.ctx.db
    .selectFrom('cases')
    .select('id')
    .where('agency_code', '=', ch.agencyCode)
    .where('status', 'in', OPEN)
    .where((eb) =>
      eb.or([
        eb.and([eb('clock_state', 'in', ['running', 'paused']), eb('sla_kind', '=', 'working_days'), eb('due_date', '>=', ch.from)]),
        eb.and([eb('status', '=', 'tolerance_accepted'), eb('tolerance_due', '>=', ch.from)]),
      ]),
    )
    .orderBy('id')
    .execute();
  return enqueueMany(
    ch.ctx.db,
    rows.map((r) => ({
      kind: 'case.recompute',
      dedupeKey: `case-recompute:${r.id}:${ch.rowId}`,
      payload: { caseId: Number(r.id), year: ch.year, why: ch.why } satisfies CaseRecomputePayload,
      runAt: ch.ctx.now,
    })),
  );
}

/** One case's deadlines counted again on its agency's calendar as now in force (read fresh). Answers whether its applicant was told. */
export async function recomputeCase(ctx: Ctx, p: CaseRecomputePayload): Promise<boolean> {
  const c = await repo.caseByIdForUpdate(ctx.db, p.caseId);
  if (!c || !OPEN.includes(c.status)) return false;
  const ci = await itemOfVersion(ctx.db, c.item_version_id);
  return recomputeOne(ctx, c, await loadCalendarFresh(ctx.db, ci.regionCode), p);
}

async function recomputeOne(ctx: Ctx, c: repo.CaseRow, cal: WorkCalendar, ch: { year: number; why: string }): Promise<boolean> {
  const events = await ctx.db.selectFrom('case_clock_events').select(['kind', 'day']).where('case_id', '=', c.id).orderBy('id').execute();
  const start = c.sla_start ?? events.findLast((e) => e.kind === 'start')?.day;
  if (!start) return false;
  const patch: Record<string, unknown> = {};
  const before = { due: c.due_date, warn: c.warn_date, tolerance: c.tolerance_due };
  const after = { ...before };
  if (c.sla_kind === 'working_days' && c.sla_value !== null && c.due_date && (c.clock_state === 'running' || c.clock_state === 'paused')) {
    const limit: DeadlineLimit = { kind: 'working_days', value: c.sla_value };
    const plan = replayClock(limit, start, events, cal);
    after.due = plan.due;
    after.warn = plan.warn;
  }
  if (c.status === 'tolerance_accepted' && c.tolerance_due) {
    const ci = await itemOfVersion(ctx.db, c.item_version_id);
    const form = resolveForm(ci.item, c.answers as Record<string, string>);
    const tol = (c.tolerance_materials as { index: number }[] | null) ?? [];
    const days = tol.map((t) => form.materials.find((m) => m.index === t.index)?.toleranceDays);
    // Counted from the acceptance day (the clock's start event), as act() counted it.
    const accepted = events.findLast((e) => e.kind === 'start')?.day ?? start;
    after.tolerance = toleranceDue(slaLimit(ci.item.timeLimit), days.length ? days : [null], accepted, cal);
  }
  if (after.due === before.due && after.warn === before.warn && after.tolerance === before.tolerance) return false;
  if (after.due !== before.due) {
    patch.due_date = after.due;
    patch.warned_last_at = null;
    if (after.due && after.due >= ctx.today) patch.breached_at = null;
  }
  if (after.warn !== before.warn) {
    patch.warn_date = after.warn;
    if (after.warn && after.warn > ctx.today) patch.warned75_at = null;
  }
  if (after.tolerance !== before.tolerance) patch.tolerance_due = after.tolerance;
  await ctx.db
    .updateTable('cases')
    .set({ ...patch, updated_at: ctx.now, lock_version: c.lock_version + 1 })
    .where('id', '=', c.id)
    .execute();
  await repo.insertClockEvent(ctx.db, {
    caseId: c.id,
    at: ctx.now,
    day: ctx.today,
    kind: 'recompute',
    due: after.due,
    data: { year: ch.year, before, after, why: ch.why },
  });
  const parts: string[] = [];
  if (after.due !== before.due && before.due && after.due) parts.push(`办结期限由${cn(before.due)}调整为${cn(after.due)}`);
  if (after.tolerance !== before.tolerance && before.tolerance && after.tolerance)
    parts.push(`容缺材料补交期限由${cn(before.tolerance)}调整为${cn(after.tolerance)}`);
  const note = parts.length ? `${ch.why}，按新的工作日历重新计算：${parts.join('；')}。` : `${ch.why}，按新的工作日历重新计算了时限预警日期。`;
  await repo.insertEvent(ctx.db, {
    caseId: c.id,
    at: ctx.now,
    action: 'deadline_moved',
    from: c.status,
    to: c.status,
    actorId: null,
    actorLabel: '工作日历',
    note,
    data: { year: ch.year, before, after },
  });
  await appendAudit(ctx.db, {
    actorKind: 'system',
    actorId: null,
    actorLabel: '工作日历',
    action: 'case.deadline_moved',
    subjectKind: 'case',
    subjectId: String(c.id),
    agencyCode: c.agency_code,
    data: { year: ch.year, before, after },
    at: ctx.now,
  });
  if (parts.length)
    await notifyApplicant(
      ctx,
      c,
      `办件 ${c.case_no ?? ''} 期限调整`,
      `${ch.why}，您的“${c.item_name}”办件（${c.case_no ?? ''}）${parts.join('；')}。`,
    );
  return parts.length > 0;
}
