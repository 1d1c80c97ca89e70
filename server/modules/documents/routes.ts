/** Document routes: a case's document as PDF, and the public verification of a code. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { verifyOut } from '../../../common/api-cases.ts';
import type { AppDeps } from '../../http/deps.ts';
import type { Ctx } from '../../http/actor.ts';
import { AppError } from '../../../common/errors.ts';
import { requireUser } from '../../http/access.ts';
import { documentPdf, issuedDocument, verifyDocument, type DocumentEnv } from './service.ts';

export interface DocumentPorts {
  env: DocumentEnv;
  /** Refuses (CASE_NOT_FOUND) unless the actor may see the case: the case hub decides. */
  caseVisible(ctx: Ctx, caseId: number): Promise<unknown>;
}

export function documentRoutes(app: FastifyInstance, deps: AppDeps, ports: DocumentPorts): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/cases/:id/documents/:docId/pdf',
    {
      schema: {
        summary: '下载文书 PDF',
        tags: ['办件'],
        params: z.object({ id: z.coerce.number().int().positive(), docId: z.coerce.number().int().positive() }),
      },
    },
    async (req, reply) => {
      requireUser(req);
      const d = await deps.tx(req, async (ctx) => {
        await ports.caseVisible(ctx, req.params.id);
        return issuedDocument(ctx.db, req.params.id, req.params.docId);
      });
      const ctx = deps.ctx(req);
      const bytes = await documentPdf(ctx.db, ports.env, { id: Number(d.id), file_sha: d.file_sha, content: d.content }, ctx.now);
      if (!bytes) throw new AppError('DOCUMENT_NOT_FOUND');
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(`${d.title}-${d.doc_no}.pdf`)}`)
        .header('cache-control', 'private, no-store')
        .send(bytes);
    },
  );

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
    async (req) => verifyDocument(deps.readCtx().db, req.params.code),
  );
}
