/** Account routes: thin handlers (validate → authorise → service → present). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  authorisationIn,
  authorisationOut,
  codeIn,
  codeSentOut,
  windowCheckIn,
  windowCheckOut,
  devSmsOut,
  loginIn,
  meOut,
  registerIn,
  smsCodeIn,
  smsCodeOut,
  userOut,
} from '../../../common/api-accounts.ts';
import { AppError } from '../../../common/errors.ts';
import { maskCitizenId, maskMobile } from '../../../common/ids.ts';
import type { AppDeps } from '../../http/deps.ts';
import type { UserActor } from '../../http/actor.ts';
import { clearSessionCookies, SESSION_COOKIE, setSessionCookies } from './http.ts';
import { requireStaff, requireUser } from '../../http/access.ts';
import { confirmAuthorisation, requestIdentityCode, sendAuthorisationCode, verifyAtWindow, verifyIdentity } from './identity.ts';
import { createAuthorisation, login, myAuthorisations, register, requestSmsCode, sentSms } from './service.ts';
import { createSession, revokeSession } from './sessions.ts';
import { securityRoutes } from './security-routes.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

export function presentUser(a: UserActor): z.infer<typeof userOut> {
  return {
    id: a.id,
    kind: a.userKind,
    name: a.name,
    login: a.userKind === 'staff' ? a.login : maskMobile(a.login),
    mobileMasked: a.mobile ? maskMobile(a.mobile) : null,
    idNoMasked: a.idNo ? maskCitizenId(a.idNo) : null,
    agencyCode: a.agencyCode,
    officeId: a.officeId,
    roles: a.roles,
    idVerified: a.userKind === 'citizen' || a.userKind === 'agent' ? a.idVerified : null,
  };
}

export function accountRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const secure = deps.config.cookieSecure;

  r.post(
    '/api/auth/sms-code',
    { schema: { summary: '发送短信验证码', tags: ['账号'], body: smsCodeIn, response: { 200: smsCodeOut } } },
    async (req) => ({ ...(await requestSmsCode(deps.ctx(req), req.body)), devViewer: deps.config.DEV_TOOLS === 'on' }),
  );

  r.post(
    '/api/auth/register',
    { schema: { summary: '注册（手机号+验证码+身份证号）', tags: ['账号'], body: registerIn, response: { 201: meOut } } },
    async (req, reply) => {
      const ctx = deps.ctx(req);
      const actor = await register(ctx, req.body);
      const s = await createSession(ctx.db, actor.id, ctx.now, req.ip, req.headers['user-agent']);
      setSessionCookies(reply, s, secure);
      return reply.status(201).send({ user: presentUser(actor), csrf: s.csrf });
    },
  );

  r.post(
    '/api/auth/login',
    { schema: { summary: '登录（工作人员需动态验证码）', tags: ['账号'], body: loginIn, response: { 200: meOut } } },
    async (req, reply) => {
      const ctx = deps.ctx(req);
      const actor = await login(ctx, req.body);
      const s = await createSession(ctx.db, actor.id, ctx.now, req.ip, req.headers['user-agent']);
      setSessionCookies(reply, s, secure);
      return { user: presentUser(actor), csrf: s.csrf };
    },
  );

  r.post(
    '/api/auth/logout',
    { schema: { summary: '退出登录', tags: ['账号'], response: { 200: z.object({ ok: z.boolean() }) } } },
    async (req, reply) => {
      const token = req.cookies[SESSION_COOKIE];
      if (token) {
        const ctx = deps.ctx(req);
        await revokeSession(ctx.db, token, ctx.now);
      }
      clearSessionCookies(reply);
      return { ok: true };
    },
  );

  r.get('/api/auth/me', { schema: { summary: '当前登录账号', tags: ['账号'], response: { 200: meOut } } }, async (req) => ({
    user: req.actor.kind === 'user' ? presentUser(req.actor) : null,
    csrf: req.sessionCsrf,
  }));

  r.post(
    '/api/authorisations',
    { schema: { summary: '登记代办授权', tags: ['账号'], body: authorisationIn, response: { 201: z.object({ id: z.number() }) } } },
    async (req, reply) => {
      const a = requireUser(req);
      if (a.userKind === 'staff') throw new AppError('FORBIDDEN');
      const res = await createAuthorisation(deps.ctx(req), req.body);
      return reply.status(201).send(res);
    },
  );

  r.get(
    '/api/authorisations',
    { schema: { summary: '我的代办授权', tags: ['账号'], response: { 200: z.object({ items: z.array(authorisationOut) }) } } },
    async (req) => {
      const a = requireUser(req);
      return myAuthorisations(deps.ctx(req), a);
    },
  );

  // A verified identity: a code to the registry's number for the account's ID number, or a window check.
  r.post(
    '/api/auth/identity/code',
    { schema: { summary: '发送身份核验验证码（至医保登记的手机号码）', tags: ['账号'], response: { 200: codeSentOut } } },
    async (req) => {
      requireUser(req);
      return requestIdentityCode(deps.ctx(req));
    },
  );

  r.post('/api/auth/identity/verify', { schema: { summary: '核验身份', tags: ['账号'], body: codeIn, response: { 200: meOut } } }, async (req) => {
    requireUser(req);
    const actor = await verifyIdentity(deps.ctx(req), req.body.code);
    return { user: presentUser(actor), csrf: req.sessionCsrf };
  });

  r.post(
    '/api/staff/identity-checks',
    { schema: { summary: '窗口核验账号身份（已查验身份证原件）', tags: ['账号'], body: windowCheckIn, response: { 200: windowCheckOut } } },
    async (req) => {
      requireStaff(req, ['acceptor', 'agency_admin']);
      return verifyAtWindow(deps.ctx(req), req.body);
    },
  );

  r.post(
    '/api/authorisations/:id/code',
    { schema: { summary: '向被代办人发送确认验证码', tags: ['账号'], params: idParams, response: { 200: codeSentOut } } },
    async (req) => {
      requireUser(req);
      return sendAuthorisationCode(deps.ctx(req), req.params.id);
    },
  );

  r.post(
    '/api/authorisations/:id/confirm',
    { schema: { summary: '被代办人确认代办授权', tags: ['账号'], params: idParams, body: codeIn, response: { 200: z.object({ ok: z.boolean() }) } } },
    async (req) => {
      requireUser(req);
      await confirmAuthorisation(deps.ctx(req), req.params.id, req.body.code);
      return { ok: true };
    },
  );

  securityRoutes(app, deps);

  if (deps.config.DEV_TOOLS === 'on') {
    // Dev only: the SMS "provider" is a table; this shows what would have been texted.
    r.get(
      '/api/dev/sms',
      {
        schema: {
          summary: '开发环境：查看已发送的短信',
          tags: ['开发'],
          querystring: z.object({ mobile: z.string().optional() }),
          response: { 200: devSmsOut },
        },
      },
      async (req) => {
        return sentSms(deps.ctx(req), req.query.mobile);
      },
    );
  }
}
