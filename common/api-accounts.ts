/** Request/response schemas for accounts (one pair per endpoint; the web forms use the same). */
import { z } from 'zod';
import { calendarDate } from './date-schema.ts';
import { STAFF_ROLES } from './workflow.ts';

const mobile = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, '手机号码应为11位，以13–19开头');

export const smsCodeIn = z.object({ mobile, purpose: z.enum(['register', 'login', 'reset']) });
export const smsCodeOut = z.object({
  expiresInSeconds: z.number(),
  /** Whether this server shows sent texts at /api/dev/sms (DEV_TOOLS=on); the page links to it only then. */
  devViewer: z.boolean(),
});

export const registerIn = z.object({
  kind: z.enum(['citizen', 'agent', 'unit', 'institution']).default('citizen'),
  mobile,
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, '验证码为6位数字'),
  password: z.string().min(1, '请输入密码').max(128),
  name: z.string().trim().min(1, '请输入姓名').max(50),
  idNo: z.string().trim().min(1, '请输入公民身份号码').max(18),
  uscc: z.string().trim().max(18).optional(),
  unitName: z.string().trim().max(100).optional(),
  /** A unit account: the agency that decides the clerk request when the unit has no 参保登记 there yet. */
  agencyCode: z.string().trim().max(32).optional(),
  institutionCode: z.string().trim().max(20).optional(),
});

export const loginIn = z.object({
  login: z.string().trim().min(1, '请输入账号').max(64),
  password: z.string().min(1, '请输入密码').max(128),
  totp: z.string().trim().max(6).optional(),
});

export const userOut = z.object({
  id: z.number(),
  kind: z.enum(['citizen', 'agent', 'unit', 'institution', 'staff']),
  name: z.string(),
  login: z.string(),
  mobileMasked: z.string().nullable(),
  idNoMasked: z.string().nullable(),
  agencyCode: z.string().nullable(),
  officeId: z.number().nullable(),
  roles: z.array(z.enum(STAFF_ROLES)),
  /** A personal account's ID number is verified (registry facts and submitting need it); null for other kinds. */
  idVerified: z.boolean().nullable(),
});
export type UserOut = z.infer<typeof userOut>;

export const meOut = z.object({ user: userOut.nullable(), csrf: z.string().nullable() });
export type MeOut = z.infer<typeof meOut>;

export const authorisationIn = z.object({
  principalName: z.string().trim().min(1).max(50),
  principalIdNo: z.string().trim().min(15).max(18),
  principalPhone: mobile.optional(),
  relation: z.string().trim().min(1).max(30),
  scope: z.string().trim().min(1).max(200),
  validUntil: calendarDate,
});
export const authorisationOut = z.object({
  id: z.number(),
  principalName: z.string(),
  principalIdNoMasked: z.string(),
  relation: z.string(),
  scope: z.string(),
  validUntil: z.string(),
  active: z.boolean(),
  /** The principal confirmed it (a code sent to the registry's number for the principal); only then can it be used. */
  confirmed: z.boolean(),
});

const code = z
  .string()
  .trim()
  .regex(/^\d{6}$/, '验证码为6位数字');
export const codeIn = z.object({ code });
/** The answer to a code request: the same whether or not the registry holds a number (and then nothing is sent). */
export const codeSentOut = z.object({ expiresInSeconds: z.number() });
export const windowCheckIn = z.object({
  login: mobile,
  idNo: z.string().trim().min(15, '请输入公民身份号码').max(18),
  cardChecked: z.boolean(),
});
export const windowCheckOut = z.object({ id: z.number(), name: z.string(), idNoMasked: z.string(), alreadyVerified: z.boolean() });

export const devSmsOut = z.object({ messages: z.array(z.object({ phone: z.string(), text: z.string(), at: z.string() })) });

const smsCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, '验证码为6位数字');

/** POST /api/auth/password: change the password of the logged-in account. */
export const passwordChangeIn = z.object({
  current: z.string().min(1, '请输入原密码').max(128),
  next: z.string().min(1, '请输入新密码').max(128),
});
export const passwordChangeOut = z.object({ ok: z.literal(true), revokedSessions: z.number() });

/** POST /api/auth/reset: a new password with the reset code texted to the account's mobile. */
export const passwordResetIn = z.object({ mobile, code: smsCode, password: z.string().min(1, '请输入新密码').max(128) });
export const passwordResetOut = z.object({ ok: z.literal(true) });

/** GET /api/auth/sessions: the account's live sessions (never a token). */
export const sessionOut = z.object({
  id: z.number(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  ip: z.string().nullable(),
  /** Browser and system, e.g. "Chrome · Android". */
  device: z.string(),
  current: z.boolean(),
});
export type SessionOut = z.infer<typeof sessionOut>;
export const sessionsOut = z.object({
  items: z.array(sessionOut),
  /** Minutes of inactivity after which this account's sessions end. */
  idleMinutes: z.number(),
});
export const revokeOthersOut = z.object({ revoked: z.number() });
export const revokeOneOut = z.object({ ok: z.literal(true), current: z.boolean() });
