/**
 * Backups (issue 17): audited work through the app (sealed), a backup of the database, the files
 * and the extra directories (PostgreSQL: while the server runs; PGlite: refused until it stops),
 * restored into a fresh database and fresh directories: the row counts match, the files are there,
 * the audit chain still verifies. A non-empty target is refused without --force; a corrupt backup
 * is refused with a message naming the part (also through `npm run restore`).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { freshPgDatabase, onPostgres, startServer } from '../../test/support.ts';
import { registerCitizen, staffClient, testIdNo } from '../../test/client.ts';
import { submittedCase } from '../../test/factories.ts';
import { verifyAudit } from '../modules/audit/index.ts';
import { openDb, type DbHandle } from '../db/index.ts';
import { BackupError, backupDirs, createBackup, restoreBackup, verifyBackup, type BackupTarget } from '../db/backup.ts';

const NOW = new Date('2026-11-16T02:00:00Z');

interface Counts {
  audit: number;
  cases: number;
  materials: number;
  users: number;
}

async function counts(db: DbHandle['db']): Promise<Counts> {
  const r = await sql<Counts>`select
      (select count(*)::int from audit_log) as audit, (select count(*)::int from cases) as cases,
      (select count(*)::int from case_materials) as materials, (select count(*)::int from users) as users`.execute(db);
  return { ...r.rows[0]! };
}

const rejectsWith = (code: BackupError['code'], pattern?: RegExp) => (e: unknown) => {
  assert.ok(e instanceof BackupError, String(e));
  assert.equal(e.code, code, e.message);
  if (pattern) assert.match(e.message, pattern);
  return true;
};

test(`backup and restore on ${onPostgres ? 'PostgreSQL' : 'PGlite'}: counts, files and the audit chain survive; corrupt or in-the-way targets refused`, async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'yb-backup-'));
  const filesDir = path.join(root, 'files');
  const secretsDir = path.join(root, 'secrets');
  mkdirSync(secretsDir, { recursive: true });
  writeFileSync(path.join(secretsDir, 'audit-key'), 'k1:0123456789abcdef\n', { mode: 0o600 });
  const pgliteDir = path.join(root, 'db');
  const restoredDb = onPostgres ? await freshPgDatabase(process.env.TEST_DATABASE_URL!) : null;
  const s = await startServer({ config: { FILES_DIR: filesDir }, ...(onPostgres ? {} : { pgliteDir }) });
  let closed = false;
  try {
    // Audited work: a submitted case with an upload, opened by a clerk (case.view); then sealed.
    const c = await submittedCase({
      server: s,
      item: 'FS-11',
      citizen: { name: '吴德福', idNo: testIdNo('210402', '19900315', 'M') },
      person: { enrol: [{ type: 'employee', start: '2020-01-01', employment: 'employed' }] },
    });
    const clerk = await staffClient(s, { agency: 'fushun', roles: ['acceptor'] });
    assert.equal((await clerk.client.get(`/api/cases/${c.id}`)).status, 200);
    await s.runner.runOnce();
    const sealed = await verifyAudit(s.dbh.db);
    assert.equal(sealed.ok, true);
    assert.ok(sealed.count > 0);
    const before = await counts(s.dbh.db);
    assert.ok(before.materials > 0 && before.cases > 0);

    const source: BackupTarget = {
      db: onPostgres ? { kind: 'postgres', url: s.config.DATABASE_URL! } : { kind: 'pglite', dir: pgliteDir },
      dirs: backupDirs(filesDir, [secretsDir, path.join(root, 'audit-checkpoints')]),
    };
    const out = path.join(root, 'backup-1');
    if (!onPostgres) {
      // One process opens the embedded database at a time: refused while the server has it.
      await assert.rejects(createBackup(source, out, { now: NOW }), rejectsWith('LOCKED', /停止服务器/));
      await s.close();
      closed = true;
    }
    // PostgreSQL: taken while the server works (citizens registering meanwhile); the dump and its
    // row counts are one snapshot, which restore checks.
    const [m] = await Promise.all([
      createBackup(source, out, { now: NOW }),
      onPostgres ? Promise.all([registerCitizen(s), registerCitizen(s), registerCitizen(s)]) : null,
    ]);
    const inBackup: Counts = {
      audit: m.db.rows.audit_log!,
      cases: m.db.rows.cases!,
      materials: m.db.rows.case_materials!,
      users: m.db.rows.users!,
    };
    assert.equal(m.db.kind, onPostgres ? 'postgres' : 'pglite');
    assert.match(m.db.migrationHead ?? '', /^\d{8}_\d{4}_/);
    assert.equal(inBackup.cases, before.cases);
    assert.equal(inBackup.materials, before.materials);
    if (!onPostgres) assert.deepEqual(inBackup, before);
    assert.deepEqual(
      m.dirs.map((d) => [d.name, d.files.length > 0]),
      [
        ['files', true],
        ['secrets', true],
        ['audit-checkpoints', false],
      ],
      'files and secrets copied, a missing directory tolerated',
    );
    assert.equal(m.fileCount, m.dirs[0]!.files.length + 1);
    assert.ok(!existsSync(`${out}.partial`));
    assert.equal(statSync(out).mode & 0o777, 0o700, 'the backup (which holds keys) is private to its user');

    // Restore into a fresh database and fresh directories.
    const target: BackupTarget = {
      db: restoredDb ? { kind: 'postgres', url: restoredDb.url } : { kind: 'pglite', dir: path.join(root, 'restored-db') },
      dirs: [
        { name: 'files', path: path.join(root, 'restored-files') },
        { name: 'secrets', path: path.join(root, 'restored-secrets') },
        { name: 'audit-checkpoints', path: path.join(root, 'restored-checkpoints') },
      ],
    };
    const r = await restoreBackup(out, target, { now: NOW });
    assert.ok(r.tables > 50);
    for (const f of m.dirs[0]!.files)
      assert.deepEqual(readFileSync(path.join(root, 'restored-files', f.path)), readFileSync(path.join(filesDir, f.path)), f.path);
    assert.equal(readFileSync(path.join(root, 'restored-secrets', 'audit-key'), 'utf8'), 'k1:0123456789abcdef\n');

    const check = async () => {
      const dbh = await openDb(restoredDb ? { url: restoredDb.url, poolMax: 1 } : { pgliteDir: path.join(root, 'restored-db') });
      try {
        assert.deepEqual(await counts(dbh.db), inBackup);
        const v = await verifyAudit(dbh.db);
        assert.equal(v.ok, true, JSON.stringify(v));
        assert.equal(v.count, sealed.count, 'every sealed entry is in the restored chain');
      } finally {
        await dbh.close();
      }
    };
    await check();

    // The restored target is now in the way: refused, unless forced (directories moved aside).
    await assert.rejects(restoreBackup(out, target, { now: NOW }), rejectsWith('NOT_EMPTY', /--force/));
    const forced = await restoreBackup(out, target, { now: NOW, force: true });
    assert.ok(forced.movedAside.some((p) => p.includes('restored-files.before-restore-')));
    await check();

    // A corrupt backup is refused before anything is touched, naming the part.
    const fresh: BackupTarget = { ...target, dirs: [{ name: 'files', path: path.join(root, 'never') }] };
    if (!restoredDb) fresh.db = { kind: 'pglite', dir: path.join(root, 'never-db') };
    const victim = path.join('dirs', 'files', m.dirs[0]!.files[0]!.path);
    appendFileSync(path.join(out, victim), 'x');
    await assert.rejects(verifyBackup(out), rejectsWith('CORRUPT', new RegExp(victim.replace(/[/.]/g, '\\$&'))));
    await assert.rejects(restoreBackup(out, fresh, { now: NOW, force: true }), rejectsWith('CORRUPT'));
    assert.ok(!existsSync(path.join(root, 'never')) && !existsSync(path.join(root, 'never-db')), 'nothing restored from a corrupt backup');
    // Through the command: exit code 1 and a clear message.
    const cli = spawnSync(process.execPath, ['server/cli/restore.ts', out, '--verify-only'], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, PGLITE_DIR: path.join(root, 'never-db'), DATABASE_URL: '', MIGRATION_DATABASE_URL: '' },
      encoding: 'utf8',
    });
    assert.equal(cli.status, 1, cli.stderr);
    assert.match(cli.stderr, /备份已损坏.*校验值不符/);
    unlinkSync(path.join(out, 'manifest.json'));
    await assert.rejects(verifyBackup(out), rejectsWith('CORRUPT', /manifest/));
  } finally {
    if (!closed) await s.close();
    await restoredDb?.drop();
    rmSync(root, { recursive: true, force: true });
  }
});
