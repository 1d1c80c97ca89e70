/** Transfer legs for staff: the 联系函 sent to us (origin) and those we sent (destination). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../http/deps.ts';
import { requireStaff } from '../../http/access.ts';
import type { NoticeEnv } from '../cases/index.ts';
import { issueInfo, recordExternalInfo } from './transfer.ts';
import { staffTransfers } from './transfer-list.ts';
import { calendarDate } from '../../../common/date-schema.ts';

const transferOut = z.object({
  id: z.number(),
  caseId: z.number(),
  caseNo: z.string().nullable(),
  applicantName: z.string(),
  applicantIdNoMasked: z.string(),
  direction: z.enum(['in', 'out']),
  originAgency: z.string().nullable(),
  originExternal: z.string().nullable(),
  destAgency: z.string(),
  status: z.enum(['letter_sent', 'info_issued', 'completed']),
  letterOn: z.string(),
  originDue: z.string().nullable(),
  infoOn: z.string().nullable(),
  months: z.number().nullable(),
  amount: z.number().nullable(),
  destDue: z.string().nullable(),
  /** The running leg's due date rests on a provisional calendar year (预计). */
  dueProvisional: z.boolean(),
  overdue: z.boolean(),
  /** The running leg is past 75 % of its working days (warning date reached) but not overdue. */
  warning: z.boolean(),
  /** The step that waits on this agency, if any. */
  next: z.enum(['issue_info', 'record_external_info', 'complete_case']).nullable(),
  /** The reader may take that step. */
  canAct: z.boolean(),
});

export function transferRoutes(app: FastifyInstance, deps: AppDeps, env: NoticeEnv): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/staff/transfers',
    {
      schema: {
        summary: '转移接续：发给本机构的联系函和本机构发出的联系函',
        tags: ['后台'],
        response: { 200: z.object({ items: z.array(transferOut) }) },
      },
    },
    async (req) => {
      const a = requireStaff(req);
      return staffTransfers(deps.ctx(req), a);
    },
  );

  r.post(
    '/api/staff/transfers/:id/issue-info',
    {
      schema: {
        summary: '转出地：出具信息表并划转个人账户',
        tags: ['后台'],
        params: z.object({ id: z.coerce.number().int().positive() }),
        response: { 200: z.object({ ok: z.boolean() }) },
      },
    },
    async (req) => {
      requireStaff(req);
      await deps.tx(req, (ctx) => issueInfo(ctx, env, req.params.id));
      return { ok: true };
    },
  );

  r.post(
    '/api/staff/transfers/:id/external-info',
    {
      schema: {
        summary: '转入地：登记平台外转出地寄来的信息表',
        tags: ['后台'],
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: z.object({
          months: z.number().int().min(0).max(1200),
          amountYuan: z.number().min(0).max(10_000_000),
          infoOn: calendarDate,
        }),
        response: { 200: z.object({ ok: z.boolean() }) },
      },
    },
    async (req) => {
      requireStaff(req);
      await deps.tx(req, (ctx) => recordExternalInfo(ctx, req.params.id, req.body));
      return { ok: true };
    },
  );
}
