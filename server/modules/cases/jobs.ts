/**
 * Deadline jobs (DESIGN.md convention 10): a sweep finds cases whose clock crossed a threshold
 * and fans out one idempotent job per case and threshold (dedupe key = case + kind + due date),
 * so a sweep that runs twice, or on two instances, enqueues each job once. Each job records the
 * clock event, tells the handler or the supervisor through the outbox, and is audited — all in
 * the job's own transaction.
 */
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Db } from '../../db/index.ts';
import { ACTIVE_STATES } from '../../../common/workflow.ts';
import { chinaDate } from '../../platform/clock.ts';
import { enqueueMany, type EnqueueInput, type JobRunner } from '../../platform/jobs.ts';
import { queueMessage } from '../../platform/outbox.ts';
import { appendAudit } from '../audit/index.ts';
import type { Ctx } from '../../http/actor.ts';
import * as repo from './repository.ts';
import { act, guardFacts, type CaseEnv } from './service.ts';
import { itemOfVersion } from './items.ts';
import { recomputeCase, type CaseRecomputePayload } from './recompute.ts';

export type SlaKind = 'warn75' | 'last_day' | 'breach';
export interface SlaPayload {
  caseId: number;
  kind: SlaKind;
  due: string;
}

/** Enqueue the jobs due today or earlier. Returns how many new jobs were enqueued. */
export async function sweepDeadlines(db: Db, now: Date): Promise<{ enqueued: number }> {
  const today = chinaDate(now);
  const rows = await db
    .selectFrom('cases')
    .select(['id', 'due_date', 'warn_date', 'warned75_at', 'warned_last_at', 'breached_at', 'status', 'tolerance_due'])
    .where('clock_state', '=', 'running')
    .where('status', 'in', ACTIVE_STATES)
    .where((eb) =>
      eb.or([
        eb.and([eb('warn_date', '<=', today), eb('warned75_at', 'is', null)]),
        eb.and([eb('due_date', '<=', today), eb('warned_last_at', 'is', null)]),
        eb.and([eb('due_date', '<', today), eb('breached_at', 'is', null)]),
      ]),
    )
    .execute();
  // Every threshold crossed, then one batched insert; the dedupe keys make a second sweep a no-op.
  const jobs: EnqueueInput[] = [];
  for (const c of rows) {
    const due = c.due_date!;
    const add = (kind: SlaKind) =>
      jobs.push({
        kind: 'case.sla',
        dedupeKey: `sla:${kind}:${c.id}:${due}`,
        payload: { caseId: Number(c.id), kind, due } satisfies SlaPayload,
        runAt: now,
      });
    if (c.warn_date! <= today && !c.warned75_at && due >= today) add('warn75');
    if (due === today && !c.warned_last_at) add('last_day');
    if (due < today && !c.breached_at) add('breach');
  }
  // 容缺 not supplied in time: the case is terminated (one job per case and deadline).
  const expired = await db
    .selectFrom('cases')
    .select(['id', 'tolerance_due'])
    .where('status', '=', 'tolerance_accepted')
    .where('tolerance_due', '<', today)
    .execute();
  for (const c of expired)
    jobs.push({ kind: 'case.tolerance_expired', dedupeKey: `tol:${c.id}:${c.tolerance_due}`, payload: { caseId: Number(c.id) }, runAt: now });
  // 转移接续 legs, each on its own agency's clock: the origin's 信息表 (10 working days) and the
  // destination's completion (5), warned at 75 %, on the last working day and when overdue.
  const legs = await db
    .selectFrom('transfers')
    .select(['id', 'status', 'origin_due', 'origin_warn', 'dest_due', 'dest_warn'])
    .where((eb) =>
      eb.or([
        eb.and([eb('status', '=', 'letter_sent'), eb.or([eb('origin_warn', '<=', today), eb('origin_due', '<=', today)])]),
        eb.and([eb('status', '=', 'info_issued'), eb.or([eb('dest_warn', '<=', today), eb('dest_due', '<=', today)])]),
      ]),
    )
    .execute();
  for (const t of legs) {
    const leg = t.status === 'letter_sent' ? 'origin' : 'dest';
    const due = leg === 'origin' ? t.origin_due : t.dest_due;
    const warn = leg === 'origin' ? t.origin_warn : t.dest_warn;
    if (!due) continue;
    const add = (kind: SlaKind, dedupeKey: string) =>
      jobs.push({ kind: 'transfer.sla', dedupeKey, payload: { transferId: Number(t.id), leg, kind, due } satisfies TransferSlaPayload, runAt: now });
    if (warn && warn <= today && due >= today) add('warn75', `transfer:${leg}:warn75:${t.id}:${due}`);
    if (due === today) add('last_day', `transfer:${leg}:last_day:${t.id}:${due}`);
    if (due < today) add('breach', `transfer:${leg}:${t.id}:${due}`);
  }
  // 行政许可法 §32: a case nobody answered within 5 working days counts as accepted. Candidates are
  // cases waiting at least 5 natural days; the job checks the working days itself.
  const waiting = await db
    .selectFrom('cases')
    .select('id')
    .where('status', '=', 'submitted')
    .where('submitted_at', '<', new Date(now.getTime() - 5 * 86400_000))
    .execute();
  for (const c of waiting)
    jobs.push({ kind: 'case.deem_accepted', dedupeKey: `deem:${c.id}:${today}`, payload: { caseId: Number(c.id) }, runAt: now });
  const n = await enqueueMany(db, jobs);
  return { enqueued: n };
}

const LABEL: Record<SlaKind, string> = { warn75: '时限已过75%', last_day: '今天是办结期限最后一个工作日', breach: '已超过办结期限' };

/** One SLA threshold for one case: record it once, tell the handler (and the supervisors on breach). */
export async function handleSla(trx: Transaction<DB>, now: Date, p: SlaPayload): Promise<void> {
  const c = await repo.caseByIdForUpdate(trx, p.caseId);
  if (!c || c.clock_state !== 'running' || c.due_date !== p.due) return; // moved on since the sweep: nothing to do
  const col = p.kind === 'warn75' ? 'warned75_at' : p.kind === 'last_day' ? 'warned_last_at' : 'breached_at';
  if (c[col]) return;
  const today = chinaDate(now);
  await trx
    .updateTable('cases')
    .set({ [col]: now })
    .where('id', '=', c.id)
    .execute();
  await repo.insertClockEvent(trx, { caseId: c.id, at: now, day: today, kind: p.kind, due: c.due_date });
  const recipients = new Set<number>();
  if (c.assignee_id) recipients.add(Number(c.assignee_id));
  if (p.kind === 'breach' || !c.assignee_id) {
    const sup = await trx
      .selectFrom('users')
      .select('id')
      .where('kind', '=', 'staff')
      .where('agency_code', '=', c.agency_code)
      .where(sql<boolean>`roles && array['supervisor','agency_admin']::text[]`)
      .execute();
    for (const u of sup) recipients.add(Number(u.id));
  }
  for (const uid of recipients) {
    await queueMessage(trx, {
      channel: 'inapp',
      recipient: String(uid),
      userId: uid,
      subject: `${p.kind === 'breach' ? '【超期】' : '【预警】'}${c.case_no} ${c.item_name}`,
      body: `办件 ${c.case_no}（${c.item_name}）${LABEL[p.kind]}，办结期限 ${c.due_date}。`,
      agencyCode: c.agency_code,
      caseId: c.id,
    });
  }
  await appendAudit(trx, {
    actorKind: 'system',
    actorId: null,
    actorLabel: '时限监控',
    action: `case.sla_${p.kind}`,
    subjectKind: 'case',
    subjectId: String(c.id),
    agencyCode: c.agency_code,
    data: { due: c.due_date, today },
  });
}

export interface TransferSlaPayload {
  transferId: number;
  leg: 'origin' | 'dest';
  kind: SlaKind;
  due: string;
}

const LEG_WORK = { origin: '出具信息表并划转个人账户', dest: '办结转入' } as const;
const LEG_LABEL: Record<SlaKind, { tag: string; text: string }> = {
  warn75: { tag: '【转移接续预警】', text: '时限已过75%' },
  last_day: { tag: '【转移接续预警】', text: '今天是最后一个工作日' },
  breach: { tag: '【转移接续超期】', text: '已超期' },
};

/**
 * One threshold of one transfer leg: tell the agency whose leg it is (its staff), once, and audit.
 * A leg that moved on (信息表 issued, transfer completed) or whose due date changed is left alone.
 */
export async function handleTransferSla(trx: Transaction<DB>, now: Date, p: TransferSlaPayload): Promise<void> {
  const t = await trx.selectFrom('transfers').selectAll().where('id', '=', p.transferId).executeTakeFirst();
  if (!t || (p.leg === 'origin' ? t.status !== 'letter_sent' : t.status !== 'info_issued')) return;
  const agency = p.leg === 'origin' ? t.origin_agency : t.dest_agency;
  const due = p.leg === 'origin' ? t.origin_due : t.dest_due;
  if (!agency || due !== p.due) return;
  const c = await repo.caseById(trx, Number(t.case_id));
  const staff = await trx.selectFrom('users').select('id').where('kind', '=', 'staff').where('agency_code', '=', agency).execute();
  const label = LEG_LABEL[p.kind];
  for (const u of staff)
    await queueMessage(trx, {
      channel: 'inapp',
      recipient: String(u.id),
      userId: Number(u.id),
      subject: `${label.tag}${c?.applicant_name ?? ''}`,
      body: `转移接续（${c?.case_no ?? t.case_id}）应于 ${due} 前${LEG_WORK[p.leg]}，${label.text}。`,
      agencyCode: agency,
      caseId: Number(t.case_id),
    });
  await appendAudit(trx, {
    actorKind: 'system',
    actorId: null,
    actorLabel: '时限监控',
    action: p.kind === 'breach' ? `transfer.overdue_${p.leg}` : `transfer.${p.kind}_${p.leg}`,
    subjectKind: 'case',
    subjectId: String(t.case_id),
    agencyCode: agency,
    data: { transfer: p.transferId, due, today: chinaDate(now) },
  });
}

/** Accept a case by operation of law when its 补正 window has passed (a no-op otherwise). */
export async function handleDeemAccepted(trx: Transaction<DB>, now: Date, env: CaseEnv, payload: { caseId: number }): Promise<void> {
  const c = await repo.caseByIdForUpdate(trx, payload.caseId);
  if (!c || c.status !== 'submitted') return;
  const ctx: Ctx = { db: trx, now, today: chinaDate(now), actor: { kind: 'system', label: '时限监控' } };
  const ci = await itemOfVersion(trx, c.item_version_id);
  const { facts } = await guardFacts(ctx, c, ci);
  if (!facts.correction_window_passed) return;
  await act(ctx, env, c.id, 'deem_accepted', { note: '收到申请材料后5个工作日内未一次性告知补正，依法自收到材料之日起视为受理。' });
}

/** 容缺 materials not supplied by the deadline: terminate the case through the workflow. */
export async function handleToleranceExpired(trx: Transaction<DB>, now: Date, env: CaseEnv, payload: { caseId: number }): Promise<void> {
  const c = await repo.caseById(trx, payload.caseId);
  if (!c || c.status !== 'tolerance_accepted') return;
  const ctx: Ctx = { db: trx, now, today: chinaDate(now), actor: { kind: 'system', label: '时限监控' } };
  await act(ctx, env, c.id, 'terminate', { note: `容缺材料逾期未补交（期限 ${c.tolerance_due}），系统终止办理。` });
}

/**
 * Wire the deadline work into a job runner: the two job kinds and a sweep task that runs at most
 * once per `everyMs` (and whenever the business date changes).
 */
export function registerCaseJobs(runner: JobRunner, env: CaseEnv, everyMs = 60_000): void {
  runner.register('case.sla', async (p: SlaPayload, { trx, now }) => handleSla(trx, now, p));
  runner.register('transfer.sla', async (p: TransferSlaPayload, { trx, now }) => handleTransferSla(trx, now, p));
  runner.register('case.deem_accepted', async (p: { caseId: number }, { trx, now }) => handleDeemAccepted(trx, now, env, p));
  runner.register('case.tolerance_expired', async (p: { caseId: number }, { trx, now }) => handleToleranceExpired(trx, now, env, p));
  // A calendar year changed: one case's deadlines counted again (fanned out by recompute.ts).
  runner.register('case.recompute', async (p: CaseRecomputePayload, { trx, now }) => {
    await recomputeCase({ db: trx, now, today: chinaDate(now), actor: { kind: 'system', label: '工作日历' } }, p);
  });
  let last = 0;
  let lastDay = '';
  runner.addTask('sla-sweep', async ({ db, now }) => {
    const day = chinaDate(now);
    if (now.getTime() - last < everyMs && day === lastDay) return 0;
    last = now.getTime();
    lastDay = day;
    return (await sweepDeadlines(db, now)).enqueued;
  });
}
