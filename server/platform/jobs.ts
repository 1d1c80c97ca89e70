/**
 * Durable jobs in the `jobs` table: they survive restarts and each runs once across instances.
 *
 * - enqueue() is called inside the business transaction; a dedupe key makes it idempotent
 *   (INSERT … ON CONFLICT (dedupe_key) DO NOTHING), so a sweep may run twice or on two instances.
 * - claim() picks due jobs with FOR UPDATE SKIP LOCKED and marks them running (attempts + 1) in one
 *   statement; jobs left 'running' by a crashed worker for more than 5 minutes are claimed again.
 * - The runner executes each job and its completion in one transaction, so the job's effect and
 *   `status = 'done'` commit together; on error the transaction rolls back and fail() schedules a
 *   retry (2^attempts s, ±20 % jitter, capped at 1 h) or marks the job dead after max_attempts.
 * - Recurring work (outbox dispatch, deadline sweeps) is a runner "task": a function run on every
 *   poll, before and after the jobs are drained.
 *
 * PGlite has one connection: nothing here opens a second transaction while one is open, and
 * non-transactional handlers ({ transaction: false }) get the plain db instead.
 * Times come from the runner's clock (pass runAt from the same clock when enqueuing with a fake one).
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB, JobsTable } from '../db/types.ts';
import type { Db } from '../db/index.ts';
import { systemClock, type Clock } from './clock.ts';

export type JobRow = Selectable<JobsTable>;

export const STUCK_AFTER_MS = 5 * 60_000;
const MAX_BACKOFF_MS = 3600_000;

export interface EnqueueInput {
  kind: string;
  payload?: unknown;
  /** When the job becomes due (default: the database's now()). */
  runAt?: Date;
  /** Unique key: a second enqueue with the same key is a no-op. */
  dedupeKey?: string;
  maxAttempts?: number;
}

const jobRow = (input: EnqueueInput) => ({
  kind: input.kind,
  payload: JSON.stringify(input.payload ?? {}),
  run_at: input.runAt ?? sql<Date>`now()`,
  dedupe_key: input.dedupeKey ?? null,
  ...(input.maxAttempts ? { max_attempts: input.maxAttempts } : {}),
});

/** Add a job; returns its id, or null when a job with the same dedupe key already exists. */
export async function enqueue(db: Db, input: EnqueueInput): Promise<number | null> {
  const row = await db
    .insertInto('jobs')
    .values(jobRow(input))
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row ? Number(row.id) : null;
}

/**
 * Add many jobs, ENQUEUE_BATCH rows per statement (a sweep over 2 million cases enqueues tens of
 * thousands: one round trip each took most of its 30 s). Returns how many were new.
 */
export const ENQUEUE_BATCH = 1000;
export async function enqueueMany(db: Db, inputs: readonly EnqueueInput[]): Promise<number> {
  let added = 0;
  for (let i = 0; i < inputs.length; i += ENQUEUE_BATCH) {
    const rows = await db
      .insertInto('jobs')
      .values(inputs.slice(i, i + ENQUEUE_BATCH).map(jobRow))
      .onConflict((oc) => oc.column('dedupe_key').doNothing())
      .returning('id')
      .execute();
    added += rows.length;
  }
  return added;
}

/** Retry delay after the n-th failed attempt: 2^n seconds, ±20 % jitter, at most one hour. */
export function backoffMs(attempts: number, random: () => number = Math.random): number {
  const base = Math.min(2 ** attempts * 1000, MAX_BACKOFF_MS);
  return Math.min(Math.round(base * (0.8 + 0.4 * random())), MAX_BACKOFF_MS);
}

/**
 * Claim up to `limit` due jobs of the given kinds for this worker (status → running, attempts + 1).
 * Rows locked by another worker's claim are skipped, so two workers never get the same job.
 */
export async function claim(db: Db, workerId: string, kinds: readonly string[], limit: number, now: Date = new Date()): Promise<JobRow[]> {
  if (kinds.length === 0 || limit <= 0) return [];
  const stuckBefore = new Date(now.getTime() - STUCK_AFTER_MS);
  const run = async (t: Db) => {
    // A job that keeps crashing its worker must not be reclaimed for ever.
    await t
      .updateTable('jobs')
      .set({ status: 'dead', last_error: 'worker lost while running (max attempts reached)', locked_by: null, done_at: now })
      .where('status', '=', 'running')
      .where('locked_at', '<', stuckBefore)
      .whereRef('attempts', '>=', 'max_attempts')
      .where('kind', 'in', kinds)
      .execute();
    const { rows } = await sql<JobRow>`
      with picked as (
        select id from jobs
        where kind = any(${sql.val([...kinds])}::text[])
          and ((status = 'pending' and run_at <= ${now}) or (status = 'running' and locked_at < ${stuckBefore}))
        order by run_at, id
        limit ${limit}
        for update skip locked
      )
      update jobs set status = 'running', locked_by = ${workerId}, locked_at = ${now}, attempts = jobs.attempts + 1
      from picked where jobs.id = picked.id
      returning jobs.*`.execute(t);
    return rows.sort((a, b) => Number(a.id) - Number(b.id));
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

/** Mark a claimed job done (normally inside the job's own transaction). */
export async function complete(db: Db, id: number, now: Date = new Date()): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ status: 'done', done_at: now, locked_by: null, last_error: null })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .execute();
}

/** Record a failed attempt: back to pending with a backoff, or dead once attempts reach max_attempts. */
export async function fail(
  db: Db,
  job: Pick<JobRow, 'id' | 'attempts' | 'max_attempts'>,
  error: unknown,
  now: Date = new Date(),
): Promise<'retry' | 'dead'> {
  const message = (error instanceof Error ? error.stack || error.message : String(error)).slice(0, 4000);
  const dead = job.attempts >= job.max_attempts;
  await db
    .updateTable('jobs')
    .set(
      dead
        ? { status: 'dead', last_error: message, locked_by: null, done_at: now }
        : { status: 'pending', last_error: message, locked_by: null, locked_at: null, run_at: new Date(now.getTime() + backoffMs(job.attempts)) },
    )
    .where('id', '=', job.id)
    .where('status', '=', 'running')
    .execute();
  return dead ? 'dead' : 'retry';
}

export interface JobCtx {
  /** The job's own transaction: write the job's effects through it. */
  trx: Transaction<DB>;
  job: JobRow;
  now: Date;
  log: JobLog;
}
export interface PlainJobCtx {
  db: Kysely<DB>;
  job: JobRow;
  now: Date;
  log: JobLog;
}
export type JobHandler = (payload: any, ctx: JobCtx) => Promise<void>;
/** For work that must not hold a transaction (e.g. network calls); it must be idempotent itself. */
export interface PlainJobHandler {
  transaction: false;
  run(payload: any, ctx: PlainJobCtx): Promise<void>;
}
/** Recurring work run on every poll; returns how many things it did (0 = idle). */
export type RunnerTask = (ctx: { db: Kysely<DB>; now: Date; log: JobLog }) => Promise<number>;

export interface JobLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
const silentLog: JobLog = { info() {}, warn() {}, error() {} };

export interface JobRunner {
  readonly workerId: string;
  start(): void;
  /** Stop polling and wait for the job in flight. */
  stop(): Promise<void>;
  /** Run tasks and due jobs until there is nothing left to do (tests call this instead of timers). */
  runOnce(): Promise<{ done: number; failed: number; tasks: number }>;
  register(kind: string, handler: JobHandler | PlainJobHandler): void;
  addTask(name: string, task: RunnerTask): void;
}

export function createJobRunner(opts: {
  db: Kysely<DB>;
  clock?: Clock;
  handlers?: Record<string, JobHandler | PlainJobHandler>;
  tasks?: Record<string, RunnerTask>;
  pollMs?: number;
  workerId?: string;
  log?: JobLog;
  batch?: number;
}): JobRunner {
  const { db } = opts;
  const clock = opts.clock ?? systemClock;
  const handlers = new Map(Object.entries(opts.handlers ?? {}));
  const tasks = new Map(Object.entries(opts.tasks ?? {}));
  const pollMs = opts.pollMs ?? 1000;
  const workerId = opts.workerId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const log = opts.log ?? silentLog;
  const batch = opts.batch ?? 20;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let stopping = false;
  let inFlight: Promise<unknown> = Promise.resolve();

  async function runJob(job: JobRow): Promise<boolean> {
    const h = handlers.get(job.kind);
    const now = clock.now();
    try {
      if (!h) throw new Error(`no handler for job kind ${job.kind}`);
      if (typeof h === 'function') {
        await db.transaction().execute(async (trx) => {
          await h(job.payload, { trx, job, now, log });
          await complete(trx, Number(job.id), now);
        });
      } else {
        await h.run(job.payload, { db, job, now, log });
        await complete(db, Number(job.id), now);
      }
      return true;
    } catch (err) {
      const outcome = await fail(db, { id: job.id, attempts: job.attempts, max_attempts: job.max_attempts }, err, clock.now());
      const info = { err, jobId: Number(job.id), kind: job.kind, attempts: job.attempts };
      if (outcome === 'dead') log.error(info, 'job dead');
      else log.warn(info, 'job failed, will retry');
      return false;
    }
  }

  async function runTasks(): Promise<number> {
    let n = 0;
    for (const [name, task] of tasks) {
      if (stopping) break;
      try {
        n += await task({ db, now: clock.now(), log });
      } catch (err) {
        log.error({ err, task: name }, 'runner task failed');
      }
    }
    return n;
  }

  async function drain(): Promise<{ done: number; failed: number; tasks: number }> {
    const r = { done: 0, failed: 0, tasks: 0 };
    // Bounded: a task that always reports work cannot spin for ever.
    for (let round = 0; round < 100 && !stopping; round++) {
      const t = await runTasks();
      r.tasks += t;
      let jobs = 0;
      for (;;) {
        if (stopping) break;
        const claimed = await claim(db, workerId, [...handlers.keys()], batch, clock.now());
        if (claimed.length === 0) break;
        for (const job of claimed) {
          if (await runJob(job)) r.done++;
          else r.failed++;
          jobs++;
        }
      }
      if (t === 0 && jobs === 0) break;
    }
    return r;
  }

  function runOnce() {
    // One drain at a time per runner; a second caller waits for the current one, then runs its own.
    const p = inFlight.then(drain, drain);
    inFlight = p.catch(() => undefined);
    return p;
  }

  function schedule() {
    if (!running) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((err) => log.error({ err }, 'job runner poll failed'))
        .finally(schedule);
    }, pollMs);
    timer.unref?.();
  }

  return {
    workerId,
    start() {
      if (running) return;
      running = true;
      stopping = false;
      schedule();
    },
    async stop() {
      stopping = true;
      running = false;
      if (timer) clearTimeout(timer);
      await inFlight;
      stopping = false;
    },
    runOnce,
    register(kind, handler) {
      handlers.set(kind, handler);
    },
    addTask(name, task) {
      tasks.set(name, task);
    },
  };
}
