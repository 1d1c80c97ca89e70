/** Employer portal routes (单位网厅): roster upload → report → apply, one-by-one 增减员, employee list. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { employeeOneIn, employeesOut, rosterApplyIn, rosterReportOut } from '../../../common/api-employer.ts';
import { AppError } from '../../../common/errors.ts';
import { assertCleanText, readFilePart } from '../../http/edge.ts';
import type { AppDeps } from '../../http/deps.ts';
import { requireUnitClerk, requireUser } from '../../http/access.ts';
import { applyRoster, changeOne, checkRoster, declareBases, employeeList, parseRoster } from './service.ts';
import { createRosterParser } from './roster-parse.ts';

const MAX_ROSTER_BYTES = 30 * 1024 * 1024;

export function employerRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const parser = createRosterParser({ maxRows: deps.config.ROSTER_MAX_ROWS });

  r.post(
    '/api/unit/roster',
    { schema: { summary: '上传增减员花名册（CSV 或 XLSX），先全部校验并返回逐行错误', tags: ['单位'], response: { 201: rosterReportOut } } },
    async (req, reply) => {
      requireUnitClerk(req);
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传花名册文件。');
      const part = await req.file({ limits: { fileSize: MAX_ROSTER_BYTES, files: 1 } });
      if (!part) throw new AppError('VALIDATION_FAILED', '没有收到文件。');
      assertCleanText(part.filename, 'file');
      // Read once a parser is free (roster-parse.ts): uploads waiting their turn stay in their sockets.
      const upload = {
        load: () => readFilePart(part, () => new AppError('PAYLOAD_TOO_LARGE', '花名册文件不能超过 30 MB，请分批上传。')),
        discard: () =>
          new Promise<void>((done) =>
            part.file
              .once('end', done)
              .once('error', () => done())
              .resume(),
          ),
      };
      const parsed = await parseRoster(deps.ctx(req), parser, part.filename, upload);
      const report = await deps.tx(req, (ctx) => checkRoster(ctx, parsed));
      return reply.status(201).send(report);
    },
  );

  r.post(
    '/api/unit/roster/:id/apply',
    {
      schema: {
        summary: '导入已校验的花名册（全部无误时导入全部，或只导入正确的行）',
        tags: ['单位'],
        params: z.object({ id: z.coerce.number().int().positive() }),
        body: rosterApplyIn,
        response: { 200: rosterReportOut },
      },
    },
    async (req) => {
      requireUser(req);
      return deps.tx(req, (ctx) => applyRoster(ctx, req.params.id, req.body.mode));
    },
  );

  r.post(
    '/api/unit/employees',
    { schema: { summary: '逐个增员或减员', tags: ['单位'], body: employeeOneIn, response: { 200: rosterReportOut } } },
    async (req) => {
      requireUser(req);
      return deps.tx(req, (ctx) => changeOne(ctx, req.body));
    },
  );

  r.post(
    '/api/unit/base-declaration',
    {
      schema: {
        summary: '缴费基数申报：为在职职工申报年度月缴费基数（逐行校验，全部正确才保存）；单位职工月平均工资随之更新',
        tags: ['单位'],
        body: z.object({
          year: z.number().int().min(2000).max(2100),
          rows: z
            .array(z.object({ idNo: z.string().trim().min(15).max(18), base: z.number().positive().max(1_000_000) }))
            .min(1)
            .max(200_000),
        }),
        response: { 200: z.object({ declared: z.number(), avgMonthlyWage: z.number() }) },
      },
    },
    async (req) => {
      requireUser(req);
      return deps.tx(req, (ctx) => declareBases(ctx, req.body));
    },
  );

  r.get('/api/unit/employees', { schema: { summary: '本单位参保职工', tags: ['单位'], response: { 200: employeesOut } } }, async (req) => {
    requireUser(req);
    return employeeList(deps.ctx(req));
  });
}
