/**
 * The bench's fixtures (see routes.ts): one plain INSERT, drafts cloned in bulk, and the real
 * deadline sweep measured and rolled back.
 */
import { sql } from 'kysely';
import type { Database } from '../../db/index.ts';
import { sweepDeadlines } from '../cases/index.ts';

class Rollback extends Error {}

async function columnsOf(db: Database, table: string, except: string[]): Promise<string[]> {
  const r = await sql<{ c: string }>`select column_name as c from information_schema.columns
    where table_schema = current_schema() and table_name = ${table} order by ordinal_position`.execute(db);
  return r.rows.map((x) => x.c).filter((c) => !except.includes(c));
}

export async function benchInsert(db: Database): Promise<number> {
  const row = await db.insertInto('bench_writes').values({ note: 'bench' }).returning('id').executeTakeFirstOrThrow();
  return Number(row.id);
}

/** `copies` copies of one draft with its materials, in one transaction. */
export async function cloneDraft(db: Database, caseId: number, copies: number): Promise<{ ids: number[] }> {
  const caseCols = sql.raw((await columnsOf(db, 'cases', ['id'])).map((c) => `"${c}"`).join(', '));
  const mat = await columnsOf(db, 'case_materials', ['id', 'case_id']);
  const matCols = sql.raw(mat.map((c) => `m."${c}"`).join(', '));
  const matNames = sql.raw(mat.map((c) => `"${c}"`).join(', '));
  return db.transaction().execute(async (trx) => {
    const ids = (
      await sql<{ id: number }>`insert into cases (${caseCols})
        select ${caseCols} from cases cross join generate_series(1, ${copies})
        where id = ${caseId} and status = 'draft' returning id`.execute(trx)
    ).rows.map((x) => Number(x.id));
    if (ids.length)
      await sql`insert into case_materials (case_id, ${matNames})
        select n.id, ${matCols} from unnest(${sql.val(ids)}::bigint[]) as n(id)
        cross join case_materials m where m.case_id = ${caseId}`.execute(trx);
    return { ids };
  });
}

/** The deadline sweep as on a day when every open case crosses a threshold, timed, then rolled back. */
export async function measureSweep(db: Database, now: Date): Promise<{ enqueued: number; ms: number; cases: number; running: number }> {
  let out = { enqueued: 0, ms: 0, cases: 0, running: 0 };
  await db
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
      const r = await sweepDeadlines(trx, now);
      out = { enqueued: r.enqueued, ms: Math.round(performance.now() - t0), ...counts };
      throw new Rollback();
    })
    .catch((e: unknown) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return out;
}
