/**
 * Accounts: citizen registration with an SMS code, login with lockout and audit, staff with TOTP,
 * sessions stored by hash, units and agent authorisations. Services take ctx first.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { UsersTable } from '../../db/types-cases.ts';
import { sql } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../../common/errors.ts';
import { citizenIdProblem, isInstitutionCode, isMobile, maskCitizenId, usccProblem } from '../../../common/ids.ts';
import { STAFF_ROLES, type StaffRole } from '../../../common/workflow.ts';
import { DUMMY_HASH, hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { newTotpSecret, verifyTotp } from './totp.ts';
import { actorId, actorLabel, type Ctx, type UserActor, type UserKind } from '../../http/actor.ts';
import { queueMessage } from '../../platform/outbox.ts';
import { appendAudit } from '../audit/index.ts';

export const SESSION_DAYS = 7;
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

/** Send a 6-digit code by SMS (through the outbox). One per minute per number and purpose. */
export async function requestSmsCode(
  ctx: Ctx,
  input: { mobile: string; purpose: 'register' | 'login' | 'reset' },
): Promise<{ expiresInSeconds: number }> {
  if (!isMobile(input.mobile)) throw new AppError('VALIDATION_FAILED', '手机号码应为11位，以13–19开头。');
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

async function consumeSmsCode(trx: Transaction<DB>, now: Date, mobile: string, purpose: string, code: string): Promise<void> {
  const row = await trx
    .selectFrom('sms_codes')
    .selectAll()
    .where('mobile', '=', mobile)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .orderBy('id', 'desc')
    .forUpdate()
    .executeTakeFirst();
  if (!row || new Date(row.expires_at) < now || row.attempts >= 5) throw new AppError('SMS_CODE_INVALID');
  if (row.code_hash !== sha256(`${mobile}:${purpose}:${code}`)) {
    await trx
      .updateTable('sms_codes')
      .set({ attempts: sql`attempts + 1` })
      .where('id', '=', row.id)
      .execute();
    throw new AppError('SMS_CODE_INVALID');
  }
  await trx.updateTable('sms_codes').set({ used_at: now }).where('id', '=', row.id).execute();
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
  const pw = passwordProblem(input.password);
  if (pw) throw new AppError('WEAK_PASSWORD');
  const idNo = input.idNo.trim().toUpperCase();
  if (citizenIdProblem(idNo, ctx.today)) throw new AppError('ID_NO_INVALID');
  if (input.kind === 'unit' && (!input.uscc || usccProblem(input.uscc))) throw new AppError('USCC_INVALID');
  if (input.kind === 'institution' && (!input.institutionCode || !isInstitutionCode(input.institutionCode)))
    throw new AppError('VALIDATION_FAILED', '定点医药机构编码应为 H（医疗机构）或 P（零售药店）加6位行政区划代码和顺序号，如 H42028100001。');
  const hash = await hashPassword(input.password);
  return ctx.db.transaction().execute(async (trx) => {
    await consumeSmsCode(trx, ctx.now, input.mobile, 'register', input.code);
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
 * Password login. Staff must also give a current TOTP code. After LOCK_AFTER failures the account
 * is locked for LOCK_MINUTES; an IP with too many failures is rate-limited. Every attempt is audited.
 */
export async function login(ctx: Ctx, input: { login: string; password: string; totp?: string }): Promise<UserActor> {
  const loginName = input.login.trim();
  const since = new Date(ctx.now.getTime() - LOCK_MINUTES * 60_000);
  if (ctx.ip) {
    const r = await ctx.db
      .selectFrom('login_attempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ip', '=', ctx.ip)
      .where('ok', '=', false)
      .where('at', '>', since)
      .executeTakeFirstOrThrow();
    if (Number(r.n) >= IP_FAILURES_PER_15_MIN) throw new AppError('RATE_LIMITED');
  }
  const u = await ctx.db.selectFrom('users').selectAll().where('login', '=', loginName).executeTakeFirst();
  const fail = async (reason: string, code: 'BAD_CREDENTIALS' | 'TOTP_INVALID' | 'TOTP_REQUIRED' | 'ACCOUNT_LOCKED') => {
    await ctx.db.transaction().execute(async (trx) => {
      await recordAttempt(trx, loginName, ctx.ip, false, reason, ctx.now);
      if (u && code !== 'TOTP_REQUIRED' && code !== 'ACCOUNT_LOCKED') {
        const failed = u.failed_logins + 1;
        await trx
          .updateTable('users')
          .set({ failed_logins: failed, locked_until: failed >= LOCK_AFTER ? new Date(ctx.now.getTime() + LOCK_MINUTES * 60_000) : u.locked_until })
          .where('id', '=', u.id)
          .execute();
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
        data: { reason },
      });
    });
    throw new AppError(code);
  };
  if (!u) {
    await verifyPassword(input.password, DUMMY_HASH);
    return fail('unknown_login', 'BAD_CREDENTIALS');
  }
  if (u.locked_until && new Date(u.locked_until) > ctx.now) return fail('locked', 'ACCOUNT_LOCKED');
  if (u.disabled) return fail('disabled', 'BAD_CREDENTIALS');
  if (!(await verifyPassword(input.password, u.password_hash))) return fail('bad_password', 'BAD_CREDENTIALS');
  if (u.kind === 'staff') {
    if (!input.totp) return fail('totp_missing', 'TOTP_REQUIRED');
    if (!u.totp_secret || !verifyTotp(u.totp_secret, input.totp.trim(), ctx.now)) return fail('bad_totp', 'TOTP_INVALID');
  }
  const actor = userToActor(u);
  await ctx.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', u.id).execute();
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
    });
  });
  return actor;
}

export interface NewSession {
  token: string;
  csrf: string;
  expiresAt: Date;
}

export async function createSession(db: Db, userId: number, now: Date, ip?: string): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86400_000);
  await db
    .insertInto('sessions')
    .values({ id_hash: sha256(token), user_id: userId, csrf, expires_at: expiresAt, ip: ip ?? null })
    .execute();
  return { token, csrf, expiresAt };
}

export async function resolveSession(db: Db, token: string, now: Date): Promise<{ actor: UserActor; csrf: string } | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.csrf', 'sessions.expires_at', 'sessions.revoked_at'])
    .where('sessions.id_hash', '=', sha256(token))
    .executeTakeFirst();
  if (!row || row.revoked_at || new Date(row.expires_at) < now || row.disabled) return null;
  return { actor: userToActor(row), csrf: row.csrf };
}

export async function revokeSession(db: Db, token: string, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('id_hash', '=', sha256(token)).execute();
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
  if (passwordProblem(input.password)) throw new AppError('WEAK_PASSWORD');
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
