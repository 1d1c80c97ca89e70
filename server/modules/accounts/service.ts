/**
 * Accounts: citizen registration with an SMS code, login with lockout and audit, staff with TOTP,
 * sessions stored by hash, units and agent authorisations. Services take ctx first.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../../common/errors.ts';
import { citizenIdProblem, isInstitutionCode, isMobile, maskCitizenId, usccProblem } from '../../../common/ids.ts';
import { STAFF_ROLES, type StaffRole } from '../../../common/workflow.ts';
import { assertStrongPassword, DUMMY_HASH, hashPassword, verifyPassword } from './password.ts';
import { newTotpSecret, totpStep } from './totp.ts';
import { actorId, actorLabel, type Ctx, type UserActor } from '../../http/actor.ts';
import { refund } from '../../platform/rate-limit.ts';
import { appendAudit } from '../audit/index.ts';
import { userToActor } from './user-actor.ts';
import { LIMITS, limited } from './limits.ts';
import { checkSmsCode, issueCode, SMS_TTL_MINUTES, useSmsCode } from './sms-codes.ts';
import { bindIfRegistryNumber } from './identity.ts';
import { openUnitClerkRequest } from './unit-clerks.ts';
import { hasCodeAccount } from './recovery-target.ts';

export const LOCK_AFTER = 5;
export const LOCK_MINUTES = 15;
export const IP_FAILURES_PER_15_MIN = 30;

export { userToActor } from './user-actor.ts';
export { LIMITS, SMS_ATTEMPTS, limited } from './limits.ts';
export { checkSmsCode, issueCode, SMS_TTL_MINUTES, useSmsCode } from './sms-codes.ts';

/** Send a 6-digit code by SMS (through the outbox). One per minute per number and purpose; per-address and per-number limits. */
export async function requestSmsCode(
  ctx: Ctx,
  input: { mobile: string; purpose: 'register' | 'login' | 'reset' },
): Promise<{ expiresInSeconds: number }> {
  if (!isMobile(input.mobile)) throw new AppError('VALIDATION_FAILED', '手机号码应为11位，以13–19开头。');
  if (ctx.ip) await limited(ctx, `sms-ip:${ctx.ip}`, LIMITS.smsPerIp, 'sms_ip');
  await limited(ctx, `sms-mobile:${input.mobile}`, LIMITS.smsPerMobile, 'sms_mobile');
  // The same answer whether or not the number has an account: a registered number gets a text
  // saying so (its code only lets its owner learn that register() refuses it).
  const taken =
    input.purpose === 'register' &&
    (await ctx.db.selectFrom('users').select('id').where('login', '=', input.mobile).executeTakeFirst()) !== undefined;
  // A login or reset code goes only to a number that has an account; for any other the code is
  // stored all the same (so the per-minute rule and the tries behave alike) but nothing is sent.
  const silent = input.purpose !== 'register' && !(await hasCodeAccount(ctx.db, input.mobile));
  const what = input.purpose === 'register' ? '注册' : input.purpose === 'login' ? '登录' : '重置密码';
  await ctx.db
    .transaction()
    .execute((trx) =>
      issueCode(trx, ctx.now, input.mobile, input.purpose, (code) =>
        silent
          ? null
          : taken
            ? `【医保经办】此号码已注册医保服务平台账号，请直接登录；忘记密码可在登录页找回。验证码${code}，${SMS_TTL_MINUTES}分钟内有效。如非本人操作，请忽略。`
            : `【医保经办】您的${what}验证码是${code}，${SMS_TTL_MINUTES}分钟内有效。请勿告诉他人。`,
      ),
    );
  return { expiresInSeconds: SMS_TTL_MINUTES * 60 };
}

export interface RegisterInput {
  kind: 'citizen' | 'agent' | 'unit' | 'institution';
  mobile: string;
  code: string;
  password: string;
  name: string;
  idNo: string;
  uscc?: string;
  unitName?: string;
  /** For a unit: the agency that decides the clerk request when the unit has no 参保登记 yet. */
  agencyCode?: string;
  institutionCode?: string;
}

export async function register(ctx: Ctx, input: RegisterInput): Promise<UserActor> {
  if (!isMobile(input.mobile)) throw new AppError('VALIDATION_FAILED', '手机号码应为11位，以13–19开头。');
  assertStrongPassword(input.password, [input.mobile, input.idNo, input.name]);
  const idNo = input.idNo.trim().toUpperCase();
  if (citizenIdProblem(idNo, ctx.today)) throw new AppError('ID_NO_INVALID');
  if (input.kind === 'unit' && (!input.uscc || usccProblem(input.uscc))) throw new AppError('USCC_INVALID');
  if (input.kind === 'institution' && (!input.institutionCode || !isInstitutionCode(input.institutionCode)))
    throw new AppError('VALIDATION_FAILED', '定点医药机构编码应为 H（医疗机构）或 P（零售药店）加6位行政区划代码和顺序号，如 H42028100001。');
  if (ctx.ip) await limited(ctx, `register-ip:${ctx.ip}`, LIMITS.registerPerIp, 'register_ip');
  const codeId = await checkSmsCode(ctx.db, ctx.now, input.mobile, 'register', input.code);
  const hash = await hashPassword(input.password);
  return ctx.db.transaction().execute(async (trx) => {
    await useSmsCode(trx, codeId, ctx.now);
    const taken = await trx.selectFrom('users').select(['id', 'kind', 'id_no', 'login']).where('login', '=', input.mobile).executeTakeFirst();
    if (taken) throw new AppError('MOBILE_TAKEN'); // only the number's owner holds a code for it
    // The ID number is a claim until verified (identity.ts): another account claiming it is no obstacle.
    const u = await trx
      .insertInto('users')
      .values({
        kind: input.kind,
        login: input.mobile,
        mobile: input.mobile,
        password_hash: hash,
        name: input.name.trim(),
        id_no: idNo,
        unit_id: null, // a unit clerk gets the unit only when approved (unit-clerks.ts)
        institution_code: input.institutionCode?.trim().toUpperCase() ?? null,
        roles: [],
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // Registered with the registry's own number for this ID: the code just proved it, the account is verified.
    const verified = await bindIfRegistryNumber(trx, { ...ctx, db: trx }, { id: Number(u.id), kind: u.kind, idNo, mobile: input.mobile });
    const actor = verified ? userToActor(await trx.selectFrom('users').selectAll().where('id', '=', u.id).executeTakeFirstOrThrow()) : userToActor(u);
    await appendAudit(trx, {
      actorKind: 'user',
      actorId: String(actor.id),
      actorLabel: actor.name,
      action: 'account.register',
      subjectKind: 'user',
      subjectId: String(actor.id),
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: { kind: input.kind },
    });
    if (input.kind === 'unit')
      await openUnitClerkRequest(trx, ctx, actor, { uscc: input.uscc!, unitName: input.unitName, agencyCode: input.agencyCode });
    return actor;
  });
}

async function recordAttempt(db: Db, login: string, ip: string | undefined, ok: boolean, reason: string | null, at: Date) {
  await db
    .insertInto('login_attempts')
    .values({ login, ip: ip ?? null, ok, reason, at })
    .execute();
}

/**
 * Password login. Staff must also give a current TOTP code, each code once (`totp_last_step`). After LOCK_AFTER
 * consecutive failures the account is locked for LOCK_MINUTES. Limits hold under concurrency: the
 * attempt first reserves a place in its address's and login name's windows (given back on success),
 * a failure bumps `failed_logins` in one statement in its own committed transaction, and the lock is
 * checked after the password and again in the statement that lets the login in. An unknown login,
 * a wrong password, a disabled and a locked account all answer BAD_CREDENTIALS (nothing tells which);
 * the audit entry says what really happened.
 */
export async function login(ctx: Ctx, input: { login: string; password: string; totp?: string }): Promise<UserActor> {
  const loginName = input.login.trim();
  const ipKey = ctx.ip ? `login-ip:${ctx.ip}` : null;
  const loginKey = `login:${loginName.toLowerCase()}`;
  if (ipKey) await limited(ctx, ipKey, LIMITS.loginFailuresPerIp, 'login_ip');
  await limited(ctx, loginKey, LIMITS.loginFailuresPerLogin, 'login_name');
  const u = await ctx.db.selectFrom('users').selectAll().where('login', '=', loginName).executeTakeFirst();
  const until = new Date(ctx.now.getTime() + LOCK_MINUTES * 60_000);
  const fail = async (reason: string, counts: boolean, code: 'BAD_CREDENTIALS' | 'TOTP_INVALID' | 'TOTP_REQUIRED' = 'BAD_CREDENTIALS') => {
    await ctx.db.transaction().execute(async (trx) => {
      await recordAttempt(trx, loginName, ctx.ip, false, reason, ctx.now);
      let failedLogins: number | undefined;
      if (u && counts) {
        // One statement: parallel failures each add one; an ended lock starts the count again.
        const r = await sql<{ failed_logins: number }>`
          update users set
            failed_logins = case when locked_until is not null and locked_until <= ${ctx.now} then 1 else failed_logins + 1 end,
            locked_until = case
              when locked_until is not null and locked_until <= ${ctx.now} then null
              when failed_logins + 1 >= ${LOCK_AFTER} then ${until}::timestamptz
              else locked_until end
          where id = ${u.id}
          returning failed_logins`.execute(trx);
        failedLogins = r.rows[0]?.failed_logins;
      }
      await appendAudit(trx, {
        actorKind: 'anonymous',
        actorId: u ? String(u.id) : null,
        actorLabel: loginName,
        action: 'account.login_failed',
        subjectKind: 'user',
        subjectId: u ? String(u.id) : loginName,
        agencyCode: u?.agency_code ?? null,
        requestId: ctx.requestId,
        ip: ctx.ip,
        at: ctx.now,
        data: failedLogins === undefined ? { reason } : { reason, failedLogins },
      });
    });
    throw new AppError(code);
  };
  if (!u) {
    await verifyPassword(input.password, DUMMY_HASH);
    return fail('unknown_login', false);
  }
  const passwordOk = await verifyPassword(input.password, u.password_hash);
  if (u.disabled) return fail('disabled', false);
  if (!passwordOk) return fail('bad_password', true);
  // After the password: a fresh read, since parallel failures may have locked the account meanwhile.
  const fresh = await ctx.db.selectFrom('users').select('locked_until').where('id', '=', u.id).executeTakeFirstOrThrow();
  if (fresh.locked_until && new Date(fresh.locked_until) > ctx.now) return fail('locked', false);
  if (u.kind === 'staff') {
    if (!input.totp) return fail('totp_missing', false, 'TOTP_REQUIRED');
    const step = u.totp_secret ? totpStep(u.totp_secret, input.totp.trim(), ctx.now) : null;
    if (step === null) return fail('bad_totp', true, 'TOTP_INVALID');
    // A code is single-use: its step must be later than the last accepted one, taken in one statement
    // so two parallel logins with the same code cannot both pass.
    const used = await ctx.db
      .updateTable('users')
      .set({ totp_last_step: step })
      .where('id', '=', u.id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', String(step))]))
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) return fail('totp_replayed', true, 'TOTP_INVALID');
  }
  const actor = userToActor(u);
  const ok = await ctx.db.transaction().execute(async (trx) => {
    // Lets the login in only while not locked, in the same statement that clears the count.
    const r = await trx
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', u.id)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', ctx.now)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return false;
    await recordAttempt(trx, loginName, ctx.ip, true, null, ctx.now);
    await appendAudit(trx, {
      actorKind: 'user',
      actorId: String(actor.id),
      actorLabel: actorLabel(actor),
      action: 'account.login',
      subjectKind: 'user',
      subjectId: String(actor.id),
      agencyCode: actor.agencyCode,
      requestId: ctx.requestId,
      ip: ctx.ip,
      at: ctx.now,
    });
    return true;
  });
  if (!ok) return fail('locked', false);
  if (ipKey) await refund(ctx.db, ipKey, LIMITS.loginFailuresPerIp, ctx.now);
  await refund(ctx.db, loginKey, LIMITS.loginFailuresPerLogin, ctx.now);
  return actor;
}

export interface StaffInput {
  login: string;
  name: string;
  agencyCode: string;
  roles: StaffRole[];
  officeCode?: string;
  departmentCode?: string;
  password: string;
  totpSecret?: string;
}

/** Create a staff account (admin CLI and tests). Returns the TOTP secret to enrol in an authenticator app. */
export async function createStaff(db: Kysely<DB>, input: StaffInput): Promise<{ id: number; totpSecret: string }> {
  assertStrongPassword(input.password, [input.login, input.name]);
  const bad = input.roles.filter((r) => !(STAFF_ROLES as readonly string[]).includes(r));
  if (bad.length || input.roles.length === 0) throw new AppError('VALIDATION_FAILED', `未知或缺少角色：${bad.join('、') || '（空）'}`);
  const agency = await db.selectFrom('agencies').select('code').where('code', '=', input.agencyCode).executeTakeFirst();
  if (!agency) throw new AppError('AGENCY_NOT_FOUND');
  let officeId: number | null = null;
  if (input.officeCode) {
    const o = await db
      .selectFrom('offices')
      .select('id')
      .where('agency_code', '=', input.agencyCode)
      .where('code', '=', input.officeCode)
      .executeTakeFirst();
    if (!o) throw new AppError('NOT_FOUND', `该机构没有编码为 ${input.officeCode} 的大厅或办事处。`);
    officeId = Number(o.id);
  }
  const totpSecret = input.totpSecret ?? newTotpSecret();
  const row = await db
    .insertInto('users')
    .values({
      kind: 'staff',
      login: input.login,
      mobile: null,
      password_hash: await hashPassword(input.password),
      name: input.name,
      id_no: null,
      unit_id: null,
      institution_code: null,
      agency_code: input.agencyCode,
      department_code: input.departmentCode ?? null,
      office_id: officeId,
      roles: input.roles,
      totp_secret: totpSecret,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: Number(row.id), totpSecret };
}

/** 代办: record that the agent acts for a principal until a date. */
export async function createAuthorisation(
  ctx: Ctx,
  input: { principalName: string; principalIdNo: string; principalPhone?: string; relation: string; scope: string; validUntil: string },
): Promise<{ id: number }> {
  const id = actorId(ctx.actor);
  if (id === null || ctx.actor.kind !== 'user') throw new AppError('AUTH_REQUIRED');
  if (citizenIdProblem(input.principalIdNo, ctx.today)) throw new AppError('ID_NO_INVALID', '被代办人的公民身份号码不正确，请核对。');
  if (input.validUntil < ctx.today) throw new AppError('AUTHORISATION_INVALID', '授权截止日期不能早于今天。');
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('authorisations')
      .values({
        agent_user_id: id,
        principal_name: input.principalName.trim(),
        principal_id_no: input.principalIdNo.trim().toUpperCase(),
        principal_phone: input.principalPhone ?? null,
        relation: input.relation,
        scope: input.scope,
        valid_until: input.validUntil,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await appendAudit(trx, {
      actorKind: 'user',
      actorId: String(id),
      actorLabel: actorLabel(ctx.actor),
      action: 'authorisation.create',
      subjectKind: 'authorisation',
      subjectId: String(row.id),
      requestId: ctx.requestId,
      ip: ctx.ip,
      data: { relation: input.relation, scope: input.scope, validUntil: input.validUntil },
    });
    return { id: Number(row.id) };
  });
}

/** The authorisations an agent holds, newest first; `active` while neither revoked nor expired. */
export async function myAuthorisations(ctx: Ctx, agent: UserActor) {
  const rows = await ctx.db.selectFrom('authorisations').selectAll().where('agent_user_id', '=', agent.id).orderBy('id', 'desc').execute();
  return {
    items: rows.map((x) => ({
      id: Number(x.id),
      principalName: x.principal_name,
      principalIdNoMasked: maskCitizenId(x.principal_id_no),
      relation: x.relation,
      scope: x.scope,
      validUntil: x.valid_until,
      active: !x.revoked_at && x.valid_until >= ctx.today,
      confirmed: x.confirmed_at !== null,
    })),
  };
}

/** Dev only: the SMS "provider" is a table; what would have been texted, newest 200. */
export async function sentSms(ctx: Ctx, mobile?: string) {
  let q = ctx.db.selectFrom('sms_messages').selectAll().orderBy('id', 'desc').limit(200);
  if (mobile) q = q.where('phone', '=', mobile);
  const rows = await q.execute();
  return { messages: rows.map((m) => ({ phone: m.phone, text: m.text, at: new Date(m.created_at).toISOString() })) };
}
