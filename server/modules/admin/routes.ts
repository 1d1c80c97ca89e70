/**
 * /api/admin/*: what agency admins change without a deploy — benefit-parameter and rule versions
 * (services in rules/admin.ts), 定点医药机构 with their 科室/医师 and 待遇封锁期 (registry services).
 * Thin: validate (Chinese field problems) → scope (own agency; a system admin any via ?agency=) →
 * transaction → service(ctx, …) → presenter. Reads for the staff who use the data; writes for
 * agency_admin and sysadmin, each audited.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adminAgencyQuery,
  benefitParamsOut,
  benefitPublishOut,
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
  ruleDetailOut,
  rulePublishIn,
  rulePublishOut,
  rulesOut,
} from '../../../common/api-admin.ts';
import type { AppDeps } from '../../http/deps.ts';
import type { Ctx } from '../../http/actor.ts';
import { makeCtx } from '../../http/access.ts';
import { benefitOverview, forgetRules, publishBenefitParams, publishRule, ruleDetail, ruleList } from '../rules/index.ts';
import { forgetBenefitParams } from '../benefits/index.ts';
import {
  addInstitutionStaff,
  createInstitution,
  createLockout,
  endInstitutionStaff,
  institutionDetail,
  liftLockout,
  listInstitutions,
  listLockouts,
  updateInstitution,
} from '../registry/index.ts';
import { adminScope, requireWrite, RULE_READ_ROLES } from '../../http/access.ts';
import { zhValidator } from '../../http/validator.ts';

const tags = ['管理'];
const ruleCode = z.object({ code: z.string().regex(/^[A-Z0-9]+(-[A-Z0-9]+)*$/, '规则编码只能由大写字母、数字和连字符组成。') });
const institutionCode = z.object({ code: z.string().min(1).max(20) });

export function adminRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.dbh.db;
  const today = (req: FastifyRequest) => makeCtx(req, db, deps.clock).today;
  const tx = <T>(req: FastifyRequest, fn: (ctx: Ctx) => Promise<T>) =>
    db.transaction().execute((trx) => fn({ ...makeCtx(req, db, deps.clock), db: trx }));
  const v = { validatorCompiler: zhValidator };

  // ---- 待遇参数 ----
  r.get(
    '/api/admin/benefit-params',
    {
      ...v,
      schema: { summary: '本机构的待遇计算参数：每项待遇的现行版本与历史', tags, querystring: adminAgencyQuery, response: { 200: benefitParamsOut } },
    },
    async (req) => {
      const s = adminScope(req, RULE_READ_ROLES, req.query.agency);
      const t = today(req);
      return { agency: s.agency, today: t, canPublish: s.canWrite, ...(await benefitOverview(db, s.agency, t)) };
    },
  );
  r.post(
    '/api/admin/benefit-params',
    {
      ...v,
      schema: {
        summary: '发布一项待遇计算参数的新版本（机构管理员；生效日期不早于今天；source 写明依据文件）',
        tags,
        querystring: adminAgencyQuery,
        body: z.unknown(),
        response: { 201: benefitPublishOut },
      },
    },
    async (req, reply) => {
      const s = adminScope(req, RULE_READ_ROLES, req.query.agency);
      requireWrite(s);
      const out = await tx(req, (ctx) => publishBenefitParams(ctx, s.agency, req.body));
      forgetBenefitParams(s.agency);
      return reply.status(201).send(out);
    },
  );

  // ---- 规则版本 ----
  r.get(
    '/api/admin/rules',
    { ...v, schema: { summary: '本机构的规则：每条规则的现行版本与版本数', tags, querystring: adminAgencyQuery, response: { 200: rulesOut } } },
    async (req) => {
      const s = adminScope(req, RULE_READ_ROLES, req.query.agency);
      const t = today(req);
      return { agency: s.agency, today: t, canPublish: s.canWrite, items: await ruleList(db, s.agency, t) };
    },
  );
  r.get(
    '/api/admin/rules/:code',
    {
      ...v,
      schema: { summary: '一条规则的全部版本（含 YAML）', tags, params: ruleCode, querystring: adminAgencyQuery, response: { 200: ruleDetailOut } },
    },
    async (req) => {
      const s = adminScope(req, RULE_READ_ROLES, req.query.agency);
      return { ...(await ruleDetail(db, s.agency, req.params.code, today(req))), canPublish: s.canWrite };
    },
  );
  r.post(
    '/api/admin/rules/:code/versions',
    {
      ...v,
      schema: {
        summary: '发布规则的新版本（YAML 或 JSON；按数据文件的同一套校验；生效日期不早于今天；dryRun 只校验）',
        tags,
        params: ruleCode,
        querystring: adminAgencyQuery,
        body: rulePublishIn,
        response: { 200: rulePublishOut, 201: rulePublishOut },
      },
    },
    async (req, reply) => {
      const s = adminScope(req, RULE_READ_ROLES, req.query.agency);
      requireWrite(s);
      const dry = req.body.dryRun === true;
      const out = await tx(req, (ctx) => publishRule(ctx, s.agency, req.params.code, req.body.text, dry));
      if (!dry) forgetRules(s.agency);
      return reply.status(dry ? 200 : 201).send(out);
    },
  );

  // ---- 定点医药机构 ----
  r.get(
    '/api/admin/institutions',
    { ...v, schema: { summary: '本机构的定点医药机构', tags, querystring: adminAgencyQuery, response: { 200: institutionsOut } } },
    async (req) => {
      const s = adminScope(req, undefined, req.query.agency);
      const t = today(req);
      return { agency: s.agency, today: t, canEdit: s.canWrite, items: await listInstitutions(db, s.agency, t) };
    },
  );
  const detail = async (req: FastifyRequest, agency: string, code: string, canEdit: boolean) => {
    const t = today(req);
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
      const code = await tx(req, (ctx) => createInstitution(ctx, s.agency, req.body));
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
      await tx(req, (ctx) => updateInstitution(ctx, s.agency, req.params.code, req.body));
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
      await tx(req, (ctx) => addInstitutionStaff(ctx, s.agency, req.params.code, req.body));
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
      await tx(req, (ctx) => endInstitutionStaff(ctx, s.agency, req.params.code, req.params.id, req.body.validTo));
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
      const t = today(req);
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
      return reply.status(201).send(await tx(req, (ctx) => createLockout(ctx, s.agency, req.body)));
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
      return tx(req, (ctx) => liftLockout(ctx, s.agency, req.params.id, req.body));
    },
  );
}
