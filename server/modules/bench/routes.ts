/**
 * Routes for `npm run bench`, registered only with BENCH_ROUTES=on (never in production).
 *
 * The two ceilings every other scenario is compared with, in the same run:
 *   GET  /api/bench/static — a constant JSON body through the same Fastify stack (hooks, serializer);
 *   POST /api/bench/insert — one plain INSERT through the same pool the real routes use.
 * Two fixtures the bench needs while the server holds the database (PGlite allows one process):
 *   POST /api/bench/clone-draft — copies one draft (made through the real API, with its uploaded
 *        materials) N times, so the submission scenario has a fresh draft for every request;
 *   POST /api/bench/sweep — runs the real deadline sweep as on a day when every open case crosses a
 *        threshold (markers and SLA jobs cleared first), times it, and rolls everything back so the
 *        next run measures the same work.
 */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppDeps } from '../../http/deps.ts';
import { benchInsert, cloneDraft, measureSweep } from './fixtures.ts';

export function benchRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const hide = { hide: true } as const;

  r.get('/api/bench/static', { schema: { ...hide, response: { 200: z.object({ ok: z.literal(true) }) } } }, async () => ({ ok: true as const }));

  r.post('/api/bench/insert', { schema: { ...hide, response: { 201: z.object({ id: z.number() }) } } }, async (req, reply) => {
    return reply.status(201).send({ id: await benchInsert(deps.ctx(req).db) });
  });

  r.post(
    '/api/bench/clone-draft',
    {
      schema: {
        ...hide,
        body: z.object({ caseId: z.number().int().positive(), copies: z.number().int().min(1).max(200_000) }),
        response: { 200: z.object({ ids: z.array(z.number()) }) },
      },
    },
    async (req) => cloneDraft(deps.ctx(req).db, req.body.caseId, req.body.copies),
  );

  r.post(
    '/api/bench/sweep',
    { schema: { ...hide, response: { 200: z.object({ enqueued: z.number(), ms: z.number(), cases: z.number(), running: z.number() }) } } },
    async (req) => {
      const ctx = deps.ctx(req);
      return measureSweep(ctx.db, ctx.now);
    },
  );
}
