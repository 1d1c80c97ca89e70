import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startServer, onPostgres } from '../../test/support.ts';
import { openDb } from '../db/index.ts';
import { mutableClock } from './clock.ts';
import { backoffMs, claim, complete, createJobRunner, enqueue, enqueueMany, ENQUEUE_BATCH, fail, STUCK_AFTER_MS, type EnqueueInput } from './jobs.ts';

const T0 = '2026-03-02T01:00:00.000Z';

test('enqueue / claim / complete, with dedupe keys', async () => {
  const s = await startServer({ config: { SEED: 'off' } });
  try {
    const db = s.dbh.db;
    const now = new Date(T0);
    const a = await enqueue(db, { kind: 'k', payload: { n: 1 }, runAt: now, dedupeKey: 'once' });
    assert.ok(a);
    assert.equal(await enqueue(db, { kind: 'k', payload: { n: 2 }, runAt: now, dedupeKey: 'once' }), null, 'same key: no second job');
    const b = await db.transaction().execute((trx) => enqueue(trx, { kind: 'k', payload: { n: 3 }, runAt: now }));
    await enqueue(db, { kind: 'k', payload: {}, runAt: new Date(now.getTime() + 60_000) }); // not due yet
    await enqueue(db, { kind: 'other', payload: {}, runAt: now }); // not our kind

    const got = await claim(db, 'w1', ['k'], 10, now);
    assert.deepEqual(
      got.map((j) => Number(j.id)),
      [a, b],
    );
    assert.deepEqual(got[0]!.payload, { n: 1 });
    assert.ok(got.every((j) => j.status === 'running' && j.locked_by === 'w1' && j.attempts === 1));
    assert.equal((await claim(db, 'w2', ['k'], 10, now)).length, 0, 'claimed jobs are not handed out twice');

    await complete(db, a!, now);
    const row = await db.selectFrom('jobs').selectAll().where('id', '=', a!).executeTakeFirstOrThrow();
    assert.equal(row.status, 'done');
    assert.ok(row.done_at);

    // A job stuck 'running' (worker died) is reclaimed after 5 minutes.
    const later = new Date(now.getTime() + STUCK_AFTER_MS + 1000);
    const again = await claim(db, 'w2', ['k'], 10, later);
    assert.deepEqual(
      again.map((j) => [Number(j.id), j.locked_by, j.attempts]),
      [
        [b, 'w2', 2],
        [Number((await db.selectFrom('jobs').select('id').where('run_at', '>', now).executeTakeFirstOrThrow()).id), 'w2', 1],
      ],
    );
  } finally {
    await s.close();
  }
});

test('enqueueMany inserts in batches and counts only the new jobs', async () => {
  const s = await startServer({ config: { SEED: 'off' } });
  try {
    const db = s.dbh.db;
    const now = new Date(T0);
    await enqueue(db, { kind: 'k', runAt: now, dedupeKey: 'k:7' });
    // More than two batches; one key already queued, one repeated across batches, some without a key.
    const inputs: EnqueueInput[] = Array.from({ length: 2 * ENQUEUE_BATCH + 5 }, (_, i) => ({
      kind: 'k',
      payload: { i },
      runAt: now,
      dedupeKey: `k:${i}`,
    }));
    inputs.push({ kind: 'k', payload: { i: -1 }, runAt: now, dedupeKey: 'k:3' }, { kind: 'k', payload: { i: -2 }, runAt: now });
    inputs.push({ kind: 'k', payload: { i: -3 }, runAt: now, maxAttempts: 2 });
    assert.equal(await enqueueMany(db, inputs), 2 * ENQUEUE_BATCH + 5 - 1 + 2);
    const rows = await db.selectFrom('jobs').select(['dedupe_key', 'payload', 'max_attempts']).execute();
    assert.equal(rows.length, 2 * ENQUEUE_BATCH + 5 + 2);
    assert.deepEqual(rows.find((r) => r.dedupe_key === 'k:3')!.payload, { i: 3 }, 'the first of a repeated key wins');
    assert.equal(rows.find((r) => (r.payload as { i: number }).i === -3)!.max_attempts, 2);
    assert.equal(await enqueueMany(db, inputs.slice(0, 10)), 0, 'a second sweep adds nothing');
    assert.equal(await enqueueMany(db, []), 0);
  } finally {
    await s.close();
  }
});

test('failures back off exponentially with jitter and end dead after max attempts', async () => {
  assert.equal(
    backoffMs(1, () => 0.5),
    2000,
  );
  assert.equal(
    backoffMs(3, () => 0),
    6400,
  );
  assert.equal(
    backoffMs(3, () => 1),
    9600,
  );
  assert.equal(
    backoffMs(30, () => 1),
    3600_000,
    'capped at one hour',
  );

  const s = await startServer({ config: { SEED: 'off' } });
  try {
    const db = s.dbh.db;
    const clock = mutableClock(T0);
    const calls: number[] = [];
    const runner = createJobRunner({
      db,
      clock,
      workerId: 'test',
      handlers: {
        flaky: async (p: { n: number }, ctx) => {
          calls.push(p.n);
          // The effect is written in the job's transaction: rolled back when the handler throws.
          await sql`insert into sms_messages (phone, text) values ('13800000000', ${`attempt ${ctx.job.attempts}`})`.execute(ctx.trx);
          if (ctx.job.attempts < 3) throw new Error(`boom ${ctx.job.attempts}`);
        },
        hopeless: async () => {
          throw new Error('never works');
        },
      },
    });
    const id = (await enqueue(db, { kind: 'flaky', payload: { n: 7 }, runAt: clock.now() }))!;
    const dead = (await enqueue(db, { kind: 'hopeless', payload: {}, runAt: clock.now(), maxAttempts: 3 }))!;

    let r = await runner.runOnce();
    assert.deepEqual([r.done, r.failed], [0, 2]);
    let row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 1);
    assert.match(row.last_error!, /boom 1/);
    const delay = new Date(row.run_at).getTime() - clock.now().getTime();
    assert.ok(delay >= 1600 && delay <= 2400, `2 s ± 20 %, got ${delay}`);
    assert.equal((await runner.runOnce()).failed, 0, 'not due before the backoff');

    clock.advance(3_000);
    await runner.runOnce(); // attempt 2 fails, backoff ~4 s
    row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.attempts, 2);
    const delay2 = new Date(row.run_at).getTime() - clock.now().getTime();
    assert.ok(delay2 >= 3200 && delay2 <= 4800, `4 s ± 20 %, got ${delay2}`);

    clock.advance(5_000);
    r = await runner.runOnce(); // flaky succeeds on attempt 3; hopeless reaches max_attempts 3
    row = await db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'done');
    assert.deepEqual(calls, [7, 7, 7]);
    const texts = await db.selectFrom('sms_messages').select('text').execute();
    assert.deepEqual(
      texts.map((t) => t.text),
      ['attempt 3'],
      'only the successful attempt committed its effect',
    );
    const d = await db.selectFrom('jobs').selectAll().where('id', '=', dead).executeTakeFirstOrThrow();
    assert.equal(d.status, 'dead');
    assert.equal(d.attempts, 3);
    assert.match(d.last_error!, /never works/);

    // fail() on its own: dead exactly when attempts reach max_attempts.
    const j = (await enqueue(db, { kind: 'manual', runAt: clock.now(), maxAttempts: 1 }))!;
    const [c] = await claim(db, 'w', ['manual'], 1, clock.now());
    assert.equal(await fail(db, c!, new Error('x'), clock.now()), 'dead');
    assert.equal((await db.selectFrom('jobs').select('status').where('id', '=', j).executeTakeFirstOrThrow()).status, 'dead');

    await runner.stop();
  } finally {
    await s.close();
  }
});

test('start() polls in the background and stop() waits for the job in flight', async () => {
  const s = await startServer({ config: { SEED: 'off' } });
  try {
    const db = s.dbh.db;
    let finished = 0;
    const runner = createJobRunner({
      db,
      clock: s.clock,
      pollMs: 10,
      handlers: {
        slow: async () => {
          await new Promise((r) => setTimeout(r, 100));
          finished++;
        },
      },
    });
    await enqueue(db, { kind: 'slow', runAt: new Date(s.clockNow().getTime() - 1000) });
    runner.start();
    for (let i = 0; i < 100 && !(await db.selectFrom('jobs').select('id').where('status', '=', 'running').executeTakeFirst()); i++)
      await new Promise((r) => setTimeout(r, 10));
    await runner.stop();
    assert.equal(finished, 1, 'stop() returned only after the running job finished');
    assert.equal((await db.selectFrom('jobs').select('status').executeTakeFirstOrThrow()).status, 'done');
  } finally {
    await s.close();
  }
});

test('two runners on two pools run each of 200 jobs exactly once', { skip: !onPostgres && 'PostgreSQL only (set TEST_DATABASE_URL)' }, async () => {
  const s = await startServer({ config: { SEED: 'off' } });
  const other = await openDb({ url: s.config.DATABASE_URL });
  try {
    const db = s.dbh.db;
    await sql`create table job_runs (job_id bigint not null, worker text not null)`.execute(db);
    const runAt = new Date(s.clockNow().getTime() - 1000);
    for (let i = 0; i < 200; i += 50)
      await db.transaction().execute(async (trx) => {
        for (let k = i; k < i + 50; k++) await enqueue(trx, { kind: 'count', payload: { k }, runAt });
      });
    const make = (workerId: string, pool: typeof db) =>
      createJobRunner({
        db: pool,
        clock: s.clock,
        workerId,
        batch: 7,
        handlers: {
          count: async (_p, ctx) => {
            await sql`insert into job_runs values (${ctx.job.id}, ${workerId})`.execute(ctx.trx);
            await new Promise((r) => setTimeout(r, Math.random() * 3));
          },
        },
      });
    const [r1, r2, r3] = await Promise.all([make('a', db).runOnce(), make('b', other.db).runOnce(), make('c', other.db).runOnce()]);
    assert.equal(r1.done + r2.done + r3.done, 200);
    const runs = await sql<{ job_id: number; n: number }>`select job_id, count(*)::int as n from job_runs group by job_id`.execute(db);
    assert.equal(runs.rows.length, 200);
    assert.ok(runs.rows.every((r) => r.n === 1));
    const workers = await sql<{ worker: string }>`select distinct worker from job_runs`.execute(db);
    assert.ok(workers.rows.length >= 2, 'both pools took part');
    const left = await db.selectFrom('jobs').select('id').where('status', '!=', 'done').execute();
    assert.equal(left.length, 0);
  } finally {
    await other.close();
    await s.close();
  }
});
