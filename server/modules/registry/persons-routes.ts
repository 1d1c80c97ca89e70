/**
 * /api/staff/persons/*: 参保人档案 for agency staff. Thin: validate (Chinese field problems) →
 * scope (any staff role reads; acceptor, reviewer, agency_admin and sysadmin change; a system
 * admin acts for any agency via ?agency=) → transaction → service(ctx, …) (persons.ts). Every view
 * and search is audited; every change writes registry history and an audit entry.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  guardianIn,
  householdIn,
  householdMemberIn,
  personAgencyQuery,
  personRecordOut,
  personSearchOut,
  personSearchQuery,
  removeIn,
} from '../../../common/api-persons.ts';
import { AppError } from '../../../common/errors.ts';
import type { AppDeps } from '../../http/deps.ts';
import type { Ctx } from '../../http/actor.ts';
import { requireStaff } from '../../http/access.ts';
import { zhValidator } from '../../http/validator.ts';
import {
  addGuardian,
  addHouseholdMember,
  createHousehold,
  personRecord,
  PERSON_WRITE_ROLES,
  removeGuardian,
  removeHouseholdMember,
  searchPersons,
  updateHousehold,
  type PersonScope,
} from './persons.ts';

const tags = ['参保人档案'];
const personParams = z.object({ id: z.coerce.number().int().positive() });

function scopeOf(req: FastifyRequest, agency: string | undefined): PersonScope {
  const actor = requireStaff(req);
  const own = actor.agencyCode!;
  const all = actor.roles.includes('sysadmin');
  if (agency && agency !== own && !all) throw new AppError('FORBIDDEN', '只能查看本机构经办范围内的参保人。');
  return { actor, agency: agency ?? own, all, canWrite: actor.roles.some((r) => PERSON_WRITE_ROLES.includes(r)) };
}

export function personRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const v = { validatorCompiler: zhValidator };

  r.get(
    '/api/staff/persons',
    {
      ...v,
      schema: {
        summary: '查找参保人：按公民身份号码，或按姓名（可加出生日期）；限本机构有参保登记或办件的人员',
        tags,
        querystring: personSearchQuery,
        response: { 200: personSearchOut },
      },
    },
    async (req) => {
      const s = scopeOf(req, req.query.agency);
      return deps.tx(req, (ctx) => searchPersons(ctx, s, req.query));
    },
  );

  r.get(
    '/api/staff/persons/:id',
    {
      ...v,
      schema: {
        summary: '参保人档案：身份、参保、缴费、个人账户、备案、认定、封锁期、待遇支付、家庭户、监护关系与登记历史（查看留痕）',
        tags,
        params: personParams,
        querystring: personAgencyQuery,
        response: { 200: personRecordOut },
      },
    },
    async (req) => {
      const s = scopeOf(req, req.query.agency);
      return deps.tx(req, (ctx) => personRecord(ctx, s, req.params.id, { audit: true }));
    },
  );

  /** One change, then the record as it now stands (the change's own audit entry covers this answer). */
  const change = (req: FastifyRequest, agency: string | undefined, id: number, fn: (ctx: Ctx, s: PersonScope) => Promise<void>) => {
    const s = scopeOf(req, agency);
    return deps.tx(req, async (ctx) => {
      await fn(ctx, s);
      return personRecord(ctx, s, id, { audit: false });
    });
  };

  r.post(
    '/api/staff/persons/:id/household',
    {
      ...v,
      schema: {
        summary: '为参保人登记家庭户（地址），本人为第一名成员',
        tags,
        params: personParams,
        querystring: personAgencyQuery,
        body: householdIn,
        response: { 201: personRecordOut },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await change(req, req.query.agency, req.params.id, (ctx, s) => createHousehold(ctx, s, req.params.id, req.body))),
  );
  r.put(
    '/api/staff/persons/:id/household',
    {
      ...v,
      schema: {
        summary: '修改参保人所在家庭户的地址（记入每名成员的登记历史）',
        tags,
        params: personParams,
        querystring: personAgencyQuery,
        body: householdIn,
        response: { 200: personRecordOut },
      },
    },
    async (req) => change(req, req.query.agency, req.params.id, (ctx, s) => updateHousehold(ctx, s, req.params.id, req.body)),
  );
  r.post(
    '/api/staff/persons/:id/household/members',
    {
      ...v,
      schema: {
        summary: '家庭户添加成员（按公民身份号码和姓名；登记系统中没有的人员按身份号码登记）',
        tags,
        params: personParams,
        querystring: personAgencyQuery,
        body: householdMemberIn,
        response: { 201: personRecordOut },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await change(req, req.query.agency, req.params.id, (ctx, s) => addHouseholdMember(ctx, s, req.params.id, req.body))),
  );
  r.post(
    '/api/staff/persons/:id/household/members/:memberId/remove',
    {
      ...v,
      schema: {
        summary: '从家庭户移出成员（须写明原因）',
        tags,
        params: personParams.extend({ memberId: z.coerce.number().int().positive() }),
        querystring: personAgencyQuery,
        body: removeIn,
        response: { 200: personRecordOut },
      },
    },
    async (req) =>
      change(req, req.query.agency, req.params.id, (ctx, s) => removeHouseholdMember(ctx, s, req.params.id, req.params.memberId, req.body)),
  );
  r.post(
    '/api/staff/persons/:id/guardians',
    {
      ...v,
      schema: {
        summary: '为未成年人或无民事行为能力人登记监护人（父母/其他监护人）',
        tags,
        params: personParams,
        querystring: personAgencyQuery,
        body: guardianIn,
        response: { 201: personRecordOut },
      },
    },
    async (req, reply) =>
      reply.status(201).send(await change(req, req.query.agency, req.params.id, (ctx, s) => addGuardian(ctx, s, req.params.id, req.body))),
  );
  r.post(
    '/api/staff/persons/:id/guardians/:guardianId/remove',
    {
      ...v,
      schema: {
        summary: '解除监护关系登记（须写明原因）',
        tags,
        params: personParams.extend({ guardianId: z.coerce.number().int().positive() }),
        querystring: personAgencyQuery,
        body: removeIn,
        response: { 200: personRecordOut },
      },
    },
    async (req) => change(req, req.query.agency, req.params.id, (ctx, s) => removeGuardian(ctx, s, req.params.id, req.params.guardianId, req.body)),
  );
}
