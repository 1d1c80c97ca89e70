/**
 * Back up the database the server uses and its data directories: `npm run backup -- [--out DIR] [--ignore-lock]`.
 * PostgreSQL (DATABASE_URL; MIGRATION_DATABASE_URL when set): pg_dump while the server runs.
 * The embedded database (PGLITE_DIR): stop the server first. Writes one directory (default
 * BACKUP_DIR/yibao-<time>) with the dump, FILES_DIR and BACKUP_EXTRA_DIRS, and manifest.json.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { BackupError, backupDirs, createBackup, type BackupTarget } from '../db/backup.ts';

const { values } = parseArgs({ options: { out: { type: 'string' }, 'ignore-lock': { type: 'boolean' } } });
const config = loadConfig();
const now = new Date();
const out = values.out ?? path.join(config.BACKUP_DIR, `yibao-${now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}Z`);
const url = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;
const target: BackupTarget = {
  db: url ? { kind: 'postgres', url } : { kind: 'pglite', dir: config.PGLITE_DIR },
  dirs: backupDirs(config.FILES_DIR, config.backupExtraDirs),
};
try {
  const m = await createBackup(target, out, { now, ignoreLock: values['ignore-lock'] });
  const rows = Object.values(m.db.rows).reduce((a, b) => a + b, 0);
  console.log(`✓ 备份完成 / backup written: ${out}`);
  console.log(
    `  ${m.db.kind} ${m.db.path} (${m.db.bytes} bytes, ${Object.keys(m.db.rows).length} tables, ${rows} rows, migration ${m.db.migrationHead}); ` +
      m.dirs.map((d) => `${d.name}: ${d.files.length} files`).join(', '),
  );
  process.exit(0);
} catch (e) {
  console.error(`✗ 备份失败 / backup failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(e instanceof BackupError ? 1 : 2);
}
