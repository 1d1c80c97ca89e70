/**
 * 投诉: about a case, an office or a person — filed online by the citizen (optionally linked to
 * one of their cases) or registered by staff from a call to the complaint phones the guides list.
 * Each runs 已登记 → 处理中 → 已答复 against a working-day deadline (per agency, default stated
 * in common/feedback.ts), and the answer reaches the complainant in-app and by SMS.
 */
import { AppError } from '../../../common/errors.ts';
import type { ComplaintIn, ComplaintPhones, StaffComplaintIn } from '../../../common/api-feedback.ts';
import type { AgencyCatalog } from '../../../common/catalog.ts';
import { COMPLAINT_SUBJECT_LABELS, OPEN_COMPLAINT, type ComplaintSubject } from '../../../common/feedback.ts';
import { isMobile } from '../../../common/ids.ts';
import type { Ctx, UserActor } from '../../http/actor.ts';
import { currentVersionRow, officeRows } from '../catalog/index.ts';
import { loadVisible, nextCaseNo } from '../cases/index.ts';
import { DESK_ROLES, feedbackAudit, planDeadline, staffActor, tellPerson, tellSupervisors } from './common.ts';
import * as repo from './repository.ts';

interface Target {
  caseId: number | null;
  officeId: number | null;
  staffId: number | null;
  personName: string | null;
  itemCode: string | null;
}

async function checkOffice(ctx: Ctx, agency: string, officeId: number | undefined): Promise<number | null> {
  if (officeId === undefined) return null;
  const o = await ctx.db.selectFrom('offices').select('id').where('id', '=', officeId).where('agency_code', '=', agency).executeTakeFirst();
  if (!o)
    throw new AppError('VALIDATION_FAILED', '请选择本机构的服务大厅或窗口。', [{ field: 'officeId', message: '请选择本机构的服务大厅或窗口。' }]);
  return Number(o.id);
}

function requireFor(kind: ComplaintSubject, t: Target): void {
  const miss = (field: string, message: string) => {
    throw new AppError('VALIDATION_FAILED', message, [{ field, message }]);
  };
  if (kind === 'case' && t.caseId === null) miss('caseId', '投诉办件时请选择（或填写）办件。');
  if (kind === 'office' && t.officeId === null) miss('officeId', '投诉服务大厅或窗口时请选择大厅。');
  if (kind === 'person' && !t.personName && t.staffId === null) miss('personName', '投诉工作人员时请填写其姓名或工号（不清楚可写窗口号和时间）。');
}

async function insertComplaint(
  ctx: Ctx,
  agency: string,
  v: Target & {
    subjectKind: ComplaintSubject;
    channel: 'online' | 'phone';
    phoneLine: string | null;
    complainantUserId: number | null;
    complainantName: string;
    complainantPhone: string | null;
    content: string;
    registeredBy: number | null;
  },
): Promise<number> {
  const settings = await repo.settingsFor(ctx.db, agency);
  const plan = await planDeadline(ctx.db, agency, ctx.today, settings.complaintDays);
  const no = await nextCaseNo(ctx.db, `TS-${agency.toUpperCase()}`, ctx.today);
  const row = await ctx.db
    .insertInto('complaints')
    .values({
      complaint_no: no,
      agency_code: agency,
      subject_kind: v.subjectKind,
      case_id: v.caseId,
      office_id: v.officeId,
      staff_id: v.staffId,
      person_name: v.personName,
      item_code: v.itemCode,
      channel: v.channel,
      phone_line: v.phoneLine,
      complainant_user_id: v.complainantUserId,
      complainant_name: v.complainantName,
      complainant_phone: v.complainantPhone,
      content: v.content,
      status: 'registered',
      days: settings.complaintDays,
      registered_at: ctx.now,
      registered_on: ctx.today,
      registered_by: v.registeredBy,
      due_date: plan.due,
      warn_date: plan.warn,
      calendar_problem: plan.problem,
      updated_at: ctx.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const id = Number(row.id);
  await feedbackAudit(ctx, v.channel === 'phone' ? 'complaint.register' : 'complaint.create', 'complaint', id, agency, {
    no,
    subject: v.subjectKind,
    caseId: v.caseId,
    officeId: v.officeId,
    staffId: v.staffId,
    channel: v.channel,
    days: settings.complaintDays,
    defaultDays: settings.isDefault,
    due: plan.due,
    problem: plan.problem,
  });
  const when = plan.due ? `，我们将于 ${plan.due} 前答复您` : '';
  await tellPerson(
    ctx.db,
    agency,
    { userId: v.complainantUserId, phone: v.complainantPhone },
    { subject: `投诉已登记 ${no}`, body: `您的投诉已登记，编号 ${no}${when}。`, caseId: v.caseId },
  );
  await tellSupervisors(ctx.db, agency, {
    subject: `【新投诉】${no}`,
    body: `收到${v.channel === 'phone' ? '电话' : '网上'}投诉 ${no}（${COMPLAINT_SUBJECT_LABELS[v.subjectKind]}），请于 ${plan.due ?? '（期限待定）'} 前答复。`,
    caseId: v.caseId,
  });
  return id;
}

/** A citizen complains online, optionally about one of their own cases. */
export async function createComplaint(ctx: Ctx, input: ComplaintIn & { content: string }): Promise<number> {
  const me = ctx.actor;
  if (me.kind !== 'user') throw new AppError('AUTH_REQUIRED');
  if (me.userKind === 'staff') throw new AppError('FORBIDDEN', '工作人员请在工作台“登记电话投诉”。');
  const agency = await ctx.db.selectFrom('agencies').select('code').where('code', '=', input.agencyCode).executeTakeFirst();
  if (!agency) throw new AppError('AGENCY_NOT_FOUND');
  const t: Target = { caseId: null, officeId: null, staffId: null, personName: input.personName?.trim() || null, itemCode: null };
  if (input.caseId !== undefined) {
    const c = await loadVisible(ctx, input.caseId);
    if (c.agency_code !== input.agencyCode)
      throw new AppError('VALIDATION_FAILED', '所选办件不属于该经办机构。', [{ field: 'caseId', message: '所选办件不属于该经办机构。' }]);
    t.caseId = Number(c.id);
    t.itemCode = c.item_code;
    if (c.office_id !== null) t.officeId = Number(c.office_id);
  }
  if (input.officeId !== undefined) t.officeId = await checkOffice(ctx, input.agencyCode, input.officeId);
  requireFor(input.subjectKind, t);
  const phone = input.phone?.trim() || me.mobile;
  if (phone && !/^[0-9-]{5,20}$/.test(phone))
    throw new AppError('VALIDATION_FAILED', '联系电话格式不正确。', [{ field: 'phone', message: '请填写手机号或固定电话（数字，可含“-”）。' }]);
  return insertComplaint(ctx, input.agencyCode, {
    ...t,
    subjectKind: input.subjectKind,
    channel: 'online',
    phoneLine: null,
    complainantUserId: me.id,
    complainantName: me.name,
    complainantPhone: phone ?? null,
    content: input.content,
    registeredBy: null,
  });
}

/** Staff register a complaint taken on one of the complaint phones. */
export async function registerPhoneComplaint(ctx: Ctx, input: StaffComplaintIn & { staffId?: number }): Promise<number> {
  const a = staffActor(ctx);
  const agency = a.agencyCode!;
  const t: Target = { caseId: null, officeId: null, staffId: null, personName: input.personName?.trim() || null, itemCode: null };
  if (input.caseNo?.trim()) {
    const c = await ctx.db
      .selectFrom('cases')
      .select(['id', 'item_code', 'office_id'])
      .where('case_no', '=', input.caseNo.trim().toUpperCase())
      .where('agency_code', '=', agency)
      .executeTakeFirst();
    if (!c) throw new AppError('VALIDATION_FAILED', '本机构没有这个办件编号。', [{ field: 'caseNo', message: '本机构没有这个办件编号，请核对。' }]);
    t.caseId = Number(c.id);
    t.itemCode = c.item_code;
    if (c.office_id !== null) t.officeId = Number(c.office_id);
  }
  if (input.officeId !== undefined) t.officeId = await checkOffice(ctx, agency, input.officeId);
  if (input.staffId !== undefined) {
    const u = await ctx.db
      .selectFrom('users')
      .select(['id', 'name'])
      .where('id', '=', input.staffId)
      .where('kind', '=', 'staff')
      .where('agency_code', '=', agency)
      .executeTakeFirst();
    if (!u) throw new AppError('VALIDATION_FAILED', '请选择本机构的工作人员。', [{ field: 'staffId', message: '请选择本机构的工作人员。' }]);
    t.staffId = Number(u.id);
  }
  requireFor(input.subjectKind, t);
  // The caller may have an account: then the answer also shows under 我的投诉.
  const phone = input.complainantPhone.trim();
  const acct = isMobile(phone)
    ? await ctx.db.selectFrom('users').select('id').where('mobile', '=', phone).where('kind', '!=', 'staff').executeTakeFirst()
    : undefined;
  return insertComplaint(ctx, agency, {
    ...t,
    subjectKind: input.subjectKind,
    channel: 'phone',
    phoneLine: input.phoneLine?.trim() || null,
    complainantUserId: acct ? Number(acct.id) : null,
    complainantName: input.complainantName,
    complainantPhone: phone,
    content: input.content,
    registeredBy: a.id,
  });
}

async function complaintForUpdate(ctx: Ctx, id: number): Promise<{ a: UserActor; t: { id: number; agency_code: string; status: string } }> {
  const a = staffActor(ctx, DESK_ROLES);
  const t = await ctx.db.selectFrom('complaints').select(['id', 'agency_code', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
  if (!t || t.agency_code !== a.agencyCode) throw new AppError('FEEDBACK_NOT_FOUND');
  return { a, t: { ...t, id: Number(t.id) } };
}

/** A supervisor takes the complaint: 已登记 → 处理中. */
export async function takeComplaint(ctx: Ctx, id: number): Promise<void> {
  const { a, t } = await complaintForUpdate(ctx, id);
  if (t.status !== 'registered') throw new AppError('FEEDBACK_STATE_INVALID', '该投诉已在处理或已答复。');
  await ctx.db
    .updateTable('complaints')
    .set({ status: 'processing', handler_id: a.id, processing_at: ctx.now, updated_at: ctx.now })
    .where('id', '=', id)
    .execute();
  await feedbackAudit(ctx, 'complaint.take', 'complaint', id, t.agency_code, { handler: a.id });
}

/** Answer the complainant (in-app and SMS): → 已答复. */
export async function answerComplaint(ctx: Ctx, id: number, answer: string): Promise<void> {
  const { a, t } = await complaintForUpdate(ctx, id);
  if (!(OPEN_COMPLAINT as readonly string[]).includes(t.status)) throw new AppError('FEEDBACK_STATE_INVALID', '该投诉已答复。');
  const row = await ctx.db
    .updateTable('complaints')
    .set((eb) => ({
      status: 'answered',
      answer,
      answered_by: a.id,
      answered_at: ctx.now,
      answered_on: ctx.today,
      handler_id: eb.fn.coalesce('handler_id', eb.val(a.id)),
      processing_at: eb.fn.coalesce('processing_at', eb.val(ctx.now)),
      updated_at: ctx.now,
    }))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await feedbackAudit(ctx, 'complaint.answer', 'complaint', id, t.agency_code, {
    answer,
    due: row.due_date,
    onTime: !row.due_date || ctx.today <= row.due_date,
  });
  await tellPerson(
    ctx.db,
    t.agency_code,
    { userId: row.complainant_user_id === null ? null : Number(row.complainant_user_id), phone: row.complainant_phone },
    {
      subject: `投诉 ${row.complaint_no} 已答复`,
      body: `您的投诉 ${row.complaint_no} 已答复：${answer.slice(0, 100)}${answer.length > 100 ? '…' : ''}`,
      caseId: row.case_id === null ? null : Number(row.case_id),
    },
  );
}

/**
 * The complaint phones to show: the item's own (when the complaint is about a case or an item),
 * else every complaint phone the agency's guide prints (with the items it is printed for), plus
 * the halls' phones. Dalian's and Daye's guides list none; their halls' numbers are shown instead.
 */
export async function complaintPhones(ctx: Ctx, agency: string, itemCode?: string): Promise<ComplaintPhones> {
  const a = await ctx.db.selectFrom('agencies').select(['code', 'name']).where('code', '=', agency).executeTakeFirst();
  if (!a) throw new AppError('AGENCY_NOT_FOUND');
  const v = await currentVersionRow(ctx.db, agency, ctx.today);
  if (!v) throw new AppError('NO_PUBLISHED_VERSION');
  const cat = v.doc as unknown as AgencyCatalog;
  const item = itemCode ? cat.items.find((i) => i.code === itemCode.toUpperCase()) : undefined;
  let complaint: { phone: string; items: string[] }[] = [];
  let source = '';
  if (item?.complaintPhones.length) {
    complaint = item.complaintPhones.map((phone) => ({ phone, items: [item.name] }));
    source = `“${item.name}”办事指南所列投诉电话`;
  } else {
    const byPhone = new Map<string, string[]>();
    for (const p of cat.agency.complaintPhones) byPhone.set(p, []);
    for (const i of cat.items) for (const p of i.complaintPhones) byPhone.set(p, [...(byPhone.get(p) ?? []), i.name]);
    complaint = [...byPhone].map(([phone, items]) => ({ phone, items }));
  }
  const consult = item?.consultPhones.length ? item.consultPhones : cat.agency.consultPhones;
  const offices = (await officeRows(ctx.db, agency))
    .map((o) => ({ id: Number(o.id), name: o.name, phones: ((o.doc as { phones?: string[] }).phones ?? []).slice(0, 4) }))
    .filter((o) => o.phones.length > 0);
  if (!source) {
    const instead = [offices.length ? '服务大厅电话' : '', consult.length ? '咨询电话' : ''].filter(Boolean).join('或');
    source = complaint.length
      ? `${a.name}办事指南所列投诉电话`
      : `${a.name}的办事指南未列投诉电话，${instead ? `可拨打下列${instead}，` : ''}也可以在网上投诉`;
  }
  return { agencyCode: a.code, agencyName: a.name, complaint, source, consult, offices };
}
