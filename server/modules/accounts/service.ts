/**
 * Accounts: citizen registration with an SMS code, login with lockout and audit, staff with TOTP,
 * sessions stored by hash, units and agent authorisations. Services take ctx first.
 */
import { createHash, randomInt } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { UsersTable } from '../../db/types-cases.ts';
import { sql } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../../common/errors.ts';
import { citizenIdProblem, isInstitutionCode, isMobile, maskCitizenId, usccProblem } from '../../../common/ids.ts';
import { STAFF_ROLES, type StaffRole } from '../../../common/workflow.ts';
import { assertStrongPassword, DUMMY_HASH, hashPassword, verifyPassword } from './password.ts';
import { newTotpSecret, totpStep } from './totp.ts';
import { actorId, actorLabel, type Ctx, type UserActor, type UserKind } from '../../http/actor.ts';
import { queueMessage } from '../../platform/outbox.ts';
import { hit, refund, type Limit } from '../../platform/rate-limit.ts';
import { appendAudit } from '../audit/index.ts';
import { hasCodeAccount } from './recovery-target.ts';

export const LOCK_AFTER = 5;
export const LOCK_MINUTES = 15;
export const IP_FAILURES_PER_15_MIN = 30;
const SMS_TTL_MINUTES = 10;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function userToActor(u: Selectable<UsersTable>): UserActor {
  return {
    kind: 'user',
    id: Number(u.id),
    userKind: u.kind as UserKind,
    name: u.name,
    login: u.login,
    mobile: u.mobile,
    idNo: u.id_no,
    unitId: u.unit_id === null ? null : Number(u.unit_id),
    agencyCode: u.agency_code,
    officeId: u.office_id === null ? null : Number(u.office_id),
    departmentCode: u.department_code,
    roles: (u.roles ?? []).filter((r: string): r is StaffRole => (STAFF_ROLES as readonly string[]).includes(r)),
    badCredit: Boolean(u.bad_credit),
  };
}

/**
 * Abuse limits, counted in the database (server/platform/rate-limit.ts) so parallel requests and
 * several instances share them. Login attempts reserve a place in their address's and their login
 * name's window and give it back when they succeed: the counts are failures.
 */
export const LIMITS = {
  loginFailuresPerIp: { max: IP_FAILURES_PER_15_MIN, windowMs: 15 * 60_000 },
  loginFailuresPerLogin: { max: 10, windowMs: 15 * 60_000 },
  registerPerIp: { max: 20, windowMs: 60 * 60_000 },
  smsPerIp: { max: 20, windowMs: 60 * 60_000 },
  smsPerMobile: { max: 5, windowMs: 60 * 60_000 },
} as const satisfies Record<string, Limit>;
/** Tries one SMS code allows, right or wrong; each is counted in its own committed statement. */
export const SMS_ATTEMPTS = 5;

export async function limited(ctx: Ctx, key: string, limit: Limit, what: string): Promise<void> {
  if (await hit(ctx.db, key, limit, ctx.now)) return;
  await appendAudit(ctx.db, {
    actorKind: 'anonymous',
    actorId: null,
    actorLabel: key,
    action: 'account.rate_limited',
    subjectKind: 'user',
    subjectId: key,
    requestId: ctx.requestId,
    ip: ctx.ip,
    at: ctx.now,
    data: { what, max: limit.max, windowMinutes: limit.windowMs / 60_000 },
  });
  throw new AppError('RATE_LIMITED');
}

/** Send a 6-digit code by SMS (through the outbox). One per minute per number and purpose; per-address and per-number limits. */
export async function requestSmsCode(
  ctx: Ctx,
  input: { mobile: string; purpose: 'register' | 'login' | 'reset' },
): Promise<{ expiresInSeconds: number }> {
  if (!isMobile(input.mobile)) throw new AppError('VALIDATION_FAILED', '手机号码应为11位，以13–19开头。');
  if (ctx.ip) await limited(ctx, `sms-ip:${ctx.ip}`, LIMITS.smsPerIp, 'sms_ip');
  await limited(ctx, `sms-mobile:${input.mobile}`, LIMITS.smsPerMobile, 'sms_mobile');
  if (input.purpose === 'register') {
    const taken = await ctx.db.selectFrom('users').select('id').where('login', '=', input.mobile).executeTakeFirst();
    if (taken) throw new AppError('MOBILE_TAKEN');
  }
  return ctx.db.transaction().execute(async (trx) => {
    const recent = await trx
      .selectFrom('sms_codes')
      .select('id')
      .where('mobile', '=', input.mobile)
      .where('purpose', '=', input.purpose)
      .where('created_at', '>', new Date(ctx.now.getTime() - 60_000))
      .executeTakeFirst();
    if (recent) throw new AppError('SMS_TOO_FREQUENT');
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await trx
      .insertInto('sms_codes')
      .values({
        mobile: input.mobile,
        purpose: input.purpose,
        code_hash: sha256(`${input.mobile}:${input.purpose}:${code}`),
        expires_at: new Date(ctx.now.getTime() + SMS_TTL_MINUTES * 60_000),
        created_at: ctx.now,
      })
      .execute();
    const what = input.purpose === 'register' ? '注册' : input.purpose === 'login' ? '登录' : '重置密码';
    // A login or reset code goes only to a number that has an account; for any other the code is
    // stored all the same (so the per-minute rule and the tries behave alike) but nothing is sent,
    // and the answer is the same: the answer never tells whether a number is registered.
    if (input.purpose !== 'register' && !(await hasCodeAccount(trx, input.mobile))) return { expiresInSeconds: SMS_TTL_MINUTES * 60 };
    await queueMessage(trx, {
      channel: 'sms',
      recipient: input.mobile,
      subject: '验证码',
      body: `【医保经办】您的${what}验证码是${code}，${SMS_TTL_MINUTES}分钟内有效。请勿告诉他人。`,
      meta: { purpose: input.purpose },
    });
    return { expiresInSeconds: SMS_TTL_MINUTES * 60 };
  });
}

/**
 * Check an SMS code. The try is counted first, in one committed statement on the newest unused
 * code (so a wrong code burns a try even though the request then fails, and parallel tries each
 * count); after SMS_ATTEMPTS tries the code is dead, even for the right value. Returns the code's
 * id, to be marked used by `useSmsCode` inside the transaction that acts on it.
 */
export async function checkSmsCode(db: Db, now: Date, mobile: string, purpose: string, code: string): Promise<number> {
  const r = await sql<{ id: number; code_hash: string }>`
    update sms_codes set attempts = attempts + 1
    where id = (select max(id) from sms_codes where mobile = ${mobile} and purpose = ${purpose} and used_at is null)
      and used_at is null and attempts < ${SMS_ATTEMPTS} and expires_at > ${now}
    returning id, code_hash`.execute(db);
  const row = r.rows[0];
  if (!row || row.code_hash !== sha256(`${mobile}:${purpose}:${code}`)) throw new AppError('SMS_CODE_INVALID');
  return Number(row.id);
}

/** Mark a checked code used, once: a second request with the same code finds it gone. */
export async function useSmsCode(trx: Transaction<DB>, id: number, now: Date): Promise<void> {
  const r = await trx.updateTable('sms_codes').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new AppError('SMS_CODE_INVALID');
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
    if (taken) throw new AppError('MOBILE_TAKEN');
    if (input.kind === 'citizen') {
      const idTaken = await trx.selectFrom('users').select('id').where('id_no', '=', idNo).where('kind', '=', 'citizen').executeTakeFirst();
      if (idTaken) throw new AppError('ID_NO_TAKEN');
    }
    let unitId: number | null = null;
    if (input.kind === 'unit') {
      const uscc = input.uscc!.trim().toUpperCase();
      const existing = await trx.selectFrom('units').select('id').where('uscc', '=', uscc).executeTakeFirst();
      unitId = existing
        ? Number(existing.id)
        : Number(
            (
              await trx
                .insertInto('units')
                .values({ uscc, name: input.unitName?.trim() || uscc })
                .returning('id')
                .executeTakeFirstOrThrow()
            ).id,
          );
    }
    const u = await trx
      .insertInto('users')
      .values({
        kind: input.kind,
        login: input.mobile,
        mobile: input.mobile,
        password_hash: hash,
        name: input.name.trim(),
        id_no: idNo,
        unit_id: unitId,
        institution_code: input.institutionCode?.trim().toUpperCase() ?? null,
        roles: [],
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const actor = userToActor(u);
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
 * Password login. Staff must also give a current TOTP code. After LOCK_AFTER
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
