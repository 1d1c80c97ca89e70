/**
 * Reads for the supervisor desk (整改 by deadline, 申诉, 投诉) and for the citizen's 我的投诉,
 * plus the per-agency deadline settings. Staff see only their own agency's rows; anything else
 * is "not found".
 */
import { sql, type SelectQueryBuilder } from 'kysely';
import { AppError } from '../../../common/errors.ts';
import type {
  AppealOut,
  ComplaintOut,
  ComplaintQuery,
  FeedbackSettings,
  RectificationDetail,
  RectificationQuery,
  RectificationSummary,
} from '../../../common/api-feedback.ts';
import { DEFAULT_COMPLAINT_DAYS, DEFAULT_RECTIFY_DAYS, OPEN_COMPLAINT, OPEN_RECTIFICATION } from '../../../common/feedback.ts';
import type { Ctx } from '../../http/actor.ts';
import { DESK_ROLES, agencyCalendar, feedbackAudit, iso, staffActor } from './common.ts';
import { presentAppeal, presentComplaint, rectificationDetail, rectificationSummary } from './presenter.ts';
import * as repo from './repository.ts';

type RectQ = RectificationQuery;

/** One page of a desk list in `order`, and how many rows the filters match in all. */
async function onePage<DB, TB extends keyof DB, O>(
  base: SelectQueryBuilder<DB, TB, O>,
  order: (qb: SelectQueryBuilder<DB, TB, O>) => SelectQueryBuilder<DB, TB, O>,
  q: { page: number; pageSize: number },
): Promise<{ rows: O[]; total: number }> {
  const rows = await order(base)
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  // The row is { n }; with the tables generic, Kysely cannot name its type.
  const total = (await base
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow()) as { n: number };
  return { rows, total: Number(total.n) };
}

export async function listRectifications(ctx: Ctx, q: RectQ): Promise<{ items: RectificationSummary[]; total: number }> {
  const a = staffActor(ctx, DESK_ROLES);
  let base = repo.rectificationRows(ctx.db).where('r.agency_code', '=', a.agencyCode!);
  if (q.status === 'active') base = base.where('r.status', 'in', [...OPEN_RECTIFICATION]);
  else if (q.status !== 'all') base = base.where('r.status', '=', q.status);
  if (q.officeId) base = base.where('r.office_id', '=', q.officeId);
  if (q.level) base = base.where('g.level', '=', q.level);
  if (q.overdue === '1') base = base.where('r.status', 'in', [...OPEN_RECTIFICATION]).where('r.due_date', '<', ctx.today);
  if (q.q) base = base.where((eb) => eb.or([eb('g.case_no', 'ilike', repo.likeTerm(q.q!)), eb('g.item_name', 'ilike', repo.likeTerm(q.q!))]));
  const { rows, total } = await onePage(base, (b) => b.orderBy(sql`r.due_date asc nulls first`).orderBy('r.id', 'asc'), q);
  const cal = await agencyCalendar(ctx.db, a.agencyCode!);
  return { items: rows.map((r) => rectificationSummary(r, ctx.today, cal)), total };
}

/** One 整改 with the applicant's contact (for the call-back): the view is audited. */
export async function getRectification(ctx: Ctx, id: number, audit = true): Promise<RectificationDetail> {
  const a = staffActor(ctx, DESK_ROLES);
  const r = await repo.rectificationRows(ctx.db).where('r.id', '=', id).executeTakeFirst();
  if (!r || r.agency_code !== a.agencyCode) throw new AppError('FEEDBACK_NOT_FOUND');
  const c = r.case_id
    ? await ctx.db.selectFrom('cases').select(['applicant_name', 'applicant_phone']).where('id', '=', r.case_id).executeTakeFirst()
    : undefined;
  let applicant = c ? { name: c.applicant_name, phone: c.applicant_phone } : null;
  if (!applicant) {
    const u = await ctx.db.selectFrom('users').select(['name', 'mobile']).where('id', '=', r.rater_user_id).executeTakeFirst();
    applicant = u ? { name: u.name, phone: u.mobile ?? '' } : null;
  }
  const appeal = (await repo.appealRows(ctx.db).where('ap.rating_id', '=', r.rating_id).executeTakeFirst()) ?? null;
  if (audit) await feedbackAudit(ctx, 'rectification.view', 'rectification', id, r.agency_code);
  return rectificationDetail(a, r, {
    today: ctx.today,
    cal: await agencyCalendar(ctx.db, r.agency_code),
    applicant,
    appeal,
    callbackByName: await repo.userName(ctx.db, r.callback_by === null ? null : Number(r.callback_by)),
    resultByName: await repo.userName(ctx.db, r.result_by === null ? null : Number(r.result_by)),
  });
}

export async function listAppeals(ctx: Ctx, q: { status: string; page: number; pageSize: number }): Promise<{ items: AppealOut[]; total: number }> {
  const a = staffActor(ctx, DESK_ROLES);
  let base = repo.appealRows(ctx.db).where('ap.agency_code', '=', a.agencyCode!);
  if (q.status !== 'all') base = base.where('ap.status', '=', q.status as 'pending');
  const { rows, total } = await onePage(base, (b) => b.orderBy('ap.filed_at', 'asc').orderBy('ap.id', 'asc'), q);
  return { items: rows.map(presentAppeal), total };
}

type ComplaintQ = ComplaintQuery;

export async function listComplaints(ctx: Ctx, q: ComplaintQ): Promise<{ items: ComplaintOut[]; total: number }> {
  const a = staffActor(ctx, DESK_ROLES);
  let base = repo.complaintRows(ctx.db).where('t.agency_code', '=', a.agencyCode!);
  if (q.status === 'active') base = base.where('t.status', 'in', [...OPEN_COMPLAINT]);
  else if (q.status !== 'all') base = base.where('t.status', '=', q.status);
  if (q.subject) base = base.where('t.subject_kind', '=', q.subject);
  if (q.channel) base = base.where('t.channel', '=', q.channel);
  if (q.officeId) base = base.where('t.office_id', '=', q.officeId);
  if (q.overdue === '1') base = base.where('t.status', 'in', [...OPEN_COMPLAINT]).where('t.due_date', '<', ctx.today);
  const { rows, total } = await onePage(base, (b) => b.orderBy(sql`t.due_date asc nulls first`).orderBy('t.id', 'asc'), q);
  const cal = await agencyCalendar(ctx.db, a.agencyCode!);
  return { items: rows.map((t) => presentComplaint(t, ctx.today, cal, a, { list: true })), total };
}

/** A complaint: its complainant sees it under 我的投诉; the agency's desk staff see it (audited). */
export async function getComplaint(ctx: Ctx, id: number, audit = true): Promise<ComplaintOut> {
  const me = ctx.actor;
  if (me.kind !== 'user') throw new AppError('AUTH_REQUIRED');
  const t = await repo.complaintRows(ctx.db).where('t.id', '=', id).executeTakeFirst();
  if (!t) throw new AppError('FEEDBACK_NOT_FOUND');
  const own = t.complainant_user_id !== null && Number(t.complainant_user_id) === me.id;
  const staffHere = me.userKind === 'staff' && me.agencyCode === t.agency_code;
  const desk = staffHere && me.roles.some((r) => DESK_ROLES.includes(r));
  // The staff member who registered a phone complaint may read it back; the desk works it.
  const registrar = staffHere && t.registered_by !== null && Number(t.registered_by) === me.id;
  if (!own && !desk && !registrar) throw new AppError('FEEDBACK_NOT_FOUND');
  if (audit && me.userKind === 'staff') await feedbackAudit(ctx, 'complaint.view', 'complaint', id, t.agency_code);
  return presentComplaint(t, ctx.today, await agencyCalendar(ctx.db, t.agency_code), me);
}

export async function myComplaints(ctx: Ctx): Promise<{ items: ComplaintOut[]; total: number }> {
  const me = ctx.actor;
  if (me.kind !== 'user') throw new AppError('AUTH_REQUIRED');
  const rows = await repo.complaintRows(ctx.db).where('t.complainant_user_id', '=', me.id).orderBy('t.id', 'desc').limit(200).execute();
  const cals = new Map<string, Awaited<ReturnType<typeof agencyCalendar>>>();
  for (const t of rows) if (!cals.has(t.agency_code)) cals.set(t.agency_code, await agencyCalendar(ctx.db, t.agency_code));
  return { items: rows.map((t) => presentComplaint(t, ctx.today, cals.get(t.agency_code) ?? null, me)), total: rows.length };
}

// ---- settings ----

export async function getSettings(ctx: Ctx): Promise<FeedbackSettings> {
  const a = staffActor(ctx);
  const s = await repo.settingsFor(ctx.db, a.agencyCode!);
  return {
    rectifyDays: s.rectifyDays,
    complaintDays: s.complaintDays,
    isDefault: s.isDefault,
    defaults: { rectifyDays: DEFAULT_RECTIFY_DAYS, complaintDays: DEFAULT_COMPLAINT_DAYS },
    updatedAt: iso(s.updatedAt),
  };
}

/** Agency admins set their agency's deadlines; tasks opened before keep theirs. */
export async function putSettings(ctx: Ctx, input: { rectifyDays: number; complaintDays: number }): Promise<FeedbackSettings> {
  const a = staffActor(ctx, ['agency_admin']);
  const before = await repo.settingsFor(ctx.db, a.agencyCode!);
  await ctx.db
    .insertInto('feedback_settings')
    .values({
      agency_code: a.agencyCode!,
      rectify_days: input.rectifyDays,
      complaint_days: input.complaintDays,
      updated_by: a.id,
      updated_at: ctx.now,
    })
    .onConflict((oc) =>
      oc
        .column('agency_code')
        .doUpdateSet({ rectify_days: input.rectifyDays, complaint_days: input.complaintDays, updated_by: a.id, updated_at: ctx.now }),
    )
    .execute();
  await feedbackAudit(ctx, 'feedback.settings', 'agency', a.agencyCode!, a.agencyCode!, {
    before: { rectifyDays: before.rectifyDays, complaintDays: before.complaintDays, isDefault: before.isDefault },
    after: input,
  });
  return getSettings(ctx);
}
