/**
 * A calendar year changed (calendar/jobs.ts): open 整改 and 投诉 deadlines that counted through it
 * are counted again from the day each opened and its number of working days. A complaint's new
 * deadline is told to the complainant; both are told to the supervisors; each change is audited.
 */
import { OPEN_COMPLAINT, OPEN_RECTIFICATION, planFeedbackDeadline } from '../../../common/feedback.ts';
import type { CalendarChange } from '../calendar/jobs.ts';
import { feedbackAudit, tellPerson, tellSupervisors } from './common.ts';

export async function recomputeFeedbackDeadlines(ch: CalendarChange): Promise<number> {
  const { ctx, cal } = ch;
  let moved = 0;
  const rects = await ctx.db
    .selectFrom('rectifications')
    .select(['id', 'opened_on', 'days', 'due_date', 'warn_date', 'case_id'])
    .where('agency_code', '=', ch.agencyCode)
    .where('status', 'in', [...OPEN_RECTIFICATION])
    .where('due_date', '>=', ch.from)
    .orderBy('id')
    .forUpdate()
    .execute();
  for (const r of rects) {
    const plan = planFeedbackDeadline(cal, r.opened_on, r.days);
    if (plan.due === r.due_date && plan.warn === r.warn_date) continue;
    await ctx.db
      .updateTable('rectifications')
      .set({
        due_date: plan.due,
        warn_date: plan.warn,
        warned_before_at: null,
        warned_due_at: null,
        ...(plan.due >= ctx.today ? { overdue_at: null } : {}),
      })
      .where('id', '=', r.id)
      .execute();
    await feedbackAudit(ctx, 'rectification.deadline_moved', 'rectification', Number(r.id), ch.agencyCode, {
      year: ch.year,
      before: { due: r.due_date, warn: r.warn_date },
      after: plan,
    });
    if (plan.due !== r.due_date) {
      await tellSupervisors(ctx.db, ch.agencyCode, {
        subject: '整改期限调整',
        body: `${ch.why}，整改任务 #${r.id} 的期限由 ${r.due_date} 调整为 ${plan.due}。`,
        caseId: r.case_id === null ? null : Number(r.case_id),
      });
      moved++;
    }
  }
  const complaints = await ctx.db
    .selectFrom('complaints')
    .select(['id', 'complaint_no', 'registered_on', 'days', 'due_date', 'warn_date', 'complainant_user_id', 'complainant_phone', 'case_id'])
    .where('agency_code', '=', ch.agencyCode)
    .where('status', 'in', [...OPEN_COMPLAINT])
    .where('due_date', '>=', ch.from)
    .orderBy('id')
    .forUpdate()
    .execute();
  for (const t of complaints) {
    const plan = planFeedbackDeadline(cal, t.registered_on, t.days);
    if (plan.due === t.due_date && plan.warn === t.warn_date) continue;
    await ctx.db
      .updateTable('complaints')
      .set({
        due_date: plan.due,
        warn_date: plan.warn,
        warned_before_at: null,
        warned_due_at: null,
        ...(plan.due >= ctx.today ? { overdue_at: null } : {}),
        updated_at: ctx.now,
      })
      .where('id', '=', t.id)
      .execute();
    await feedbackAudit(ctx, 'complaint.deadline_moved', 'complaint', Number(t.id), ch.agencyCode, {
      year: ch.year,
      before: { due: t.due_date, warn: t.warn_date },
      after: plan,
    });
    if (plan.due !== t.due_date) {
      const body = `${ch.why}，您的投诉（${t.complaint_no}）答复期限由 ${t.due_date} 调整为 ${plan.due}。`;
      const caseId = t.case_id === null ? null : Number(t.case_id);
      await tellPerson(
        ctx.db,
        ch.agencyCode,
        { userId: t.complainant_user_id === null ? null : Number(t.complainant_user_id), phone: t.complainant_phone },
        { subject: '投诉答复期限调整', body, caseId },
      );
      await tellSupervisors(ctx.db, ch.agencyCode, {
        subject: '投诉答复期限调整',
        body: `${ch.why}，投诉 ${t.complaint_no} 的答复期限由 ${t.due_date} 调整为 ${plan.due}。`,
        caseId,
      });
      moved++;
    }
  }
  return moved;
}
