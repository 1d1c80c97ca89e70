/**
 * Restore a backup: `npm run restore -- DIR [--force] [--verify-only]`, into the database and the
 * directories configured like the server's (DATABASE_URL or MIGRATION_DATABASE_URL, or PGLITE_DIR;
 * FILES_DIR, BACKUP_EXTRA_DIRS). Every hash is checked first; a corrupt backup is refused. A
 * non-empty target is refused unless --force (directories in the way are moved aside, a PostgreSQL
 * database is cleaned). With both URLs set the app role is granted again afterwards. Stop the
 * server first. --verify-only checks the backup and changes nothing.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { BackupError, backupDirs, restoreBackup, verifyBackup, type BackupTarget } from '../db/backup.ts';
import { roleOfUrl } from '../db/roles.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { force: { type: 'boolean' }, 'verify-only': { type: 'boolean' } },
});
const dir = positionals[0];
if (!dir || positionals.length > 1) {
  console.error('用法 / usage: npm run restore -- <backup dir> [--force] [--verify-only]');
  process.exit(2);
}
const config = loadConfig();
const url = config.MIGRATION_DATABASE_URL ?? config.DATABASE_URL;
const appRole = config.MIGRATION_DATABASE_URL && config.DATABASE_URL ? roleOfUrl(config.DATABASE_URL) : undefined;
const target: BackupTarget = {
  db: url ? { kind: 'postgres', url, appRole } : { kind: 'pglite', dir: config.PGLITE_DIR },
  dirs: backupDirs(config.FILES_DIR, config.backupExtraDirs),
};
try {
  if (values['verify-only']) {
    const m = await verifyBackup(dir);
    console.log(`✓ 备份完好 / backup intact: ${m.db.kind}, ${m.createdAt}, ${m.fileCount} files, migration ${m.db.migrationHead}`);
  } else {
    const r = await restoreBackup(dir, target, { force: values.force, now: new Date() });
    console.log(
      `✓ 已恢复 / restored ${dir} (${r.manifest.db.kind}, made ${r.manifest.createdAt}): ${r.tables} tables, ${r.manifest.fileCount} files`,
    );
    for (const p of r.movedAside) console.log(`  原有内容已移至 / the previous content moved to ${p}`);
  }
  process.exit(0);
} catch (e) {
  console.error(`✗ 恢复失败 / restore failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(e instanceof BackupError ? 1 : 2);
}
