/** Case routes for applicants (and what both sides use: a case's page, its materials, its actions). Validate, authorise, call the service. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  actionIn,
  caseDetailOut,
  caseListOut,
  createCaseIn,
  evaluationOut,
  precheckIn,
  materialOut,
  notificationsOut,
  saveDraftIn,
} from '../../../common/api-cases.ts';
import { AppError } from '../../../common/errors.ts';
import { assertCleanText, readFilePart } from '../../http/edge.ts';
import { UPLOAD_LIMITS } from '../../../common/forms.ts';
import { CASE_STATES } from '../../../common/workflow.ts';
import type { AppDeps } from '../../http/deps.ts';
import type { Ctx } from '../../http/actor.ts';
import { requireApplicant, requireUser } from '../../http/access.ts';
import { uploadedMaterial } from './presenter.ts';
import { myCases, notifications } from './lists.ts';
import { caseView } from './view.ts';
import {
  act,
  addMaterial,
  createDraft,
  isIdempotencyRace,
  materialFile,
  precheck,
  removeMaterial,
  saveDraft,
  submit,
  type CaseEnv,
} from './service.ts';

export const idParams = z.object({ id: z.coerce.number().int().positive() });

export function applicantCaseRoutes(app: FastifyInstance, deps: AppDeps, env: CaseEnv): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post(
    '/api/cases',
    {
      schema: {
        summary: '开始申请（草稿），可带 Idempotency-Key 且 submit=true 一步提交',
        tags: ['办件'],
        body: createCaseIn,
        headers: z.object({ 'idempotency-key': z.string().min(8).max(100).optional() }).passthrough(),
        response: { 201: caseDetailOut, 200: caseDetailOut },
      },
    },
    async (req, reply) => {
      requireApplicant(req);
      const key = req.headers['idempotency-key'] as string | undefined;
      const attempt = () =>
        deps.tx(req, async (ctx) => {
          const { row, created } = await createDraft(ctx, { ...req.body, idempotencyKey: key });
          if (req.body.submit && row.status === 'draft') {
            await submit(ctx, env, Number(row.id)); // with its after-hooks (应急期间先自动通过的事项)
          }
          return { id: Number(row.id), created };
        });
      // Parallel requests with one key: the losers' inserts wait for the winner and fail on the unique
      // index, their transactions roll back, and a second attempt finds the winner's case.
      const { id, created } = await attempt().catch((e: unknown) => {
        if (key && isIdempotencyRace(e)) return attempt();
        throw e;
      });
      const body = await deps.tx(req, (ctx) => caseView(ctx, id));
      return reply.status(created ? 201 : 200).send(body);
    },
  );

  r.get(
    '/api/cases/mine',
    {
      schema: {
        summary: '我的办件',
        tags: ['办件'],
        querystring: z.object({
          page: z.coerce.number().int().min(1).default(1),
          pageSize: z.coerce.number().int().min(1).max(100).default(20),
          status: z.enum(CASE_STATES).optional(),
          agency: z.string().max(40).optional(),
          item: z.string().max(40).optional(),
        }),
        response: { 200: caseListOut },
      },
    },
    async (req) => {
      requireUser(req);
      return myCases(deps.ctx(req), req.query);
    },
  );

  r.get('/api/cases/:id', { schema: { summary: '办件详情', tags: ['办件'], params: idParams, response: { 200: caseDetailOut } } }, async (req) => {
    requireUser(req);
    return deps.tx(req, (ctx) => caseView(ctx, req.params.id, { audit: true }));
  });

  r.put(
    '/api/cases/:id/draft',
    { schema: { summary: '自动保存申请表', tags: ['办件'], params: idParams, body: saveDraftIn, response: { 200: caseDetailOut } } },
    async (req) => {
      requireApplicant(req);
      await deps.tx(req, (ctx) => saveDraft(ctx, req.params.id, req.body.answers, req.body.lockVersion));
      return deps.tx(req, (ctx) => caseView(ctx, req.params.id));
    },
  );

  r.post(
    '/api/cases/:id/submit',
    { schema: { summary: '提交申请（幂等）', tags: ['办件'], params: idParams, response: { 200: caseDetailOut } } },
    async (req) => {
      requireApplicant(req);
      // One transaction, and the rules evaluated once: submit() and the answer read the same facts.
      return deps.tx(req, async (trxCtx) => {
        const ctx: Ctx = { ...trxCtx, memo: new Map() };
        // An after-hook (应急期间先自动通过) may change the case and the registry: submit() then answers
        // the case as it left it and has forgotten what it remembered.
        const { row } = await submit(ctx, env, req.params.id);
        return caseView(ctx, req.params.id, { row });
      });
    },
  );

  r.post(
    '/api/cases/:id/materials',
    {
      schema: {
        summary: '上传材料（multipart：materialIndex + file；PDF/JPG/PNG，按内容识别）',
        tags: ['办件'],
        params: idParams,
        response: { 201: materialOut },
      },
    },
    async (req, reply) => {
      requireUser(req);
      if (!req.isMultipart()) throw new AppError('UNSUPPORTED_MEDIA_TYPE', '请以 multipart/form-data 上传文件。');
      let materialIndex: number | null = null;
      let file: { name: string; bytes: Buffer } | null = null;
      for await (const part of req.parts({ limits: { fileSize: UPLOAD_LIMITS.maxFileBytes, files: 1, fields: 5 } })) {
        if (part.type === 'field' && part.fieldname === 'materialIndex') materialIndex = Number(part.value);
        if (part.type === 'file') {
          assertCleanText(part.filename, 'file');
          file = { name: part.filename, bytes: await readFilePart(part) };
        }
      }
      if (materialIndex === null || !Number.isInteger(materialIndex) || materialIndex < 0)
        throw new AppError('VALIDATION_FAILED', '请指明上传的是哪一项材料（materialIndex）。');
      if (!file) throw new AppError('VALIDATION_FAILED', '没有收到文件。');
      const row = await deps.tx(req, (ctx) =>
        addMaterial(ctx, env, req.params.id, { materialIndex: materialIndex!, fileName: file!.name, bytes: file!.bytes }),
      );
      return reply.status(201).send(uploadedMaterial(row));
    },
  );

  r.delete(
    '/api/cases/:id/materials/:mid',
    {
      schema: {
        summary: '删除未提交的材料',
        tags: ['办件'],
        params: idParams.extend({ mid: z.coerce.number().int().positive() }),
        response: { 200: z.object({ ok: z.boolean() }) },
      },
    },
    async (req) => {
      requireUser(req);
      await deps.tx(req, (ctx) => removeMaterial(ctx, req.params.id, req.params.mid));
      return { ok: true };
    },
  );

  r.get(
    '/api/cases/:id/materials/:mid/file',
    {
      schema: {
        summary: '下载材料（仅申请人和本机构工作人员）',
        tags: ['办件'],
        params: idParams.extend({ mid: z.coerce.number().int().positive() }),
      },
    },
    async (req, reply) => {
      requireUser(req);
      const m = await deps.tx(req, (ctx) => materialFile(ctx, req.params.id, req.params.mid));
      const bytes = await env.storage.get(m.file_sha);
      if (!bytes) throw new AppError('FILE_NOT_FOUND');
      return reply
        .type(m.mime)
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(m.file_name)}`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store')
        .send(bytes);
    },
  );

  r.post(
    '/api/cases/:id/actions/:action',
    {
      schema: {
        summary: '办件流转操作（受理、补正、审核、撤回……）',
        tags: ['办件'],
        params: idParams.extend({ action: z.string().regex(/^[a-z_]+$/) }),
        body: actionIn,
        response: { 200: caseDetailOut },
      },
    },
    async (req) => {
      requireUser(req);
      // One transaction; the rules evaluated for the action serve the answer too, unless the
      // action changed the registry (act() then clears the memo).
      return deps.tx(req, async (trxCtx) => {
        const ctx: Ctx = { ...trxCtx, memo: new Map() };
        // After-hooks (补正后重新提交 → 应急期间先自动通过) run inside act(), which then answers the case
        // as they left it.
        const row = await act(ctx, env, req.params.id, req.params.action, req.body);
        return caseView(ctx, req.params.id, { row });
      });
    },
  );

  r.get('/api/notifications', { schema: { summary: '站内消息', tags: ['办件'], response: { 200: notificationsOut } } }, async (req) => {
    const a = requireUser(req);
    return notifications(deps.ctx(req), a);
  });

  r.post(
    '/api/agencies/:agency/items/:item/precheck',
    {
      schema: {
        summary: '办理前自检：按参保信息核验本事项的办理条件和禁办情形（本人或代办对象）',
        tags: ['办件'],
        params: z.object({ agency: z.string().max(40), item: z.string().max(40) }),
        body: precheckIn,
        response: { 200: evaluationOut },
      },
    },
    async (req) => {
      const a = requireApplicant(req);
      return precheck(deps.ctx(req), a, req.params.agency, req.params.item, req.body);
    },
  );
}
