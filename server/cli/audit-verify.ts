/**
 * Verify the audit log: `npm run audit:verify`. Read-only: it never seals (an entry the sealer has
 * not chained within AUDIT_SEAL_GRACE_SECONDS is itself a failure). Checks every sealed row's MAC and
 * keyed chain hash, the unsealed rows' MACs and age, duplicated MACs, and the signed checkpoints
 * outside the database (AUDIT_CHECKPOINT_DIR). Prints each failure by class with the row concerned.
 * Exit code 0 when intact, 1 on any failure, 2 when it cannot verify. Uses DATABASE_URL or the
 * embedded database under PGLITE_DIR, and the audit keys (AUDIT_KEYS / AUDIT_KEY_FILE), like the server.
 */
import { loadConfig } from '../config.ts';
import { openDb } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { auditSetupFrom, configureAudit, generatedKeyWarning, verifyAudit, type AuditFailureReason } from '../modules/audit/index.ts';
import { systemClock } from '../platform/clock.ts';

const REASON: Record<AuditFailureReason, string> = {
  edited_row: '内容被修改 / row content was edited (its MAC no longer matches)',
  hash_mismatch: '链哈希不是用审计密钥生成的 / chain hash not made with the audit key (chain recomputed, or seq/prev_hash changed)',
  prev_mismatch: '链条断开（删除或调换了记录）/ chain broken: a row was deleted or reordered',
  gap: '链序号不连续（删除了记录）/ seq gap: a row was deleted',
  unknown_key: '密钥编号未知 / made with a key id not in AUDIT_KEYS',
  legacy_after_migration: '迁移之后出现旧算法记录 / a legacy sha256 row after migration 0030',
  forged_row: '未封存记录的校验码无效（伪造）/ unsealed row whose MAC fails: inserted without the key',
  replayed_row: '记录被复制 / a copy of another row (same MAC)',
  unsealed_stale: '超时未封存 / left unsealed longer than the grace',
  truncated: '与检查点不符（删除了最新记录或改写了链）/ chain shorter than, or different at, a signed checkpoint',
  bad_checkpoint: '检查点签名无效 / checkpoint line whose signature fails',
};

const config = loadConfig();
let exitCode = 0;
const dbh = await openDb({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
try {
  const { setup, generated } = auditSetupFrom(config, { clock: systemClock });
  if (generated) console.warn(generatedKeyWarning(generated));
  configureAudit(setup);
  await migrateToLatest(dbh.db);
  const started = performance.now();
  const v = await verifyAudit(dbh.db, { setup });
  const secs = ((performance.now() - started) / 1000).toFixed(1);
  const extra = `${v.pending ?? 0} 条待封存 / pending, ${v.checkpoints ?? 0} 个检查点 / checkpoints`;
  if (v.ok) {
    console.log(`✓ 审计日志完整：已校验 ${v.count} 条记录（${extra}，${secs} 秒）。`);
    console.log(`  Audit log intact: ${v.count} entries verified, ${v.pending ?? 0} pending, ${v.checkpoints ?? 0} checkpoints, in ${secs} s.`);
    if (v.count > 0 && !v.checkpoints)
      console.warn(
        `  注意：没有检查点（${setup.checkpointFile ?? 'AUDIT_CHECKPOINT_DIR=off'}），无法发现删除最新记录 / no checkpoints: deleting the newest rows would go unnoticed.`,
      );
  } else {
    const total = Object.values(v.counts ?? {}).reduce((a, b) => a + b, 0);
    console.error(`✗ 审计日志校验失败：${total} 处问题（已校验 ${v.count} 条，${extra}）。`);
    console.error(`  Audit log verification FAILED: ${total} problems; ${v.count} sealed entries scanned.`);
    for (const [reason, n] of Object.entries(v.counts ?? {})) console.error(`  ${reason} × ${n}: ${REASON[reason as AuditFailureReason]}`);
    for (const f of v.failures ?? []) {
      const where = [
        f.id !== undefined ? `id=${f.id}` : '',
        f.seq != null ? `seq=${f.seq}` : f.id !== undefined ? 'unsealed' : '',
        f.line ? `checkpoint line ${f.line}` : '',
      ]
        .filter(Boolean)
        .join(' ');
      console.error(`    ${f.reason} ${where}${f.detail ? ` (${f.detail})` : ''}`);
    }
    if (total > (v.failures?.length ?? 0)) console.error(`    … ${total - v.failures!.length} more`);
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
