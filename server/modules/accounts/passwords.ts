/**
 * Changing a password (logged in, with the current one) and resetting it with a code texted to the
 * account's mobile. A wrong current password counts as a failed login: the same one-statement bump
 * of failed_logins that locks the account after LOCK_AFTER failures. A change revokes the user's
 * other sessions; a reset revokes all of them and clears the lock. Both are audited.
 */
import { sql } from 'kysely';
import { AppError } from '../../../common/errors.ts';
import { WEAK_PASSWORD_HINTS } from '../../../common/passwords.ts';
import { actorLabel, type Ctx, type UserActor } from '../../http/actor.ts';
import type { Db } from '../../db/index.ts';
import { appendAudit } from '../audit/index.ts';
import { assertStrongPassword, hashPassword, verifyPassword } from './password.ts';
import { checkSmsCode, limited, LOCK_AFTER, LOCK_MINUTES, useSmsCode } from './service.ts';
import { codeAccount } from './recovery-target.ts';
import { revokeUserSessions } from './sessions.ts';

/** Password resets tried from one address in an hour (each also spends a try of the code). */
export const RESET_PER_IP = { max: 20, windowMs: 60 * 60_000 };

/** One failure of a password check, counted as login() counts them: one statement, so parallel failures each add one. */
async function countFailure(db: Db, userId: number, now: Date): Promise<number> {
  const until = new Date(now.getTime() + LOCK_MINUTES * 60_000);
  const r = await sql<{ failed_logins: number }>`
    update users set
      failed_logins = case when locked_until is not null and locked_until <= ${now} then 1 else failed_logins + 1 end,
      locked_until = case
        when locked_until is not null and locked_until <= ${now} then null
        when failed_logins + 1 >= ${LOCK_AFTER} then ${until}::timestamptz
        else locked_until end
    where id = ${userId}
    returning failed_logins`.execute(db);
  return r.rows[0]?.failed_logins ?? 0;
}

function userAudit(ctx: Ctx, actor: UserActor) {
  return {
    actorKind: actor.userKind === 'staff' ? 'staff' : 'user',
    actorId: String(actor.id),
    actorLabel: actorLabel(actor),
    subjectKind: 'user' as const,
    subjectId: String(actor.id),
    agencyCode: actor.agencyCode,
    requestId: ctx.requestId,
    ip: ctx.ip,
    at: ctx.now,
  };
}

/**
 * 修改密码. The account must not be locked; a wrong current password is counted (and audited) in
 * its own committed transaction before the request fails. The new password is checked for strength
 * and must differ from the current one. Every other session of the user is revoked; this one stays.
 */
export async function changePassword(
  ctx: Ctx,
  actor: UserActor,
  currentToken: string,
  input: { current: string; next: string },
): Promise<{ revokedSessions: number }> {
  const u = await ctx.db.selectFrom('users').select(['password_hash', 'locked_until']).where('id', '=', actor.id).executeTakeFirstOrThrow();
  if (u.locked_until && new Date(u.locked_until) > ctx.now) throw new AppError('PASSWORD_CHANGE_LOCKED');
  if (!(await verifyPassword(input.current, u.password_hash))) {
    await ctx.db.transaction().execute(async (trx) => {
      const failedLogins = await countFailure(trx, actor.id, ctx.now);
      await appendAudit(trx, { ...userAudit(ctx, actor), action: 'account.password_change_failed', data: { reason: 'bad_password', failedLogins } });
    });
    throw new AppError('CURRENT_PASSWORD_WRONG');
  }
  if (input.next === input.current) throw new AppError('WEAK_PASSWORD', WEAK_PASSWORD_HINTS.same_as_current, { reason: 'same_as_current' });
  assertStrongPassword(input.next, [actor.mobile, actor.idNo, actor.name, actor.login]);
  const hash = await hashPassword(input.next);
  return ctx.db.transaction().execute(async (trx) => {
    // Only while not locked, in the statement that writes the new hash (parallel failures may have locked it meanwhile).
    const r = await trx
      .updateTable('users')
      .set({ password_hash: hash, failed_logins: 0, locked_until: null })
      .where('id', '=', actor.id)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', ctx.now)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new AppError('PASSWORD_CHANGE_LOCKED');
    const revokedSessions = await revokeUserSessions(trx, actor.id, ctx.now, currentToken);
    await appendAudit(trx, { ...userAudit(ctx, actor), action: 'account.password_changed', data: { revokedSessions } });
    return { revokedSessions };
  });
}

/**
 * 找回密码: a reset code texted to the account's mobile (requestSmsCode, purpose 'reset'), then
 * the new password. The code is checked like every SMS code (each try counted in its own
 * statement, dead after SMS_ATTEMPTS); a number without an account, or a staff login, was never
 * texted a code, so it fails the same way a wrong code does. Sets the password, clears the lock,
 * revokes every session of the account.
 */
export async function resetPassword(ctx: Ctx, input: { mobile: string; code: string; password: string }): Promise<{ ok: true }> {
  assertStrongPassword(input.password, [input.mobile]);
  if (ctx.ip) await limited(ctx, `reset-ip:${ctx.ip}`, RESET_PER_IP, 'reset_ip');
  const codeId = await checkSmsCode(ctx.db, ctx.now, input.mobile, 'reset', input.code);
  const account = await codeAccount(ctx.db, input.mobile);
  if (!account) throw new AppError('SMS_CODE_INVALID');
  const hash = await hashPassword(input.password);
  return ctx.db.transaction().execute(async (trx) => {
    await useSmsCode(trx, codeId, ctx.now);
    await trx.updateTable('users').set({ password_hash: hash, failed_logins: 0, locked_until: null }).where('id', '=', account.id).execute();
    const revokedSessions = await revokeUserSessions(trx, account.id, ctx.now);
    await appendAudit(trx, {
      actorKind: 'user',
      actorId: String(account.id),
      actorLabel: account.name,
      action: 'account.password_reset',
      subjectKind: 'user',
      subjectId: String(account.id),
      agencyCode: account.agencyCode,
      requestId: ctx.requestId,
      ip: ctx.ip,
      at: ctx.now,
      data: { via: 'sms', revokedSessions },
    });
    return { ok: true as const };
  });
}
