/**
 * Admin changes to benefit parameters without a deploy: an agency admin publishes a new version of
 * one benefit's parameters (e.g. the 生育津贴 days its seed does not state). Versions are appended,
 * never edited; the calculator picks the highest version in force.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { benefitParams, checkBenefitParams } from '../../../common/benefits.ts';
import { AppError } from '../../../common/errors.ts';
import type { AppDeps } from '../../app.ts';
import { makeCtx, requireStaff } from '../accounts/http.ts';
import { appendAudit } from '../audit/audit.ts';
import { agencyParams } from './benefits.ts';

export function benefitParamRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.dbh.db;

  r.get(
    '/api/admin/benefit-params',
    { schema: { summary: '本机构的待遇计算参数（所有版本）', tags: ['管理'], response: { 200: z.object({ items: z.array(z.unknown()) }) } } },
    async (req) => {
      const a = requireStaff(req, ['agency_admin', 'supervisor', 'reviewer']);
      return { items: await agencyParams(db, a.agencyCode!) };
    },
  );

  r.post(
    '/api/admin/benefit-params',
    {
      schema: {
        summary: '发布一项待遇计算参数的新版本（机构管理员；source 写明依据文件）',
        tags: ['管理'],
        body: z.unknown(),
        response: { 201: z.object({ benefit: z.string(), version: z.number() }) },
      },
    },
    async (req, reply) => {
      const a = requireStaff(req, ['agency_admin']);
      const parsed = benefitParams.safeParse(req.body);
      if (!parsed.success)
        throw new AppError(
          'VALIDATION_FAILED',
          `参数不符合格式：${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`,
          parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        );
      const p = parsed.data;
      const existing = await agencyParams(db, a.agencyCode!);
      const latest = existing.filter((x) => x.benefit === p.benefit).reduce((m, x) => Math.max(m, x.version), 0);
      if (p.version <= latest) throw new AppError('VALIDATION_FAILED', `版本号须大于现有最高版本 ${latest}。`);
      const items = new Set(
        (await db.selectFrom('item_versions').select('code').where('agency_code', '=', a.agencyCode!).execute()).map((x) => x.code),
      );
      const problems = checkBenefitParams([...existing, p], items);
      if (problems.length) throw new AppError('VALIDATION_FAILED', problems.join('；'), problems);
      const ctx = makeCtx(req, db, deps.clock);
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('benefit_params')
          .values({ agency_code: a.agencyCode!, doc: JSON.stringify([p]), source_hash: `admin:${p.benefit}@${p.version}` })
          .execute();
        await appendAudit(trx, {
          actorKind: 'staff',
          actorId: String(a.id),
          actorLabel: a.name,
          action: 'benefit_params.publish',
          subjectKind: 'benefit',
          subjectId: `${a.agencyCode}/${p.benefit}@${p.version}`,
          agencyCode: a.agencyCode,
          requestId: ctx.requestId,
          ip: ctx.ip,
          data: p,
        });
      });
      return reply.status(201).send({ benefit: p.benefit, version: p.version });
    },
  );
}
