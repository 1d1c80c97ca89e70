/**
 * HTTP plumbing for accounts: the session cookie, the actor on every request, CSRF on writes.
 * The guards routes call (requireUser, requireStaff, …) are in server/http/access.ts.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import type {} from '../../http/access.ts'; // the request's actor is declared there
import fastifyCookie from '@fastify/cookie';
import { AppError } from '../../../common/errors.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import { resolveSession, SESSION_DAYS, type NewSession } from './sessions.ts';

export const SESSION_COOKIE = 'yb_session';
export const CSRF_COOKIE = 'yb_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** Paths that may be posted without a session (they create one). */
const CSRF_EXEMPT = new Set(['/api/auth/login', '/api/auth/register', '/api/auth/sms-code']);

export async function registerAuth(app: FastifyInstance, opts: { db: Kysely<DB>; clock: Clock; secureCookies: boolean }): Promise<void> {
  await app.register(fastifyCookie);
  app.decorateRequest('actor', null as never);
  app.decorateRequest('sessionCsrf', null);
  app.addHook('onRequest', async (req) => {
    req.actor = { kind: 'anonymous' };
    req.sessionCsrf = null;
    const token = req.cookies[SESSION_COOKIE];
    if (token && req.url.startsWith('/api/')) {
      const s = await resolveSession(opts.db, token, opts.clock.now());
      if (s) {
        req.actor = s.actor;
        req.sessionCsrf = s.csrf;
      }
    }
  });
  // Double-submit CSRF: a logged-in write must echo the session's token in a header. SameSite=Lax
  // already stops cross-site POSTs in modern browsers; the header covers older ones and other clients.
  app.addHook('preHandler', async (req) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return;
    const path = req.url.split('?')[0]!;
    if (!path.startsWith('/api/') || CSRF_EXEMPT.has(path)) return;
    if (req.sessionCsrf === null) return; // anonymous writes are checked by the routes themselves
    if (req.headers[CSRF_HEADER] !== req.sessionCsrf) throw new AppError('CSRF_FAILED');
  });
}

export function setSessionCookies(reply: FastifyReply, s: NewSession, secure: boolean): void {
  const base = { path: '/', sameSite: 'lax' as const, secure, maxAge: SESSION_DAYS * 86400 };
  reply.setCookie(SESSION_COOKIE, s.token, { ...base, httpOnly: true });
  reply.setCookie(CSRF_COOKIE, s.csrf, { ...base, httpOnly: false });
}

export function clearSessionCookies(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
  reply.clearCookie(CSRF_COOKIE, { path: '/' });
}
