/** 单位经办人 requests (issue 16): the applicant's status and letter, the unit clerk's decisions, the agency's queue. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  agencyUnitClerksOut,
  myUnitClerkOut,
  unitClerkDecisionIn,
  unitClerkDecisionOut,
  unitClerkReasonIn,
  unitClerksOut,
  unitClerkStatus,
} from '../../../common/api-unit-clerks.ts';
import { AppError } from '../../../common/errors.ts';
import { assertCleanText, readFilePart } from '../../http/edge.ts';
import { UPLOAD_LIMITS } from '../../../common/forms.ts';
import type { AppDeps } from '../../http/deps.ts';
import { requireStaff, requireUnitClerk, requireUser } from '../../http/access.ts';
import { createStorage } from '../../platform/storage.ts';
import {
  agencyUnitClerkRequests,
  decideUnitClerkRequest,
  myUnitClerkStatus,
  reapplyUnitClerk,
  revokeUnitClerk,
  UNIT_CLERK_STAFF_ROLES,
  unitClerkLetter,
  unitClerksOfMyUnit,
  uploadUnitClerkLetter,
} from './unit-clerks.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

export function unitClerkRoutes(app: FastifyInstance, deps: AppDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const storage = createStorage(deps.config, deps.clock);

  r.get(
    '/api/unit/clerk-request',
    { schema: { summary: '我的单位经办人申请（审核状态）', tags: ['单位'], response: { 200: myUnitClerkOut } } },
    async (req) => {
      requireUser(req);
      return myUnitClerkStatus(deps.ctx(req));
    },
  );

  r.post(
    '/api/unit/clerk-request',
    { schema: { summary: '重新申请成为本单位经办人（申请未通过或资格被撤销后）', tags: ['单位'], response: { 201: z.object({ id: z.number() }) } } },
    async (req, reply) => {
      requireUser(req);
      return reply.status(201).send(await deps.tx(req, (ctx) => reapplyUnitClerk(ctx)));
    },
  );

  r.post(
    '/api/unit/clerk-request/letter',
    {
      schema: {
        summary: '上传授权委托书（加盖单位公章；PDF/JPG/PNG，按内容识别，10 MB 以内）',
        tags: ['单位'],
        response: { 201: z.object({ letterName: z.string() }) },
      },
    },
    async (req, reply) => {
      requireUser(req);
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件。');
      const part = await req.file({ limits: { fileSize: UPLOAD_LIMITS.maxFileBytes, files: 1 } });
      if (!part) throw new AppError('VALIDATION_FAILED', '没有收到文件。');
      assertCleanText(part.filename, 'file');
      const bytes = await readFilePart(part);
      const out = await deps.tx(req, (ctx) =>
        uploadUnitClerkLetter(ctx, storage, { fileName: part.filename, bytes }, deps.config.UPLOAD_DAILY_BYTES),
      );
      return reply.status(201).send(out);
    },
  );

  r.get(
    '/api/unit-clerk-requests/:id/letter',
    { schema: { summary: '查看授权委托书（申请人、本单位经办人、经办机构工作人员）', tags: ['单位'], params: idParams } },
    async (req, reply) => {
      requireUser(req);
      const f = await unitClerkLetter(deps.ctx(req), storage, req.params.id);
      return reply
        .type(f.mime)
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(f.name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(f.bytes);
    },
  );

  // The unit's own clerks.
  r.get('/api/unit/clerks', { schema: { summary: '本单位经办人与待审核的申请', tags: ['单位'], response: { 200: unitClerksOut } } }, async (req) => {
    requireUnitClerk(req);
    return unitClerksOfMyUnit(deps.ctx(req));
  });
  for (const decision of ['approve', 'reject'] as const)
    r.post(
      `/api/unit/clerk-requests/:id/${decision}`,
      {
        schema: {
          summary: decision === 'approve' ? '同意本单位经办人申请' : '拒绝本单位经办人申请',
          tags: ['单位'],
          params: idParams,
          body: unitClerkDecisionIn,
          response: { 200: unitClerkDecisionOut },
        },
      },
      async (req) => {
        requireUnitClerk(req);
        return deps.tx(req, (ctx) => decideUnitClerkRequest(ctx, 'clerk', req.params.id, decision, req.body.reason));
      },
    );
  r.post(
    '/api/unit/clerk-requests/:id/revoke',
    {
      schema: {
        summary: '撤销本单位另一位经办人的资格',
        tags: ['单位'],
        params: idParams,
        body: unitClerkDecisionIn,
        response: { 200: unitClerkDecisionOut },
      },
    },
    async (req) => {
      requireUnitClerk(req);
      return deps.tx(req, (ctx) => revokeUnitClerk(ctx, 'clerk', req.params.id, req.body.reason));
    },
  );

  // Agency staff: requests of units with no clerk (and any of the agency's units).
  r.get(
    '/api/staff/unit-clerk-requests',
    {
      schema: {
        summary: '单位经办人申请（本机构）',
        tags: ['单位'],
        querystring: z.object({ status: unitClerkStatus.default('pending') }),
        response: { 200: agencyUnitClerksOut },
      },
    },
    async (req) => {
      requireStaff(req, UNIT_CLERK_STAFF_ROLES);
      return agencyUnitClerkRequests(deps.ctx(req), req.query.status);
    },
  );
  for (const decision of ['approve', 'reject'] as const)
    r.post(
      `/api/staff/unit-clerk-requests/:id/${decision}`,
      {
        schema: {
          summary: decision === 'approve' ? '核对授权委托书后同意单位经办人申请' : '拒绝单位经办人申请（须写明理由）',
          tags: ['单位'],
          params: idParams,
          body: decision === 'approve' ? unitClerkDecisionIn : unitClerkReasonIn,
          response: { 200: unitClerkDecisionOut },
        },
      },
      async (req) => {
        requireStaff(req, UNIT_CLERK_STAFF_ROLES);
        return deps.tx(req, (ctx) => decideUnitClerkRequest(ctx, 'agency', req.params.id, decision, req.body.reason));
      },
    );
  r.post(
    '/api/staff/unit-clerk-requests/:id/revoke',
    {
      schema: {
        summary: '撤销单位经办人资格（须写明理由）',
        tags: ['单位'],
        params: idParams,
        body: unitClerkReasonIn,
        response: { 200: unitClerkDecisionOut },
      },
    },
    async (req) => {
      requireStaff(req, UNIT_CLERK_STAFF_ROLES);
      return deps.tx(req, (ctx) => revokeUnitClerk(ctx, 'agency', req.params.id, req.body.reason));
    },
  );
}
