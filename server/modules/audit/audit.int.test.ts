import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { startServer } from '../../../test/support.ts';
import { type Database, openDb } from '../../db/index.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { appendAudit, canonicalJson, GENESIS, sealAudit, verifyAudit } from './audit.ts';

async function append50(db: Database) {
  for (let i = 1; i <= 50; i++) {
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

test('canonical JSON sorts keys at every level', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: undefined } }), '{"a":{"d":[{"e":2,"f":1}]},"b":1}');
  assert.equal(canonicalJson(undefined), 'null');
});

test('the audit chain detects edited, deleted and reordered rows', async () => {
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
    // Concurrent appends (plain db: each its own statement) take no lock.
    await Promise.all(
      [51, 52, 53].map((i) =>
        appendAudit(db, { actorKind: 'user', actorId: '9', actorLabel: '市民', action: 'account.login', subjectKind: 'user', subjectId: String(i) }),
      ),
    );
    assert.deepEqual(await verifyAudit(db), { ok: true, count: 0, pending: 53 }, 'appended entries wait for the sealer');
    // Two sealers at once: one seals, the other finds the lock taken or nothing left; one chain either way.
    const sealed = await Promise.all([sealAudit(db, { batch: 10 }), sealAudit(db, { batch: 10 })]);
    assert.equal(sealed[0] + sealed[1], 53);
    assert.equal(await sealAudit(db), 0, 'nothing left to seal');
    assert.deepEqual(await verifyAudit(db), { ok: true, count: 53 });
    assert.deepEqual(await verifyAudit(db, { batch: 7 }), { ok: true, count: 53 }, 'batch boundaries do not matter');
    const first = await db.selectFrom('audit_log').selectAll().where('seq', '=', 1).executeTakeFirstOrThrow();
    assert.equal(first.prev_hash, GENESIS);
    assert.deepEqual(first.data, { a: { y: [1, '二', { b: null, c: true }] }, z: 1 });
    // A later entry is checked only once sealed, and then continues the chain.
    await appendAudit(db, { actorKind: 'system', actorLabel: '定时任务', action: 'calendar.warn', subjectKind: 'calendar', subjectId: '54' });
    assert.deepEqual(await verifyAudit(db), { ok: true, count: 53, pending: 1 });
    await sealAudit(db);
    assert.deepEqual(await verifyAudit(db), { ok: true, count: 54 });

    // Edit the data of row 20 → hash mismatch at 20.
    await sql`update audit_log set data = jsonb_set(data, '{z}', '999') where id = 20`.execute(db);
    assert.deepEqual(await verifyAudit(db), { ok: false, count: 54, firstBad: { id: 20, seq: 20, reason: 'hash_mismatch' } });
    await sql`update audit_log set data = jsonb_set(data, '{z}', '20') where id = 20`.execute(db);
    assert.equal((await verifyAudit(db)).ok, true, 'restoring the content restores the chain');

    // Edit a plain column too.
    await sql`update audit_log set actor_label = '别人' where id = 7`.execute(db);
    assert.deepEqual((await verifyAudit(db)).firstBad, { id: 7, seq: 7, reason: 'hash_mismatch' });
    await sql`update audit_log set actor_label = '经办人7' where id = 7`.execute(db);

    // Reorder: swap the chain positions of rows 30 and 31 (each row's own hash still matches).
    await sql`update audit_log set seq = -30 where seq = 30`.execute(db);
    await sql`update audit_log set seq = 30 where seq = 31`.execute(db);
    await sql`update audit_log set seq = 31 where seq = -30`.execute(db);
    assert.deepEqual((await verifyAudit(db)).firstBad, { id: 31, seq: 30, reason: 'prev_mismatch' });
    await sql`update audit_log set seq = -30 where seq = 30`.execute(db);
    await sql`update audit_log set seq = 30 where seq = 31`.execute(db);
    await sql`update audit_log set seq = 31 where seq = -30`.execute(db);
    assert.equal((await verifyAudit(db)).ok, true);

    // Delete a middle row → the next row no longer links.
    await sql`delete from audit_log where id = 25`.execute(db);
    assert.deepEqual(await verifyAudit(db), { ok: false, count: 53, firstBad: { id: 26, seq: 26, reason: 'prev_mismatch' } });
  } finally {
    await s.close();
  }
});

test('the audit:verify CLI exits 0 on an intact chain and 1 after tampering', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'yb-audit-'));
  const run = () => {
    const env: NodeJS.ProcessEnv = { ...process.env, PGLITE_DIR: dir, DATABASE_URL: '', LOG_LEVEL: 'silent' };
    return spawnSync(process.execPath, [path.resolve(import.meta.dirname, '../../cli/audit-verify.ts')], { env, encoding: 'utf8', timeout: 120_000 });
  };
  try {
    let dbh = await openDb({ pgliteDir: dir });
    await migrateToLatest(dbh.db);
    await append50(dbh.db);
    await dbh.close();

    const ok = run();
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /审计日志完整：已校验 50 条记录/);
    assert.match(ok.stdout, /Audit log intact: 50 entries/);

    dbh = await openDb({ pgliteDir: dir });
    await sql`update audit_log set data = '{"z": 0}' where id = 12`.execute(dbh.db);
    await dbh.close();

    const bad = run();
    assert.equal(bad.status, 1, bad.stdout + bad.stderr);
    assert.match(bad.stderr, /id=12/);
    assert.match(bad.stderr, /hash_mismatch/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
