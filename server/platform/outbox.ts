/**
 * The notification outbox. queueMessage() is called inside the business transaction, so a message
 * exists exactly when the change it reports committed. dispatchOutbox() sends pending rows:
 * it claims them with FOR UPDATE SKIP LOCKED (attempts + 1 and a 5-minute lease on
 * next_attempt_at, so two instances never send the same row and a crash mid-send retries later),
 * sends outside any transaction, then marks each row sent, or schedules a retry with the jobs'
 * backoff (2^attempts s ± jitter, ≤ 1 h); after 8 attempts the row is 'dead'. An adapter error
 * with `permanent: true` marks the row 'failed' at once.
 * Channels: email → mailer, sms → sms adapter, inapp → marked sent (the app lists them as
 * notifications). The job runner calls it as the recurring task 'outbox' (see boot.ts).
 * A never-tried row is due at once whatever the clock says; retries wait for next_attempt_at.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, OutboxTable } from '../db/types.ts';
import type { Db } from '../db/index.ts';
import type { Clock } from './clock.ts';
import { backoffMs, type RunnerTask } from './jobs.ts';
import type { Mailer } from './mail.ts';
import type { Sms } from './sms.ts';

export type OutboxRow = Selectable<OutboxTable>;
export type Channel = 'email' | 'sms' | 'inapp';

export const OUTBOX_MAX_ATTEMPTS = 8;
const LEASE_MS = 5 * 60_000;

export interface QueuedMessage {
  channel: Channel;
  /** Email address, mobile number, or (inapp) the user id as text. */
  recipient: string;
  subject?: string | null;
  body: string;
  meta?: unknown;
  agencyCode?: string | null;
  caseId?: number | null;
  userId?: number | null;
}

/** Queue a message in the caller's transaction. Returns the outbox id. */
export async function queueMessage(trx: Db, m: QueuedMessage): Promise<number> {
  return (await queueMessages(trx, [m]))[0]!;
}

/** Queue several messages in one statement (one event told on several channels). Returns their ids. */
export async function queueMessages(trx: Db, ms: QueuedMessage[]): Promise<number[]> {
  if (ms.length === 0) return [];
  const rows = await trx
    .insertInto('outbox')
    .values(
      ms.map((m) => ({
        channel: m.channel,
        recipient: m.recipient,
        subject: m.subject ?? null,
        body: m.body,
        meta: m.meta === undefined ? null : JSON.stringify(m.meta),
        agency_code: m.agencyCode ?? null,
        case_id: m.caseId ?? null,
        user_id: m.userId ?? null,
      })),
    )
    .returning('id')
    .execute();
  return rows.map((r) => Number(r.id));
}

export interface DispatchDeps {
  mailer: Pick<Mailer, 'send'>;
  sms: Pick<Sms, 'send'>;
  clock: Clock;
  limit?: number;
  /** How long a claimed message is held before another worker may retry it (a crashed sender's lease). */
  leaseMs?: number;
}
export interface DispatchResult {
  claimed: number;
  sent: number;
  retry: number;
  dead: number;
  failed: number;
}

async function deliver(row: OutboxRow, deps: DispatchDeps, now: Date): Promise<void> {
  if (row.channel === 'email') await deps.mailer.send({ to: row.recipient, subject: row.subject ?? '', text: row.body });
  else if (row.channel === 'sms') await deps.sms.send(row.recipient, row.body, now);
  // 'inapp': nothing to send; the row itself is the notification.
}

/** Send one batch of due messages. Never throws for a delivery error (the row records it). */
export async function dispatchOutbox(db: Kysely<DB>, deps: DispatchDeps): Promise<DispatchResult> {
  const now = deps.clock.now();
  const limit = deps.limit ?? 50;
  const { rows } = await db.transaction().execute((trx) =>
    sql<OutboxRow>`
      with picked as (
        select id from outbox
        where status = 'pending' and (attempts = 0 or next_attempt_at <= ${now})
        order by id
        limit ${limit}
        for update skip locked
      )
      update outbox set attempts = outbox.attempts + 1, next_attempt_at = ${new Date(now.getTime() + (deps.leaseMs ?? LEASE_MS))}
      from picked where outbox.id = picked.id
      returning outbox.*`.execute(trx),
  );
  rows.sort((a, b) => Number(a.id) - Number(b.id));
  const r: DispatchResult = { claimed: rows.length, sent: 0, retry: 0, dead: 0, failed: 0 };
  for (const row of rows) {
    try {
      await deliver(row, deps, now);
      await db.updateTable('outbox').set({ status: 'sent', sent_at: deps.clock.now(), last_error: null }).where('id', '=', row.id).execute();
      r.sent++;
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).slice(0, 2000);
      const permanent = Boolean((err as { permanent?: boolean } | null)?.permanent);
      const at = deps.clock.now();
      if (permanent || row.attempts >= OUTBOX_MAX_ATTEMPTS) {
        await db
          .updateTable('outbox')
          .set({ status: permanent ? 'failed' : 'dead', last_error: message })
          .where('id', '=', row.id)
          .execute();
        if (permanent) r.failed++;
        else r.dead++;
      } else {
        await db
          .updateTable('outbox')
          .set({ last_error: message, next_attempt_at: new Date(at.getTime() + backoffMs(row.attempts)) })
          .where('id', '=', row.id)
          .execute();
        r.retry++;
      }
    }
  }
  return r;
}

/** The outbox as a job-runner task: dispatches one batch per call, returns how many rows it took. */
export function outboxTask(deps: Omit<DispatchDeps, 'clock'> & { clock: Clock }): RunnerTask {
  return async ({ db }) => (await dispatchOutbox(db, deps)).claimed;
}
