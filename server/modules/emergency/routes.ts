/** Emergency-mode routes: thin handlers that validate, authorise, open the transaction and present. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { agencyCodeParam } from '../../../common/api.ts';
import {
  adminEmergencyOut,
  decideIn,
  postAuditListOut,
  postAuditQuery,
  publicEmergencyOut,
  reviseIn,
  reviseOut,
  switchOffIn,
  switchOnIn,
  switchOut,
  type PublicEmergencyOut,
} from '../../../common/api-emergency.ts';
import type { AppDeps } from '../../http/deps.ts';
import { requireStaff } from '../../http/access.ts';
import { decidePostAudit, reviseRegime, switchOff, switchOn } from './service.ts';
import { adminEmergency, periodAfter, postAuditList, publicEmergency } from './views.ts';

export function emergencyRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/agencies/:code/emergency',
    {
      schema: {
        tags: ['catalog'],
        summary: '应急状态：生效中的应急预案（公告、不见面渠道、暂缓办理、自动通过、长处方、预约办理等措施）',
        params: agencyCodeParam,
        response: { 200: publicEmergencyOut },
      },
    },
    async (req): Promise<PublicEmergencyOut> => {
      return publicEmergency(deps.ctx(req), req.params.code);
    },
  );

  r.get(
    '/api/admin/emergency',
    { schema: { tags: ['管理'], summary: '本机构的应急预案、应急状态期间和已延长的有效期', response: { 200: adminEmergencyOut } } },
    async (req) => {
      const a = requireStaff(req, ['agency_admin', 'supervisor']);
      return adminEmergency(deps.ctx(req), a);
    },
  );

  r.post(
    '/api/admin/emergency/regimes/:regime/versions',
    {
      schema: {
        tags: ['管理'],
        summary: '修订应急预案（保存为新版本；生效中的应急状态随之采用新版本）',
        params: z.object({ regime: z.string().regex(/^[a-z0-9-]{1,60}$/) }),
        body: reviseIn,
        response: { 201: reviseOut },
      },
    },
    async (req, reply) => {
      requireStaff(req, ['agency_admin']);
      const out = await deps.tx(req, (ctx) => reviseRegime(ctx, req.params.regime, req.body));
      return reply.status(201).send({ code: req.params.regime, ...out });
    },
  );

  r.post(
    '/api/admin/emergency/on',
    { schema: { tags: ['管理'], summary: '启用应急状态（开始日期，可选结束日期）', body: switchOnIn, response: { 201: switchOut } } },
    async (req, reply) => {
      requireStaff(req, ['agency_admin']);
      const out = await deps.tx(req, async (ctx) => {
        const { periodId, extended } = await switchOn(ctx, req.body);
        return { period: await periodAfter(ctx, periodId), extended };
      });
      return reply.status(201).send(out);
    },
  );

  r.post(
    '/api/admin/emergency/off',
    { schema: { tags: ['管理'], summary: '关闭应急状态（已延长的有效期保持不变）', body: switchOffIn, response: { 200: switchOut } } },
    async (req) => {
      requireStaff(req, ['agency_admin']);
      return deps.tx(req, async (ctx) => {
        const { periodId } = await switchOff(ctx, req.body);
        return { period: await periodAfter(ctx, periodId), extended: 0 };
      });
    },
  );

  r.get(
    '/api/staff/post-audits',
    {
      schema: { tags: ['后台'], summary: '事后审核队列（应急期间自动通过的办件）', querystring: postAuditQuery, response: { 200: postAuditListOut } },
    },
    async (req) => {
      const a = requireStaff(req, ['reviewer', 'rechecker', 'agency_admin', 'supervisor']);
      return postAuditList(deps.ctx(req), a, req.query);
    },
  );

  r.post(
    '/api/staff/post-audits/:id/decision',
    {
      schema: {
        tags: ['后台'],
        summary: '事后审核：确认无误或标记存疑',
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: decideIn,
        response: { 200: z.object({ ok: z.boolean() }) },
      },
    },
    async (req) => {
      requireStaff(req, ['reviewer', 'rechecker', 'agency_admin']);
      await deps.tx(req, (ctx) => decidePostAudit(ctx, req.params.id, req.body));
      return { ok: true };
    },
  );
}
