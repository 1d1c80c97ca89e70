/**
 * Verify the audit chain: `npm run audit:verify`. Seals entries still waiting for the sealer first
 * (the same work the runner task does; safe beside running servers), then walks the chain.
 * Exit code 0 when intact, 1 when a row was edited, deleted or reordered. Uses DATABASE_URL or the embedded database under PGLITE_DIR, like the server.
 */
import { loadConfig } from '../config.ts';
import { openDb } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { sealAudit, verifyAudit } from '../modules/audit/index.ts';

const REASON: Record<string, string> = {
  hash_mismatch: '内容被修改 / row content was edited',
  prev_mismatch: '链条断开（删除或调换了记录）/ chain broken: a row was deleted or reordered',
  gap: '链序号不连续（删除了记录）/ seq gap: a row was deleted',
};

const config = loadConfig();
const dbh = await openDb({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
let exitCode = 0;
try {
  await migrateToLatest(dbh.db);
  const started = Date.now();
  const sealed = await sealAudit(dbh.db);
  if (sealed) console.log(`  先封存待入链的 ${sealed} 条记录 / sealed ${sealed} pending entries first.`);
  const v = await verifyAudit(dbh.db);
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (v.ok) {
    console.log(`✓ 审计日志完整：已校验 ${v.count} 条记录（${secs} 秒）。`);
    console.log(`  Audit log intact: ${v.count} entries verified in ${secs} s.`);
  } else {
    console.error(`✗ 审计日志校验失败：第一处问题在 id=${v.firstBad!.id}（链序号 ${v.firstBad!.seq}），${REASON[v.firstBad!.reason]}。`);
    console.error(`  Audit log verification FAILED at id ${v.firstBad!.id} (${v.firstBad!.reason}); ${v.count} entries scanned.`);
    exitCode = 1;
  }
} catch (e) {
  console.error(`✗ 无法校验审计日志 / cannot verify the audit log: ${e instanceof Error ? e.message : String(e)}`);
  exitCode = 2;
} finally {
  await dbh.close();
}
// PGlite resets the exit code while closing, so exit explicitly.
process.exit(exitCode);
