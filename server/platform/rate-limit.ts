/**
 * Windowed counters in the database, shared by every instance: one upsert
 * (insert … on conflict do update set n = n + 1 returning n) bumps a key's count in its fixed window
 * atomically, so parallel requests each see their own number. A request reserves its place before
 * the work it limits and may give it back (`refund`) when it should not count (a login that succeeds).
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { DB } from '../db/types.ts';
import { AppError } from '../../common/errors.ts';

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

/**
 * Add `amount` to `key`'s count in the window holding `now` unless that would pass `max`: one
 * conditional upsert, so parallel requests at the edge cannot both pass (the second waits for the
 * first's row and sees its sum). Runs in the caller's transaction: a rolled-back request gives it
 * back. Returns the count before (`used`) and whether it was added.
 */
export async function charge(db: Kysely<DB>, key: string, amount: number, limit: Limit, now: Date): Promise<{ ok: boolean; used: number }> {
  const start = windowStart(now, limit.windowMs);
  if (amount <= limit.max) {
    const row = await db
      .insertInto('rate_counters')
      .values({ key, window_start: start, n: amount, expires_at: new Date(start.getTime() + limit.windowMs) })
      .onConflict((oc) =>
        oc
          .columns(['key', 'window_start'])
          .doUpdateSet({ n: sql<number>`rate_counters.n + excluded.n` })
          .where(sql<boolean>`rate_counters.n + excluded.n <= ${limit.max}`),
      )
      .returning('n')
      .executeTakeFirst();
    if (row) return { ok: true, used: row.n - amount };
  }
  const cur = await db.selectFrom('rate_counters').select('n').where('key', '=', key).where('window_start', '=', start).executeTakeFirst();
  return { ok: false, used: cur?.n ?? 0 };
}

const DAY_MS = 24 * 60 * 60_000;

/**
 * Count an upload of `bytes` against account `userId`'s daily allowance (`maxPerDay`), in the
 * caller's transaction; QUOTA_EXCEEDED with details { limit, used } when it would pass it.
 */
export async function chargeUpload(db: Kysely<DB>, userId: number, bytes: number, maxPerDay: number, now: Date): Promise<void> {
  const r = await charge(db, `upload-bytes:${userId}`, bytes, { max: maxPerDay, windowMs: DAY_MS }, now);
  if (!r.ok) throw new AppError('QUOTA_EXCEEDED', undefined, { limit: maxPerDay, used: r.used, scope: 'account-day' });
}
