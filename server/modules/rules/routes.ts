/**
 * /api/admin/benefit-params and /api/admin/rules: agency admins publish benefit-parameter and rule
 * versions without a deploy (services in admin.ts). Validate (Chinese field problems) → scope (own
 * agency; a system admin any via ?agency=) → transaction → service. Reads for the staff who check
 * cases against them; writes for agency_admin and sysadmin, each audited. /api/admin/duties: the
 * agency's separation-of-duties setting (common/duties.ts), the same way.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  adminAgencyQuery,
  benefitParamsOut,
  benefitPublishOut,
  dutiesIn,
  dutiesOut,
  ruleDetailOut,
  rulePublishIn,
  rulePublishOut,
  rulesOut,
} from '../../../common/api-admin.ts';
import type { AppDeps } from '../../http/deps.ts';
import { adminScope, requireWrite, RULE_READ_ROLES } from '../../http/access.ts';
import { zhValidator } from '../../http/validator.ts';
import { benefitOverview, publishBenefitParams, publishRule, ruleDetail, ruleList } from './admin.ts';
import { forgetBenefitParams } from '../benefits/index.ts';
import { forgetRules } from './service.ts';
import { separationOfDuties, setSeparationOfDuties } from './duties.ts';

const tags = ['管理'];
const ruleCode = z.object({ code: z.string().regex(/^[A-Z0-9]+(-[A-Z0-9]+)*$/, '规则编码只能由大写字母、数字和连字符组成。') });

export function ruleAdminRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
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
      const { db, today: t } = deps.ctx(req);
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
      const out = await deps.tx(req, (ctx) => publishBenefitParams(ctx, s.agency, req.body));
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
      const { db, today: t } = deps.ctx(req);
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
      const ctx = deps.ctx(req);
      return { ...(await ruleDetail(ctx.db, s.agency, req.params.code, ctx.today)), canPublish: s.canWrite };
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
      const out = await deps.tx(req, (ctx) => publishRule(ctx, s.agency, req.params.code, req.body.text, dry));
      if (!dry) forgetRules(s.agency);
      return reply.status(dry ? 200 : 201).send(out);
    },
  );
  // ---- 职责分离 ----
  r.get(
    '/api/admin/duties',
    {
      ...v,
      schema: {
        summary: '本机构是否实行职责分离（受理人不审核，复核由第三人办理）',
        tags,
        querystring: adminAgencyQuery,
        response: { 200: dutiesOut },
      },
    },
    async (req) => {
      const s = adminScope(req, RULE_READ_ROLES, req.query.agency);
      const { db } = deps.ctx(req);
      return { agency: s.agency, separationOfDuties: await separationOfDuties(db, s.agency), canChange: s.canWrite };
    },
  );
  r.put(
    '/api/admin/duties',
    {
      ...v,
      schema: {
        summary: '开启或关闭本机构的职责分离（机构管理员；即时生效，留痕）',
        tags,
        querystring: adminAgencyQuery,
        body: dutiesIn,
        response: { 200: dutiesOut },
      },
    },
    async (req) => {
      const s = adminScope(req, RULE_READ_ROLES, req.query.agency);
      requireWrite(s);
      const on = await deps.tx(req, (ctx) => setSeparationOfDuties(ctx, s.agency, req.body.separationOfDuties));
      return { agency: s.agency, separationOfDuties: on, canChange: true };
    },
  );
}
