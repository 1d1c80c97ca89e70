import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { freshPgDatabase, startServer, TEST_AUDIT_KEYS } from '../../../test/support.ts';
import { type Database, openDb } from '../../db/index.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { migrationProvider } from '../../db/migrations/index.ts';
import { loadConfig } from '../../config.ts';
import { mutableClock } from '../../platform/clock.ts';
import {
  appendAudit,
  auditSetup,
  auditSetupFrom,
  type AuditFailureReason,
  type AuditSetup,
  canonicalJson,
  configureAudit,
  entryHash,
  GENESIS,
  sealAudit,
  verifyAudit,
  writeCheckpoint,
} from './audit.ts';
import { loadKeyring, mac, parseKeys } from './keys.ts';

async function append50(db: Database, from = 1) {
  for (let i = from; i < from + 50; i++) {
    await db.transaction().execute((trx) =>
      appendAudit(trx, {
        actorKind: i % 2 ? 'staff' : 'system',
        actorId: i % 2 ? String(i) : null,
        actorLabel: i % 2 ? `经办人${i}` : '时限监控',
        action: 'case.accept',
        subjectKind: 'case',
        subjectId: String(1000 + i),
        agencyCode: 'tj',
        requestId: `req-${i}`,
        ip: '127.0.0.1',
        data: { z: i, a: { y: [1, '二', { c: true, b: null }] }, skipped: undefined },
      }),
    );
  }
}

/** What an attacker with full database access does: the append-only trigger switched off (as owner/superuser). */
async function asAttacker(db: Database, fn: () => Promise<unknown>) {
  await sql`alter table audit_log disable trigger user`.execute(db);
  try {
    await fn();
  } finally {
    await sql`alter table audit_log enable trigger user`.execute(db);
  }
}

/** The failure classes found, with the rows concerned: ['edited_row 20', 'unsealed_stale 54', 'truncated @3'] (@: checkpoint line). */
function found(v: Awaited<ReturnType<typeof verifyAudit>>): string[] {
  return (v.failures ?? []).map((f) => `${f.reason} ${f.id ?? `@${f.line}`}`);
}
const reasons = (v: Awaited<ReturnType<typeof verifyAudit>>) => new Set(Object.keys(v.counts ?? {}) as AuditFailureReason[]);

test('canonical JSON sorts keys at every level', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: undefined } }), '{"a":{"d":[{"e":2,"f":1}]},"b":1}');
  assert.equal(canonicalJson(undefined), 'null');
});

test('audit keys: kid:base64 items, the first current; a short or malformed key is refused; a missing key file is generated 0600', () => {
  const ring = parseKeys('new:' + Buffer.alloc(32, 2).toString('base64') + ', old:' + Buffer.alloc(32, 1).toString('base64'), 'x');
  assert.equal(ring.current.id, 'new');
  assert.deepEqual([...ring.byId.keys()], ['new', 'old']);
  assert.throws(() => parseKeys('k:' + Buffer.alloc(8).toString('base64'), 'x'), /太短/);
  assert.throws(() => parseKeys('no-colon', 'x'), /kid:base64/);
  assert.throws(() => parseKeys('sha256-legacy:' + Buffer.alloc(32).toString('base64'), 'x'), /kid/);
  assert.throws(() => loadConfig({ AUDIT_KEYS: 'k1:abc,,' }), /AUDIT_KEYS/);
  // The MAC is HMAC-SM3 (RFC 2104), short keys and long ones alike.
  for (const key of [Buffer.alloc(32, 9), Buffer.alloc(100, 3)])
    assert.equal(mac({ id: 'k', key }, 'a', 1, '二'), createHmac('sm3', key).update('a\n1\n二').digest('hex'));
  const dir = mkdtempSync(path.join(tmpdir(), 'yb-audit-key-'));
  try {
    const file = path.join(dir, 'secrets', 'audit.key');
    const made = loadKeyring({ keyFile: file });
    assert.equal(made.generated, file);
    assert.ok(readFileSync(file, 'utf8').length > 40);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const again = loadKeyring({ keyFile: file });
    assert.equal(again.generated, undefined, 'generated once, then read');
    assert.equal(again.keyring.current.id, made.keyring.current.id);
    assert.ok(again.keyring.current.key.equals(made.keyring.current.key));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the chain: appends take no lock, one sealer chains them, verification reads only', async () => {
  const s = await startServer({ config: { SEED: 'off' } });
  try {
    const db = s.dbh.db;
    assert.deepEqual(await verifyAudit(db), { ok: true, count: 0 });
    await append50(db);
    // A rolled-back append leaves nothing behind to seal.
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await appendAudit(trx, { actorKind: 'system', actorLabel: 'x', action: 'calendar.warn', subjectKind: 'calendar', subjectId: 'x' });
        throw new Error('rollback');
      }),
    );
    // Concurrent appends (plain db: each its own statement) take no lock; identical entries stay apart (nonce).
    await Promise.all(
      [51, 52, 53].map(() =>
        appendAudit(db, {
          actorKind: 'user',
          actorId: '9',
          actorLabel: '市民',
          action: 'account.login',
          subjectKind: 'user',
          subjectId: '51',
          at: s.clockNow(),
        }),
      ),
    );
    assert.deepEqual(await verifyAudit(db), { ok: true, count: 0, pending: 53 }, 'appended entries wait for the sealer; verifying seals nothing');
    assert.deepEqual(await verifyAudit(db), { ok: true, count: 0, pending: 53 });
    // Two sealers at once: one seals, the other finds the lock taken or nothing left; one chain either way.
    const sealed = await Promise.all([sealAudit(db, { batch: 10 }), sealAudit(db, { batch: 10 })]);
    assert.equal(sealed[0] + sealed[1], 53);
    assert.equal(await sealAudit(db), 0, 'nothing left to seal');
    assert.deepEqual(await verifyAudit(db), { ok: true, count: 53 });
    assert.deepEqual(await verifyAudit(db, { batch: 7 }), { ok: true, count: 53 }, 'batch boundaries do not matter');
    const first = await db.selectFrom('audit_log').selectAll().where('seq', '=', 1).executeTakeFirstOrThrow();
    assert.equal(first.prev_hash, GENESIS);
    assert.equal(first.key_id, 'test-1');
    assert.match(first.mac ?? '', /^[0-9a-f]{32}\.[0-9a-f]{64}$/);
    assert.deepEqual(first.data, { a: { y: [1, '二', { b: null, c: true }] }, z: 1 });
    // The runner's task seals and writes a signed checkpoint of the head outside the database.
    await appendAudit(db, { actorKind: 'system', actorLabel: '定时任务', action: 'calendar.warn', subjectKind: 'calendar', subjectId: '54' });
    await s.runner.runOnce();
    const file = auditSetup().checkpointFile!;
    const cp = JSON.parse(readFileSync(file, 'utf8').trim().split('\n').at(-1)!) as { seq: number; count: number; kid: string };
    assert.deepEqual([cp.seq, cp.count, cp.kid], [54, 54, 'test-1']);
    assert.deepEqual(await verifyAudit(db), { ok: true, count: 54, checkpoints: 1 });
  } finally {
    await s.close();
  }
});

test('the trigger refuses UPDATE, DELETE and TRUNCATE on audit_log through the app connection; only sealing passes', async () => {
  const s = await startServer({ config: { SEED: 'off' } });
  try {
    const db = s.dbh.db;
    await append50(db);
    await sealAudit(db);
    await append50(db, 51);
    const refused = /append-only/;
    await assert.rejects(sql`update audit_log set data = '{"z": 0}' where id = 3`.execute(db), refused);
    await assert.rejects(sql`update audit_log set seq = null, hash = null, prev_hash = null where id = 3`.execute(db), refused);
    await assert.rejects(sql`update audit_log set key_id = 'other' where id = 3`.execute(db), refused);
    await assert.rejects(sql`delete from audit_log where id = 50`.execute(db), refused);
    await assert.rejects(sql`truncate audit_log`.execute(db), refused);
    await assert.rejects(sql`update audit_legacy set last_id = 1000`.execute(db), /frozen/);
    await assert.rejects(sql`delete from audit_legacy`.execute(db), /frozen/);
    // Sealing an unsealed row passes only when nothing else changes with it.
    const seqs = await db.selectFrom('audit_log').select('id').where('seq', 'is', null).execute();
    assert.equal(seqs.length, 50);
    await assert.rejects(
      sql`update audit_log set seq = 999, prev_hash = 'x', hash = 'y', actor_label = '别人' where id = ${seqs[0]!.id}`.execute(db),
      refused,
    );
    assert.equal(await sealAudit(db), 50);
    assert.deepEqual(await verifyAudit(db), { ok: true, count: 100 });
  } finally {
    await s.close();
  }
});

test('every attack by someone with full database access but no key is detected', async () => {
  const clock = mutableClock('2026-11-16T10:00:00+08:00');
  const s = await startServer({ config: { SEED: 'off' }, clock });
  const now = () => clock.now();
  const later = () => new Date(clock.now().getTime() + 11 * 60_000); // past the 10-minute grace
  try {
    const db = s.dbh.db;
    const entry = (i: number) => ({
      actorKind: 'staff',
      actorId: String(i),
      actorLabel: `经办人${i}`,
      action: 'case.accept' as const,
      subjectKind: 'case' as const,
      subjectId: String(i),
      at: now(),
    });
    for (let i = 1; i <= 60; i++) await appendAudit(db, entry(i));
    await sealAudit(db);
    await writeCheckpoint(db, auditSetup(), now());
    assert.deepEqual(await verifyAudit(db, { now: later() }), { ok: true, count: 60, checkpoints: 1 });

    // 1. Editing a row's content (data or a plain column) → edited_row at that row.
    await asAttacker(db, () => sql`update audit_log set actor_label = '别人' where id = 7`.execute(db));
    let v = await verifyAudit(db);
    assert.deepEqual(found(v), ['edited_row 7']);
    assert.deepEqual(v.firstBad, { id: 7, seq: 7, reason: 'edited_row' });
    await asAttacker(db, () => sql`update audit_log set actor_label = '经办人7' where id = 7`.execute(db));
    assert.equal((await verifyAudit(db)).ok, true, 'restoring the content restores the chain');

    // 2. Reordering two rows: their seal covers their position.
    await asAttacker(db, async () => {
      await sql`update audit_log set seq = -30 where seq = 30`.execute(db);
      await sql`update audit_log set seq = 30 where seq = 31`.execute(db);
      await sql`update audit_log set seq = 31 where seq = -30`.execute(db);
    });
    v = await verifyAudit(db);
    assert.deepEqual(found(v), ['hash_mismatch 31', 'prev_mismatch 31', 'hash_mismatch 30', 'prev_mismatch 30', 'prev_mismatch 32']);
    await asAttacker(db, async () => {
      await sql`update audit_log set seq = -30 where seq = 30`.execute(db);
      await sql`update audit_log set seq = 30 where seq = 31`.execute(db);
      await sql`update audit_log set seq = 31 where seq = -30`.execute(db);
    });
    assert.equal((await verifyAudit(db)).ok, true);

    // 3. Recomputing the chain from an edited row on with the public algorithm (no key): the seals are not the key's.
    const snapshot = await db.selectFrom('audit_log').selectAll().where('seq', '>=', 40).orderBy('seq').execute();
    await asAttacker(db, async () => {
      await sql`update audit_log set data = '{"forged": true}' where id = 40`.execute(db);
      const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>=', 40).orderBy('seq').execute();
      let prev = snapshot[0]!.prev_hash!;
      for (const r of rows) {
        const hash = entryHash(prev, r);
        await sql`update audit_log set prev_hash = ${prev}, hash = ${hash} where id = ${r.id}`.execute(db);
        prev = hash;
      }
    });
    v = await verifyAudit(db);
    assert.equal(v.firstBad?.reason, 'edited_row');
    assert.equal(v.firstBad?.id, 40);
    assert.deepEqual(reasons(v), new Set(['edited_row', 'hash_mismatch', 'truncated']), 'the checkpoint no longer matches the head either');
    assert.equal(v.counts?.hash_mismatch, 20, 'every recomputed seal is refused');
    // …posing as legacy rows (key_id and mac gone) does not help: the legacy algorithm ended at migration 0030.
    await asAttacker(db, () => sql`update audit_log set key_id = null, mac = null where seq >= 40`.execute(db));
    v = await verifyAudit(db);
    assert.equal(v.counts?.legacy_after_migration, 21);
    // …nor does a key id the verifier does not know.
    await asAttacker(db, () => sql`update audit_log set key_id = 'evil', mac = 'x.' || id where seq >= 40`.execute(db));
    assert.equal((await verifyAudit(db)).counts?.unknown_key, 21);
    await restore(db, snapshot);
    assert.deepEqual(await verifyAudit(db), { ok: true, count: 60, checkpoints: 1 });

    // 4. Deleting the newest rows: the rest still chains, but the signed checkpoint outside the database says 60.
    const tail = await db.selectFrom('audit_log').selectAll().where('seq', '>', 57).orderBy('seq').execute();
    await asAttacker(db, () => sql`delete from audit_log where seq > 57`.execute(db));
    v = await verifyAudit(db);
    assert.deepEqual(found(v), ['truncated @1']);
    assert.match(v.failures![0]!.detail!, /has seq 60; the chain ends at 57/);
    // Deleting a middle row: the next one no longer links.
    await restore(db, tail);
    assert.equal((await verifyAudit(db)).ok, true);
    const row25 = await db.selectFrom('audit_log').selectAll().where('id', '=', 25).execute();
    await asAttacker(db, () => sql`delete from audit_log where id = 25`.execute(db));
    assert.deepEqual(found(await verifyAudit(db)), ['prev_mismatch 26', 'gap 26']);
    await restore(db, row25);

    // 5. Nulling seq/hash/prev_hash from an edited row on, so that a sealer would chain the edit: it refuses the
    //    edited row (its MAC fails), the checkpoint shows the chain shrank, and once past the grace every row left
    //    unsealed is a failure. Verification never seals.
    const from50 = await db.selectFrom('audit_log').selectAll().where('seq', '>=', 50).orderBy('seq').execute();
    await asAttacker(db, async () => {
      await sql`update audit_log set data = '{"edited": 1}', seq = null, hash = null, prev_hash = null where id = 50`.execute(db);
      await sql`update audit_log set seq = null, hash = null, prev_hash = null where seq > 50`.execute(db);
    });
    v = await verifyAudit(db);
    assert.deepEqual(found(v), ['truncated @1', 'forged_row 50']);
    assert.equal(v.pending, 11);
    assert.deepEqual(found(await verifyAudit(db, { now: later() })).slice(0, 4), [
      'truncated @1',
      'forged_row 50',
      'unsealed_stale 50',
      'unsealed_stale 51',
    ]);
    const refused: number[] = [];
    assert.equal(await sealAudit(db, { onRefused: (id) => refused.push(id) }), 10, 'the ten genuine rows are chained again, the edited one is not');
    assert.deepEqual(refused, [50]);
    const resealed = await db.selectFrom('audit_log').select(['id', 'seq']).where('id', '=', 50).executeTakeFirstOrThrow();
    assert.equal(resealed.seq, null, 'the edited row stays unsealed');
    v = await verifyAudit(db);
    assert.equal(v.ok, false);
    assert.deepEqual(reasons(v), new Set(['truncated', 'forged_row']));
    assert.equal(await sealAudit(db), 0, 'the sealer does not retry a refused row');
    // Put the original rows back for the next attacks (as the attacker would have to).
    await asAttacker(db, async () => {
      await sql`delete from audit_log where seq >= 50 or id = 50`.execute(db);
    });
    await restore(db, from50);
    assert.deepEqual(await verifyAudit(db), { ok: true, count: 60, checkpoints: 1 });

    // 6. A forged unsealed row inserted with plain SQL (no MAC, a made-up MAC, or one made with a guessed key):
    //    never sealed, reported at once.
    const forged = (mac: string | null, keyId: string | null) =>
      sql<{ id: number }>`insert into audit_log (at, actor_kind, actor_label, action, subject_kind, subject_id, key_id, mac)
        values (${now()}, 'staff', '经办人1', 'case.accept', 'case', '999', ${keyId}, ${mac}) returning id`
        .execute(db)
        .then((r) => Number(r.rows[0]!.id));
    const f1 = await forged(null, null);
    const f2 = await forged('00.' + '0'.repeat(64), 'test-1');
    const f3 = await forged(null, 'test-1');
    assert.equal(await sealAudit(db), 0, 'no forged row is sealed');
    v = await verifyAudit(db);
    assert.deepEqual(found(v), [`forged_row ${f1}`, `forged_row ${f2}`, `forged_row ${f3}`]);
    assert.equal(v.count, 60);
    // 7. A copy of a genuine row (same MAC): the unique index refuses it; with the index dropped, verification finds it.
    const copy = sql`insert into audit_log (at, actor_kind, actor_id, actor_label, action, subject_kind, subject_id, data, key_id, mac)
      select at, actor_kind, actor_id, actor_label, action, subject_kind, subject_id, data, key_id, mac from audit_log where id = 12`;
    await assert.rejects(copy.execute(db), /duplicate key|unique/);
    await sql`drop index audit_log_mac`.execute(db);
    await copy.execute(db);
    v = await verifyAudit(db);
    assert.ok(
      found(v).some((f) => f.startsWith('replayed_row ')),
      found(v).join(),
    );

    // 8. A signed checkpoint edited, or one made up without the key: bad_checkpoint.
    const file = auditSetup().checkpointFile!;
    const line = JSON.parse(readFileSync(file, 'utf8').trim()) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...line, seq: 10, count: 10 }) + '\n' + JSON.stringify({ ...line, kid: 'nobody' }) + '\n');
    assert.deepEqual(
      found(await verifyAudit(db)).filter((f) => f.includes('@')),
      ['bad_checkpoint @1', 'bad_checkpoint @2'],
    );
  } finally {
    await s.close();
  }
});

/** Put rows back as they were (the attacker's undo, trigger off). */
async function restore(db: Database, rows: Record<string, unknown>[]) {
  await asAttacker(db, async () => {
    for (const r of rows) {
      await sql`delete from audit_log where id = ${r.id}`.execute(db);
      await db
        .insertInto('audit_log')
        .values({ ...(r as never as object), data: r.data === null ? null : JSON.stringify(r.data) } as never)
        .execute();
    }
  });
}

test('a row left unsealed past the grace is a failure, by the clock', async () => {
  const clock = mutableClock('2026-11-16T10:00:00+08:00');
  const s = await startServer({ config: { SEED: 'off', AUDIT_SEAL_GRACE_SECONDS: '600' }, clock });
  try {
    const db = s.dbh.db;
    const id = await appendAudit(db, {
      actorKind: 'system',
      actorLabel: 'x',
      action: 'calendar.warn',
      subjectKind: 'calendar',
      subjectId: '1',
      at: clock.now(),
    });
    clock.advance(9 * 60_000);
    assert.deepEqual(await verifyAudit(db), { ok: true, count: 0, pending: 1 }, 'within the grace it is only pending');
    clock.advance(2 * 60_000);
    const v = await verifyAudit(db);
    assert.deepEqual(found(v), [`unsealed_stale ${id}`]);
    assert.equal((await verifyAudit(db)).ok, false, 'verifying twice changes nothing: it never seals');
    await sealAudit(db);
    assert.deepEqual(await verifyAudit(db), { ok: true, count: 1 });
  } finally {
    await s.close();
  }
});

test('key rotation: a new key first seals new rows; rows and checkpoints of the old key still verify; a dropped key is unknown_key', async () => {
  const s = await startServer({ config: { SEED: 'off' } });
  try {
    const db = s.dbh.db;
    const old = auditSetup();
    await append50(db);
    await sealAudit(db);
    await writeCheckpoint(db, old);
    const k2 = 'test-2:' + Buffer.alloc(32, 7).toString('base64');
    const rotated: AuditSetup = { ...old, keys: parseKeys(`${k2},${TEST_AUDIT_KEYS}`, 'test') };
    configureAudit(rotated);
    await append50(db, 51);
    await sealAudit(db);
    await writeCheckpoint(db, rotated);
    const kids = await db.selectFrom('audit_log').select('key_id').distinct().orderBy('key_id').execute();
    assert.deepEqual(
      kids.map((k) => k.key_id),
      ['test-1', 'test-2'],
    );
    assert.deepEqual(await verifyAudit(db), { ok: true, count: 100, checkpoints: 2 });
    // Without the old key nothing it made can be checked.
    const v = await verifyAudit(db, { setup: { ...old, keys: parseKeys(k2, 'test') } });
    assert.equal(v.counts?.unknown_key, 50);
    assert.deepEqual(
      found(v).filter((f) => f.includes('@')),
      ['bad_checkpoint @1'],
    );
    configureAudit(old);
  } finally {
    await s.close();
  }
});

test('rows chained before migration 0030 (public sha256) still verify, and the sealer finishes them; the legacy algorithm ends there', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'yb-audit-legacy-'));
  const dbh = await openDb(process.env.TEST_DATABASE_URL ? { url: await freshPg() } : { memory: true });
  const setup = auditSetupFrom(loadConfig({ AUDIT_KEYS: TEST_AUDIT_KEYS, AUDIT_CHECKPOINT_DIR: dir }), {
    clock: mutableClock('2026-11-16T10:00:00+08:00'),
  }).setup;
  const before = auditSetup();
  configureAudit(setup);
  try {
    const db = dbh.db;
    const all = await migrationProvider.getMigrations();
    const without = { ...all };
    delete without['20261208_0030_audit_tamper'];
    const r = await new Migrator({ db, provider: { getMigrations: async () => without }, allowUnorderedMigrations: true }).migrateToLatest();
    assert.equal(r.error, undefined);
    // A prior deployment: three rows chained the old way, one inserted but not sealed yet.
    let prev = GENESIS;
    for (let i = 1; i <= 4; i++) {
      const fields = {
        at: new Date('2026-11-01T00:00:00Z'),
        actor_kind: 'system',
        actor_id: null,
        actor_label: '旧系统',
        action: 'calendar.warn',
        subject_kind: 'calendar',
        subject_id: String(i),
        agency_code: null,
        request_id: null,
        ip: null,
        data: { i },
      };
      const sealed = i <= 3 ? { seq: i, prev_hash: prev, hash: entryHash(prev, fields) } : {};
      await db
        .insertInto('audit_log')
        .values({ ...fields, data: JSON.stringify(fields.data), ...sealed })
        .execute();
      if (sealed.hash) prev = sealed.hash;
    }
    await migrateToLatest(db);
    assert.deepEqual(await verifyAudit(db, { now: new Date('2026-11-01T00:05:00Z') }), { ok: true, count: 3, pending: 1 });
    assert.equal(await sealAudit(db), 1, 'the legacy row left unsealed is chained the legacy way');
    await appendAudit(db, {
      actorKind: 'system',
      actorLabel: '新系统',
      action: 'calendar.warn',
      subjectKind: 'calendar',
      subjectId: '5',
      at: new Date(),
    });
    assert.equal(await sealAudit(db), 1);
    const rows = await db.selectFrom('audit_log').select(['seq', 'key_id']).orderBy('seq').execute();
    assert.deepEqual(
      rows.map((x) => [x.seq, x.key_id]),
      [
        [1, null],
        [2, null],
        [3, null],
        [4, null],
        [5, 'test-1'],
      ],
    );
    assert.deepEqual(await verifyAudit(db, { now: new Date() }), { ok: true, count: 5 });
    // Editing a legacy row is still found (its hash), and the keyed row after it vouches for the prefix.
    await asAttacker(db, () => sql`update audit_log set actor_label = '别人' where seq = 2`.execute(db));
    assert.deepEqual(found(await verifyAudit(db, { now: new Date() })), ['edited_row 2']);
    // A new row without a MAC (as the old code wrote them) is forged: the legacy algorithm ended at the migration.
    await asAttacker(db, () => sql`update audit_log set actor_label = '旧系统' where seq = 2`.execute(db));
    await sql`insert into audit_log (at, actor_kind, actor_label, action, subject_kind, subject_id) values (now(), 'system', 'x', 'calendar.warn', 'calendar', '6')`.execute(
      db,
    );
    assert.equal(await sealAudit(db), 0);
    assert.deepEqual(found(await verifyAudit(db, { now: new Date() })), ['forged_row 6']);
  } finally {
    configureAudit(before);
    await dbh.close();
    rmSync(dir, { recursive: true, force: true });
    if (dropPg) await dropPg();
  }
});

let dropPg: (() => Promise<void>) | undefined;
async function freshPg(): Promise<string> {
  const fresh = await freshPgDatabase(process.env.TEST_DATABASE_URL!);
  dropPg = fresh.drop;
  return fresh.url;
}

test('the audit:verify CLI never seals, names each failure with its row, exits 0 when intact and 1 on any failure', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'yb-audit-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGLITE_DIR: path.join(dir, 'db'),
    DATABASE_URL: '',
    LOG_LEVEL: 'silent',
    AUDIT_KEYS: TEST_AUDIT_KEYS,
    AUDIT_CHECKPOINT_DIR: path.join(dir, 'checkpoints'),
  };
  const run = () =>
    spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../../cli/audit-verify.ts')], { env, encoding: 'utf8', timeout: 120_000 });
  const before = auditSetup();
  const config = loadConfig(env);
  const setup = auditSetupFrom(config, { clock: { now: () => new Date() } }).setup;
  configureAudit(setup);
  try {
    let dbh = await openDb({ pgliteDir: config.PGLITE_DIR });
    await migrateToLatest(dbh.db);
    await append50(dbh.db);
    await sealAudit(dbh.db);
    await writeCheckpoint(dbh.db, setup);
    await appendAudit(dbh.db, { actorKind: 'system', actorLabel: 'x', action: 'calendar.warn', subjectKind: 'calendar', subjectId: '51' });
    await dbh.close();

    const ok = run();
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /审计日志完整：已校验 50 条记录/);
    assert.match(ok.stdout, /Audit log intact: 50 entries verified, 1 pending, 1 checkpoints/);

    dbh = await openDb({ pgliteDir: config.PGLITE_DIR });
    assert.equal((await verifyAudit(dbh.db)).pending, 1, 'the CLI sealed nothing');
    await asAttacker(dbh.db, async () => {
      await sql`update audit_log set data = '{"z": 0}' where id = 12`.execute(dbh.db);
      await sql`delete from audit_log where seq = 50`.execute(dbh.db);
    });
    await dbh.close();

    const bad = run();
    assert.equal(bad.status, 1, bad.stdout + bad.stderr);
    assert.match(bad.stderr, /edited_row × 1/);
    assert.match(bad.stderr, /edited_row id=12 seq=12/);
    assert.match(bad.stderr, /truncated × 1/);
    assert.match(bad.stderr, /truncated seq=50 checkpoint line 1/);
  } finally {
    configureAudit(before);
    rmSync(dir, { recursive: true, force: true });
  }
});
