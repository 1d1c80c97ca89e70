/** Transfer legs for staff: the 联系函 sent to us (origin) and those we sent (destination). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { maskCitizenId } from '../../../common/ids.ts';
import type { AppDeps } from '../../http/deps.ts';
import type { Ctx } from '../../http/actor.ts';
import { makeCtx, requireStaff } from '../../http/access.ts';
import type { NoticeEnv } from '../cases/index.ts';
import { issueInfo, recordExternalInfo, runningLegProvisional } from './transfer.ts';

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
});

export function transferRoutes(app: FastifyInstance, deps: AppDeps, env: NoticeEnv): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.dbh.db;
  const tx = <T>(req: FastifyRequest, fn: (ctx: Ctx) => Promise<T>) =>
    db.transaction().execute((trx) => fn({ ...makeCtx(req, db, deps.clock), db: trx }));

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
      const ctx = makeCtx(req, db, deps.clock);
      const today = ctx.today;
      const rows = await db
        .selectFrom('transfers as t')
        .innerJoin('cases as c', 'c.id', 't.case_id')
        .selectAll('t')
        .select(['c.case_no', 'c.applicant_name', 'c.applicant_id_no'])
        .where((eb) => eb.or([eb('t.origin_agency', '=', a.agencyCode), eb('t.dest_agency', '=', a.agencyCode)]))
        .orderBy('t.letter_on', 'asc')
        .orderBy('t.id', 'asc')
        .limit(500)
        .execute();
      const provisional = await runningLegProvisional(ctx, rows);
      return {
        items: rows.map((t) => ({
          id: Number(t.id),
          caseId: Number(t.case_id),
          caseNo: t.case_no,
          applicantName: t.applicant_name,
          applicantIdNoMasked: maskCitizenId(t.applicant_id_no),
          direction: t.origin_agency === a.agencyCode ? ('out' as const) : ('in' as const),
          originAgency: t.origin_agency,
          originExternal: t.origin_external,
          destAgency: t.dest_agency,
          status: t.status as 'letter_sent' | 'info_issued' | 'completed',
          letterOn: t.letter_on,
          originDue: t.origin_due,
          infoOn: t.info_on,
          months: t.months,
          amount: t.amount_fen === null ? null : Number(t.amount_fen) / 100,
          destDue: t.dest_due,
          dueProvisional: provisional.has(Number(t.id)),
          overdue:
            (t.status === 'letter_sent' && t.origin_due !== null && today > t.origin_due) ||
            (t.status === 'info_issued' && t.dest_due !== null && today > t.dest_due),
          warning:
            (t.status === 'letter_sent' && t.origin_warn !== null && today >= t.origin_warn && today <= (t.origin_due ?? today)) ||
            (t.status === 'info_issued' && t.dest_warn !== null && today >= t.dest_warn && today <= (t.dest_due ?? today)),
        })),
      };
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
      await tx(req, (ctx) => issueInfo(ctx, env, req.params.id));
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
          infoOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        }),
        response: { 200: z.object({ ok: z.boolean() }) },
      },
    },
    async (req) => {
      requireStaff(req);
      await tx(req, (ctx) => recordExternalInfo(ctx, req.params.id, req.body));
      return { ok: true };
    },
  );
}
