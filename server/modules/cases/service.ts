/**
 * Case use cases. Every function takes ctx first; ctx.db is the transaction opened by the route
 * or job (DESIGN.md convention 7), so the change, its timeline, clock events, audit entry,
 * notice and outbox messages commit together or not at all.
 */
import { AppError } from '../../../common/errors.ts';
import type { BillLine } from '../../../common/benefits.ts';
import { resolveForm, validateAnswers, missingMaterials, sniffMime, UPLOAD_LIMITS, type ResolvedForm } from '../../../common/forms.ts';
import { citizenIdProblem, isMobile } from '../../../common/ids.ts';
import {
  CORRECTION_WINDOW_DAYS,
  GUARD_MESSAGES,
  GUARDS,
  STATE_LABELS,
  allowedActions,
  findTransition,
  whyNot,
  type CaseState,
  type GuardFacts,
  type Transition,
} from '../../../common/workflow.ts';
import { CHANNEL_LABELS, type ActionIn, type CaseChannel } from '../../../common/api-cases.ts';
import { createStorage } from '../../platform/storage.ts';
import { chargeUpload } from '../../platform/rate-limit.ts';
import type { Clock } from '../../platform/clock.ts';
import { unitClerkOf } from '../../http/access.ts';
import { queueMessages, type QueuedMessage } from '../../platform/outbox.ts';
import { audit, canonicalJson } from '../audit/index.ts';
import type { AuditAction } from '../../../common/audit.ts';
import { loadCalendar } from '../calendar/index.ts';
import { actorId, actorLabel, memoized, type Ctx, type UserActor } from '../../http/actor.ts';
import { chinaDate } from '../../platform/clock.ts';
import { assertVisible, isPersonal, mayEnterBill, rolesOn } from './policy.ts';
import * as repo from './repository.ts';
import type { CaseRow } from './repository.ts';
import { currentItem, itemOfVersion, type CaseItem } from './items.ts';
import { planClock, resumeClock, slaLimit, toleranceDue } from './sla.ts';
import { issueNotice } from './notices.ts';
import { caseDuties } from './duties.ts';
import { DUTY_MESSAGES, dutyConflict } from '../../../common/duties.ts';
import { evaluateFor, type Evaluation } from '../rules/index.ts';
import { afterHooksFor, effectHooksFor, hookFacts, runIntake, type CaseEnv } from './hooks.ts';
import { isUniqueViolation } from '../../db/sql-state.ts';

export type { CaseEnv };

export function createCaseEnv(
  config: {
    FILES_DIR: string;
    DATA_KEYS?: string;
    SECRETS_DIR: string;
    PUBLIC_URL: string;
    fonts: { regular?: string; bold?: string };
    UPLOAD_DAILY_BYTES: number;
  },
  clock?: Clock,
): CaseEnv {
  return {
    storage: createStorage(config, clock),
    fonts: config.fonts,
    publicUrl: config.PUBLIC_URL,
    uploadBytesPerDay: config.UPLOAD_DAILY_BYTES,
  };
}

const j = (v: unknown) => JSON.stringify(v);

/** An audited step of a case, by the context's actor. */
function auditCase(ctx: Ctx, action: AuditAction, c: Pick<CaseRow, 'id' | 'agency_code'>, data?: unknown) {
  return audit(ctx, action, { kind: 'case', id: c.id, agency: c.agency_code }, data);
}

export async function loadVisible(ctx: Ctx, id: number, forUpdate = false): Promise<CaseRow> {
  const row = forUpdate ? await repo.caseByIdForUpdate(ctx.db, id) : await repo.caseById(ctx.db, id);
  return assertVisible(ctx.actor, row);
}

function formOf(ci: CaseItem, answers: Record<string, string>): ResolvedForm {
  return resolveForm(ci.item, answers);
}

/** The columns every new case takes from its item version: it starts as a draft, pinned to that version. */
function draftColumns(ci: CaseItem, now: Date) {
  return {
    agency_code: ci.agencyCode,
    item_id: ci.itemId,
    item_version_id: ci.itemVersionId,
    item_code: ci.code,
    item_name: ci.name,
    status: 'draft',
    prev_status: null,
    created_at: now,
    updated_at: now,
  };
}

/** Start an application (a draft) for an item of the catalogue version in force today. */
/** A parallel request with the same Idempotency-Key inserted its case first (cases_owner_idem). */
export function isIdempotencyRace(e: unknown): boolean {
  return isUniqueViolation(e, 'cases_owner_idem');
}

export async function createDraft(
  ctx: Ctx,
  input: {
    agencyCode: string;
    itemCode: string;
    channel: 'online' | 'mobile';
    answers: Record<string, string>;
    authorisationId?: number;
    idempotencyKey?: string;
  },
): Promise<{ row: CaseRow; created: boolean }> {
  if (ctx.actor.kind !== 'user' || ctx.actor.userKind === 'staff') throw new AppError('FORBIDDEN');
  const me = ctx.actor;
  if (me.userKind === 'unit') unitClerkOf(me); // a unit account applies for its unit only once approved
  if (input.idempotencyKey) {
    const prior = await ctx.db
      .selectFrom('cases')
      .selectAll()
      .where('owner_user_id', '=', me.id)
      .where('idempotency_key', '=', input.idempotencyKey)
      .executeTakeFirst();
    if (prior) {
      if (prior.agency_code !== input.agencyCode || prior.item_code !== input.itemCode.toUpperCase()) throw new AppError('IDEMPOTENCY_CONFLICT');
      return { row: prior, created: false };
    }
  }
  const ci = await currentItem(ctx.db, input.agencyCode, input.itemCode, ctx.today);
  await runIntake(ctx, { agencyCode: ci.agencyCode, itemCode: ci.code, channel: input.channel }); // e.g. 应急期间暂缓办理
  let applicant = { name: me.name, idNo: me.idNo ?? '', phone: me.mobile ?? '' };
  if (input.authorisationId) {
    const auth = await validAuthorisation(ctx, input.authorisationId, me.id);
    applicant = { name: auth.principal_name, idNo: auth.principal_id_no, phone: auth.principal_phone ?? me.mobile ?? '' };
  }
  assertOwnApplicant(me, applicant.idNo, input.answers);
  const answers = { applicantName: applicant.name, applicantIdNo: applicant.idNo, applicantPhone: applicant.phone, ...input.answers };
  const row = await ctx.db
    .insertInto('cases')
    .values({
      ...draftColumns(ci, ctx.now),
      channel: input.channel,
      owner_user_id: me.id,
      authorisation_id: input.authorisationId ?? null,
      unit_id: me.userKind === 'unit' ? me.unitId : null,
      registered_by: null,
      applicant_name: answers.applicantName ?? '',
      applicant_id_no: (answers.applicantIdNo ?? '').toUpperCase(),
      applicant_phone: answers.applicantPhone ?? '',
      applicant_email: null,
      answers: j(answers),
      office_id: null,
      assignee_id: null,
      idempotency_key: input.idempotencyKey ?? null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await repo.insertEvent(ctx.db, {
    caseId: row.id,
    at: ctx.now,
    action: 'create',
    from: null,
    to: 'draft',
    actorId: me.id,
    actorLabel: actorLabel(me),
  });
  return { row, created: true };
}

/** Autosave: answers of a draft (or of a case waiting for 补正). Bumps lock_version. */
export async function saveDraft(ctx: Ctx, id: number, answers: Record<string, string>, lockVersion?: number): Promise<CaseRow> {
  const c = await loadVisible(ctx, id, true);
  if (!rolesOn(ctx.actor, c).includes('applicant')) throw new AppError('FORBIDDEN');
  if (c.status !== 'draft' && c.status !== 'correction') throw new AppError('TRANSITION_NOT_ALLOWED', '只有草稿或待补正的办件可以修改申请表。');
  if (lockVersion !== undefined && lockVersion !== c.lock_version) throw new AppError('STALE_CASE');
  if (ctx.actor.kind === 'user') assertOwnApplicant(ctx.actor, c.applicant_id_no, answers);
  const merged = { ...(c.answers as Record<string, string>), ...answers };
  return ctx.db
    .updateTable('cases')
    .set({
      answers: j(merged),
      applicant_name: merged.applicantName ?? c.applicant_name,
      applicant_id_no: (merged.applicantIdNo ?? c.applicant_id_no).toUpperCase(),
      applicant_phone: merged.applicantPhone ?? c.applicant_phone,
      lock_version: c.lock_version + 1,
      updated_at: ctx.now,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

const UPLOAD_STATES: Record<string, string> = { draft: 'initial', correction: 'correction', tolerance_accepted: 'tolerance', submitted: 'intake' };

/** Attach an uploaded file to one of the item's materials. Type is decided by content; limits are per file and per case. */
export async function addMaterial(ctx: Ctx, env: CaseEnv, id: number, input: { materialIndex: number; fileName: string; bytes: Buffer }) {
  const c = await loadVisible(ctx, id, true);
  const roles = rolesOn(ctx.actor, c);
  const phase = UPLOAD_STATES[c.status];
  const staffIntake = c.status === 'submitted' && roles.some((r) => r === 'acceptor' || r === 'agency_admin') && c.registered_by !== null;
  if (!phase || (c.status === 'submitted' && !staffIntake) || (!roles.includes('applicant') && !staffIntake))
    throw new AppError('TRANSITION_NOT_ALLOWED', '办件当前状态下不能上传材料。');
  const ci = await itemOfVersion(ctx.db, c.item_version_id);
  const m = ci.item.materials[input.materialIndex];
  if (!m) throw new AppError('VALIDATION_FAILED', `本事项没有第 ${input.materialIndex + 1} 项材料。`);
  if (input.bytes.length === 0) throw new AppError('VALIDATION_FAILED', '文件是空的，请重新选择。');
  if (input.bytes.length > UPLOAD_LIMITS.maxFileBytes) throw new AppError('FILE_TOO_LARGE');
  const mime = sniffMime(input.bytes.subarray(0, 16));
  if (!mime) throw new AppError('FILE_TYPE_NOT_ALLOWED');
  const existing = await repo.activeMaterials(ctx.db, id);
  const total = existing.reduce((s, x) => s + Number(x.size), 0);
  // Under the case's row lock (loadVisible above), so parallel uploads to one case see each other.
  if (existing.length + 1 > UPLOAD_LIMITS.maxFilesPerCase || total + input.bytes.length > UPLOAD_LIMITS.maxCaseBytes)
    throw new AppError('CASE_FILES_LIMIT', undefined, {
      limit: { files: UPLOAD_LIMITS.maxFilesPerCase, bytes: UPLOAD_LIMITS.maxCaseBytes },
      used: { files: existing.length, bytes: total },
    });
  if (ctx.actor.kind === 'user' && ctx.actor.userKind !== 'staff')
    await chargeUpload(ctx.db, ctx.actor.id, input.bytes.length, env.uploadBytesPerDay, ctx.now);
  const sha = await env.storage.put(input.bytes);
  await ctx.db
    .insertInto('files')
    .values({ sha256: sha, size: input.bytes.length, mime })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  const name = input.fileName.replace(/[\\/\0]/g, '_').slice(-120) || 'file';
  const row = await ctx.db
    .insertInto('case_materials')
    .values({
      case_id: id,
      material_index: input.materialIndex,
      material_name: m.name,
      file_sha: sha,
      file_name: name,
      mime,
      size: input.bytes.length,
      phase: staffIntake ? 'intake' : phase,
      uploaded_by: actorId(ctx.actor),
      uploaded_at: ctx.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await ctx.db
    .updateTable('cases')
    .set({ updated_at: ctx.now, lock_version: c.lock_version + 1 })
    .where('id', '=', id)
    .execute();
  if (c.status !== 'draft') {
    await repo.insertEvent(ctx.db, {
      caseId: id,
      at: ctx.now,
      action: 'upload',
      from: c.status,
      to: c.status,
      actorId: actorId(ctx.actor),
      actorLabel: actorLabel(ctx.actor),
      note: `上传材料：${m.name}（${name}）`,
    });
  }
  return row;
}

export async function removeMaterial(ctx: Ctx, id: number, materialId: number): Promise<void> {
  const c = await loadVisible(ctx, id, true);
  if (!rolesOn(ctx.actor, c).includes('applicant') || !['draft', 'correction', 'tolerance_accepted'].includes(c.status))
    throw new AppError('TRANSITION_NOT_ALLOWED', '办件当前状态下不能删除材料。');
  const m = await ctx.db
    .selectFrom('case_materials')
    .selectAll()
    .where('id', '=', materialId)
    .where('case_id', '=', id)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  if (!m) throw new AppError('FILE_NOT_FOUND');
  if (m.phase === 'initial' && c.status !== 'draft') throw new AppError('TRANSITION_NOT_ALLOWED', '已提交的材料不能删除。');
  await ctx.db.updateTable('case_materials').set({ removed_at: ctx.now }).where('id', '=', materialId).execute();
}

/** An agent's authorisation still in force (not revoked, not expired), or AUTHORISATION_INVALID. */
async function validAuthorisation(ctx: Ctx, id: number, agentUserId: number) {
  const auth = await ctx.db.selectFrom('authorisations').selectAll().where('id', '=', id).where('agent_user_id', '=', agentUserId).executeTakeFirst();
  if (!auth || auth.revoked_at || auth.valid_until < ctx.today) throw new AppError('AUTHORISATION_INVALID');
  if (!auth.confirmed_at) throw new AppError('AUTHORISATION_UNCONFIRMED');
  return auth;
}

/**
 * A personal account applies for itself or for the principal of its authorisation, never for
 * someone its answers name: an `applicantIdNo` other than `expected` is refused, not ignored.
 */
function assertOwnApplicant(me: UserActor, expected: string, answers: Record<string, string>): void {
  if (!isPersonal(me)) return;
  const named = answers.applicantIdNo?.trim().toUpperCase();
  if (named !== undefined && named !== expected.toUpperCase())
    throw new AppError('APPLICANT_MISMATCH', undefined, [{ field: 'applicantIdNo', message: '公民身份号码须与本人（或被代办人）一致。' }]);
}

/**
 * Whether the reader may see the registry facts, evaluation and benefit of this case: staff of its
 * agency and its unit may; a personal account only when verified and the case is its own person's,
 * or its principal's under an authorisation the principal confirmed.
 */
export async function factsVisible(ctx: Ctx, c: CaseRow): Promise<boolean> {
  const a = ctx.actor;
  if (!isPersonal(a)) return true;
  if (!a.idVerified) return false;
  if (c.authorisation_id === null) return c.applicant_id_no === a.idNo;
  const auth = await ctx.db
    .selectFrom('authorisations')
    .select(['principal_id_no', 'confirmed_at'])
    .where('id', '=', Number(c.authorisation_id))
    .where('agent_user_id', '=', a.id)
    .executeTakeFirst();
  return auth !== undefined && auth.confirmed_at !== null && auth.principal_id_no === c.applicant_id_no;
}

/** A personal account (citizen, agent) must have its ID number verified before registry facts or submitting. */
function assertVerified(me: UserActor): void {
  if (isPersonal(me) && !me.idVerified) throw new AppError('IDENTITY_UNVERIFIED');
}

/** One uploaded material of a case its reader may see; a staff member's download is recorded. */
export async function materialFile(ctx: Ctx, caseId: number, materialId: number) {
  const c = await loadVisible(ctx, caseId);
  const m = await ctx.db.selectFrom('case_materials').selectAll().where('id', '=', materialId).where('case_id', '=', caseId).executeTakeFirst();
  if (!m) throw new AppError('FILE_NOT_FOUND');
  if (ctx.actor.kind === 'user' && ctx.actor.userKind === 'staff') await auditCase(ctx, 'case.material_download', c, { material: Number(m.id) });
  return m;
}

/** A reviewer enters (or replaces) the itemised bill of a case under review (手工报销). */
export async function enterBill(ctx: Ctx, staff: UserActor, id: number, lines: BillLine[]): Promise<void> {
  const c = await loadVisible(ctx, id, true);
  if (!mayEnterBill(ctx.actor, c.status)) throw new AppError('TRANSITION_NOT_ALLOWED', '只有审核中的办件可以录入费用明细。');
  const by = staff.id;
  const json = JSON.stringify(lines);
  await ctx.db
    .insertInto('case_bills')
    .values({ case_id: c.id, lines: json, entered_by: by, entered_at: ctx.now })
    .onConflict((oc) => oc.column('case_id').doUpdateSet({ lines: json, entered_by: by, entered_at: ctx.now }))
    .execute();
  await auditCase(ctx, 'case.bill', c, { lines: lines.length, total: lines.reduce((s, l) => s + l.amount, 0) });
}

/** 办理前自检: the item's conditions and 禁办 checked against the registry, for the applicant or a principal. */
export async function precheck(
  ctx: Ctx,
  me: UserActor,
  agency: string,
  item: string,
  input: { answers: Record<string, string>; authorisationId?: number },
) {
  // Registry facts only for the verified person, or for the principal of a confirmed authorisation.
  if (!me.idVerified) throw new AppError('IDENTITY_UNVERIFIED');
  const ci = await currentItem(ctx.db, agency, item, ctx.today);
  const idNo = input.authorisationId ? (await validAuthorisation(ctx, input.authorisationId, me.id)).principal_id_no : (me.idNo ?? '');
  const ev = await evaluateFor(ctx.db, { agency: ci.agencyCode, itemCode: ci.code, idNo, answers: input.answers, asOf: ctx.today });
  return presentEvaluation(ev);
}

async function materialIndices(ctx: Ctx, id: number): Promise<Set<number>> {
  return new Set((await repo.activeMaterials(ctx.db, id)).map((m) => m.material_index));
}

/**
 * Guard facts for this case now; `input` carries the acceptor's 禁办 findings when acting, `known`
 * the active materials' indices when the caller has just read them.
 */
export async function guardFacts(
  ctx: Ctx,
  c: CaseRow,
  ci: CaseItem,
  input?: ActionIn,
  known?: Set<number>,
): Promise<{ facts: GuardFacts; missing: ReturnType<typeof missingMaterials>; evaluation: Evaluation }> {
  const answers = c.answers as Record<string, string>;
  const form = formOf(ci, answers);
  const have = known ?? (await materialIndices(ctx, c.id));
  const missing = missingMaterials(form, have);
  let badCredit = false;
  if (c.owner_user_id !== null) {
    // The platform never changes an account's credit flag while a request runs: once per request.
    const owner = Number(c.owner_user_id);
    const u = await memoized(ctx, `bad_credit|${owner}`, () =>
      ctx.db.selectFrom('users').select('bad_credit').where('id', '=', owner).executeTakeFirst(),
    );
    badCredit = Boolean(u?.bad_credit);
  }
  const found = input?.facts?.found ?? [];
  const evIn = { agency: c.agency_code, itemCode: c.item_code, idNo: c.applicant_id_no, answers, asOf: ctx.today };
  const ev = await memoized(ctx, `evaluation|${canonicalJson(evIn)}`, () => evaluateFor(ctx.db, evIn));
  const tol = (c.tolerance_materials as { index: number }[] | null) ?? [];
  const facts: GuardFacts = Object.fromEntries(GUARDS.map((g) => [g, false])) as GuardFacts;
  facts.materials_complete = missing.length === 0;
  facts.missing_only_tolerable = missing.length > 0 && missing.every((m) => m.tolerable);
  facts.no_bad_credit = !badCredit && ev.toleranceAllowed;
  // 禁办: what the acceptor found, plus the machine-checkable situations the rules found. Without
  // findings (listing actions) both doors are shown when the item has 禁办 situations.
  facts.no_prohibition = input ? found.length === 0 && !ev.prohibited : !ev.prohibited;
  facts.prohibition_found = input ? found.length > 0 || ev.prohibited : ci.prohibitions.length > 0 || ev.prohibited;
  facts.eligible = ev.eligible;
  facts.has_recheck = form.recheck;
  facts.no_recheck = !form.recheck;
  facts.was_accepted = c.accepted_at !== null;
  facts.not_yet_accepted = c.accepted_at === null;
  facts.tolerance_supplied = tol.every((t) => have.has(t.index));
  facts.tolerance_overdue = c.tolerance_due !== null && c.tolerance_due < ctx.today;
  Object.assign(facts, await hookFacts(ctx, c));
  if (c.status === 'submitted' && ctx.actor.kind === 'system') {
    const arrived = await arrivalDay(ctx, c);
    const cal = await loadCalendar(ctx.db, ci.regionCode);
    facts.correction_window_passed = cal.addWorkingDays(arrived, CORRECTION_WINDOW_DAYS) < ctx.today;
  }
  return { facts, missing, evaluation: ev };
}

/** The day the (last complete set of) materials arrived: submission, the staff's 收件日期, or the last 补正. */
export async function arrivalDay(ctx: Ctx, c: CaseRow): Promise<string> {
  const last = await ctx.db
    .selectFrom('case_events')
    .select((eb) => eb.fn.max('at').as('at'))
    .where('case_id', '=', c.id)
    .where('action', '=', 'resubmit')
    .executeTakeFirst();
  const times = [c.submitted_at, last?.at ?? null].filter((x): x is Date => x !== null).map((x) => new Date(x).getTime());
  return chinaDate(new Date(Math.max(...times, 0) || ctx.now.getTime()));
}

/** `have`: the indices of the case's active materials when the caller has just read them. */
export async function permittedActions(
  ctx: Ctx,
  c: CaseRow,
  ci: CaseItem,
  have?: Set<number>,
): Promise<{ actions: Transition[]; evaluation: Evaluation | null }> {
  const roles = rolesOn(ctx.actor, c);
  if (roles.length === 0) return { actions: [], evaluation: null };
  const [{ facts, evaluation }, duties] = await Promise.all([guardFacts(ctx, c, ci, undefined, have), caseDuties(ctx, c)]);
  const me = actorId(ctx.actor);
  const actions = allowedActions(c.status as CaseState, roles, facts).filter((t) => !dutyConflict(t.action, me, duties));
  return { actions, evaluation };
}

/** The API shape of an evaluation (facts reduced to label and display). */
export function presentEvaluation(e: Evaluation) {
  return {
    asOf: e.asOf,
    known: e.known,
    eligible: e.eligible,
    prohibited: e.prohibited,
    toleranceAllowed: e.toleranceAllowed,
    results: e.results.map((r) => ({
      code: r.code,
      kind: r.kind,
      applies: r.applies,
      passed: r.passed,
      reason: r.reason,
      source: r.source,
      facts: r.facts.map((f) => ({ label: f.label, display: f.display })),
    })),
  };
}

/** In-app to the applicant's account, SMS to a mobile number and e-mail when given, through the outbox. */
export async function notifyApplicant(ctx: Ctx, c: CaseRow, subject: string, body: string): Promise<void> {
  const base = { subject, body, agencyCode: c.agency_code, caseId: c.id };
  const ms: QueuedMessage[] = [];
  if (c.owner_user_id !== null) ms.push({ ...base, channel: 'inapp', recipient: String(c.owner_user_id), userId: Number(c.owner_user_id) });
  if (isMobile(c.applicant_phone)) ms.push({ ...base, channel: 'sms', recipient: c.applicant_phone, body: `【医保经办】${body}` });
  if (c.applicant_email) ms.push({ ...base, channel: 'email', recipient: c.applicant_email });
  await queueMessages(ctx.db, ms);
}

/**
 * Submit a draft: validate the form and materials, number the case and put it in the queue.
 * Idempotent. Answers the case row as locked or written in this transaction, and whether this call
 * submitted it (`fresh`) or it had been submitted before.
 */
export async function submit(ctx: Ctx, env: CaseEnv, id: number): Promise<{ row: CaseRow; fresh: boolean }> {
  const c = await loadVisible(ctx, id, true);
  if (!rolesOn(ctx.actor, c).includes('applicant')) throw new AppError('FORBIDDEN');
  if (c.status !== 'draft') return { row: c, fresh: false }; // already submitted: the same answer again
  if (ctx.actor.kind === 'user') {
    assertVerified(ctx.actor);
    if (c.authorisation_id !== null && ctx.actor.userKind !== 'staff') await validAuthorisation(ctx, Number(c.authorisation_id), ctx.actor.id);
  }
  await runIntake(ctx, { agencyCode: c.agency_code, itemCode: c.item_code, channel: c.channel as CaseChannel }); // e.g. 应急期间暂缓办理
  const ci = await itemOfVersion(ctx.db, c.item_version_id);
  const answers = c.answers as Record<string, string>;
  const errors = validateAnswers(ci.item, answers, ctx.today);
  if (errors.length) throw new AppError('FORM_INVALID', `申请表有 ${errors.length} 处需要修改：${errors.map((e) => e.message).join('')}`, errors);
  const { missing } = await guardFacts(ctx, c, ci);
  const blocking = missing.filter((m) => !m.tolerable);
  if (blocking.length)
    throw new AppError(
      'MATERIALS_MISSING',
      `还需上传：${blocking.map((m) => m.name).join('、')}。`,
      blocking.map((m) => ({ index: m.index, name: m.name })),
    );
  const row = await enqueueSubmitted(ctx, c, ci, 'submit');
  return { row: await followUp(ctx, env, 'submit', row), fresh: true };
}

/**
 * The after-hooks of an action (emergency's auto-pass, say). Answers the case row as they left it;
 * when they changed it, what this request remembered no longer holds.
 */
async function followUp(ctx: Ctx, env: CaseEnv, action: string, row: CaseRow): Promise<CaseRow> {
  let changed = false;
  for (const h of afterHooksFor(action)) if (await h.run(ctx, env, row)) changed = true;
  if (!changed) return row;
  ctx.memo?.clear();
  return (await repo.caseById(ctx.db, row.id))!;
}

async function enqueueSubmitted(
  ctx: Ctx,
  c: CaseRow,
  ci: CaseItem,
  action: 'submit' | 'register',
  note?: string,
  receivedOn?: string,
): Promise<CaseRow> {
  const caseNo = c.case_no ?? (await repo.nextCaseNo(ctx.db, ci.prefix, ctx.today));
  const submittedAt = receivedOn ? new Date(`${receivedOn}T09:00:00+08:00`) : ctx.now;
  const row = await ctx.db
    .updateTable('cases')
    .set({
      status: 'submitted',
      case_no: caseNo,
      submitted_at: submittedAt,
      queued_at: ctx.now,
      updated_at: ctx.now,
      lock_version: c.lock_version + 1,
    })
    .where('id', '=', c.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await repo.insertEvent(ctx.db, {
    caseId: c.id,
    at: ctx.now,
    action,
    from: c.status,
    to: 'submitted',
    actorId: actorId(ctx.actor),
    actorLabel: actorLabel(ctx.actor),
    note,
  });
  await auditCase(ctx, `case.${action}`, row, { caseNo, channel: row.channel });
  await notifyApplicant(ctx, row, `已收到您的申请 ${caseNo}`, `您申请的“${ci.name}”已提交，办件编号 ${caseNo}，我们将尽快审查。`);
  return row;
}

/** Staff register a case that arrived by window, e-mail, fax or post, on the applicant's behalf. */
export async function registerCase(
  ctx: Ctx,
  env: CaseEnv,
  input: { itemCode: string; channel: CaseChannel; receivedOn?: string; answers: Record<string, string>; applicantEmail?: string; note?: string },
): Promise<CaseRow> {
  const a = ctx.actor;
  if (a.kind !== 'user' || a.userKind !== 'staff' || !a.agencyCode || !a.roles.some((r) => r === 'acceptor' || r === 'agency_admin'))
    throw new AppError('FORBIDDEN');
  const ci = await currentItem(ctx.db, a.agencyCode, input.itemCode, ctx.today);
  await runIntake(ctx, { agencyCode: ci.agencyCode, itemCode: ci.code, channel: input.channel }); // e.g. 应急期间暂缓办理（可设窗口、邮寄等例外）
  const errors = validateAnswers(ci.item, input.answers, ctx.today);
  if (errors.length) throw new AppError('FORM_INVALID', `申请表有 ${errors.length} 处需要修改：${errors.map((e) => e.message).join('')}`, errors);
  if (input.receivedOn && input.receivedOn > ctx.today) throw new AppError('VALIDATION_FAILED', '收件日期不能晚于今天。');
  const idNo = input.answers.applicantIdNo!.trim().toUpperCase();
  if (citizenIdProblem(idNo, ctx.today)) throw new AppError('ID_NO_INVALID');
  // Link to the applicant's account when they have one verified for this ID number, so they see the
  // case online too (an account that only claims the number sees nothing).
  const owner = await ctx.db
    .selectFrom('users')
    .select('id')
    .where('id_no', '=', idNo)
    .where('kind', '=', 'citizen')
    .where('id_verified_at', 'is not', null)
    .executeTakeFirst();
  const row = await ctx.db
    .insertInto('cases')
    .values({
      ...draftColumns(ci, ctx.now),
      channel: input.channel,
      owner_user_id: owner ? Number(owner.id) : null,
      authorisation_id: null,
      unit_id: null,
      registered_by: a.id,
      applicant_name: input.answers.applicantName!.trim(),
      applicant_id_no: idNo,
      applicant_phone: input.answers.applicantPhone!.trim(),
      applicant_email: input.applicantEmail ?? null,
      answers: j(input.answers),
      office_id: a.officeId,
      assignee_id: null,
      idempotency_key: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  const label = CHANNEL_LABELS[input.channel];
  const queued = await enqueueSubmitted(
    ctx,
    row,
    ci,
    'register',
    `工作人员代为登记（${label}${input.receivedOn ? `，收件日期 ${input.receivedOn}` : ''}）${input.note ? `：${input.note}` : ''}`,
    input.receivedOn,
  );
  return followUp(ctx, env, 'register', queued);
}

function requirementProblems(t: Transition, input: ActionIn, ci: CaseItem): string[] {
  const out: string[] = [];
  for (const r of t.requires) {
    if (r === 'reasons' && !input.reasons?.length) out.push('请填写理由（至少一条）。');
    if (r === 'materials_list' && !input.materials?.length) out.push('请勾选需要补正的全部材料。');
    if (r === 'pledge' && !input.pledge?.signed) out.push('容缺受理须申请人签署《容缺受理承诺书》。');
    if (r === 'note' && !input.note?.trim()) out.push('请填写说明。');
  }
  if (input.materials) for (const m of input.materials) if (!ci.item.materials[m.index]) out.push(`本事项没有第 ${m.index + 1} 项材料。`);
  if (input.facts) {
    const codes = new Set(ci.prohibitions.map((p) => p.code));
    for (const f of [...input.facts.checked, ...input.facts.found]) if (!codes.has(f)) out.push(`本事项没有编码为 ${f} 的禁办情形。`);
  }
  return out;
}

/**
 * Fire a workflow action. Checks state, role and guards; applies clock effects; issues the notice;
 * tells the applicant. Answers the case row as the action left it.
 */
export async function act(ctx: Ctx, env: CaseEnv, id: number, action: string, input: ActionIn): Promise<CaseRow> {
  const c = await loadVisible(ctx, id, true);
  if (input.lockVersion !== undefined && input.lockVersion !== c.lock_version) throw new AppError('STALE_CASE');
  const ci = await itemOfVersion(ctx.db, c.item_version_id);
  const roles = rolesOn(ctx.actor, c);
  const { facts, missing, evaluation } = await guardFacts(ctx, c, ci, input);
  const problem = whyNot(action, c.status as CaseState, roles, facts);
  if (problem) {
    if (problem.code === 'UNKNOWN_ACTION') throw new AppError('NOT_FOUND', `没有“${action}”这个操作。`);
    if (problem.code === 'WRONG_STATE')
      throw new AppError('TRANSITION_NOT_ALLOWED', `办件当前为“${STATE_LABELS[c.status as CaseState]}”，不能进行此操作。`);
    if (problem.code === 'FORBIDDEN_ROLE') throw new AppError('FORBIDDEN');
    throw new AppError('GUARD_FAILED', GUARD_MESSAGES[problem.guard!], { guard: problem.guard });
  }
  const conflict = dutyConflict(action, actorId(ctx.actor), await caseDuties(ctx, c));
  if (conflict) throw new AppError('DUTIES_SEPARATED', DUTY_MESSAGES[conflict], { conflict });
  const t = findTransition(action)!;
  const reqs = requirementProblems(t, input, ci);
  if (reqs.length) throw new AppError('VALIDATION_FAILED', reqs.join(''), reqs);

  const to: CaseState = t.to === 'previous' ? ((c.prev_status as CaseState | null) ?? 'accepted') : t.to;
  const patch: Record<string, unknown> = { status: to, updated_at: ctx.now, lock_version: c.lock_version + 1 };
  if (to === 'suspended') patch.prev_status = c.status;
  if (t.requires.includes('reasons')) patch.reasons = j(input.reasons);
  if (input.facts) patch.facts = j(input.facts);
  if (action === 'reject_prohibited') {
    const found = ci.prohibitions.filter((p) => (input.facts?.found ?? []).includes(p.code));
    const byRule = evaluation.results.filter((r) => !r.passed && r.kind === 'prohibition' && !found.some((f) => f.code === r.code));
    patch.reasons = j([...found.map((p) => ({ code: p.code, text: p.text })), ...byRule.map((r) => ({ code: r.code, text: r.reason }))]);
  }
  if (t.requires.includes('materials_list')) {
    patch.correction = j({
      materials: input.materials!.map((m) => ({ index: m.index, name: ci.item.materials[m.index]!.name, ...(m.note ? { note: m.note } : {}) })),
      ...(input.note ? { note: input.note } : {}),
      requestedOn: ctx.today,
    });
  }
  if (action === 'resubmit') patch.queued_at = c.queued_at ?? ctx.now; // keeps its place in FIFO order
  if (t.to !== 'previous' && ['approved', 'denied', 'withdrawn', 'terminated', 'rejected'].includes(to)) patch.completed_at = ctx.now;

  // SLA clock
  const limit = slaLimit(ci.item.timeLimit);
  const clockEvent = async (kind: string, due: string | null, data?: unknown) =>
    repo.insertClockEvent(ctx.db, { caseId: c.id, at: ctx.now, day: ctx.today, kind, due, data });
  if (t.clock === 'start') {
    // Deemed acceptance counts from the day the materials arrived (行政许可法 §32).
    const startDay = action === 'deem_accepted' ? await arrivalDay(ctx, c) : ctx.today;
    patch.accepted_at = ctx.now;
    patch.sla_start = startDay;
    if (limit) {
      const cal = await loadCalendar(ctx.db, ci.regionCode);
      const plan = planClock(limit, startDay, cal);
      Object.assign(patch, { sla_kind: limit.kind, sla_value: limit.value, due_date: plan.due, warn_date: plan.warn, clock_state: 'running' });
      await clockEvent('start', plan.due, { limit, warn: plan.warn });
      if (action === 'accept_tolerance') {
        const tolMissing = missing.filter((m) => m.tolerable);
        // 补正 deadline from the item's 容缺 rule, never beyond the item's own limit.
        patch.tolerance_due = toleranceDue(
          limit,
          tolMissing.map((m) => m.toleranceDays),
          ctx.today,
          cal,
        );
        patch.tolerance_materials = j(tolMissing.map((m) => ({ index: m.index, name: m.name })));
      }
    } else {
      Object.assign(patch, { clock_state: 'untimed' });
      await clockEvent('start', null, { limit: null, text: ci.item.timeLimit.text });
      if (action === 'accept_tolerance') {
        const tolMissing = missing.filter((m) => m.tolerable);
        const cal = await loadCalendar(ctx.db, ci.regionCode);
        patch.tolerance_due = toleranceDue(
          null,
          tolMissing.map((m) => m.toleranceDays),
          ctx.today,
          cal,
        );
        patch.tolerance_materials = j(tolMissing.map((m) => ({ index: m.index, name: m.name })));
      }
    }
  } else if (t.clock === 'pause' && c.clock_state === 'running') {
    Object.assign(patch, { clock_state: 'paused', paused_on: ctx.today });
    await clockEvent('pause', c.due_date, { action });
  } else if (t.clock === 'resume' && c.clock_state === 'paused' && c.due_date && c.warn_date && c.paused_on && c.sla_kind) {
    const r = resumeClock(
      { sla_kind: c.sla_kind, due_date: c.due_date, warn_date: c.warn_date, paused_on: c.paused_on },
      ctx.today,
      await loadCalendar(ctx.db, ci.regionCode),
    );
    Object.assign(patch, r.set);
    await clockEvent('resume', r.due, { pausedOn: c.paused_on });
  } else if (t.clock === 'stop' && (c.clock_state === 'running' || c.clock_state === 'paused' || c.clock_state === 'untimed')) {
    Object.assign(patch, { clock_state: 'stopped' });
    await clockEvent('stop', c.due_date, { onTime: c.due_date === null || ctx.today <= c.due_date, outcome: to });
  }
  if (action === 'supply') patch.tolerance_due = c.tolerance_due; // kept for the record

  let row = await ctx.db.updateTable('cases').set(patch).where('id', '=', c.id).returningAll().executeTakeFirstOrThrow();
  await repo.insertEvent(ctx.db, {
    caseId: c.id,
    at: ctx.now,
    action,
    from: c.status,
    to,
    actorId: actorId(ctx.actor),
    actorLabel: actorLabel(ctx.actor),
    note: input.note ?? null,
    data: { reasons: input.reasons, materials: input.materials, facts: input.facts },
  });
  await auditCase(ctx, `case.${t.action}`, row, { from: c.status, to, facts: input.facts, reasons: input.reasons });

  // Plugged-in effects (registry: completion effects, the 转移接续 start) change the registry in
  // this same transaction; a failure rolls the transition back.
  let effectSummary: string | undefined;
  let resultTitle: string | null = null;
  for (const h of effectHooksFor(t, to)) {
    const out = await h.run({ ctx, env, row, ci, to });
    if (!out) continue;
    if (out.registryChanged) ctx.memo?.clear(); // nothing remembered about the registry holds
    if (out.caseChanged) row = (await repo.caseById(ctx.db, c.id))!;
    if (out.effectSummary !== undefined) effectSummary = out.effectSummary;
    if (out.resultTitle !== undefined) resultTitle = out.resultTitle;
  }
  let noticeTitle: string | null = null;
  if (t.notice) {
    const doc = await issueNotice(ctx, env, row, ci, t.notice, { action, missing, effectSummary });
    noticeTitle = resultTitle ? `${doc.title}》《${resultTitle}` : doc.title;
  }
  const label = STATE_LABELS[to];
  await notifyApplicant(
    ctx,
    row,
    `办件 ${row.case_no ?? ''} 状态更新：${label}`,
    `您的“${ci.name}”办件（${row.case_no ?? ''}）已变更为“${label}”。${noticeTitle ? `《${noticeTitle}》可在“我的办件”中下载。` : ''}`,
  );
  return followUp(ctx, env, action, row);
}
