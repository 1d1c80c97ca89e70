/**
 * A verified identity. The ID number an account gives at registration is a claim; it is bound only
 * when the holder proves control of the mobile number the registry holds for that person
 * (预留手机号) — by registering with that number, or by a code sent to it — or when a clerk checks
 * the card at a window. At most one account of a kind is verified for an ID number: a newer proof
 * moves the binding (audited). 代办授权 are confirmed the same way by the principal.
 *
 * Answers never say whether the registry knows a person or holds a number: a code request answers
 * the same either way and only texts a number the registry holds.
 */
import type { Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import { AppError } from '../../../common/errors.ts';
import { citizenIdProblem, maskCitizenId } from '../../../common/ids.ts';
import { actorId, type Ctx, type UserActor } from '../../http/actor.ts';
import { personByIdNo } from '../registry/index.ts';
import { audit } from '../audit/index.ts';
import { LIMITS, limited } from './limits.ts';
import { checkSmsCode, issueCode, SMS_TTL_MINUTES, useSmsCode } from './sms-codes.ts';
import { userToActor } from './user-actor.ts';

/** Kinds of account that stand for one person and must verify their ID number before using registry facts. */
export const PERSONAL_KINDS = ['citizen', 'agent'] as const;
const personal = (a: UserActor) => (PERSONAL_KINDS as readonly string[]).includes(a.userKind);

type Via = 'sms' | 'window';

/**
 * Bind the account to its ID number: verified now, by `via` (and the clerk `by`). Another account of
 * the same kind verified for that number loses it in the same transaction (the newest proof wins).
 */
export async function bindIdentity(
  trx: Transaction<DB>,
  ctx: Ctx,
  user: { id: number; kind: string; idNo: string },
  via: Via,
  by: number | null,
  registryName?: string,
): Promise<void> {
  const others = await trx
    .updateTable('users')
    .set({ id_verified_at: null, id_verified_via: null, id_verified_by: null })
    .where('kind', '=', user.kind as never)
    .where('id_no', '=', user.idNo)
    .where('id', '!=', user.id)
    .where('id_verified_at', 'is not', null)
    .returning('id')
    .execute();
  for (const o of others)
    await audit(
      { ...ctx, db: trx },
      'account.identity_moved',
      { kind: 'user', id: Number(o.id), agency: null },
      { to: user.id, idNo: maskCitizenId(user.idNo) },
    );
  await trx
    .updateTable('users')
    .set({ id_verified_at: ctx.now, id_verified_via: via, id_verified_by: by, ...(registryName ? { name: registryName } : {}) })
    .where('id', '=', user.id)
    .execute();
  await audit(
    { ...ctx, db: trx },
    'account.identity_verified',
    { kind: 'user', id: user.id, agency: null },
    { via, by, idNo: maskCitizenId(user.idNo) },
  );
}

/** At registration: the new account's mobile is the registry's number for its ID — the SMS code just proved it. */
export async function bindIfRegistryNumber(trx: Transaction<DB>, ctx: Ctx, user: { id: number; kind: string; idNo: string; mobile: string }) {
  if (!(PERSONAL_KINDS as readonly string[]).includes(user.kind)) return false;
  const p = await personByIdNo(trx, user.idNo);
  if (!p || !p.phone || p.phone !== user.mobile) return false;
  await bindIdentity(trx, ctx, user, 'sms', null, p.name);
  return true;
}

function personalActor(ctx: Ctx): UserActor {
  const a = ctx.actor;
  if (a.kind !== 'user') throw new AppError('AUTH_REQUIRED');
  if (!personal(a) || !a.idNo) throw new AppError('FORBIDDEN');
  return a;
}

/**
 * Issue a code for `purpose` to the number the registry holds for `idNo`, limited per number; when
 * the registry holds none (or not the person) nothing is sent and the caller answers the same.
 */
async function textRegistryNumber(ctx: Ctx, idNo: string, purpose: string, body: (code: string) => string): Promise<void> {
  const p = await personByIdNo(ctx.db, idNo);
  if (!p?.phone) return;
  await limited(ctx, `sms-mobile:${p.phone}`, LIMITS.smsPerMobile, 'sms_mobile');
  await ctx.db.transaction().execute((trx) => issueCode(trx, ctx.now, p.phone!, purpose, body));
}

/** The agent's own authorisation, in force and not yet confirmed. */
async function unconfirmedAuthorisation(ctx: Ctx, me: UserActor, authorisationId: number) {
  const auth = await ctx.db
    .selectFrom('authorisations')
    .selectAll()
    .where('id', '=', authorisationId)
    .where('agent_user_id', '=', me.id)
    .executeTakeFirst();
  if (!auth || auth.revoked_at || auth.valid_until < ctx.today) throw new AppError('AUTHORISATION_INVALID');
  if (auth.confirmed_at) throw new AppError('AUTHORISATION_CONFIRMED');
  return auth;
}

/**
 * Text a verification code to the registry's number for the account's ID number. The answer is the
 * same whether or not the registry holds a number (or the person); only then is a text sent.
 */
export async function requestIdentityCode(ctx: Ctx): Promise<{ expiresInSeconds: number }> {
  const me = personalActor(ctx);
  if (me.idVerified) throw new AppError('IDENTITY_ALREADY_VERIFIED');
  if (ctx.ip) await limited(ctx, `sms-ip:${ctx.ip}`, LIMITS.smsPerIp, 'sms_ip');
  await limited(ctx, `identity-user:${me.id}`, LIMITS.smsPerMobile, 'identity_user');
  await textRegistryNumber(
    ctx,
    me.idNo!,
    `identity:${me.id}`,
    (code) => `【医保经办】您正在核验医保服务平台账号的身份，验证码${code}，${SMS_TTL_MINUTES}分钟内有效。如非本人操作，请勿告诉他人。`,
  );
  return { expiresInSeconds: SMS_TTL_MINUTES * 60 };
}

/** Check the code texted to the registry's number and bind the account; its name becomes the registry's. */
export async function verifyIdentity(ctx: Ctx, code: string): Promise<UserActor> {
  const me = personalActor(ctx);
  if (me.idVerified) throw new AppError('IDENTITY_ALREADY_VERIFIED');
  const p = await personByIdNo(ctx.db, me.idNo!);
  if (!p?.phone) throw new AppError('SMS_CODE_INVALID');
  const codeId = await checkSmsCode(ctx.db, ctx.now, p.phone, `identity:${me.id}`, code);
  return ctx.db.transaction().execute(async (trx) => {
    await useSmsCode(trx, codeId, ctx.now);
    await bindIdentity(trx, ctx, { id: me.id, kind: me.userKind, idNo: me.idNo! }, 'sms', null, p.name);
    return userToActor(await trx.selectFrom('users').selectAll().where('id', '=', me.id).executeTakeFirstOrThrow());
  });
}

/**
 * A clerk at a window checked the card: bind the personal account with this login (its mobile) to
 * this ID number. Both must match the account; a mismatch answers ACCOUNT_NOT_FOUND.
 */
export async function verifyAtWindow(ctx: Ctx, input: { login: string; idNo: string; cardChecked: boolean }) {
  const staff = ctx.actor;
  if (staff.kind !== 'user' || staff.userKind !== 'staff') throw new AppError('FORBIDDEN');
  if (!input.cardChecked) throw new AppError('VALIDATION_FAILED', '请先核验申请人的居民身份证原件，并勾选“已核验身份证原件”。');
  const idNo = input.idNo.trim().toUpperCase();
  if (citizenIdProblem(idNo, ctx.today)) throw new AppError('ID_NO_INVALID');
  return ctx.db.transaction().execute(async (trx) => {
    const u = await trx
      .selectFrom('users')
      .selectAll()
      .where('login', '=', input.login.trim())
      .where('id_no', '=', idNo)
      .where('kind', 'in', [...PERSONAL_KINDS])
      .forUpdate()
      .executeTakeFirst();
    if (!u) throw new AppError('ACCOUNT_NOT_FOUND');
    const t = { ...ctx, db: trx };
    const p = await personByIdNo(trx, idNo);
    await bindIdentity(trx, t, { id: Number(u.id), kind: u.kind, idNo }, 'window', actorId(staff), p?.name);
    await audit(t, 'account.identity_window_check', { kind: 'user', id: Number(u.id), agency: staff.agencyCode }, { idNo: maskCitizenId(idNo) });
    return { id: Number(u.id), name: p?.name ?? u.name, idNoMasked: maskCitizenId(idNo), alreadyVerified: u.id_verified_at !== null };
  });
}

/** Text the principal (at the registry's number for the principal's ID) a code that confirms an authorisation. */
export async function sendAuthorisationCode(ctx: Ctx, authorisationId: number): Promise<{ expiresInSeconds: number }> {
  const me = personalActor(ctx);
  const auth = await unconfirmedAuthorisation(ctx, me, authorisationId);
  if (ctx.ip) await limited(ctx, `sms-ip:${ctx.ip}`, LIMITS.smsPerIp, 'sms_ip');
  await textRegistryNumber(
    ctx,
    auth.principal_id_no,
    `authorise:${auth.id}`,
    (code) =>
      `【医保经办】${me.name}申请代您办理医保业务（${auth.scope}，至${auth.valid_until}）。如您同意，请将验证码${code}告诉代办人，${SMS_TTL_MINUTES}分钟内有效；如不同意，请勿告诉任何人。`,
  );
  return { expiresInSeconds: SMS_TTL_MINUTES * 60 };
}

/** The agent enters the code the principal received: the authorisation is confirmed. */
export async function confirmAuthorisation(ctx: Ctx, authorisationId: number, code: string): Promise<void> {
  const me = personalActor(ctx);
  const auth = await unconfirmedAuthorisation(ctx, me, authorisationId);
  const p = await personByIdNo(ctx.db, auth.principal_id_no);
  if (!p?.phone) throw new AppError('SMS_CODE_INVALID');
  const codeId = await checkSmsCode(ctx.db, ctx.now, p.phone, `authorise:${auth.id}`, code);
  await ctx.db.transaction().execute(async (trx) => {
    await useSmsCode(trx, codeId, ctx.now);
    const r = await trx
      .updateTable('authorisations')
      .set({ confirmed_at: ctx.now, confirmed_via: 'sms', confirmed_by: null })
      .where('id', '=', auth.id)
      .where('confirmed_at', 'is', null)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('AUTHORISATION_CONFIRMED');
    await audit({ ...ctx, db: trx }, 'authorisation.confirm', { kind: 'authorisation', id: auth.id, agency: null }, { via: 'sms' });
  });
}
