/**
 * Backups (`npm run backup`, `npm run restore`): one directory holding the database dump, a copy of
 * each data directory (FILES_DIR, then BACKUP_EXTRA_DIRS: keys, audit checkpoints) and
 * manifest.json (time, database kind, migration head, row count per table, every part's size and
 * sha256).
 *
 * PostgreSQL: pg_dump -Fc while the server runs. The row counts are read in the transaction whose
 * snapshot pg_dump uses (pg_export_snapshot), so they are exactly the dump's. Files are copied after
 * the dump, so every file a dumped row names is there (content-addressed files never change).
 * PGlite: the data directory's tarball (dumpDataDir). One process opens it at a time, so the server
 * must be stopped; an open database (its postmaster.pid) is refused.
 *
 * A backup is written to `<out>.partial` and renamed when complete. Restore verifies every hash
 * before it touches anything, refuses a non-empty target unless forced (then the old directories
 * are moved aside, not deleted), and checks the restored row counts against the manifest.
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, openAsBlob, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rmdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kysely, PostgresDialect } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { grantAppRole } from './roles.ts';

export const MANIFEST = 'manifest.json';
const FORMAT = 'yibao-backup';

export type BackupErrorCode = 'CORRUPT' | 'NOT_EMPTY' | 'LOCKED' | 'KIND_MISMATCH' | 'TOOL_FAILED' | 'COUNT_MISMATCH' | 'EXISTS';

export class BackupError extends Error {
  readonly code: BackupErrorCode;
  constructor(code: BackupErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

export interface BackupDir {
  /** The name inside the backup (files, secrets, …). */
  name: string;
  path: string;
}

export interface BackupTarget {
  db: { kind: 'postgres'; url: string; appRole?: string } | { kind: 'pglite'; dir: string };
  dirs: BackupDir[];
}

interface Part {
  path: string;
  bytes: number;
  sha256: string;
}

export interface Manifest {
  format: typeof FORMAT;
  version: 1;
  createdAt: string;
  db: Part & { kind: 'postgres' | 'pglite'; migrationHead: string | null; migrations: number; rows: Record<string, number> };
  dirs: { name: string; source: string; files: Part[] }[];
  fileCount: number;
}

/** The data directories a backup holds: FILES_DIR as `files`, each extra one by its base name. */
export function backupDirs(filesDir: string, extra: string[]): BackupDir[] {
  const dirs: BackupDir[] = [{ name: 'files', path: filesDir }];
  for (const p of extra) {
    let name = path.basename(path.resolve(p));
    while (dirs.some((d) => d.name === name)) name += '_';
    dirs.push({ name, path: p });
  }
  return dirs;
}

// ─── backup ──────────────────────────────────────────────────────────────────────────────────────

export async function createBackup(target: BackupTarget, out: string, opts: { now: Date; ignoreLock?: boolean }): Promise<Manifest> {
  if (existsSync(out) && readdirSync(out).length) throw new BackupError('EXISTS', `目标目录已存在且非空 / ${out} exists and is not empty`);
  const work = `${out}.partial`;
  // It holds the keys too: readable by this user only.
  await mkdir(work, { recursive: true, mode: 0o700 });
  await mkdir(path.join(work, 'dirs'), { recursive: true });
  let db: Manifest['db'];
  if (target.db.kind === 'postgres') {
    db = await dumpPostgres(target.db.url, path.join(work, 'db.dump'));
  } else {
    db = await dumpPglite(target.db.dir, path.join(work, 'db.tar.gz'), opts.ignoreLock ?? false);
  }
  const dirs: Manifest['dirs'] = [];
  for (const d of target.dirs) {
    const files: Part[] = [];
    if (existsSync(d.path)) {
      for (const rel of walk(d.path)) {
        const to = path.join(work, 'dirs', d.name, rel);
        await mkdir(path.dirname(to), { recursive: true });
        files.push({ path: rel, ...(await copyHashed(path.join(d.path, rel), to)) });
      }
    }
    dirs.push({ name: d.name, source: d.path, files });
  }
  const manifest: Manifest = {
    format: FORMAT,
    version: 1,
    createdAt: opts.now.toISOString(),
    db,
    dirs,
    fileCount: dirs.reduce((n, d) => n + d.files.length, 0),
  };
  await writeFile(path.join(work, MANIFEST), JSON.stringify(manifest, null, 2) + '\n');
  if (existsSync(out)) await rmdir(out);
  await rename(work, out);
  return manifest;
}

async function dumpPostgres(url: string, file: string): Promise<Manifest['db']> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('begin isolation level repeatable read read only');
    const snapshot = (await client.query<{ s: string }>('select pg_export_snapshot() as s')).rows[0]!.s;
    const facts = await dbFacts((text) => client.query(text).then((r) => r.rows));
    await run('pg_dump', ['-Fc', '--no-owner', '--no-acl', `--snapshot=${snapshot}`, '-f', file], url);
    await client.query('commit');
    return { kind: 'postgres', path: path.basename(file), ...(await hashFile(file)), ...facts };
  } finally {
    await client.end();
  }
}

async function dumpPglite(dir: string, file: string, ignoreLock: boolean): Promise<Manifest['db']> {
  if (!existsSync(path.join(dir, 'PG_VERSION'))) throw new BackupError('CORRUPT', `没有嵌入式数据库 / no embedded database in ${dir}`);
  if (!ignoreLock && existsSync(path.join(dir, 'postmaster.pid')))
    throw new BackupError(
      'LOCKED',
      `嵌入式数据库正被使用（${dir}/postmaster.pid）：请先停止服务器；若服务器已崩溃，可加 --ignore-lock / the embedded database is open: stop the server first (after a crash: --ignore-lock)`,
    );
  const pglite = new PGlite({ dataDir: dir });
  await pglite.waitReady;
  try {
    const facts = await dbFacts((text) => pglite.query<Record<string, unknown>>(text).then((r) => r.rows));
    const blob = await pglite.dumpDataDir('gzip');
    await pipeline(Readable.fromWeb(blob.stream() as import('node:stream/web').ReadableStream), createWriteStream(file));
    return { kind: 'pglite', path: path.basename(file), ...(await hashFile(file)), ...facts };
  } finally {
    await pglite.close();
  }
}

type Query = (text: string) => Promise<Record<string, unknown>[]>;

/** Migration head and count, and the row count of every table (in one statement: one snapshot). */
async function dbFacts(query: Query): Promise<Pick<Manifest['db'], 'migrationHead' | 'migrations' | 'rows'>> {
  const tables = (await query(`select tablename from pg_tables where schemaname = 'public' order by tablename`)).map((r) => String(r.tablename));
  const rows: Record<string, number> = {};
  if (tables.length) {
    const union = tables.map((t) => `select ${lit(t)} as t, count(*)::bigint as n from ${ident(t)}`).join(' union all ');
    for (const r of await query(union)) rows[String(r.t)] = Number(r.n);
  }
  let migrationHead: string | null = null;
  let migrations = 0;
  if (tables.includes('kysely_migration')) {
    const m = (await query('select max(name) as head, count(*)::int as n from kysely_migration'))[0]!;
    migrationHead = (m.head as string | null) ?? null;
    migrations = Number(m.n);
  }
  return { migrationHead, migrations, rows };
}

// ─── verify and restore ──────────────────────────────────────────────────────────────────────────

/** Read the manifest and check every part's size and hash; throws BackupError('CORRUPT') naming the first bad part. */
export async function verifyBackup(dir: string): Promise<Manifest> {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as Manifest;
  } catch (e) {
    throw new BackupError(
      'CORRUPT',
      `不是完整的备份（${MANIFEST} 缺失或无法读取）/ not a backup, or its manifest is unreadable: ${(e as Error).message}`,
    );
  }
  if (manifest.format !== FORMAT || manifest.version !== 1 || !manifest.db?.path || !Array.isArray(manifest.dirs))
    throw new BackupError('CORRUPT', `${MANIFEST} 格式不符 / unknown manifest format`);
  const check = async (rel: string, part: Part) => {
    const file = path.join(dir, rel);
    if (!existsSync(file)) throw new BackupError('CORRUPT', `备份已损坏：缺少 ${rel} / backup corrupt: ${rel} is missing`);
    const got = await hashFile(file);
    if (got.bytes !== part.bytes || got.sha256 !== part.sha256)
      throw new BackupError('CORRUPT', `备份已损坏：${rel} 的校验值不符 / backup corrupt: ${rel} does not match its sha256`);
  };
  await check(manifest.db.path, manifest.db);
  for (const d of manifest.dirs) for (const f of d.files) await check(path.join('dirs', d.name, f.path), f);
  return manifest;
}

export interface RestoreReport {
  manifest: Manifest;
  /** Directories that were in the way, moved aside (with force). */
  movedAside: string[];
  tables: number;
}

export async function restoreBackup(dir: string, target: BackupTarget, opts: { force?: boolean; now: Date }): Promise<RestoreReport> {
  const manifest = await verifyBackup(dir);
  if (manifest.db.kind !== target.db.kind)
    throw new BackupError(
      'KIND_MISMATCH',
      `备份来自 ${manifest.db.kind}，目标是 ${target.db.kind} / the backup is of a ${manifest.db.kind} database, the target is ${target.db.kind}`,
    );
  const dirTargets = manifest.dirs.map((d) => ({ ...d, to: target.dirs.find((t) => t.name === d.name)?.path ?? d.source }));
  // Everything in the way is found before anything changes.
  const busy: string[] = [];
  if (target.db.kind === 'postgres') {
    if (await pgHasTables(target.db.url)) busy.push('数据库 / the database');
  } else {
    if (existsSync(path.join(target.db.dir, 'postmaster.pid')))
      throw new BackupError('LOCKED', `嵌入式数据库正被使用：请先停止服务器 / the embedded database ${target.db.dir} is open: stop the server first`);
    if (nonEmpty(target.db.dir)) busy.push(target.db.dir);
  }
  for (const d of dirTargets) if (nonEmpty(d.to)) busy.push(d.to);
  if (busy.length && !opts.force)
    throw new BackupError('NOT_EMPTY', `目标非空：${busy.join('、')}；确认覆盖请加 --force / not empty: ${busy.join(', ')} (use --force to replace)`);

  const stamp = opts.now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  const movedAside: string[] = [];
  const moveAside = async (p: string) => {
    if (!nonEmpty(p)) return;
    const to = `${p.replace(/\/+$/, '')}.before-restore-${stamp}`;
    await rename(p, to);
    movedAside.push(to);
  };
  let rows: Record<string, number>;
  if (target.db.kind === 'postgres') {
    const args = ['--no-owner', '--no-acl', '--exit-on-error', '--single-transaction'];
    if (opts.force) args.push('--clean', '--if-exists');
    await run('pg_restore', [...args, path.join(dir, manifest.db.path)], target.db.url, true);
    if (target.db.appRole) {
      const owner = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: target.db.url, max: 1 }) }) });
      try {
        await grantAppRole(owner, target.db.appRole);
      } finally {
        await owner.destroy();
      }
    }
    rows = await pgRows(target.db.url);
  } else {
    await moveAside(target.db.dir);
    await mkdir(target.db.dir, { recursive: true });
    const pglite = new PGlite({ dataDir: target.db.dir, loadDataDir: await openAsBlob(path.join(dir, manifest.db.path)) });
    await pglite.waitReady;
    try {
      rows = (await dbFacts((text) => pglite.query<Record<string, unknown>>(text).then((r) => r.rows))).rows;
    } finally {
      await pglite.close();
    }
  }
  const wrong = Object.entries(manifest.db.rows).filter(([t, n]) => rows[t] !== n);
  if (wrong.length)
    throw new BackupError(
      'COUNT_MISMATCH',
      `恢复后的行数与清单不符 / restored row counts differ: ${wrong.map(([t, n]) => `${t} ${rows[t] ?? '—'}≠${n}`).join(', ')}`,
    );
  for (const d of dirTargets) {
    await moveAside(d.to);
    await mkdir(d.to, { recursive: true });
    for (const f of d.files) {
      const to = path.join(d.to, f.path);
      await mkdir(path.dirname(to), { recursive: true });
      await copyHashed(path.join(dir, 'dirs', d.name, f.path), to);
    }
  }
  return { manifest, movedAside, tables: Object.keys(rows).length };
}

async function pgHasTables(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(`select 1 from pg_tables where schemaname = 'public' limit 1`)).rowCount! > 0;
  } finally {
    await c.end();
  }
}

async function pgRows(url: string): Promise<Record<string, number>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await dbFacts((text) => c.query(text).then((r) => r.rows))).rows;
  } finally {
    await c.end();
  }
}

// ─── helpers ─────────────────────────────────────────────────────────────────────────────────────

function nonEmpty(p: string): boolean {
  return existsSync(p) && (!statSync(p).isDirectory() || readdirSync(p).length > 0);
}

/** Regular files under `root`, as paths relative to it, sorted. */
function walk(root: string, rel = ''): string[] {
  const out: string[] = [];
  for (const e of readdirSync(path.join(root, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const r = rel ? path.join(rel, e.name) : e.name;
    if (e.isDirectory()) out.push(...walk(root, r));
    else if (e.isFile()) out.push(r);
  }
  return out;
}

async function hashFile(file: string): Promise<{ bytes: number; sha256: string }> {
  const h = createHash('sha256');
  await pipeline(createReadStream(file), async function* (src: AsyncIterable<Buffer>) {
    for await (const chunk of src) h.update(chunk);
  });
  return { bytes: (await stat(file)).size, sha256: h.digest('hex') };
}

async function copyHashed(from: string, to: string): Promise<{ bytes: number; sha256: string }> {
  const h = createHash('sha256');
  let bytes = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      h.update(chunk);
      bytes += chunk.length;
      cb(null, chunk);
    },
  });
  await pipeline(createReadStream(from), tap, createWriteStream(to, { mode: statSync(from).mode & 0o777 }));
  return { bytes, sha256: h.digest('hex') };
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * Run pg_dump/pg_restore against `url`. The password goes in PGPASSWORD, not on the command line
 * (which any local user may read). `lastIsFile`: the database is given before the positional file.
 */
function run(tool: 'pg_dump' | 'pg_restore', args: string[], url: string, lastIsFile = false): Promise<void> {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  const conn = ['-d', u.toString()];
  const argv = lastIsFile ? [...args.slice(0, -1), ...conn, args[args.length - 1]!] : [...args, ...conn];
  return new Promise((resolve, reject) => {
    const child = spawn(tool, argv, { env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', (e) => reject(new BackupError('TOOL_FAILED', `${tool} 无法运行 / cannot run ${tool}: ${e.message}`)));
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new BackupError('TOOL_FAILED', `${tool} 失败（${code}）/ ${tool} failed: ${err.trim().slice(0, 2000)}`)),
    );
  });
}
