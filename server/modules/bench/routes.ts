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
import { sql } from 'kysely';
import { z } from 'zod';
import type { AppDeps } from '../../http/deps.ts';
import { sweepDeadlines } from '../cases/index.ts';

class Rollback extends Error {}

async function columnsOf(db: AppDeps['dbh']['db'], table: string, except: string[]): Promise<string[]> {
  const r = await sql<{ c: string }>`select column_name as c from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(db);
  return r.rows.map((x) => x.c).filter((c) => !except.includes(c));
}

export function benchRoutes(app: FastifyInstance, deps: AppDeps) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const db = () => deps.dbh.db;
  const hide = { hide: true } as const;

  r.get('/api/bench/static', { schema: { ...hide, response: { 200: z.object({ ok: z.literal(true) }) } } }, async () => ({ ok: true as const }));

  r.post('/api/bench/insert', { schema: { ...hide, response: { 201: z.object({ id: z.number() }) } } }, async (_req, reply) => {
    const row = await db().insertInto('bench_writes').values({ note: 'bench' }).returning('id').executeTakeFirstOrThrow();
    return reply.status(201).send({ id: Number(row.id) });
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
    async (req) => {
      const caseCols = sql.raw((await columnsOf(db(), 'cases', ['id'])).map((c) => `"${c}"`).join(', '));
      const mat = await columnsOf(db(), 'case_materials', ['id', 'case_id']);
      const matCols = sql.raw(mat.map((c) => `m."${c}"`).join(', '));
      const matNames = sql.raw(mat.map((c) => `"${c}"`).join(', '));
      return db()
        .transaction()
        .execute(async (trx) => {
          const ids = (
            await sql<{ id: number }>`insert into cases (${caseCols})
              select ${caseCols} from cases cross join generate_series(1, ${req.body.copies})
              where id = ${req.body.caseId} and status = 'draft' returning id`.execute(trx)
          ).rows.map((x) => Number(x.id));
          if (ids.length)
            await sql`insert into case_materials (case_id, ${matNames})
              select n.id, ${matCols} from unnest(${sql.val(ids)}::bigint[]) as n(id)
              cross join case_materials m where m.case_id = ${req.body.caseId}`.execute(trx);
          return { ids };
        });
    },
  );

  r.post(
    '/api/bench/sweep',
    { schema: { ...hide, response: { 200: z.object({ enqueued: z.number(), ms: z.number(), cases: z.number(), running: z.number() }) } } },
    async () => {
      let out = { enqueued: 0, ms: 0, cases: 0, running: 0 };
      await db()
        .transaction()
        .execute(async (trx) => {
          await sql`update cases set warned75_at = null, warned_last_at = null, breached_at = null
            where clock_state = 'running' and (warned75_at is not null or warned_last_at is not null or breached_at is not null)`.execute(trx);
          await sql`delete from jobs where kind in ('case.sla', 'case.tolerance_expired', 'case.deem_accepted', 'transfer.sla')`.execute(trx);
          const counts = (
            await sql<{ cases: number; running: number }>`select count(*)::int as cases,
              (count(*) filter (where clock_state = 'running'))::int as running from cases`.execute(trx)
          ).rows[0]!;
          const t0 = performance.now();
          const r = await sweepDeadlines(trx, deps.clock.now());
          out = { enqueued: r.enqueued, ms: Math.round(performance.now() - t0), ...counts };
          throw new Rollback();
        })
        .catch((e: unknown) => {
          if (!(e instanceof Rollback)) throw e;
        });
      return out;
    },
  );
}
