/**
 * Stored files: `npm run storage -- seal` seals every file still in plaintext (written before
 * encryption) or under an older data key with the current key (after a rotation: put the new key
 * first in DATA_KEYS, keep the old one until this has run); `npm run storage -- gc` removes files no
 * row references, as the hourly runner task does (`--grace-hours N`, default STORAGE_GC_GRACE_HOURS).
 * Safe beside running servers on PostgreSQL; stop the server first on the embedded database.
 */
import { loadConfig } from '../config.ts';
import { openDb } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createStorage } from '../platform/storage.ts';
import { collectGarbage } from '../platform/storage-gc.ts';
import { systemClock } from '../platform/clock.ts';

const [cmd, ...args] = process.argv.slice(2);
const config = loadConfig();
const storage = createStorage(config, systemClock);
let exitCode = 0;

if (cmd === 'seal') {
  let sealed = 0;
  let files = 0;
  let failed = 0;
  for await (const f of storage.list()) {
    if ('stray' in f) continue;
    files++;
    try {
      if (await storage.reseal(f.sha)) sealed++;
    } catch (e) {
      failed++;
      console.error(`✗ ${f.sha}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  console.log(`已加密 ${sealed} 个文件（共 ${files} 个）/ sealed ${sealed} of ${files} files${failed ? `; ${failed} failed` : ''}.`);
  exitCode = failed ? 1 : 0;
} else if (cmd === 'gc') {
  const i = args.indexOf('--grace-hours');
  const hours = i >= 0 ? Number(args[i + 1]) : config.STORAGE_GC_GRACE_HOURS;
  if (!Number.isFinite(hours) || hours < 0) {
    console.error('--grace-hours 应为非负数 / must be a non-negative number');
    process.exit(2);
  }
  const dbh = await openDb({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
  try {
    await migrateToLatest(dbh.db);
    const r = await collectGarbage(dbh.db, storage, { now: systemClock.now(), graceMs: hours * 60 * 60_000 });
    console.log(
      `已删除 ${r.removed} 个无引用文件，保留 ${r.kept} 个被引用文件（扫描 ${r.scanned} 个）/ removed ${r.removed}, kept ${r.kept} referenced, scanned ${r.scanned}.`,
    );
  } catch (e) {
    console.error(`✗ ${e instanceof Error ? e.message : String(e)}`);
    exitCode = 2;
  } finally {
    await dbh.close();
  }
} else {
  console.error('usage: npm run storage -- seal | gc [--grace-hours N]');
  exitCode = 2;
}
// PGlite resets the exit code while closing, so exit explicitly.
process.exit(exitCode);
