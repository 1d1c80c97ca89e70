/**
 * 单位经办人 are approved (issue 16). Registering for a unit (by its 统一社会信用代码) opens a pending
 * request and gives the account no access: users.unit_id is set only when the request is approved
 * and cleared when it is revoked, and the actor is read afresh on every request, so `unitClerkOf`
 * (server/http/access.ts) answers UNIT_CLERK_NOT_APPROVED until then and from the next request after
 * a revocation.
 *
 * Who decides: one of the unit's approved clerks (no letter needed: they know their colleague), or
 * staff of the request's agency (UNIT_CLERK_STAFF_ROLES) — and only after the applicant uploaded a
 * 授权委托书 with the unit's seal. A unit with no approved clerk (a new unit, or an existing one whose
 * clerks were all revoked) can therefore only be joined through the agency: "register first" gains
 * nothing. The agency is the unit's (units.agency_code, its 参保登记), else the one the registrant named.
 *
 * Every decision is one conditional update (`… where status = 'pending'`), so two approvals at the
 * same instant: one wins, the other answers UNIT_CLERK_REQUEST_DECIDED. Ids of another unit or
 * agency answer UNIT_CLERK_REQUEST_NOT_FOUND. Every step is audited.
 */
import { AppError } from '../../../common/errors.ts';
import { sniffMime, UPLOAD_LIMITS } from '../../../common/forms.ts';
import { maskCitizenId, maskMobile } from '../../../common/ids.ts';
import type { StaffRole } from '../../../common/workflow.ts';
import type { Db } from '../../db/index.ts';
import type { Ctx, UserActor } from '../../http/actor.ts';
import { requireStaffActor, unitClerkOf } from '../../http/access.ts';
import type { Storage } from '../../platform/storage.ts';
import { chargeUpload } from '../../platform/rate-limit.ts';
import { queueMessages, type QueuedMessage } from '../../platform/outbox.ts';
import { audit } from '../audit/index.ts';

/** Agency staff who decide clerk requests: the window (受理, who checks identity papers daily) and the agency admin. */
export const UNIT_CLERK_STAFF_ROLES: readonly StaffRole[] = ['acceptor', 'agency_admin'];

export type UnitClerkStatus = 'pending' | 'approved' | 'rejected' | 'revoked';

const subject = (id: number, agency: string | null) => ({ kind: 'unit_clerk_request' as const, id, agency });

/**
 * Inside register()'s transaction, after the account row: find the unit by its code (or add it,
 * without 参保登记) and open the account's pending request. Grants nothing.
 */
export async function openUnitClerkRequest(
  trx: Db,
  ctx: Ctx,
  user: UserActor,
  input: { uscc: string; unitName?: string; agencyCode?: string },
): Promise<{ requestId: number; unitId: number }> {
  const uscc = input.uscc.trim().toUpperCase();
  let unit = await trx.selectFrom('units').select(['id', 'agency_code']).where('uscc', '=', uscc).executeTakeFirst();
  const agency = unit?.agency_code ?? input.agencyCode?.trim() ?? null;
  if (!agency) throw new AppError('UNIT_AGENCY_REQUIRED');
  const known = await trx.selectFrom('agencies').select('code').where('code', '=', agency).executeTakeFirst();
  if (!known) throw new AppError('AGENCY_NOT_FOUND');
  if (!unit) {
    // A concurrent registration may add the same unit: on conflict, take theirs.
    await trx
      .insertInto('units')
      .values({ uscc, name: input.unitName?.trim() || uscc })
      .onConflict((oc) => oc.column('uscc').doNothing())
      .execute();
    unit = await trx.selectFrom('units').select(['id', 'agency_code']).where('uscc', '=', uscc).executeTakeFirstOrThrow();
  }
  const unitId = Number(unit.id);
  const r = await trx
    .insertInto('unit_clerk_requests')
    .values({ unit_id: unitId, user_id: user.id, agency_code: agency, status: 'pending', created_at: ctx.now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const requestId = Number(r.id);
  await audit({ ...ctx, db: trx, actor: user }, 'unit_clerk.requested', subject(requestId, agency), { unitId, uscc });
  const clerks = await trx.selectFrom('users').select(['id', 'mobile']).where('unit_id', '=', unitId).where('kind', '=', 'unit').execute();
  await tell(
    trx,
    clerks.map((c) => ({ id: Number(c.id), mobile: c.mobile })),
    agency,
    '单位经办人申请',
    `${user.name}申请成为本单位经办人，请在单位网厅核实后同意或拒绝。`,
    false,
  );
  return { requestId, unitId };
}

/** In-app to each user, and an SMS too when `sms` (through the outbox, with the change). */
async function tell(db: Db, users: { id: number; mobile: string | null }[], agency: string | null, subject: string, body: string, sms: boolean) {
  const ms: QueuedMessage[] = [];
  for (const u of users) {
    ms.push({ channel: 'inapp', recipient: String(u.id), userId: u.id, subject, body, agencyCode: agency });
    if (sms && u.mobile) ms.push({ channel: 'sms', recipient: u.mobile, body: `【医保经办】${body}`, agencyCode: agency });
  }
  await queueMessages(db, ms);
}

async function tellApplicant(db: Db, userId: number, agency: string | null, body: string) {
  const u = await db.selectFrom('users').select(['id', 'mobile']).where('id', '=', userId).executeTakeFirstOrThrow();
  await tell(db, [{ id: Number(u.id), mobile: u.mobile }], agency, '单位经办人申请', body, true);
}

async function hasApprovedClerk(db: Db, unitId: number): Promise<boolean> {
  const r = await db
    .selectFrom('unit_clerk_requests')
    .select('id')
    .where('unit_id', '=', unitId)
    .where('status', '=', 'approved')
    .limit(1)
    .executeTakeFirst();
  return Boolean(r);
}

/** The applicant's own request (the newest), for the waiting page. */
export async function myUnitClerkStatus(ctx: Ctx) {
  const me = ctx.actor;
  if (me.kind !== 'user' || me.userKind !== 'unit') throw new AppError('FORBIDDEN', '只有单位经办人账号才有经办人申请。');
  const r = await ctx.db
    .selectFrom('unit_clerk_requests as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .leftJoin('agencies as a', 'a.code', 'r.agency_code')
    .select([
      'r.id',
      'r.unit_id',
      'r.status',
      'r.letter_name',
      'r.reason',
      'r.decided_as',
      'r.decided_at',
      'r.created_at',
      'u.name',
      'u.uscc',
      'a.name as agency_name',
    ])
    .where('r.user_id', '=', me.id)
    .orderBy('r.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!r) return { status: 'none' as const, request: null };
  const pending = r.status === 'pending';
  const clerkDecides = pending ? await hasApprovedClerk(ctx.db, Number(r.unit_id)) : false;
  return {
    status: r.status,
    request: {
      id: Number(r.id),
      unitName: r.name,
      uscc: r.uscc,
      agencyName: r.agency_name,
      createdAt: r.created_at.toISOString(),
      decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
      decidedBy: r.decided_as === 'clerk' || r.decided_as === 'agency' ? r.decided_as : null,
      reason: r.status === 'rejected' || r.status === 'revoked' ? r.reason : null,
      letterName: r.letter_name,
      /** Who will decide: the unit's clerk, or (no clerk yet) the agency after the letter. */
      reviewer: pending ? (clerkDecides ? ('clerk' as const) : ('agency' as const)) : null,
      canUploadLetter: pending,
      canReapply: r.status === 'rejected' || r.status === 'revoked',
      needsLetter: pending && !clerkDecides && r.letter_name === null,
    },
  };
}

/** After a rejection or a revocation: ask again, for the same unit (a new pending request; grants nothing). */
export async function reapplyUnitClerk(ctx: Ctx) {
  const me = ctx.actor;
  if (me.kind !== 'user' || me.userKind !== 'unit') throw new AppError('FORBIDDEN');
  const last = await ctx.db
    .selectFrom('unit_clerk_requests as r')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .select(['r.unit_id', 'r.status', 'r.agency_code', 'u.agency_code as unit_agency'])
    .where('r.user_id', '=', me.id)
    .orderBy('r.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!last) throw new AppError('UNIT_CLERK_REQUEST_NOT_FOUND');
  if (last.status !== 'rejected' && last.status !== 'revoked') throw new AppError('UNIT_CLERK_REQUEST_DECIDED', '您已有待审核或已通过的经办人申请。');
  const agency = last.unit_agency ?? last.agency_code;
  const r = await ctx.db
    .insertInto('unit_clerk_requests')
    .values({ unit_id: Number(last.unit_id), user_id: me.id, agency_code: agency, status: 'pending', created_at: ctx.now })
    .onConflict((oc) => oc.column('user_id').where('status', 'in', ['pending', 'approved']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!r) throw new AppError('UNIT_CLERK_REQUEST_DECIDED', '您已有待审核或已通过的经办人申请。');
  await audit(ctx, 'unit_clerk.requested', subject(Number(r.id), agency), { unitId: Number(last.unit_id), again: true });
  return { id: Number(r.id) };
}

/** The applicant uploads (or replaces) the 授权委托书 of their pending request: PDF/JPG/PNG by content, one file, 10 MB. */
export async function uploadUnitClerkLetter(ctx: Ctx, storage: Storage, input: { fileName: string; bytes: Buffer }, bytesPerDay: number) {
  const me = ctx.actor;
  if (me.kind !== 'user' || me.userKind !== 'unit') throw new AppError('FORBIDDEN');
  const r = await ctx.db
    .selectFrom('unit_clerk_requests')
    .select(['id', 'agency_code'])
    .where('user_id', '=', me.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (!r) throw new AppError('UNIT_CLERK_REQUEST_NOT_FOUND', '您没有待审核的单位经办人申请。');
  if (input.bytes.length === 0) throw new AppError('VALIDATION_FAILED', '文件是空的，请重新选择。');
  if (input.bytes.length > UPLOAD_LIMITS.maxFileBytes) throw new AppError('FILE_TOO_LARGE');
  const mime = sniffMime(input.bytes.subarray(0, 16));
  if (!mime) throw new AppError('FILE_TYPE_NOT_ALLOWED');
  await chargeUpload(ctx.db, me.id, input.bytes.length, bytesPerDay, ctx.now);
  const sha = await storage.put(input.bytes);
  await ctx.db
    .insertInto('files')
    .values({ sha256: sha, size: input.bytes.length, mime })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  const name = input.fileName.replace(/[\\/\0]/g, '_').slice(-120) || '授权委托书';
  const u = await ctx.db
    .updateTable('unit_clerk_requests')
    .set({ letter_sha: sha, letter_name: name, letter_mime: mime, letter_size: input.bytes.length })
    .where('id', '=', r.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(u.numUpdatedRows) !== 1) throw new AppError('UNIT_CLERK_REQUEST_DECIDED');
  await audit(ctx, 'unit_clerk.letter_uploaded', subject(Number(r.id), r.agency_code), { sha256: sha, size: input.bytes.length, mime });
  return { letterName: name };
}

function requestRows(db: Db) {
  return db
    .selectFrom('unit_clerk_requests as r')
    .innerJoin('users as p', 'p.id', 'r.user_id')
    .innerJoin('units as u', 'u.id', 'r.unit_id')
    .select([
      'r.id',
      'r.unit_id',
      'r.user_id',
      'r.agency_code',
      'r.status',
      'r.letter_name',
      'r.reason',
      'r.decided_as',
      'r.decided_at',
      'r.created_at',
      'p.name as person_name',
      'p.mobile',
      'p.id_no',
      'u.name as unit_name',
      'u.uscc',
    ]);
}
type RequestRow = Awaited<ReturnType<ReturnType<typeof requestRows>['executeTakeFirstOrThrow']>>;

function presentRequest(r: RequestRow) {
  return {
    id: Number(r.id),
    status: r.status,
    name: r.person_name,
    mobileMasked: r.mobile ? maskMobile(r.mobile) : null,
    idNoMasked: r.id_no ? maskCitizenId(r.id_no) : null,
    unitName: r.unit_name,
    uscc: r.uscc,
    createdAt: r.created_at.toISOString(),
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
    reason: r.reason,
    hasLetter: r.letter_name !== null,
    letterName: r.letter_name,
  };
}

/** The clerk's unit page: pending requests to decide and the unit's approved clerks. */
export async function unitClerksOfMyUnit(ctx: Ctx) {
  const clerk = unitClerkOf(ctx.actor);
  const rows = await requestRows(ctx.db)
    .where('r.unit_id', '=', clerk.unitId)
    .where('r.status', 'in', ['pending', 'approved'])
    .orderBy('r.id')
    .execute();
  return {
    requests: rows.filter((r) => r.status === 'pending').map((r) => ({ ...presentRequest(r), canApprove: true, canReject: true })),
    clerks: rows
      .filter((r) => r.status === 'approved')
      .map((r) => ({ ...presentRequest(r), isMe: Number(r.user_id) === clerk.id, canRevoke: Number(r.user_id) !== clerk.id })),
  };
}

/** Staff queue: the agency's requests of a status, oldest first, with whether the unit has a clerk and the letter. */
export async function agencyUnitClerkRequests(ctx: Ctx, status: UnitClerkStatus) {
  const staff = requireStaffActor(ctx.actor, UNIT_CLERK_STAFF_ROLES);
  const rows = await requestRows(ctx.db)
    .where('r.agency_code', '=', staff.agencyCode!)
    .where('r.status', '=', status)
    .orderBy('r.id')
    .limit(500)
    .execute();
  const unitIds = [...new Set(rows.map((r) => Number(r.unit_id)))];
  const withClerk = new Set(
    unitIds.length === 0
      ? []
      : (
          await ctx.db
            .selectFrom('unit_clerk_requests')
            .select('unit_id')
            .distinct()
            .where('unit_id', 'in', unitIds)
            .where('status', '=', 'approved')
            .execute()
        ).map((r) => Number(r.unit_id)),
  );
  return {
    items: rows.map((r) => {
      const pending = r.status === 'pending';
      return {
        ...presentRequest(r),
        unitHasClerk: withClerk.has(Number(r.unit_id)),
        canApprove: pending && r.letter_name !== null,
        canReject: pending,
        canRevoke: r.status === 'approved',
      };
    }),
  };
}

type Decision = 'approve' | 'reject';
type Scope = { as: 'clerk'; unitId: number; me: number } | { as: 'agency'; agency: string };

function scopeOf(ctx: Ctx, as: 'clerk' | 'agency'): Scope {
  if (as === 'clerk') {
    const c = unitClerkOf(ctx.actor);
    return { as, unitId: c.unitId, me: c.id };
  }
  const s = requireStaffActor(ctx.actor, UNIT_CLERK_STAFF_ROLES);
  return { as, agency: s.agencyCode! };
}

/** The request if it is in the actor's scope (their unit, or their agency), else NOT_FOUND. */
async function scopedRequest(ctx: Ctx, scope: Scope, id: number) {
  let q = ctx.db.selectFrom('unit_clerk_requests').selectAll().where('id', '=', id);
  q = scope.as === 'clerk' ? q.where('unit_id', '=', scope.unitId) : q.where('agency_code', '=', scope.agency);
  const r = await q.executeTakeFirst();
  if (!r) throw new AppError('UNIT_CLERK_REQUEST_NOT_FOUND');
  return r;
}

/** Approve or reject a pending request, as the unit's clerk or as agency staff (who need the letter to approve). */
export async function decideUnitClerkRequest(ctx: Ctx, as: 'clerk' | 'agency', id: number, decision: Decision, reason?: string) {
  const scope = scopeOf(ctx, as);
  const r = await scopedRequest(ctx, scope, id);
  if (r.status !== 'pending') throw new AppError('UNIT_CLERK_REQUEST_DECIDED');
  if (decision === 'approve' && as === 'agency' && r.letter_sha === null) throw new AppError('UNIT_CLERK_LETTER_REQUIRED');
  const me = ctx.actor.kind === 'user' ? ctx.actor.id : null;
  const done = await ctx.db
    .updateTable('unit_clerk_requests')
    .set({
      status: decision === 'approve' ? 'approved' : 'rejected',
      decided_by: me,
      decided_as: as,
      decided_at: ctx.now,
      reason: reason?.trim() || null,
    })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .returning(['id', 'unit_id', 'user_id'])
    .executeTakeFirst();
  if (!done) throw new AppError('UNIT_CLERK_REQUEST_DECIDED');
  if (decision === 'approve')
    await ctx.db
      .updateTable('users')
      .set({ unit_id: Number(done.unit_id) })
      .where('id', '=', Number(done.user_id))
      .where('kind', '=', 'unit')
      .execute();
  await tellApplicant(
    ctx.db,
    Number(done.user_id),
    r.agency_code,
    decision === 'approve'
      ? '您的单位经办人申请已通过，现在可以登录单位网厅办理本单位业务。'
      : `您的单位经办人申请未获通过${reason?.trim() ? `：${reason.trim()}` : '。'}`,
  );
  await audit(ctx, decision === 'approve' ? 'unit_clerk.approved' : 'unit_clerk.rejected', subject(id, r.agency_code), {
    as,
    unitId: Number(done.unit_id),
    userId: Number(done.user_id),
    reason: reason ?? null,
  });
  return { id, status: decision === 'approve' ? ('approved' as const) : ('rejected' as const) };
}

/** Revoke an approved clerk: another clerk of the unit (never oneself), or agency staff (any, even the last). Access ends with the next request. */
export async function revokeUnitClerk(ctx: Ctx, as: 'clerk' | 'agency', id: number, reason?: string) {
  const scope = scopeOf(ctx, as);
  const r = await scopedRequest(ctx, scope, id);
  if (r.status !== 'approved') throw new AppError('UNIT_CLERK_REQUEST_DECIDED', '该经办人已不在本单位经办人名单中，请刷新后查看。');
  if (scope.as === 'clerk' && Number(r.user_id) === scope.me) throw new AppError('UNIT_CLERK_SELF');
  const done = await ctx.db
    .updateTable('unit_clerk_requests')
    .set({ status: 'revoked', revoked_by: ctx.actor.kind === 'user' ? ctx.actor.id : null, revoked_at: ctx.now, reason: reason?.trim() || null })
    .where('id', '=', id)
    .where('status', '=', 'approved')
    .returning(['unit_id', 'user_id'])
    .executeTakeFirst();
  if (!done) throw new AppError('UNIT_CLERK_REQUEST_DECIDED');
  await ctx.db
    .updateTable('users')
    .set({ unit_id: null })
    .where('id', '=', Number(done.user_id))
    .where('unit_id', '=', Number(done.unit_id))
    .execute();
  await tellApplicant(ctx.db, Number(done.user_id), r.agency_code, `您的单位经办人资格已被撤销${reason?.trim() ? `：${reason.trim()}` : '。'}`);
  await audit(ctx, 'unit_clerk.revoked', subject(id, r.agency_code), {
    as,
    unitId: Number(done.unit_id),
    userId: Number(done.user_id),
    reason: reason ?? null,
  });
  return { id, status: 'revoked' as const };
}

/** The 授权委托书 of a request: for the agency's staff, the applicant, and the unit's approved clerks. */
export async function unitClerkLetter(ctx: Ctx, storage: Storage, id: number) {
  const a = ctx.actor;
  if (a.kind !== 'user') throw new AppError('AUTH_REQUIRED');
  const r = await ctx.db.selectFrom('unit_clerk_requests').selectAll().where('id', '=', id).executeTakeFirst();
  const may =
    r &&
    ((a.userKind === 'staff' && a.roles.some((x) => UNIT_CLERK_STAFF_ROLES.includes(x)) && a.agencyCode === r.agency_code) ||
      Number(r.user_id) === a.id ||
      (a.userKind === 'unit' && a.unitId !== null && a.unitId === Number(r.unit_id)));
  if (!r || !may) throw new AppError('UNIT_CLERK_REQUEST_NOT_FOUND');
  if (!r.letter_sha) throw new AppError('FILE_NOT_FOUND');
  const bytes = await storage.get(r.letter_sha);
  if (!bytes) throw new AppError('FILE_NOT_FOUND');
  return { bytes, mime: r.letter_mime ?? 'application/octet-stream', name: r.letter_name ?? '授权委托书' };
}
