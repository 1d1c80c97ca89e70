/** Case routes for staff: the queue, intake at the window, claiming, assigning, bills and saved filters. Validate, authorise, call the service. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  assignIn,
  bulkIn,
  bulkOut,
  caseDetailOut,
  caseListOut,
  claimIn,
  outOfTurnOut,
  queueQuery,
  registerCaseIn,
  savedFilterIn,
  savedFilterOut,
} from '../../../common/api-cases.ts';
import { AppError } from '../../../common/errors.ts';
import type { AppDeps } from '../../http/deps.ts';
import { requireStaff } from '../../http/access.ts';
import { idParams } from './applicant-routes.ts';
import { deleteFilter, queuePage, savedFilters, saveFilter } from './lists.ts';
import { BILL_ROLES } from './policy.ts';
import { assign, claim, colleagues, outOfTurnReport } from './queue.ts';
import { act, enterBill, registerCase, type CaseEnv } from './service.ts';
import { caseView } from './view.ts';

const billIn = z.object({
  lines: z
    .array(
      z.object({
        name: z.string().trim().min(1).max(100),
        amount: z.number().positive().max(10_000_000),
        category: z.enum(['covered', 'partly', 'excluded']),
        selfPayRatio: z.number().min(0).max(1).optional(),
      }),
    )
    .min(1)
    .max(500),
});

export function staffCaseRoutes(app: FastifyInstance, deps: AppDeps, env: CaseEnv): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.put(
    '/api/cases/:id/bill',
    {
      schema: {
        summary: '审核人员录入手工报销费用明细（逐项：金额、全额/部分/不予支付）',
        tags: ['办件'],
        params: idParams,
        body: billIn,
        response: { 200: caseDetailOut },
      },
    },
    async (req) => {
      const a = requireStaff(req, BILL_ROLES);
      await deps.tx(req, (ctx) => enterBill(ctx, a, req.params.id, req.body.lines));
      return deps.tx(req, (ctx) => caseView(ctx, req.params.id));
    },
  );

  r.get(
    '/api/staff/queue',
    { schema: { summary: '工作人员待办队列（先进先出）', tags: ['后台'], querystring: queueQuery, response: { 200: caseListOut } } },
    async (req) => {
      requireStaff(req);
      return queuePage(deps.ctx(req), req.query);
    },
  );

  r.post(
    '/api/staff/cases',
    { schema: { summary: '代为登记（窗口、邮件、传真、邮寄收件）', tags: ['后台'], body: registerCaseIn, response: { 201: caseDetailOut } } },
    async (req, reply) => {
      requireStaff(req, ['acceptor', 'agency_admin']);
      const row = await deps.tx(req, (ctx) => registerCase(ctx, env, req.body)); // with its after-hooks (应急期间先自动通过的事项)
      return reply.status(201).send(await deps.tx(req, (ctx) => caseView(ctx, Number(row.id))));
    },
  );

  r.post(
    '/api/staff/cases/:id/claim',
    { schema: { summary: '认领办件', tags: ['后台'], params: idParams, body: claimIn, response: { 200: caseDetailOut } } },
    async (req) => {
      requireStaff(req);
      await deps.tx(req, (ctx) => claim(ctx, req.params.id, req.body.reason));
      return deps.tx(req, (ctx) => caseView(ctx, req.params.id));
    },
  );

  r.post(
    '/api/staff/cases/:id/assign',
    { schema: { summary: '分派办件', tags: ['后台'], params: idParams, body: assignIn, response: { 200: caseDetailOut } } },
    async (req) => {
      requireStaff(req);
      await deps.tx(req, (ctx) => assign(ctx, req.params.id, req.body.userId, req.body.reason));
      return deps.tx(req, (ctx) => caseView(ctx, req.params.id));
    },
  );

  r.post(
    '/api/staff/bulk',
    { schema: { summary: '批量认领、分派、开始审核', tags: ['后台'], body: bulkIn, response: { 200: bulkOut } } },
    async (req) => {
      requireStaff(req);
      const results = [];
      for (const id of req.body.ids) {
        try {
          await deps.tx(req, async (ctx) => {
            if (req.body.op === 'claim') await claim(ctx, id, req.body.reason);
            else if (req.body.op === 'assign') {
              if (!req.body.userId) throw new AppError('VALIDATION_FAILED', '请选择分派对象。');
              await assign(ctx, id, req.body.userId, req.body.reason);
            } else await act(ctx, env, id, 'start_review', {});
          });
          results.push({ id, ok: true });
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          results.push({ id, ok: false, code: e.code, message: e.message });
        }
      }
      return { results };
    },
  );

  r.get(
    '/api/staff/colleagues',
    {
      schema: {
        summary: '本机构工作人员',
        tags: ['后台'],
        response: { 200: z.object({ items: z.array(z.object({ id: z.number(), name: z.string(), roles: z.array(z.string()) })) }) },
      },
    },
    async (req) => {
      requireStaff(req);
      const rows = await colleagues(deps.ctx(req));
      return { items: rows.map((u) => ({ id: Number(u.id), name: u.name, roles: u.roles })) };
    },
  );

  r.get(
    '/api/staff/out-of-turn',
    { schema: { summary: '不按顺序办理报告（监督）', tags: ['后台'], response: { 200: outOfTurnOut } } },
    async (req) => {
      requireStaff(req, ['supervisor', 'agency_admin']);
      const rows = await outOfTurnReport(deps.ctx(req));
      return {
        items: rows.map((o) => ({
          at: new Date(o.at).toISOString(),
          caseNo: o.case_no,
          caseId: Number(o.case_id),
          staff: o.name,
          reason: o.reason,
          skipped: o.skipped,
        })),
      };
    },
  );

  r.get(
    '/api/staff/filters',
    { schema: { summary: '已保存的筛选', tags: ['后台'], response: { 200: z.object({ items: z.array(savedFilterOut) }) } } },
    async (req) => savedFilters(deps.ctx(req), requireStaff(req)),
  );
  r.post(
    '/api/staff/filters',
    { schema: { summary: '保存筛选', tags: ['后台'], body: savedFilterIn, response: { 201: savedFilterOut } } },
    async (req, reply) => reply.status(201).send(await saveFilter(deps.ctx(req), requireStaff(req), req.body)),
  );
  r.delete(
    '/api/staff/filters/:id',
    { schema: { summary: '删除筛选', tags: ['后台'], params: idParams, response: { 200: z.object({ ok: z.boolean() }) } } },
    async (req) => {
      await deleteFilter(deps.ctx(req), requireStaff(req), req.params.id);
      return { ok: true };
    },
  );
}
