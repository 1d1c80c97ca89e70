/** 账号安全: change and reset the password, list and end sessions. Thin handlers (validate → authorise → service → present). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  passwordChangeIn,
  passwordChangeOut,
  passwordResetIn,
  passwordResetOut,
  revokeOneOut,
  revokeOthersOut,
  sessionsOut,
} from '../../../common/api-accounts.ts';
import { AppError } from '../../../common/errors.ts';
import type { AppDeps } from '../../http/deps.ts';
import { requireUser } from '../../http/access.ts';
import { clearSessionCookies, SESSION_COOKIE } from './http.ts';
import { changePassword, resetPassword } from './passwords.ts';
import { idleLimitMs, listSessions, revokeOtherSessions, revokeSessionById } from './sessions.ts';

/** The request's session token: a logged-in request always has one. */
function token(req: FastifyRequest): string {
  const t = req.cookies[SESSION_COOKIE];
  if (!t) throw new AppError('AUTH_REQUIRED');
  return t;
}

export function securityRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/auth/password',
    { schema: { summary: '修改密码（其他设备上的登录随之退出）', tags: ['账号'], body: passwordChangeIn, response: { 200: passwordChangeOut } } },
    async (req) => {
      const a = requireUser(req);
      const res = await changePassword(deps.ctx(req), a, token(req), req.body);
      return { ok: true as const, ...res };
    },
  );

  r.post(
    '/api/auth/reset',
    { schema: { summary: '用短信验证码重置密码（所有登录随之退出）', tags: ['账号'], body: passwordResetIn, response: { 200: passwordResetOut } } },
    async (req, reply) => {
      const res = await resetPassword(deps.ctx(req), req.body);
      clearSessionCookies(reply);
      return res;
    },
  );

  r.get('/api/auth/sessions', { schema: { summary: '我的登录设备', tags: ['账号'], response: { 200: sessionsOut } } }, async (req) => {
    const a = requireUser(req);
    const res = await listSessions(deps.ctx(req), a, req.cookies[SESSION_COOKIE]);
    return { ...res, idleMinutes: idleLimitMs(a.userKind) / 60_000 };
  });

  r.post(
    '/api/auth/sessions/revoke-others',
    { schema: { summary: '在其他设备上退出', tags: ['账号'], response: { 200: revokeOthersOut } } },
    async (req) => {
      const a = requireUser(req);
      return revokeOtherSessions(deps.ctx(req), a, token(req));
    },
  );

  r.delete(
    '/api/auth/sessions/:id',
    {
      schema: {
        summary: '退出某一登录设备',
        tags: ['账号'],
        params: z.object({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) }),
        response: { 200: revokeOneOut },
      },
    },
    async (req, reply) => {
      const a = requireUser(req);
      const res = await revokeSessionById(deps.ctx(req), a, req.params.id, req.cookies[SESSION_COOKIE]);
      if (res.current) clearSessionCookies(reply);
      return { ok: true as const, current: res.current };
    },
  );
}
