/**
 * /api/admin/institutions and /api/admin/lockouts: 定点医药机构 with their 科室/医师, and 待遇封锁期,
 * changed by agency admins without a deploy. Validate (Chinese field problems) → scope (own agency;
 * a system admin any via ?agency=) → transaction → service. Writes for agency_admin and sysadmin,
 * each audited.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adminAgencyQuery,
  institutionDetailOut,
  institutionIn,
  institutionsOut,
  institutionStaffEndIn,
  institutionStaffIn,
  institutionUpdateIn,
  lockoutIn,
  lockoutLiftIn,
  lockoutOut,
  lockoutsOut,
  lockoutsQuery,
} from '../../../common/api-admin.ts';
import type { AppDeps } from '../../http/deps.ts';
import { adminScope, requireWrite } from '../../http/access.ts';
import { zhValidator } from '../../http/validator.ts';
import {
  addInstitutionStaff,
  createInstitution,
  endInstitutionStaff,
  institutionDetail,
  listInstitutions,
  updateInstitution,
} from './institutions.ts';
import { createLockout, liftLockout, listLockouts } from './lockouts.ts';

const tags = ['管理'];
const institutionCode = z.object({ code: z.string().min(1).max(20) });

export function registryAdminRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const v = { validatorCompiler: zhValidator };

  // ---- 定点医药机构 ----
  r.get(
    '/api/admin/institutions',
    { ...v, schema: { summary: '本机构的定点医药机构', tags, querystring: adminAgencyQuery, response: { 200: institutionsOut } } },
    async (req) => {
      const s = adminScope(req, undefined, req.query.agency);
      const { db, today: t } = deps.ctx(req);
      return { agency: s.agency, today: t, canEdit: s.canWrite, items: await listInstitutions(db, s.agency, t) };
    },
  );
  const detail = async (req: FastifyRequest, agency: string, code: string, canEdit: boolean) => {
    const { db, today: t } = deps.ctx(req);
    return { ...(await institutionDetail(db, agency, code, t)), agency, today: t, canEdit };
  };
  r.get(
    '/api/admin/institutions/:code',
    {
      ...v,
      schema: {
        summary: '定点医药机构及其科室、医师备案',
        tags,
        params: institutionCode,
        querystring: adminAgencyQuery,
        response: { 200: institutionDetailOut },
      },
    },
    async (req) => {
      const s = adminScope(req, undefined, req.query.agency);
      return detail(req, s.agency, req.params.code, s.canWrite);
    },
  );
  r.post(
    '/api/admin/institutions',
    {
      ...v,
      schema: {
        summary: '登记定点医药机构（编码 H/P + 本机构辖区区划 + 顺序号）',
        tags,
        querystring: adminAgencyQuery,
        body: institutionIn,
        response: { 201: institutionDetailOut },
      },
    },
    async (req, reply) => {
      const s = adminScope(req, undefined, req.query.agency);
      requireWrite(s);
      const code = await deps.tx(req, (ctx) => createInstitution(ctx, s.agency, req.body));
      return reply.status(201).send(await detail(req, s.agency, code, true));
    },
  );
  r.put(
    '/api/admin/institutions/:code',
    {
      ...v,
      schema: {
        summary: '修改定点医药机构（名称、类型、协议期限、协议状态）',
        tags,
        params: institutionCode,
        querystring: adminAgencyQuery,
        body: institutionUpdateIn,
        response: { 200: institutionDetailOut },
      },
    },
    async (req) => {
      const s = adminScope(req, undefined, req.query.agency);
      requireWrite(s);
      await deps.tx(req, (ctx) => updateInstitution(ctx, s.agency, req.params.code, req.body));
      return detail(req, s.agency, req.params.code, true);
    },
  );
  r.post(
    '/api/admin/institutions/:code/staff',
    {
      ...v,
      schema: {
        summary: '科室备案或医保医师备案',
        tags,
        params: institutionCode,
        querystring: adminAgencyQuery,
        body: institutionStaffIn,
        response: { 201: institutionDetailOut },
      },
    },
    async (req, reply) => {
      const s = adminScope(req, undefined, req.query.agency);
      requireWrite(s);
      await deps.tx(req, (ctx) => addInstitutionStaff(ctx, s.agency, req.params.code, req.body));
      return reply.status(201).send(await detail(req, s.agency, req.params.code, true));
    },
  );
  r.post(
    '/api/admin/institutions/:code/staff/:id/end',
    {
      ...v,
      schema: {
        summary: '终止科室或医师备案（保留记录，有效至终止日期）',
        tags,
        params: institutionCode.extend({ id: z.coerce.number().int().positive() }),
        querystring: adminAgencyQuery,
        body: institutionStaffEndIn,
        response: { 200: institutionDetailOut },
      },
    },
    async (req) => {
      const s = adminScope(req, undefined, req.query.agency);
      requireWrite(s);
      await deps.tx(req, (ctx) => endInstitutionStaff(ctx, s.agency, req.params.code, req.params.id, req.body.validTo));
      return detail(req, s.agency, req.params.code, true);
    },
  );

  // ---- 待遇封锁期 ----
  r.get(
    '/api/admin/lockouts',
    {
      ...v,
      schema: { summary: '本机构登记的待遇封锁期（可按公民身份号码、状态筛选）', tags, querystring: lockoutsQuery, response: { 200: lockoutsOut } },
    },
    async (req) => {
      const s = adminScope(req, undefined, req.query.agency);
      const { db, today: t } = deps.ctx(req);
      return {
        agency: s.agency,
        today: t,
        canEdit: s.canWrite,
        items: await listLockouts(db, s.agency, t, { idNo: req.query.idNo || undefined, status: req.query.status }, s.canWrite),
      };
    },
  );
  r.post(
    '/api/admin/lockouts',
    {
      ...v,
      schema: {
        summary: '登记待遇封锁期（封锁期内住院费用等报销禁办）',
        tags,
        querystring: adminAgencyQuery,
        body: lockoutIn,
        response: { 201: lockoutOut },
      },
    },
    async (req, reply) => {
      const s = adminScope(req, undefined, req.query.agency);
      requireWrite(s);
      return reply.status(201).send(await deps.tx(req, (ctx) => createLockout(ctx, s.agency, req.body)));
    },
  );
  r.post(
    '/api/admin/lockouts/:id/lift',
    {
      ...v,
      schema: {
        summary: '提前解除待遇封锁期（自解除日期起不再封锁，原截止日期保留）',
        tags,
        params: z.object({ id: z.coerce.number().int().positive() }),
        querystring: adminAgencyQuery,
        body: lockoutLiftIn,
        response: { 200: lockoutOut },
      },
    },
    async (req) => {
      const s = adminScope(req, undefined, req.query.agency);
      requireWrite(s);
      return deps.tx(req, (ctx) => liftLockout(ctx, s.agency, req.params.id, req.body));
    },
  );
}
