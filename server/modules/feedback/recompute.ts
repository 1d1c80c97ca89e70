/**
 * A calendar year changed (calendar/jobs.ts): open 整改 and 投诉 deadlines that counted through it
 * are counted again from the day each opened and its number of working days. Supervisors are told
 * of both; a complaint's new deadline is also told to the complainant; each change is audited.
 */
import { OPEN_COMPLAINT, OPEN_RECTIFICATION, planFeedbackDeadline } from '../../../common/feedback.ts';
import type { CalendarChange } from '../calendar/index.ts';
import { feedbackAudit, tellPerson, tellSupervisors } from './common.ts';

interface Task {
  id: number | string;
  from: string;
  days: number;
  due_date: string | null;
  warn_date: string | null;
  case_id: number | string | null;
  /** What the supervisors and (for a complaint) the complainant read. */
  label: string;
  complainant?: { userId: number | null; phone: string | null };
}

async function moveAll(ch: CalendarChange, kind: 'rectification' | 'complaint', tasks: Task[]): Promise<number> {
  const { ctx, cal } = ch;
  const table = kind === 'rectification' ? 'rectifications' : 'complaints';
  let moved = 0;
  for (const t of tasks) {
    const plan = planFeedbackDeadline(cal, t.from, t.days);
    if (plan.due === t.due_date && plan.warn === t.warn_date) continue;
    await ctx.db
      .updateTable(table)
      .set({
        due_date: plan.due,
        warn_date: plan.warn,
        warned_before_at: null,
        warned_due_at: null,
        ...(plan.due >= ctx.today ? { overdue_at: null } : {}),
        updated_at: ctx.now,
      })
      .where('id', '=', Number(t.id))
      .execute();
    await feedbackAudit(ctx, `${kind}.deadline_moved`, kind, Number(t.id), ch.agencyCode, {
      year: ch.year,
      before: { due: t.due_date, warn: t.warn_date },
      after: plan,
    });
    if (plan.due === t.due_date) continue;
    const what = `${t.label}的${kind === 'complaint' ? '答复' : '整改'}期限由 ${t.due_date} 调整为 ${plan.due}。`;
    const subject = kind === 'complaint' ? '投诉答复期限调整' : '整改期限调整';
    const caseId = t.case_id === null ? null : Number(t.case_id);
    if (t.complainant) await tellPerson(ctx.db, ch.agencyCode, t.complainant, { subject, body: `${ch.why}，您的${what}`, caseId });
    await tellSupervisors(ctx.db, ch.agencyCode, { subject, body: `${ch.why}，${what}`, caseId });
    moved++;
  }
  return moved;
}

export async function recomputeFeedbackDeadlines(ch: CalendarChange): Promise<number> {
  const db = ch.ctx.db;
  const rects = await db
    .selectFrom('rectifications')
    .select(['id', 'opened_on', 'days', 'due_date', 'warn_date', 'case_id'])
    .where('agency_code', '=', ch.agencyCode)
    .where('status', 'in', [...OPEN_RECTIFICATION])
    .where('due_date', '>=', ch.from)
    .orderBy('id')
    .forUpdate()
    .execute();
  const complaints = await db
    .selectFrom('complaints')
    .select(['id', 'complaint_no', 'registered_on', 'days', 'due_date', 'warn_date', 'complainant_user_id', 'complainant_phone', 'case_id'])
    .where('agency_code', '=', ch.agencyCode)
    .where('status', 'in', [...OPEN_COMPLAINT])
    .where('due_date', '>=', ch.from)
    .orderBy('id')
    .forUpdate()
    .execute();
  return (
    (await moveAll(
      ch,
      'rectification',
      rects.map((r) => ({ ...r, from: r.opened_on, label: `整改任务 #${r.id}` })),
    )) +
    (await moveAll(
      ch,
      'complaint',
      complaints.map((t) => ({
        ...t,
        from: t.registered_on,
        label: `投诉（${t.complaint_no}）`,
        complainant: { userId: t.complainant_user_id === null ? null : Number(t.complainant_user_id), phone: t.complainant_phone },
      })),
    ))
  );
}
