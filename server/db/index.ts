/** Kysely factory: PGlite (embedded, file-backed) by default, PostgreSQL when a URL is given. */
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { mkdirSync } from 'node:fs';
import type { DB } from './types.ts';

export type Database = Kysely<DB>;
/** A database or a transaction: what repositories and services take. */
export type Db = Kysely<DB> | Transaction<DB>;

export interface DbHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  close(): Promise<void>;
}

// Dates stay as 'YYYY-MM-DD' strings; timestamps as Date; bigint ids as numbers (ids stay < 2^53).
pg.types.setTypeParser(1082, (v: string) => v);
pg.types.setTypeParser(20, (v: string) => Number(v));

export async function openDb(opts: { url?: string; pgliteDir?: string; memory?: boolean; poolMax?: number }): Promise<DbHandle> {
  if (opts.url) {
    const max = opts.poolMax ?? 10;
    // A fixed-size pool (min = max): a connection, once opened, stays. With pg's default of dropping
    // a connection idle for 10 s, a lull after a busy minute closed most of them; the next small
    // burst then opened new ones, each with a cold PostgreSQL backend whose first queue page took
    // ~50 ms to plan, and the requests queued behind them stalled ~300 ms (npm run bench, queue at
    // a steady 100 req/s, every run at the 10th second).
    const pool = new pg.Pool({ connectionString: opts.url, max, min: max });
    pool.on('connect', (client) => preparedStatements(client));
    // An idle client can lose its connection (server restart, failover, a database dropped at the
    // end of a test run). pg emits that on the pool; unhandled it would crash the process, while
    // the pool simply replaces the client on next use. Log it instead.
    pool.on('error', (err) => {
      process.emitWarning(`PostgreSQL idle client error: ${err.message}`);
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  let dataDir: string | undefined;
  if (!opts.memory) {
    dataDir = opts.pgliteDir ?? 'var/db';
    mkdirSync(dataDir, { recursive: true });
  }
  const pglite = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    parsers: { 1082: (v: string) => v, 20: (v: string) => Number(v) },
  });
  await pglite.waitReady;
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return { db, kind: 'pglite', close: () => db.destroy() };
}

/** Named prepared statements each connection keeps at most (PostgreSQL holds a plan for each). */
export const PREPARED_PER_CONNECTION = 300;

/**
 * Every statement Kysely sends is unnamed, so PostgreSQL parses and plans it anew on each call: for
 * the registry snapshot that was 1.7 of its 2.3 ms (npm run bench). This gives each distinct SQL text
 * with parameters a name on this connection, so it is parsed once and, after five runs, PostgreSQL
 * may keep a generic plan. Kysely writes the same text for the same query shape. Bounded: texts with
 * many parameters (batched inserts) and any beyond PREPARED_PER_CONNECTION stay unnamed.
 */
function preparedStatements(client: pg.PoolClient): void {
  const names = new Map<string, string>();
  let generation = 0;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  client.query = ((...args: unknown[]) => {
    const [text, values] = args;
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && values.length <= 64 && args.length === 2) {
      let name = names.get(text);
      if (name === undefined && names.size < PREPARED_PER_CONNECTION) names.set(text, (name = `k${generation}_${names.size}`));
      if (name !== undefined)
        return (query({ name, text, values }) as Promise<unknown>).catch((e: { code?: string }) => {
          // "cached plan must not change result type": another instance migrated a table under a
          // `select *`. This statement fails; the connection starts over with new names.
          if (e.code === '0A000') {
            names.clear();
            generation++;
          }
          throw e;
        });
    }
    return query(...args);
  }) as typeof client.query;
}

export async function ping(db: Database): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}
