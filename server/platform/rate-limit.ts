/**
 * Windowed counters in the database, shared by every instance: one upsert
 * (insert … on conflict do update set n = n + 1 returning n) bumps a key's count in its fixed window
 * atomically, so parallel requests each see their own number. A request reserves its place before
 * the work it limits and may give it back (`refund`) when it should not count (a login that succeeds).
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/types.ts';

export interface Limit {
  /** How many in one window. */
  max: number;
  windowMs: number;
}

function windowStart(now: Date, windowMs: number): Date {
  return new Date(Math.floor(now.getTime() / windowMs) * windowMs);
}

/** Count one for `key` in the window holding `now`; true while the count is within `limit.max`. Commits on its own. */
export async function hit(db: Kysely<DB>, key: string, limit: Limit, now: Date): Promise<boolean> {
  const start = windowStart(now, limit.windowMs);
  const row = await db
    .insertInto('rate_counters')
    .values({ key, window_start: start, n: 1, expires_at: new Date(start.getTime() + limit.windowMs) })
    .onConflict((oc) => oc.columns(['key', 'window_start']).doUpdateSet({ n: sql<number>`rate_counters.n + 1` }))
    .returning('n')
    .executeTakeFirstOrThrow();
  return row.n <= limit.max;
}

/** Give back one count of `key` in the window holding `now` (never below zero). */
export async function refund(db: Kysely<DB>, key: string, limit: Limit, now: Date): Promise<void> {
  await db
    .updateTable('rate_counters')
    .set({ n: sql<number>`greatest(n - 1, 0)` })
    .where('key', '=', key)
    .where('window_start', '=', windowStart(now, limit.windowMs))
    .execute();
}

/** Drop the windows that have ended (run from time to time; a stale row only costs space). */
export async function pruneCounters(db: Kysely<DB>, now: Date): Promise<number> {
  const r = await db.deleteFrom('rate_counters').where('expires_at', '<', now).executeTakeFirst();
  return Number(r.numDeletedRows);
}
