/**
 * Staff accounts CLI: `npm run staff -- <command>`.
 *   create --agency daye --login dy-zhang --name 张三 --roles acceptor,reviewer [--office CODE] [--department CODE] [--password P]
 *        creates the account and prints the password (generated if not given) and the TOTP secret
 *        to enrol in an authenticator app (otpauth:// URI)
 *   list [--agency daye]                    lists staff accounts
 *   reset-totp --login dy-zhang             issues a new TOTP secret
 *   unlock --login dy-zhang                 clears a login lockout
 *   totp --login dy-zhang                   prints the current TOTP code (demo without an authenticator app)
 * Uses DATABASE_URL or the embedded database under PGLITE_DIR, like the server. Stop the server
 * first when it runs on the embedded database (one process at a time may open it).
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { AppError } from '../../common/errors.ts';
import { STAFF_ROLES, type StaffRole } from '../../common/workflow.ts';
import { loadConfig } from '../config.ts';
import { openDb } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { createStaff, newTotpSecret, otpauthUri, totp } from '../modules/accounts/index.ts';
import { seedFromDir } from '../modules/catalog/index.ts';
import { chinaDate, systemClock } from '../platform/clock.ts';

const USAGE = `用法: npm run staff -- <create|list|reset-totp|unlock|totp> …
  create --agency 机构 --login 账号 --name 姓名 --roles 角色1,角色2 [--office 大厅编码] [--department 部门编码] [--password 密码]
  list [--agency 机构]
  reset-totp --login 账号
  unlock --login 账号
  totp --login 账号                        显示当前动态验证码（演示用）
角色：${STAFF_ROLES.join(', ')}`;

function fail(msg: string): never {
  console.error(msg);
  process.exit(2);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    agency: { type: 'string' },
    login: { type: 'string' },
    name: { type: 'string' },
    roles: { type: 'string' },
    office: { type: 'string' },
    department: { type: 'string' },
    password: { type: 'string' },
  },
});
const cmd = positionals[0] ?? fail(USAGE);
const config = loadConfig();
const dbh = await openDb({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR });
let exitCode = 0;
try {
  await migrateToLatest(dbh.db);
  // Same idempotent seed as the server, so staff can be created before the first start.
  if (config.SEED === 'auto') await seedFromDir(dbh.db, config.DATA_DIR, chinaDate(systemClock.now()));
  const db = dbh.db;
  switch (cmd) {
    case 'create': {
      const roles = (values.roles ?? '').split(',').filter(Boolean) as StaffRole[];
      if (!values.agency || !values.login || !values.name || roles.length === 0) fail(USAGE);
      const password = values.password ?? `Yb${randomBytes(6).toString('base64url')}9`;
      const { id, totpSecret } = await createStaff(db, {
        login: values.login,
        name: values.name,
        agencyCode: values.agency,
        roles,
        officeCode: values.office,
        departmentCode: values.department,
        password,
      });
      console.log(`✓ 已创建工作人员 #${id} ${values.name}（${values.login}），机构 ${values.agency}，角色 ${roles.join('、')}`);
      console.log(`  初始密码：${password}`);
      console.log(`  TOTP 密钥：${totpSecret}`);
      console.log(`  在身份验证器中添加：${otpauthUri(totpSecret, values.login)}`);
      break;
    }
    case 'list': {
      let q = db
        .selectFrom('users')
        .select(['id', 'login', 'name', 'agency_code', 'roles', 'locked_until', 'disabled'])
        .where('kind', '=', 'staff')
        .orderBy('agency_code')
        .orderBy('login');
      if (values.agency) q = q.where('agency_code', '=', values.agency);
      for (const u of await q.execute())
        console.log(
          `${u.id}\t${u.agency_code}\t${u.login}\t${u.name}\t${u.roles.join(',')}${u.disabled ? '\t已停用' : ''}${u.locked_until ? `\t锁定至 ${new Date(u.locked_until).toISOString()}` : ''}`,
        );
      break;
    }
    case 'reset-totp': {
      if (!values.login) fail(USAGE);
      const secret = newTotpSecret();
      const r = await db
        .updateTable('users')
        .set({ totp_secret: secret })
        .where('login', '=', values.login)
        .where('kind', '=', 'staff')
        .executeTakeFirst();
      if (!r.numUpdatedRows) fail(`没有工作人员账号 ${values.login}`);
      console.log(`✓ 新的 TOTP 密钥：${secret}\n  ${otpauthUri(secret, values.login)}`);
      break;
    }
    case 'totp': {
      // For a demo without an authenticator app: whoever can read the database can do this anyway.
      if (!values.login) fail(USAGE);
      const u = await db.selectFrom('users').select('totp_secret').where('login', '=', values.login).where('kind', '=', 'staff').executeTakeFirst();
      if (!u?.totp_secret) fail(`没有工作人员账号 ${values.login}`);
      console.log(totp(u.totp_secret, new Date()));
      break;
    }
    case 'unlock': {
      if (!values.login) fail(USAGE);
      await db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('login', '=', values.login).execute();
      console.log(`✓ 已解除 ${values.login} 的登录锁定`);
      break;
    }
    default:
      fail(USAGE);
  }
} catch (e) {
  if (!(e instanceof AppError)) throw e;
  console.error(`✗ ${e.message}`);
  exitCode = 1;
} finally {
  await dbh.close();
}
// PGlite resets process.exitCode on close, so exit explicitly.
process.exit(exitCode);
