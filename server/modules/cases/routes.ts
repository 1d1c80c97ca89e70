/** Case routes for applicants and staff: thin handlers that open the transaction and call the service. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { sql } from 'kysely';
import type { WorkCalendar } from '../../../common/calendar.ts';
import type { BillLine } from '../../../common/benefits.ts';
import {
  actionIn,
  assignIn,
  bulkIn,
  bulkOut,
  caseDetailOut,
  caseListOut,
  claimIn,
  createCaseIn,
  evaluationOut,
  precheckIn,
  materialOut,
  notificationsOut,
  outOfTurnOut,
  queueQuery,
  registerCaseIn,
  saveDraftIn,
  savedFilterIn,
  savedFilterOut,
  verifyOut,
} from '../../../common/api-cases.ts';
import { AppError } from '../../../common/errors.ts';
import { UPLOAD_LIMITS } from '../../../common/forms.ts';
import { CASE_STATES, STATE_LABELS, type CaseState } from '../../../common/workflow.ts';
import type { AppDeps } from '../../http/deps.ts';
import type { Ctx } from '../../http/actor.ts';
import { makeCtx, requireApplicant, requireStaff, requireUser } from '../../http/access.ts';
import { appendAudit } from '../audit/index.ts';
import { loadCalendar } from '../calendar/index.ts';
import { normaliseVerifyCode } from '../documents/index.ts';
import { detail, summary, SUMMARY_COLUMNS } from './presenter.ts';
import * as repo from './repository.ts';
import type { CaseRow } from './repository.ts';
import { currentItem, itemOfVersion } from './items.ts';
import { evaluateFor } from '../rules/index.ts';
import { computeBenefit } from '../benefits/index.ts';
import type { CaseDetail } from '../../../common/api-cases.ts';
import { BILL_ROLES, mayEnterBill, scopeCases } from './policy.ts';
import { assign, claim, colleagues, listQueue, outOfTurnReport } from './queue.ts';
import { documentPdf } from './notices.ts';
import {
  act,
  addMaterial,
  createDraft,
  loadVisible,
  permittedActions,
  registerCase,
  removeMaterial,
  presentEvaluation,
  saveDraft,
  submit,
  type CaseEnv,
} from './service.ts';

const idParams = z.object({ id: z.coerce.number().int().positive() });

export function caseRoutes(app: FastifyInstance, deps: AppDeps, env: CaseEnv): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = deps.dbh.db;
  const ctxOf = (req: FastifyRequest) => makeCtx(req, db, deps.clock);
  const tx = <T>(req: FastifyRequest, fn: (ctx: Ctx) => Promise<T>) => db.transaction().execute((trx) => fn({ ...ctxOf(req), db: trx }));

  /**
   * A case's page as its reader may see it. `row`: the case as this transaction just wrote or locked
   * it (submit, an action), so it is not read again.
   */
  async function present(ctx: Ctx, id: number, audit: boolean, row?: CaseRow) {
    const c = row ?? (await loadVisible(ctx, id));
    const ci = await itemOfVersion(ctx.db, c.item_version_id);
    const parts = await repo.caseParts(ctx.db, c);
    const [permitted, cal] = await Promise.all([
      permittedActions(ctx, c, ci, new Set(parts.materials.map((m) => m.material_index))),
      loadCalendar(ctx.db, ci.regionCode).catch(() => null),
    ]);
    if (audit && ctx.actor.kind === 'user' && ctx.actor.userKind === 'staff') {
      // Staff opening a case sees personal data: that view is recorded.
      await appendAudit(ctx.db, {
        actorKind: 'staff',
        actorId: String(ctx.actor.id),
        actorLabel: ctx.actor.name,
        action: 'case.view',
        subjectKind: 'case',
        subjectId: String(id),
        agencyCode: c.agency_code,
        requestId: ctx.requestId,
        ip: ctx.ip,
      });
    }
    // The benefit: as paid once completed, else computed now from the registry and the answers.
    let benefit: CaseDetail['benefit'] = null;
    let billNeeded = false;
    const paid = parts.payment;
    const bill = parts.bill as BillLine[] | null;
    if (paid)
      benefit = {
        benefit: paid.kind,
        label: paid.kind,
        amount: Number(paid.amount_fen) / 100,
        example: false,
        problem: null,
        trace: paid.trace as { step: string; formula?: string; value: string }[],
        paid: true,
      };
    else if (c.status !== 'draft' && permitted.evaluation) {
      const o = await computeBenefit(ctx.db, {
        agency: c.agency_code,
        itemCode: c.item_code,
        answers: c.answers as Record<string, string>,
        snapshot: permitted.evaluation.snapshot,
        asOf: ctx.today,
        bill,
      });
      billNeeded = o?.itemised ?? false;
      if (o)
        benefit = {
          benefit: o.benefit,
          label: o.label,
          amount: o.result?.amount ?? null,
          example: o.result?.example ?? false,
          problem: o.problem,
          trace: o.result?.trace ?? [],
          paid: false,
          bill,
        };
    }
    // 手工报销 (or a benefit computed from a bill): the reviewer enters the itemised bill while reviewing.
    const canEnterBill =
      benefit !== null && !benefit.paid && (benefit.benefit === 'reimbursement' || billNeeded) && mayEnterBill(ctx.actor, c.status);
    return detail(ctx.actor, { ...c, assignee_name: parts.assignee_name }, ci, {
      benefit,
      canEnterBill,
      today: ctx.today,
      cal,
      materials: parts.materials.map((m) => ({ ...m, id: Number(m.id), size: Number(m.size) })),
      events: parts.events,
      clock: parts.clock,
      documents: parts.documents.map((d) => ({ ...d, id: Number(d.id) })),
      actions: permitted.actions,
      evaluation: permitted.evaluation && c.status !== 'draft' ? presentEvaluation(permitted.evaluation) : null,
    });
  }

  // ---- applicants ----
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
      const { id, created } = await tx(req, async (ctx) => {
        const { row, created } = await createDraft(ctx, { ...req.body, idempotencyKey: key });
        if (req.body.submit && row.status === 'draft') {
          await submit(ctx, env, Number(row.id)); // with its after-hooks (应急期间先自动通过的事项)
        }
        return { id: Number(row.id), created };
      });
      const body = await tx(req, (ctx) => present(ctx, id, false));
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
      const ctx = ctxOf(req);
      let base = scopeCases(ctx.db.selectFrom('cases'), ctx.actor);
      if (req.query.status) base = base.where('status', '=', req.query.status);
      if (req.query.agency) base = base.where('agency_code', '=', req.query.agency);
      if (req.query.item) base = base.where('item_code', '=', req.query.item.toUpperCase());
      // The page, its total (a window count) and each agency's region in one statement; a page past
      // the end asks for the count alone.
      const rows = await base
        .select(SUMMARY_COLUMNS)
        .select(sql<number>`count(*) over ()`.as('total_count'))
        .select(sql<string>`(select a.region_code from agencies a where a.code = cases.agency_code)`.as('region_code'))
        .orderBy('updated_at', 'desc')
        .orderBy('id', 'desc')
        .limit(req.query.pageSize)
        .offset((req.query.page - 1) * req.query.pageSize)
        .execute();
      const total = rows.length
        ? Number(rows[0]!.total_count)
        : Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      const cals = new Map<string, WorkCalendar | null>();
      for (const c of rows) if (!cals.has(c.agency_code)) cals.set(c.agency_code, await loadCalendar(ctx.db, c.region_code).catch(() => null));
      return {
        items: rows.map((c) => summary(c, ctx.today, cals.get(c.agency_code) ?? null)),
        total,
        page: req.query.page,
        pageSize: req.query.pageSize,
      };
    },
  );

  r.get('/api/cases/:id', { schema: { summary: '办件详情', tags: ['办件'], params: idParams, response: { 200: caseDetailOut } } }, async (req) => {
    requireUser(req);
    return tx(req, (ctx) => present(ctx, req.params.id, true));
  });

  r.put(
    '/api/cases/:id/draft',
    { schema: { summary: '自动保存申请表', tags: ['办件'], params: idParams, body: saveDraftIn, response: { 200: caseDetailOut } } },
    async (req) => {
      requireApplicant(req);
      await tx(req, (ctx) => saveDraft(ctx, req.params.id, req.body.answers, req.body.lockVersion));
      return tx(req, (ctx) => present(ctx, req.params.id, false));
    },
  );

  r.post(
    '/api/cases/:id/submit',
    { schema: { summary: '提交申请（幂等）', tags: ['办件'], params: idParams, response: { 200: caseDetailOut } } },
    async (req) => {
      requireApplicant(req);
      // One transaction, and the rules evaluated once: submit() and the answer read the same facts.
      return tx(req, async (trxCtx) => {
        const ctx: Ctx = { ...trxCtx, memo: new Map() };
        // An after-hook (应急期间先自动通过) may change the case and the registry: submit() then answers
        // the case as it left it and has forgotten what it remembered.
        const { row } = await submit(ctx, env, req.params.id);
        return present(ctx, req.params.id, false, row);
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
          const bytes = await part.toBuffer().catch((e: { code?: string }) => {
            if (e.code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('FILE_TOO_LARGE');
            throw e;
          });
          file = { name: part.filename, bytes };
        }
      }
      if (materialIndex === null || !Number.isInteger(materialIndex) || materialIndex < 0)
        throw new AppError('VALIDATION_FAILED', '请指明上传的是哪一项材料（materialIndex）。');
      if (!file) throw new AppError('VALIDATION_FAILED', '没有收到文件。');
      const row = await tx(req, (ctx) =>
        addMaterial(ctx, env, req.params.id, { materialIndex: materialIndex!, fileName: file!.name, bytes: file!.bytes }),
      );
      return reply.status(201).send({
        id: Number(row.id),
        materialIndex: row.material_index,
        materialName: row.material_name,
        fileName: row.file_name,
        mime: row.mime,
        size: Number(row.size),
        phase: row.phase,
        uploadedAt: new Date(row.uploaded_at).toISOString(),
      });
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
      await tx(req, (ctx) => removeMaterial(ctx, req.params.id, req.params.mid));
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
      const m = await tx(req, async (ctx) => {
        const c = await loadVisible(ctx, req.params.id);
        const m = await ctx.db
          .selectFrom('case_materials')
          .selectAll()
          .where('id', '=', req.params.mid)
          .where('case_id', '=', req.params.id)
          .executeTakeFirst();
        if (!m) throw new AppError('FILE_NOT_FOUND');
        if (ctx.actor.kind === 'user' && ctx.actor.userKind === 'staff')
          await appendAudit(ctx.db, {
            actorKind: 'staff',
            actorId: String(ctx.actor.id),
            actorLabel: ctx.actor.name,
            action: 'case.material_download',
            subjectKind: 'case',
            subjectId: String(c.id),
            agencyCode: c.agency_code,
            requestId: ctx.requestId,
            ip: ctx.ip,
            data: { material: Number(m.id) },
          });
        return m;
      });
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
      return tx(req, async (trxCtx) => {
        const ctx: Ctx = { ...trxCtx, memo: new Map() };
        // After-hooks (补正后重新提交 → 应急期间先自动通过) run inside act(), which then answers the case
        // as they left it.
        const row = await act(ctx, env, req.params.id, req.params.action, req.body);
        return present(ctx, req.params.id, false, row);
      });
    },
  );

  r.put(
    '/api/cases/:id/bill',
    {
      schema: {
        summary: '审核人员录入手工报销费用明细（逐项：金额、全额/部分/不予支付）',
        tags: ['办件'],
        params: idParams,
        body: z.object({
          lines: z
            .array(
              z.object({
                name: z.string().trim().min(1).max(100),
                amount: z.number().positive().max(10_000_000),
                category: z.enum(['covered', 'partly', 'excluded']),
                selfPayRatio: z.number().min(0).max(1).optional(),
              }),
            )
            .min(1)
            .max(500),
        }),
        response: { 200: caseDetailOut },
      },
    },
    async (req) => {
      const a = requireStaff(req, BILL_ROLES);
      await tx(req, async (ctx) => {
        const c = await loadVisible(ctx, req.params.id, true);
        if (!mayEnterBill(ctx.actor, c.status)) throw new AppError('TRANSITION_NOT_ALLOWED', '只有审核中的办件可以录入费用明细。');
        await ctx.db
          .insertInto('case_bills')
          .values({ case_id: c.id, lines: JSON.stringify(req.body.lines), entered_by: a.id, entered_at: ctx.now })
          .onConflict((oc) => oc.column('case_id').doUpdateSet({ lines: JSON.stringify(req.body.lines), entered_by: a.id, entered_at: ctx.now }))
          .execute();
        await appendAudit(ctx.db, {
          actorKind: 'staff',
          actorId: String(a.id),
          actorLabel: a.name,
          action: 'case.bill',
          subjectKind: 'case',
          subjectId: String(c.id),
          agencyCode: c.agency_code,
          requestId: ctx.requestId,
          ip: ctx.ip,
          data: { lines: req.body.lines.length, total: req.body.lines.reduce((s, l) => s + l.amount, 0) },
        });
      });
      return tx(req, (ctx) => present(ctx, req.params.id, false));
    },
  );

  r.get(
    '/api/cases/:id/documents/:docId/pdf',
    { schema: { summary: '下载文书 PDF', tags: ['办件'], params: idParams.extend({ docId: z.coerce.number().int().positive() }) } },
    async (req, reply) => {
      requireUser(req);
      const d = await tx(req, async (ctx) => {
        await loadVisible(ctx, req.params.id);
        const d = await ctx.db
          .selectFrom('documents')
          .selectAll()
          .where('id', '=', req.params.docId)
          .where('case_id', '=', req.params.id)
          .executeTakeFirst();
        if (!d) throw new AppError('DOCUMENT_NOT_FOUND');
        return d;
      });
      const bytes = await documentPdf(db, env, { id: Number(d.id), file_sha: d.file_sha, content: d.content }, deps.clock.now());
      if (!bytes) throw new AppError('DOCUMENT_NOT_FOUND');
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(`${d.title}-${d.doc_no}.pdf`)}`)
        .header('cache-control', 'private, no-store')
        .send(bytes);
    },
  );

  r.get('/api/notifications', { schema: { summary: '站内消息', tags: ['办件'], response: { 200: notificationsOut } } }, async (req) => {
    const a = requireUser(req);
    const rows = await db
      .selectFrom('outbox')
      .select(['id', 'subject', 'body', 'created_at', 'case_id'])
      .where('channel', '=', 'inapp')
      .where('user_id', '=', a.id)
      .orderBy('id', 'desc')
      .limit(50)
      .execute();
    return {
      items: rows.map((n) => ({
        id: Number(n.id),
        subject: n.subject ?? '',
        body: n.body,
        at: new Date(n.created_at).toISOString(),
        caseId: n.case_id === null ? null : Number(n.case_id),
      })),
    };
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
      const ctx = ctxOf(req);
      const ci = await currentItem(db, req.params.agency, req.params.item, ctx.today);
      let idNo = a.idNo ?? '';
      if (req.body.authorisationId) {
        const auth = await db
          .selectFrom('authorisations')
          .selectAll()
          .where('id', '=', req.body.authorisationId)
          .where('agent_user_id', '=', a.id)
          .executeTakeFirst();
        if (!auth || auth.revoked_at || auth.valid_until < ctx.today) throw new AppError('AUTHORISATION_INVALID');
        idNo = auth.principal_id_no;
      }
      const ev = await evaluateFor(db, { agency: ci.agencyCode, itemCode: ci.code, idNo, answers: req.body.answers, asOf: ctx.today });
      return presentEvaluation(ev);
    },
  );

  // ---- public verification ----
  r.get(
    '/api/verify/:code',
    {
      schema: {
        summary: '文书真伪核验（仅公开非个人信息）',
        tags: ['文书'],
        params: z.object({ code: z.string().max(30) }),
        response: { 200: verifyOut },
      },
    },
    async (req) => {
      const code = normaliseVerifyCode(req.params.code);
      if (!code) throw new AppError('DOCUMENT_NOT_FOUND', '验证码格式不正确，请核对后重新输入。');
      const d = await db
        .selectFrom('documents')
        .innerJoin('cases', 'cases.id', 'documents.case_id')
        .select(['documents.public_facts', 'cases.status'])
        .where('documents.verify_code', '=', code)
        .executeTakeFirst();
      if (!d) throw new AppError('DOCUMENT_NOT_FOUND');
      const f = d.public_facts as Record<string, string>;
      return {
        valid: true as const,
        title: f.title!,
        agencyName: f.agencyName!,
        itemName: f.itemName!,
        caseNo: f.caseNo!,
        docNo: f.docNo!,
        issuedOn: f.issuedOn!,
        applicantMasked: f.applicantMasked!,
        status: STATE_LABELS[d.status as CaseState] ?? d.status,
      };
    },
  );

  // ---- staff ----
  r.get(
    '/api/staff/queue',
    { schema: { summary: '工作人员待办队列（先进先出）', tags: ['后台'], querystring: queueQuery, response: { 200: caseListOut } } },
    async (req) => {
      requireStaff(req);
      const ctx = ctxOf(req);
      const { rows, total, totalCapped, regionCode } = await listQueue(ctx, req.query);
      const cal = regionCode === null ? null : await loadCalendar(ctx.db, regionCode).catch(() => null);
      return {
        items: rows.map((c) => summary(c, ctx.today, cal)),
        total,
        ...(totalCapped ? { totalCapped } : {}),
        page: req.query.page,
        pageSize: req.query.pageSize,
      };
    },
  );

  r.post(
    '/api/staff/cases',
    { schema: { summary: '代为登记（窗口、邮件、传真、邮寄收件）', tags: ['后台'], body: registerCaseIn, response: { 201: caseDetailOut } } },
    async (req, reply) => {
      requireStaff(req, ['acceptor', 'agency_admin']);
      const row = await tx(req, async (ctx) => {
        return registerCase(ctx, env, req.body); // with its after-hooks (应急期间先自动通过的事项)
      });
      return reply.status(201).send(await tx(req, (ctx) => present(ctx, Number(row.id), false)));
    },
  );

  r.post(
    '/api/staff/cases/:id/claim',
    { schema: { summary: '认领办件', tags: ['后台'], params: idParams, body: claimIn, response: { 200: caseDetailOut } } },
    async (req) => {
      requireStaff(req);
      await tx(req, (ctx) => claim(ctx, req.params.id, req.body.reason));
      return tx(req, (ctx) => present(ctx, req.params.id, false));
    },
  );

  r.post(
    '/api/staff/cases/:id/assign',
    { schema: { summary: '分派办件', tags: ['后台'], params: idParams, body: assignIn, response: { 200: caseDetailOut } } },
    async (req) => {
      requireStaff(req);
      await tx(req, (ctx) => assign(ctx, req.params.id, req.body.userId, req.body.reason));
      return tx(req, (ctx) => present(ctx, req.params.id, false));
    },
  );

  r.post(
    '/api/staff/bulk',
    { schema: { summary: '批量认领、分派、开始审核', tags: ['后台'], body: bulkIn, response: { 200: bulkOut } } },
    async (req) => {
      requireStaff(req);
      const results = [];
      for (const id of req.body.ids) {
        try {
          await tx(req, async (ctx) => {
            if (req.body.op === 'claim') await claim(ctx, id, req.body.reason);
            else if (req.body.op === 'assign') {
              if (!req.body.userId) throw new AppError('VALIDATION_FAILED', '请选择分派对象。');
              await assign(ctx, id, req.body.userId, req.body.reason);
            } else await act(ctx, env, id, 'start_review', {});
          });
          results.push({ id, ok: true });
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          results.push({ id, ok: false, code: e.code, message: e.message });
        }
      }
      return { results };
    },
  );

  r.get(
    '/api/staff/colleagues',
    {
      schema: {
        summary: '本机构工作人员',
        tags: ['后台'],
        response: { 200: z.object({ items: z.array(z.object({ id: z.number(), name: z.string(), roles: z.array(z.string()) })) }) },
      },
    },
    async (req) => {
      requireStaff(req);
      const rows = await colleagues(ctxOf(req));
      return { items: rows.map((u) => ({ id: Number(u.id), name: u.name, roles: u.roles })) };
    },
  );

  r.get(
    '/api/staff/out-of-turn',
    { schema: { summary: '不按顺序办理报告（监督）', tags: ['后台'], response: { 200: outOfTurnOut } } },
    async (req) => {
      requireStaff(req, ['supervisor', 'agency_admin']);
      const rows = await outOfTurnReport(ctxOf(req));
      return {
        items: rows.map((o) => ({
          at: new Date(o.at).toISOString(),
          caseNo: o.case_no,
          caseId: Number(o.case_id),
          staff: o.name,
          reason: o.reason,
          skipped: o.skipped,
        })),
      };
    },
  );

  r.get(
    '/api/staff/filters',
    { schema: { summary: '已保存的筛选', tags: ['后台'], response: { 200: z.object({ items: z.array(savedFilterOut) }) } } },
    async (req) => {
      const a = requireStaff(req);
      const rows = await db.selectFrom('saved_filters').selectAll().where('user_id', '=', a.id).orderBy('id').execute();
      return { items: rows.map((f) => ({ id: Number(f.id), name: f.name, filters: f.filters as Record<string, string> })) };
    },
  );
  r.post(
    '/api/staff/filters',
    { schema: { summary: '保存筛选', tags: ['后台'], body: savedFilterIn, response: { 201: savedFilterOut } } },
    async (req, reply) => {
      const a = requireStaff(req);
      const row = await db
        .insertInto('saved_filters')
        .values({ user_id: a.id, name: req.body.name, filters: JSON.stringify(req.body.filters) })
        .returningAll()
        .executeTakeFirstOrThrow();
      return reply.status(201).send({ id: Number(row.id), name: row.name, filters: row.filters as Record<string, string> });
    },
  );
  r.delete(
    '/api/staff/filters/:id',
    { schema: { summary: '删除筛选', tags: ['后台'], params: idParams, response: { 200: z.object({ ok: z.boolean() }) } } },
    async (req) => {
      const a = requireStaff(req);
      await db.deleteFrom('saved_filters').where('id', '=', req.params.id).where('user_id', '=', a.id).execute();
      return { ok: true };
    },
  );
}
