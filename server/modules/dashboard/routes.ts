/**
 * 机构运行看板 routes: GET /api/dashboard (every panel) and GET /api/dashboard/{table}.csv|.xlsx
 * (one table, same filters). Thin: validate → authorise → service → present. Exports are audited.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dashboardOut, dashboardQuery } from '../../../common/api-dashboard.ts';
import { AppError } from '../../../common/errors.ts';
import type { AppDeps } from '../../http/deps.ts';
import { makeCtx, requireStaff } from '../../http/access.ts';
import { appendAudit } from '../audit/index.ts';
import { contentDisposition, toCsv, toXlsx } from './export.ts';
import { DASHBOARD_ROLES, dashboard, dashboardAgency, dashboardTable } from './service.ts';

const FILE_RE = /^([a-z][a-z0-9-]{0,40})\.(csv|xlsx)$/;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function dashboardRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.dbh.db;
  const tags = ['看板'];

  r.get(
    '/api/dashboard',
    {
      schema: {
        tags,
        summary:
          '机构运行看板：办件量（事项、渠道、状态）、按时办结率、平均办理用时（工作日）、在办积压、超期办件、好差评满意度与待整改、投诉、预约使用（机构管理员、监督人员）',
        querystring: dashboardQuery,
        response: { 200: dashboardOut },
      },
    },
    async (req) => {
      const a = requireStaff(req, DASHBOARD_ROLES);
      const agency = dashboardAgency(a, req.query.agency);
      return dashboard(db, makeCtx(req, db, deps.clock), agency, req.query);
    },
  );

  r.get(
    '/api/dashboard/:file',
    {
      schema: {
        tags,
        summary: '导出看板中的一张表：{表}.csv（UTF-8，带 BOM）或 {表}.xlsx，筛选条件与看板相同',
        params: z.object({ file: z.string().regex(FILE_RE, '应为 {表}.csv 或 {表}.xlsx') }),
        querystring: dashboardQuery,
      },
    },
    async (req, reply) => {
      const a = requireStaff(req, DASHBOARD_ROLES);
      const agency = dashboardAgency(a, req.query.agency);
      const [, key, ext] = FILE_RE.exec(req.params.file)!;
      const ctx = makeCtx(req, db, deps.clock);
      const t = await dashboardTable(db, ctx, agency, key!, req.query);
      const body = ext === 'csv' ? Buffer.from(toCsv(t), 'utf8') : await toXlsx(t);
      await appendAudit(db, {
        actorKind: 'staff',
        actorId: String(a.id),
        actorLabel: a.name,
        action: 'dashboard.export',
        subjectKind: 'dashboard',
        subjectId: `${agency}/${key}`,
        agencyCode: agency,
        requestId: ctx.requestId,
        ip: ctx.ip,
        data: { format: ext, from: t.filters.from, to: t.filters.to, office: req.query.office ?? null, rows: t.table.rows.length },
      });
      if (!body.length) throw new AppError('INTERNAL');
      return reply
        .header('content-type', ext === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
        .header('content-disposition', contentDisposition(t, ext as 'csv' | 'xlsx'))
        .header('cache-control', 'private, no-store')
        .send(body);
    },
  );
}
