/**
 * 机构运行看板 routes: GET /api/dashboard (every panel) and GET /api/dashboard/{table}.csv|.xlsx
 * (one table, same filters). Thin: validate → authorise → service → present. Exports are audited.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { dashboardOut, dashboardQuery } from '../../../common/api-dashboard.ts';
import type { AppDeps } from '../../http/deps.ts';
import { requireStaff } from '../../http/access.ts';
import { exportTable } from './export.ts';
import { DASHBOARD_ROLES, dashboard, dashboardAgency } from './service.ts';

const FILE_RE = /^([a-z][a-z0-9-]{0,40})\.(csv|xlsx)$/;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export function dashboardRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
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
      const ctx = deps.ctx(req);
      return dashboard(ctx.db, ctx, agency, req.query);
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
      const { body, disposition } = await exportTable(deps.ctx(req), a, agency, key!, ext as 'csv' | 'xlsx', req.query);
      return reply
        .header('content-type', ext === 'csv' ? 'text/csv; charset=utf-8' : XLSX_TYPE)
        .header('content-disposition', disposition)
        .header('cache-control', 'private, no-store')
        .send(body);
    },
  );
}
