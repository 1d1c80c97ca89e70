/**
 * Sessions: a random token in an HttpOnly cookie, stored only as its SHA-256. A session ends when
 * it is revoked (logout, "sign out elsewhere", a password change or reset), SESSION_DAYS after it
 * was made, or after an idle spell: IDLE_MINUTES.staff (30) for staff, IDLE_MINUTES.other (120) for
 * everyone else. last_seen_at is bumped by at most one statement a minute per session
 * (SEEN_EVERY_MS), so busy pages do not write on every request. Times come from the injected clock.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../../common/errors.ts';
import { actorLabel, type Ctx, type UserActor } from '../../http/actor.ts';
import { appendAudit } from '../audit/index.ts';
import { userToActor } from './service.ts';

export const SESSION_DAYS = 7;
/** Idle timeout in minutes: staff see personal data of many people, so theirs is short. */
export const IDLE_MINUTES = { staff: 30, other: 120 } as const;
/** last_seen_at is written at most this often for one session. */
export const SEEN_EVERY_MS = 60_000;
const USER_AGENT_MAX = 300;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export function idleLimitMs(userKind: string): number {
  return (userKind === 'staff' ? IDLE_MINUTES.staff : IDLE_MINUTES.other) * 60_000;
}

export interface NewSession {
  token: string;
  csrf: string;
  expiresAt: Date;
}

export async function createSession(db: Db, userId: number, now: Date, ip?: string, userAgent?: string): Promise<NewSession> {
  const token = randomBytes(32).toString('base64url');
  const csrf = randomBytes(24).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86400_000);
  await db
    .insertInto('sessions')
    .values({
      id_hash: sha256(token),
      user_id: userId,
      csrf,
      created_at: now,
      last_seen_at: now,
      expires_at: expiresAt,
      ip: ip ?? null,
      user_agent: userAgent ? userAgent.slice(0, USER_AGENT_MAX) : null,
    })
    .execute();
  return { token, csrf, expiresAt };
}

/** The session's user, or null when the token is unknown, revoked, expired, idle too long, or the account is disabled. */
export async function resolveSession(db: Kysely<DB>, token: string, now: Date): Promise<{ actor: UserActor; csrf: string } | null> {
  const idHash = sha256(token);
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(['sessions.csrf', 'sessions.expires_at', 'sessions.revoked_at', 'sessions.last_seen_at'])
    .where('sessions.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row || row.revoked_at || new Date(row.expires_at) < now || row.disabled) return null;
  const seen = new Date(row.last_seen_at).getTime();
  if (now.getTime() - seen > idleLimitMs(row.kind)) return null;
  if (now.getTime() - seen >= SEEN_EVERY_MS) {
    // One statement; parallel requests of the same minute find it done and change nothing.
    await db
      .updateTable('sessions')
      .set({ last_seen_at: now })
      .where('id_hash', '=', idHash)
      .where('last_seen_at', '<=', new Date(now.getTime() - SEEN_EVERY_MS))
      .execute();
  }
  return { actor: userToActor(row), csrf: row.csrf };
}

export async function revokeSession(db: Db, token: string, now: Date): Promise<void> {
  await db.updateTable('sessions').set({ revoked_at: now }).where('id_hash', '=', sha256(token)).execute();
}

/** Revoke every live session of a user except the one with `keepToken` (all of them without it); returns how many. */
export async function revokeUserSessions(db: Db, userId: number, now: Date, keepToken?: string): Promise<number> {
  let q = db
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now);
  if (keepToken) q = q.where('id_hash', '<>', sha256(keepToken));
  const r = await q.executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** "Chrome · Android": the browser and system named by a User-Agent header, for the session list. */
export function userAgentSummary(ua: string | null): string {
  if (!ua) return '未知设备';
  const browser = /MicroMessenger/i.test(ua)
    ? '微信'
    : /Edg\//.test(ua)
      ? 'Edge'
      : /Firefox\//.test(ua)
        ? 'Firefox'
        : /(Chrome|Chromium|CriOS)\//.test(ua)
          ? 'Chrome'
          : /Safari\//.test(ua)
            ? 'Safari'
            : /node|undici|curl/i.test(ua)
              ? '程序客户端'
              : '其他浏览器';
  const system = /Android/i.test(ua)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'iOS'
      : /HarmonyOS/i.test(ua)
        ? 'HarmonyOS'
        : /Windows/.test(ua)
          ? 'Windows'
          : /Mac OS X|Macintosh/.test(ua)
            ? 'macOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : null;
  return system ? `${browser} · ${system}` : browser;
}

export interface SessionView {
  id: number;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  device: string;
  current: boolean;
}

/** The user's live sessions (not revoked, expired or idle too long), the current one first, then the most recently used. */
export async function listSessions(ctx: Ctx, actor: UserActor, currentToken: string | undefined): Promise<{ items: SessionView[] }> {
  const rows = await ctx.db
    .selectFrom('sessions')
    .select(['id', 'id_hash', 'created_at', 'last_seen_at', 'ip', 'user_agent'])
    .where('user_id', '=', actor.id)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', ctx.now)
    .where('last_seen_at', '>=', new Date(ctx.now.getTime() - idleLimitMs(actor.userKind)))
    .orderBy('last_seen_at', 'desc')
    .orderBy('id', 'desc')
    .execute();
  const currentHash = currentToken ? sha256(currentToken) : null;
  const items = rows.map((r) => ({
    id: Number(r.id),
    createdAt: new Date(r.created_at).toISOString(),
    lastSeenAt: new Date(r.last_seen_at).toISOString(),
    ip: r.ip,
    device: userAgentSummary(r.user_agent),
    current: r.id_hash === currentHash,
  }));
  items.sort((a, b) => Number(b.current) - Number(a.current));
  return { items };
}

async function auditSessions(ctx: Ctx, db: Db, actor: UserActor, action: 'account.sessions_revoked' | 'account.session_revoked', data: unknown) {
  await appendAudit(db, {
    actorKind: actor.userKind === 'staff' ? 'staff' : 'user',
    actorId: String(actor.id),
    actorLabel: actorLabel(actor),
    action,
    subjectKind: 'user',
    subjectId: String(actor.id),
    agencyCode: actor.agencyCode,
    requestId: ctx.requestId,
    ip: ctx.ip,
    at: ctx.now,
    data,
  });
}

/** 在其他设备上退出: revoke every other live session of the user. */
export async function revokeOtherSessions(ctx: Ctx, actor: UserActor, currentToken: string): Promise<{ revoked: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const revoked = await revokeUserSessions(trx, actor.id, ctx.now, currentToken);
    await auditSessions(ctx, trx, actor, 'account.sessions_revoked', { revoked, kept: 'current' });
    return { revoked };
  });
}

/** Revoke one of the user's own sessions by its number; another user's (or an unknown) number is NOT_FOUND. */
export async function revokeSessionById(ctx: Ctx, actor: UserActor, id: number, currentToken: string | undefined): Promise<{ current: boolean }> {
  return ctx.db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('sessions')
      .set({ revoked_at: ctx.now })
      .where('id', '=', id)
      .where('user_id', '=', actor.id)
      .where('revoked_at', 'is', null)
      .returning(['id_hash'])
      .executeTakeFirst();
    if (!row) throw new AppError('NOT_FOUND', '没有找到这个登录设备，它可能已经退出。');
    const current = currentToken !== undefined && row.id_hash === sha256(currentToken);
    await auditSessions(ctx, trx, actor, 'account.session_revoked', { session: id, current });
    return { current };
  });
}
