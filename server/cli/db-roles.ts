/**
 * Grant the least-privilege app role its rights: `npm run db:roles`.
 * Connects as the owner (MIGRATION_DATABASE_URL), migrates, and grants the role named in
 * DATABASE_URL exactly what the server needs (server/db/roles.ts). Idempotent; run it after
 * creating the roles, or after changing the app role. On the embedded database (PGlite: one
 * user, one machine) there is nothing to do.
 */
import { loadConfig } from '../config.ts';
import { openDb } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { grantAppRole, roleOfUrl } from '../db/roles.ts';

const config = loadConfig();
if (!config.DATABASE_URL) {
  console.log('嵌入式数据库（PGlite）只有一个用户，无需设置角色 / the embedded database has a single user: nothing to grant.');
  process.exit(0);
}
if (!config.MIGRATION_DATABASE_URL) {
  console.error(
    '请设置 MIGRATION_DATABASE_URL（属主角色）与 DATABASE_URL（应用角色）/ set MIGRATION_DATABASE_URL (owner) and DATABASE_URL (app role).',
  );
  process.exit(2);
}
const role = roleOfUrl(config.DATABASE_URL);
if (!role) {
  console.error('DATABASE_URL 须写明应用角色的用户名（postgres://角色@主机/库）/ DATABASE_URL must name the app role.');
  process.exit(2);
}
const dbh = await openDb({ url: config.MIGRATION_DATABASE_URL, poolMax: 1 });
let code = 0;
try {
  const migrated = await migrateToLatest(dbh.db);
  if (migrated.length) console.log(`  已迁移 / migrated: ${migrated.length}`);
  const r = await grantAppRole(dbh.db, role);
  console.log(`✓ 应用角色 ${r.role} 已授权（库 ${r.database}，属主 ${r.owner}）：${r.tables} 张表的增删改查；只追加：${r.appendOnly.join(', ')}`);
  console.log(`  audit_log 可更新的列 / sealing columns: ${r.sealColumns.join(', ') || '（无）'}`);
} catch (e) {
  console.error(`✗ ${e instanceof Error ? e.message : String(e)}`);
  code = 1;
} finally {
  await dbh.close();
}
process.exit(code);
