/** 好差评 / 整改 / 申诉 / 投诉 routes: thin handlers (validate → authorise → transaction → service → presenter). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  answerIn,
  appealIn,
  appealListOut,
  appealQuery,
  callbackIn,
  caseRatingOut,
  type CaseRatingOut,
  complaintIn,
  complaintListOut,
  complaintOut,
  complaintPhonesOut,
  complaintQuery,
  decisionIn,
  feedbackSettingsIn,
  feedbackSettingsOut,
  officeOptionsOut,
  rateIn,
  rectificationDetailOut,
  rectificationListOut,
  rectificationQuery,
  resultIn,
  staffComplaintIn,
} from '../../../common/api-feedback.ts';
import type { AppDeps } from '../../http/deps.ts';
import type { Ctx } from '../../http/actor.ts';
import { requireStaff, requireUser } from '../../http/access.ts';
import { officeRows } from '../catalog/index.ts';
import { DESK_ROLES } from './common.ts';
import { answerComplaint, complaintPhones, createComplaint, registerPhoneComplaint, takeComplaint } from './complaints.ts';
import { getComplaint, getRectification, getSettings, listAppeals, listComplaints, listRectifications, myComplaints, putSettings } from './desk.ts';
import {
  caseRating,
  caseSubject,
  decideAppeal,
  fileAppeal,
  rateSubject,
  recordCallback,
  recordResult,
  visitRating,
  visitSubject,
  type RatingSubject,
} from './ratings.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });
const TAGS = ['好差评与投诉'];

export function feedbackRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  /** A complaint or a 整改 as an action left it: read back in a fresh transaction, not audited as a view. */
  const complaintNow = (req: FastifyRequest, id: number) => deps.tx(req, (ctx) => getComplaint(ctx, id, false));
  const rectificationNow = (req: FastifyRequest, id: number) => deps.tx(req, (ctx) => getRectification(ctx, id, false));

  /** GET and POST `path` for one kind of rated subject (a case, a hall visit): read its rating, rate it once. */
  const ratingRoutes = (
    path: string,
    summary: { get: string; post: string },
    subject: (ctx: Ctx, id: number) => Promise<RatingSubject>,
    rating: (ctx: Ctx, id: number) => Promise<CaseRatingOut>,
  ) => {
    r.get(path, { schema: { summary: summary.get, tags: TAGS, params: idParams, response: { 200: caseRatingOut } } }, async (req) => {
      requireUser(req);
      return deps.tx(req, (ctx) => rating(ctx, req.params.id));
    });
    r.post(
      path,
      { schema: { summary: summary.post, tags: TAGS, params: idParams, body: rateIn, response: { 201: caseRatingOut } } },
      async (req, reply) => {
        requireUser(req);
        await deps.tx(req, async (ctx) => rateSubject(ctx, await subject(ctx, req.params.id), req.body));
        return reply.status(201).send(await deps.tx(req, (ctx) => rating(ctx, req.params.id)));
      },
    );
  };

  // ---- the applicant rates a completed case ----
  ratingRoutes(
    '/api/cases/:id/rating',
    {
      get: '办件的好差评（申请人办结后评价；差评整改的回访与结果）',
      post: '评价已办结的办件（五级：非常满意…非常不满意；每个办件一次；差评自动生成整改任务）',
    },
    caseSubject,
    caseRating,
  );

  // ---- the person who booked rates a hall visit (after check-in) ----
  ratingRoutes(
    '/api/appointments/:id/rating',
    { get: '到厅服务的好差评（签到办理后评价）', post: '评价到厅服务（五级；每次预约一次；差评自动生成整改任务）' },
    visitSubject,
    visitRating,
  );

  // ---- complaints: citizens ----
  r.get(
    '/api/agencies/:agency/complaint-phones',
    {
      schema: {
        summary: '投诉电话（按事项或本机构办事指南所列）与服务大厅电话',
        tags: TAGS,
        params: z.object({ agency: z.string().max(40) }),
        querystring: z.object({ item: z.string().max(40).optional() }),
        response: { 200: complaintPhonesOut },
      },
    },
    async (req) => complaintPhones(deps.ctx(req), req.params.agency, req.query.item),
  );
  r.get('/api/complaints/mine', { schema: { summary: '我的投诉', tags: TAGS, response: { 200: complaintListOut } } }, async (req) => {
    requireUser(req);
    return myComplaints(deps.ctx(req));
  });
  r.post(
    '/api/complaints',
    { schema: { summary: '网上投诉（办件、服务大厅或工作人员）', tags: TAGS, body: complaintIn, response: { 201: complaintOut } } },
    async (req, reply) => {
      requireUser(req);
      const id = await deps.tx(req, (ctx) => createComplaint(ctx, req.body));
      return reply.status(201).send(await complaintNow(req, id));
    },
  );
  r.get('/api/complaints/:id', { schema: { summary: '投诉详情', tags: TAGS, params: idParams, response: { 200: complaintOut } } }, async (req) => {
    requireUser(req);
    return deps.tx(req, (ctx) => getComplaint(ctx, req.params.id));
  });

  // ---- the supervisor desk ----
  r.get(
    '/api/staff/feedback/rectifications',
    { schema: { summary: '差评整改任务（按期限排序）', tags: TAGS, querystring: rectificationQuery, response: { 200: rectificationListOut } } },
    async (req) => {
      requireStaff(req, DESK_ROLES);
      return listRectifications(deps.ctx(req), req.query);
    },
  );
  r.get(
    '/api/staff/feedback/rectifications/:id',
    { schema: { summary: '差评整改详情（查看记入审计）', tags: TAGS, params: idParams, response: { 200: rectificationDetailOut } } },
    async (req) => {
      requireStaff(req, DESK_ROLES);
      return deps.tx(req, (ctx) => getRectification(ctx, req.params.id));
    },
  );
  r.post(
    '/api/staff/feedback/rectifications/:id/callback',
    {
      schema: {
        summary: '记录回访（时间、方式、申请人意见）',
        tags: TAGS,
        params: idParams,
        body: callbackIn,
        response: { 200: rectificationDetailOut },
      },
    },
    async (req) => {
      requireStaff(req, DESK_ROLES);
      await deps.tx(req, (ctx) => recordCallback(ctx, req.params.id, req.body));
      return rectificationNow(req, req.params.id);
    },
  );
  r.post(
    '/api/staff/feedback/rectifications/:id/result',
    {
      schema: {
        summary: '记录整改结果并办结（通知申请人）',
        tags: TAGS,
        params: idParams,
        body: resultIn,
        response: { 200: rectificationDetailOut },
      },
    },
    async (req) => {
      requireStaff(req, DESK_ROLES);
      await deps.tx(req, (ctx) => recordResult(ctx, req.params.id, req.body.result));
      return rectificationNow(req, req.params.id);
    },
  );
  r.post(
    '/api/staff/feedback/ratings/:id/appeal',
    {
      schema: {
        summary: '对差评提出申诉（误评/恶意差评）',
        tags: TAGS,
        params: idParams,
        body: appealIn,
        response: { 201: z.object({ id: z.number() }) },
      },
    },
    async (req, reply) => {
      requireStaff(req, DESK_ROLES);
      const id = await deps.tx(req, (ctx) => fileAppeal(ctx, req.params.id, req.body));
      return reply.status(201).send({ id });
    },
  );
  r.get(
    '/api/staff/feedback/appeals',
    { schema: { summary: '差评申诉', tags: TAGS, querystring: appealQuery, response: { 200: appealListOut } } },
    async (req) => {
      requireStaff(req, DESK_ROLES);
      return listAppeals(deps.ctx(req), req.query);
    },
  );
  r.post(
    '/api/staff/feedback/appeals/:id/decision',
    {
      schema: {
        summary: '裁决申诉（监督人员，被评价的经办人除外）；成立则该评价不计入满意度但保留记录',
        tags: TAGS,
        params: idParams,
        body: decisionIn,
        response: { 200: z.object({ ok: z.boolean() }) },
      },
    },
    async (req) => {
      requireStaff(req, ['supervisor']);
      await deps.tx(req, (ctx) => decideAppeal(ctx, req.params.id, req.body));
      return { ok: true };
    },
  );
  r.get(
    '/api/staff/feedback/complaints',
    { schema: { summary: '投诉（按答复期限排序）', tags: TAGS, querystring: complaintQuery, response: { 200: complaintListOut } } },
    async (req) => {
      requireStaff(req, DESK_ROLES);
      return listComplaints(deps.ctx(req), req.query);
    },
  );
  r.post(
    '/api/staff/feedback/complaints',
    {
      schema: {
        summary: '登记电话投诉',
        tags: TAGS,
        body: staffComplaintIn.extend({ staffId: z.number().int().positive().optional() }),
        response: { 201: complaintOut },
      },
    },
    async (req, reply) => {
      requireStaff(req);
      const id = await deps.tx(req, (ctx) => registerPhoneComplaint(ctx, req.body));
      return reply.status(201).send(await complaintNow(req, id));
    },
  );
  r.post(
    '/api/staff/feedback/complaints/:id/take',
    { schema: { summary: '受理投诉（转为处理中）', tags: TAGS, params: idParams, response: { 200: complaintOut } } },
    async (req) => {
      requireStaff(req, DESK_ROLES);
      await deps.tx(req, (ctx) => takeComplaint(ctx, req.params.id));
      return complaintNow(req, req.params.id);
    },
  );
  r.post(
    '/api/staff/feedback/complaints/:id/answer',
    { schema: { summary: '答复投诉人（站内消息和短信）', tags: TAGS, params: idParams, body: answerIn, response: { 200: complaintOut } } },
    async (req) => {
      requireStaff(req, DESK_ROLES);
      await deps.tx(req, (ctx) => answerComplaint(ctx, req.params.id, req.body.answer));
      return complaintNow(req, req.params.id);
    },
  );
  r.get(
    '/api/staff/feedback/offices',
    { schema: { summary: '本机构服务大厅（筛选用）', tags: TAGS, response: { 200: officeOptionsOut } } },
    async (req) => {
      const a = requireStaff(req);
      return { items: (await officeRows(deps.ctx(req).db, a.agencyCode!)).map((o) => ({ id: Number(o.id), name: o.name })) };
    },
  );
  r.get(
    '/api/staff/feedback/settings',
    { schema: { summary: '整改与投诉的办理期限（工作日）', tags: TAGS, response: { 200: feedbackSettingsOut } } },
    async (req) => {
      requireStaff(req);
      return getSettings(deps.ctx(req));
    },
  );
  r.put(
    '/api/staff/feedback/settings',
    { schema: { summary: '设置本机构的整改与投诉期限（机构管理员）', tags: TAGS, body: feedbackSettingsIn, response: { 200: feedbackSettingsOut } } },
    async (req) => {
      requireStaff(req, ['agency_admin']);
      return deps.tx(req, (ctx) => putSettings(ctx, req.body));
    },
  );
}
