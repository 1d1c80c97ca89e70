/**
 * 好差评: the applicant rates a service once — a case after 办结, or a hall visit once the person
 * who booked it was checked in (GET/POST /api/appointments/{id}/rating). A 差评 opens a 整改 task for the agency's supervisors with a
 * working-day deadline; the supervisor records the call-back (回访) and the result (整改结果),
 * which the applicant sees. The agency may appeal a 差评 as 误评 or 恶意差评; a supervisor who is
 * not the handler rated decides, and an upheld appeal keeps the rating but excludes it from the
 * satisfaction figures. Every change is audited in the same transaction.
 */
import { AppError } from '../../../common/errors.ts';
import {
  APPEAL_KIND_LABELS,
  OPEN_RECTIFICATION,
  isBadRating,
  isCompleted,
  levelLabel,
  type AppealKind,
  type CallbackChannel,
} from '../../../common/feedback.ts';
import type { CaseRatingOut } from '../../../common/api-feedback.ts';
import { RATING_LEVELS } from '../../../common/feedback.ts';
import type { Ctx } from '../../http/actor.ts';
import { loadVisible, rolesOn } from '../cases/index.ts';
import { DESK_ROLES, agencyCalendar, feedbackAudit, planDeadline, staffActor, tellPerson, tellSupervisors } from './common.ts';
import * as repo from './repository.ts';
import { rateableVisit } from '../appointments/index.ts';
import { presentRating } from './presenter.ts';
import type { Selectable } from 'kysely';
import type { RatingsTable } from '../../db/types-feedback.ts';

/**
 * What is rated, resolved and checked by the caller: a case (caseSubject) or a hall visit. The
 * appointments module builds a visit subject from its own row (kind 'visit', appointmentId, the
 * office, the staff who served and the person who booked) and calls rateSubject with it.
 */
export interface RatingSubject {
  kind: 'case' | 'visit';
  caseId: number | null;
  appointmentId: number | null;
  agencyCode: string;
  officeId: number | null;
  itemCode: string | null;
  itemName: string | null;
  caseNo: string | null;
  handlerId: number | null;
  /** The only account that may rate this subject. */
  raterUserId: number;
  /** Where to text the outcome of a 整改 (the applicant's phone). */
  contactPhone: string | null;
}

/** A case as a rating subject: only its applicant, only after 办结. */
export async function caseSubject(ctx: Ctx, caseId: number): Promise<RatingSubject> {
  const c = await loadVisible(ctx, caseId);
  if (ctx.actor.kind !== 'user' || !rolesOn(ctx.actor, c).includes('applicant')) throw new AppError('FORBIDDEN', '只有申请人本人可以评价该办件。');
  if (!isCompleted(c.status)) throw new AppError('RATING_NOT_ALLOWED');
  const handlerId = await repo.caseHandler(ctx.db, { id: Number(c.id), assignee_id: c.assignee_id });
  let officeId = c.office_id === null ? null : Number(c.office_id);
  if (officeId === null && handlerId !== null) {
    const h = await ctx.db.selectFrom('users').select('office_id').where('id', '=', handlerId).executeTakeFirst();
    officeId = h?.office_id ? Number(h.office_id) : null;
  }
  return {
    kind: 'case',
    caseId: Number(c.id),
    appointmentId: null,
    agencyCode: c.agency_code,
    officeId,
    itemCode: c.item_code,
    itemName: c.item_name,
    caseNo: c.case_no,
    handlerId,
    raterUserId: ctx.actor.id,
    contactPhone: c.applicant_phone || null,
  };
}

/** A hall visit as a rating subject: only the person who booked it, only once checked in or served. */
/** The person's own appointment (anyone else's is "not found"). */
async function ownAppointment(ctx: Ctx, appointmentId: number) {
  if (ctx.actor.kind !== 'user') throw new AppError('FORBIDDEN');
  const own = await ctx.db.selectFrom('appointments').select(['user_id', 'mobile']).where('id', '=', appointmentId).executeTakeFirst();
  if (!own || Number(own.user_id) !== ctx.actor.id) throw new AppError('APPT_NOT_FOUND');
  return { ...own, raterUserId: ctx.actor.id };
}

export async function visitSubject(ctx: Ctx, appointmentId: number): Promise<RatingSubject> {
  const own = await ownAppointment(ctx, appointmentId);
  const v = await rateableVisit(ctx.db, appointmentId);
  if (!v) throw new AppError('RATING_NOT_ALLOWED', '到大厅签到办理后才能评价本次服务。');
  return {
    kind: 'visit',
    caseId: null,
    appointmentId: v.appointmentId,
    agencyCode: v.agencyCode,
    officeId: v.officeId,
    itemCode: v.itemCode ?? v.businessCode,
    itemName: v.itemName ?? v.businessName,
    caseNo: null,
    handlerId: v.handlerId === null ? null : Number(v.handlerId),
    raterUserId: own.raterUserId,
    contactPhone: own.mobile ?? null,
  };
}

/** The rating panel on the person's appointment page. */
export async function visitRating(ctx: Ctx, appointmentId: number): Promise<CaseRatingOut> {
  await ownAppointment(ctx, appointmentId);
  const row = await repo.ratingOfVisit(ctx.db, appointmentId);
  const visited = (await rateableVisit(ctx.db, appointmentId)) !== null;
  return ratingPanel(ctx, row, visited, row ? '已评价。' : visited ? null : '到大厅签到办理后可以评价本次服务。');
}

/** What a rating panel shows: whether the rater may rate now (and why not), the levels, and the rating given with its 整改. */
async function ratingPanel(ctx: Ctx, row: Selectable<RatingsTable> | undefined, eligible: boolean, reason: string | null): Promise<CaseRatingOut> {
  const rect = row ? await ctx.db.selectFrom('rectifications').selectAll().where('rating_id', '=', row.id).executeTakeFirst() : undefined;
  return {
    canRate: !row && eligible,
    reason,
    levels: RATING_LEVELS.map((l) => ({ level: l.level, label: l.label })),
    rating: row ? presentRating(row, rect ?? null, ctx.today, rect?.due_date ? await agencyCalendar(ctx.db, row.agency_code) : null) : null,
  };
}

function isUniqueViolation(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { code?: string }).code === '23505';
}

/** Record one rating; a 差评 opens its 整改 task. Returns the rating id. */
export async function rateSubject(ctx: Ctx, s: RatingSubject, input: { level: number; comment: string }): Promise<number> {
  if (ctx.actor.kind !== 'user' || ctx.actor.id !== s.raterUserId) throw new AppError('FORBIDDEN');
  const comment = input.comment.trim();
  const bad = isBadRating(input.level);
  if (bad && comment.length < 5)
    throw new AppError('VALIDATION_FAILED', '选择“不满意”或“非常不满意”时，请写明原因（至少 5 个字），以便我们回访整改。', [
      { field: 'comment', message: '请写明不满意的原因（至少 5 个字）。' },
    ]);
  const existing = await ctx.db
    .selectFrom('ratings')
    .select('id')
    .where('subject_kind', '=', s.kind)
    .$if(s.kind === 'case', (q) => q.where('case_id', '=', s.caseId))
    .$if(s.kind === 'visit', (q) => q.where('appointment_id', '=', s.appointmentId))
    .executeTakeFirst();
  if (existing) throw new AppError('ALREADY_RATED');
  let ratingId: number;
  try {
    const row = await ctx.db
      .insertInto('ratings')
      .values({
        subject_kind: s.kind,
        case_id: s.caseId,
        appointment_id: s.appointmentId,
        agency_code: s.agencyCode,
        office_id: s.officeId,
        item_code: s.itemCode,
        item_name: s.itemName,
        case_no: s.caseNo,
        handler_id: s.handlerId,
        rater_user_id: s.raterUserId,
        level: input.level,
        bad,
        comment,
        appeal_outcome: null,
        created_at: ctx.now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    ratingId = Number(row.id);
  } catch (e) {
    // Two submissions at once: the unique index lets one through.
    if (isUniqueViolation(e)) throw new AppError('ALREADY_RATED');
    throw e;
  }
  await feedbackAudit(ctx, 'rating.create', 'rating', ratingId, s.agencyCode, {
    subject: s.kind,
    caseId: s.caseId,
    appointmentId: s.appointmentId,
    level: input.level,
    bad,
  });
  if (bad) await openRectification(ctx, ratingId, s, input.level, comment);
  return ratingId;
}

async function openRectification(ctx: Ctx, ratingId: number, s: RatingSubject, level: number, comment: string): Promise<void> {
  const settings = await repo.settingsFor(ctx.db, s.agencyCode);
  const plan = await planDeadline(ctx.db, s.agencyCode, ctx.today, settings.rectifyDays);
  const row = await ctx.db
    .insertInto('rectifications')
    .values({
      rating_id: ratingId,
      agency_code: s.agencyCode,
      office_id: s.officeId,
      handler_id: s.handlerId,
      case_id: s.caseId,
      status: 'open',
      days: settings.rectifyDays,
      opened_at: ctx.now,
      opened_on: ctx.today,
      due_date: plan.due,
      warn_date: plan.warn,
      calendar_problem: plan.problem,
      updated_at: ctx.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  await feedbackAudit(ctx, 'rectification.open', 'rectification', id, s.agencyCode, {
    rating: ratingId,
    days: settings.rectifyDays,
    defaultDays: settings.isDefault,
    due: plan.due,
    problem: plan.problem,
  });
  const what = s.caseNo ? `办件 ${s.caseNo}（${s.itemName ?? ''}）` : `大厅服务（预约 #${s.appointmentId}）`;
  await tellSupervisors(ctx.db, s.agencyCode, {
    subject: `【差评整改】${what}`,
    body: `${what}收到“${levelLabel(level)}”评价：${comment.slice(0, 60)}。请于 ${plan.due ?? '（期限待定）'} 前回访并整改。`,
    caseId: s.caseId,
  });
}

/** The rating panel on the applicant's case page. */
export async function caseRating(ctx: Ctx, caseId: number): Promise<CaseRatingOut> {
  const c = await loadVisible(ctx, caseId);
  const applicant = ctx.actor.kind === 'user' && rolesOn(ctx.actor, c).includes('applicant');
  const row = await repo.ratingOfCase(ctx.db, caseId);
  let reason: string | null = null;
  if (row) reason = '已评价。';
  else if (!applicant) reason = '只有申请人本人可以评价。';
  else if (!isCompleted(c.status)) reason = '办件办结后可以评价。';
  return ratingPanel(ctx, row, applicant && isCompleted(c.status), reason);
}

// ---- 整改 ----

/** A rectification of the actor's agency, locked for the change. */
async function rectificationForUpdate(ctx: Ctx, id: number) {
  const a = staffActor(ctx, DESK_ROLES);
  const r = await ctx.db.selectFrom('rectifications').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  if (!r || r.agency_code !== a.agencyCode) throw new AppError('FEEDBACK_NOT_FOUND');
  return { a, r };
}

export async function recordCallback(ctx: Ctx, id: number, input: { at: string; channel: CallbackChannel; note: string }): Promise<void> {
  const { a, r } = await rectificationForUpdate(ctx, id);
  if (!OPEN_RECTIFICATION.includes(r.status)) throw new AppError('FEEDBACK_STATE_INVALID', '该整改已办结，不能再修改回访记录。');
  const at = new Date(input.at);
  if (at.getTime() > ctx.now.getTime() + 5 * 60_000)
    throw new AppError('VALIDATION_FAILED', '回访时间不能晚于现在。', [{ field: 'at', message: '回访时间不能晚于现在。' }]);
  if (at.getTime() < new Date(r.opened_at).getTime() - 60_000)
    throw new AppError('VALIDATION_FAILED', '回访时间不能早于收到差评的时间。', [{ field: 'at', message: '回访时间不能早于收到差评的时间。' }]);
  await ctx.db
    .updateTable('rectifications')
    .set({
      status: 'in_progress',
      callback_at: at,
      callback_channel: input.channel,
      callback_note: input.note,
      callback_by: a.id,
      updated_at: ctx.now,
    })
    .where('id', '=', id)
    .execute();
  await feedbackAudit(ctx, 'rectification.callback', 'rectification', id, r.agency_code, {
    at: at.toISOString(),
    channel: input.channel,
    note: input.note,
    before: r.callback_at ? { at: new Date(r.callback_at).toISOString(), channel: r.callback_channel, note: r.callback_note } : null,
  });
}

export async function recordResult(ctx: Ctx, id: number, result: string): Promise<void> {
  const { a, r } = await rectificationForUpdate(ctx, id);
  if (r.status !== 'in_progress')
    throw new AppError('FEEDBACK_STATE_INVALID', r.status === 'open' ? '请先记录回访情况，再填写整改结果。' : '该整改已办结。');
  await ctx.db
    .updateTable('rectifications')
    .set({ status: 'closed', result, result_by: a.id, closed_at: ctx.now, closed_on: ctx.today, updated_at: ctx.now })
    .where('id', '=', id)
    .execute();
  await feedbackAudit(ctx, 'rectification.result', 'rectification', id, r.agency_code, {
    result,
    due: r.due_date,
    onTime: !r.due_date || ctx.today <= r.due_date,
  });
  const g = await ctx.db.selectFrom('ratings').selectAll().where('id', '=', r.rating_id).executeTakeFirstOrThrow();
  // The number to text: the case's applicant phone, or the mobile the visit was booked with.
  const phone = g.case_id
    ? (await ctx.db.selectFrom('cases').select(['applicant_phone']).where('id', '=', g.case_id).executeTakeFirst())?.applicant_phone
    : g.appointment_id
      ? (await ctx.db.selectFrom('appointments').select(['mobile']).where('id', '=', g.appointment_id).executeTakeFirst())?.mobile
      : null;
  const what = g.case_no ? `办件 ${g.case_no}` : '大厅服务';
  await tellPerson(
    ctx.db,
    r.agency_code,
    { userId: Number(g.rater_user_id), phone: phone ?? null },
    {
      subject: `您对${what}的评价已处理`,
      body: `您对${what}的“${levelLabel(g.level)}”评价已回访整改：${result.slice(0, 80)}${result.length > 80 ? '…' : ''}`,
      caseId: g.case_id,
    },
  );
}

// ---- 申诉 ----

export async function fileAppeal(ctx: Ctx, ratingId: number, input: { kind: AppealKind; reason: string }): Promise<number> {
  const a = staffActor(ctx, DESK_ROLES);
  const g = await ctx.db.selectFrom('ratings').selectAll().where('id', '=', ratingId).forUpdate().executeTakeFirst();
  if (!g || g.agency_code !== a.agencyCode) throw new AppError('FEEDBACK_NOT_FOUND');
  if (!g.bad) throw new AppError('FEEDBACK_STATE_INVALID', '只有差评可以申诉。');
  if (g.appeal_outcome !== null) throw new AppError('APPEAL_EXISTS');
  let id: number;
  try {
    const row = await ctx.db
      .insertInto('rating_appeals')
      .values({
        rating_id: ratingId,
        agency_code: g.agency_code,
        kind: input.kind,
        reason: input.reason,
        filed_by: a.id,
        filed_at: ctx.now,
        status: 'pending',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    id = Number(row.id);
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('APPEAL_EXISTS');
    throw e;
  }
  await ctx.db.updateTable('ratings').set({ appeal_outcome: 'pending' }).where('id', '=', ratingId).execute();
  await feedbackAudit(ctx, 'appeal.file', 'appeal', id, g.agency_code, { rating: ratingId, kind: input.kind, reason: input.reason });
  await tellSupervisors(ctx.db, g.agency_code, {
    subject: `【差评申诉】${g.case_no ?? `评价 #${ratingId}`}`,
    body: `${a.name}对${g.case_no ? `办件 ${g.case_no} ` : ''}的“${levelLabel(g.level)}”评价提出${APPEAL_KIND_LABELS[input.kind]}申诉，待裁决。`,
    caseId: g.case_id,
  });
  return id;
}

export async function decideAppeal(ctx: Ctx, appealId: number, input: { outcome: 'upheld' | 'rejected'; note: string }): Promise<void> {
  const a = staffActor(ctx, ['supervisor']);
  const ap = await ctx.db.selectFrom('rating_appeals').selectAll().where('id', '=', appealId).forUpdate().executeTakeFirst();
  if (!ap || ap.agency_code !== a.agencyCode) throw new AppError('FEEDBACK_NOT_FOUND');
  const g = await ctx.db.selectFrom('ratings').selectAll().where('id', '=', ap.rating_id).forUpdate().executeTakeFirstOrThrow();
  if (g.handler_id !== null && Number(g.handler_id) === a.id) throw new AppError('APPEAL_SELF_DECISION');
  if (ap.status !== 'pending') throw new AppError('FEEDBACK_STATE_INVALID', '该申诉已裁决。');
  await ctx.db
    .updateTable('rating_appeals')
    .set({ status: input.outcome, decided_by: a.id, decided_at: ctx.now, decision_note: input.note })
    .where('id', '=', appealId)
    .execute();
  await ctx.db
    .updateTable('ratings')
    .set({ appeal_outcome: input.outcome, excluded: input.outcome === 'upheld' })
    .where('id', '=', g.id)
    .execute();
  let waived: number | null = null;
  if (input.outcome === 'upheld') {
    const r = await ctx.db
      .updateTable('rectifications')
      .set({
        status: 'waived',
        result: `申诉成立（${APPEAL_KIND_LABELS[ap.kind]}）：${input.note}`,
        result_by: a.id,
        closed_at: ctx.now,
        closed_on: ctx.today,
        updated_at: ctx.now,
      })
      .where('rating_id', '=', g.id)
      .where('status', 'in', OPEN_RECTIFICATION)
      .returning('id')
      .executeTakeFirst();
    waived = r ? Number(r.id) : null;
  }
  await feedbackAudit(ctx, 'appeal.decide', 'appeal', appealId, ap.agency_code, {
    rating: Number(g.id),
    outcome: input.outcome,
    note: input.note,
    excluded: input.outcome === 'upheld',
    waivedRectification: waived,
  });
  await tellPerson(
    ctx.db,
    ap.agency_code,
    { userId: Number(ap.filed_by), phone: null },
    {
      subject: `差评申诉已裁决：${input.outcome === 'upheld' ? '申诉成立' : '申诉不成立'}`,
      body: `${g.case_no ? `办件 ${g.case_no} ` : ''}的差评申诉：${input.outcome === 'upheld' ? '申诉成立，该评价不计入满意度' : '申诉不成立'}。${input.note}`,
      caseId: g.case_id,
    },
  );
}
