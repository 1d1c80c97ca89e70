/**
 * Deadline work for 整改 and 投诉 (DESIGN.md convention 10): a sweep fans out one idempotent job
 * per task and threshold — the working day before the deadline, the deadline itself, and after
 * it — with dedupe key kind:threshold:id:due, so a sweep that runs twice or on two instances
 * enqueues each warning once. Each job marks the task, tells the supervisors (and the handler
 * of a complaint) in-app and by SMS through the outbox, and is audited, in its own transaction.
 * The sweep also fills in deadlines left open because the calendar did not yet cover the year.
 */
import type { Kysely, Transaction } from 'kysely';
import type { AuditAction, AuditSubjectKind } from '../../../common/audit.ts';
import type { DB } from '../../db/types.ts';
import type { Db } from '../../db/index.ts';
import { THRESHOLD_LABELS, thresholdsDue, OPEN_COMPLAINT, OPEN_RECTIFICATION, type DeadlineThreshold } from '../../../common/feedback.ts';
import { chinaDate } from '../../platform/clock.ts';
import { enqueue, type JobRunner } from '../../platform/jobs.ts';
import { appendAudit } from '../audit/index.ts';
import { planDeadline, tellSupervisors } from './common.ts';

export type TaskKind = 'rectification' | 'complaint';
export interface DeadlinePayload {
  task: TaskKind;
  id: number;
  threshold: DeadlineThreshold;
  due: string;
}

const COLUMN = { before: 'warned_before_at', due: 'warned_due_at', overdue: 'overdue_at' } as const;
const TABLE = { rectification: 'rectifications', complaint: 'complaints' } as const;

async function system(db: Db, action: AuditAction, subjectKind: AuditSubjectKind, id: number, agency: string, data: unknown, now: Date) {
  await appendAudit(db, {
    actorKind: 'system',
    actorId: null,
    actorLabel: '时限监控',
    action,
    subjectKind,
    subjectId: String(id),
    agencyCode: agency,
    data,
    at: now,
  });
}

/** Deadlines left open for an uncovered calendar year: computed once the year is entered. */
async function fillOpenDeadlines(db: Kysely<DB>, now: Date): Promise<number> {
  let n = 0;
  for (const task of ['rectification', 'complaint'] as const) {
    const table = TABLE[task];
    const open = task === 'rectification' ? OPEN_RECTIFICATION : OPEN_COMPLAINT;
    const rows = await db
      .selectFrom(table)
      .select(['id', 'agency_code', 'days', task === 'rectification' ? 'opened_on as from' : 'registered_on as from'])
      .where('due_date', 'is', null)
      .where('status', 'in', [...open])
      .execute();
    for (const r of rows) {
      const plan = await planDeadline(db, r.agency_code, r.from, r.days);
      if (!plan.due) continue;
      await db.transaction().execute(async (trx) => {
        const done = await trx
          .updateTable(table)
          .set({ due_date: plan.due, warn_date: plan.warn, calendar_problem: null })
          .where('id', '=', r.id)
          .where('due_date', 'is', null)
          .executeTakeFirst();
        if (Number(done.numUpdatedRows) > 0) {
          await system(trx, `${task}.deadline_set`, task, Number(r.id), r.agency_code, { due: plan.due, from: r.from, days: r.days }, now);
          n++;
        }
      });
    }
  }
  return n;
}

/** Enqueue the warnings due today or earlier. Returns how many new jobs (and filled deadlines). */
export async function sweepFeedbackDeadlines(db: Kysely<DB>, now: Date): Promise<{ enqueued: number; filled: number }> {
  const today = chinaDate(now);
  const filled = await fillOpenDeadlines(db, now);
  let enqueued = 0;
  for (const task of ['rectification', 'complaint'] as const) {
    const table = TABLE[task];
    const open = task === 'rectification' ? OPEN_RECTIFICATION : OPEN_COMPLAINT;
    const rows = await db
      .selectFrom(table)
      .select(['id', 'due_date', 'warn_date', 'warned_before_at', 'warned_due_at', 'overdue_at'])
      .where('status', 'in', [...open])
      .where('due_date', 'is not', null)
      .where((eb) =>
        eb.or([
          eb.and([eb('warn_date', '<=', today), eb('warned_before_at', 'is', null)]),
          eb.and([eb('due_date', '<=', today), eb('warned_due_at', 'is', null)]),
          eb.and([eb('due_date', '<', today), eb('overdue_at', 'is', null)]),
        ]),
      )
      .execute();
    for (const r of rows) {
      const due = r.due_date!;
      for (const threshold of thresholdsDue(today, { due, warn: r.warn_date })) {
        if (r[COLUMN[threshold]]) continue;
        const id = await enqueue(db, {
          kind: 'feedback.deadline',
          dedupeKey: `fb:${task}:${threshold}:${r.id}:${due}`,
          payload: { task, id: Number(r.id), threshold, due } satisfies DeadlinePayload,
          runAt: now,
        });
        if (id !== null) enqueued++;
      }
    }
  }
  return { enqueued, filled };
}

/** One warning for one task: mark it once, tell the supervisors (and a complaint's handler), audit. */
export async function handleFeedbackDeadline(trx: Transaction<DB>, now: Date, p: DeadlinePayload): Promise<void> {
  const table = TABLE[p.task];
  const open: readonly string[] = p.task === 'rectification' ? OPEN_RECTIFICATION : OPEN_COMPLAINT;
  const r = await trx.selectFrom(table).selectAll().where('id', '=', p.id).forUpdate().executeTakeFirst();
  if (!r || !open.includes(r.status) || r.due_date !== p.due || r[COLUMN[p.threshold]]) return; // moved on since the sweep
  await trx
    .updateTable(table)
    .set({ [COLUMN[p.threshold]]: now })
    .where('id', '=', p.id)
    .execute();
  let what: string;
  let caseId: number | null = null;
  const extra: number[] = [];
  if (p.task === 'rectification') {
    const g = await trx
      .selectFrom('ratings')
      .select(['case_no', 'item_name', 'case_id'])
      .where('id', '=', (r as { rating_id: number }).rating_id)
      .executeTakeFirst();
    what = `差评整改（${g?.case_no ?? `#${p.id}`} ${g?.item_name ?? ''}）`;
    caseId = g?.case_id ? Number(g.case_id) : null;
  } else {
    const t = r as { complaint_no: string; handler_id: number | null; case_id: number | null };
    what = `投诉 ${t.complaint_no}`;
    caseId = t.case_id === null ? null : Number(t.case_id);
    if (t.handler_id !== null) extra.push(Number(t.handler_id));
  }
  const tag = p.threshold === 'overdue' ? '【超期】' : '【预警】';
  await tellSupervisors(
    trx,
    r.agency_code,
    { subject: `${tag}${what}`, body: `${what}${THRESHOLD_LABELS[p.threshold]}，期限 ${p.due}。`, caseId },
    extra,
  );
  await system(trx, `${p.task}.deadline_${p.threshold}`, p.task, p.id, r.agency_code, { due: p.due, today: chinaDate(now) }, now);
}

/** Wire the feedback deadlines into a job runner: the job kind and a sweep task (at most once per `everyMs`, and on a new day). */
export function registerFeedbackJobs(runner: JobRunner, everyMs = 60_000): void {
  runner.register('feedback.deadline', async (p: DeadlinePayload, { trx, now }) => handleFeedbackDeadline(trx, now, p));
  let last = 0;
  let lastDay = '';
  runner.addTask('feedback-sweep', async ({ db, now }) => {
    const day = chinaDate(now);
    if (now.getTime() - last < everyMs && day === lastDay) return 0;
    last = now.getTime();
    lastDay = day;
    const r = await sweepFeedbackDeadlines(db, now);
    return r.enqueued + r.filled;
  });
}
