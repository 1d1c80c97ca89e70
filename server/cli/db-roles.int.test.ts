/**
 * The least-privilege app role (issue 17), PostgreSQL only: a fresh database owned by an owner
 * role, migrated and seeded by it (MIGRATION_DATABASE_URL), served by an app role (DATABASE_URL).
 * The app works as usual — register, log in, a guide, a case, an audited read, the sealer — and
 * the app role cannot drop, truncate, alter, delete from or disable the triggers of audit_log,
 * edit a sealed row's content, create a table (nor a temporary one), or read pg_authid.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { sql } from 'kysely';
import { onPostgres, startServer } from '../../test/support.ts';
import { registerCitizen, staffClient, testIdNo } from '../../test/client.ts';
import { submittedCase } from '../../test/factories.ts';
import { verifyAudit } from '../modules/audit/index.ts';

function withDb(url: string, dbName: string, user?: string): string {
  const u = new URL(url);
  u.pathname = `/${dbName}`;
  if (user) {
    u.username = user;
    u.password = '';
  }
  return u.toString();
}

async function adminQuery(sqlText: string): Promise<void> {
  const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await c.connect();
  try {
    await c.query(sqlText);
  } finally {
    await c.end();
  }
}

test(
  'migrations run as the owner, the server as the app role, which cannot drop, truncate, alter or rewrite the audit log',
  { skip: !onPostgres && 'PostgreSQL only (TEST_DATABASE_URL)' },
  async () => {
    const tag = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
    const ownerRole = `yb_owner_${tag}`;
    const appRole = `yb_app_${tag}`;
    const dbName = `yb_roles_${tag}`;
    await adminQuery(`create role ${ownerRole} login`);
    await adminQuery(`create role ${appRole} login`);
    await adminQuery(`create database ${dbName} owner ${ownerRole}`);
    const base = process.env.TEST_DATABASE_URL!;
    const ownerUrl = withDb(base, dbName, ownerRole);
    const appUrl = withDb(base, dbName, appRole);
    let app: pg.Client | undefined;
    try {
      const s = await startServer({ databaseUrl: appUrl, config: { MIGRATION_DATABASE_URL: ownerUrl } });
      try {
        // The server's own pool is the app role's.
        const who = await sql<{ u: string }>`select current_user as u`.execute(s.dbh.db);
        assert.equal(who.rows[0]!.u, appRole);

        // Real requests: a guide, a citizen registering and logging in, a case, an audited read.
        const guide = await s.get<{ code: string }>('/api/agencies/fushun/items/FS-11');
        assert.equal(guide.status, 200, JSON.stringify(guide.body));
        const citizen = await registerCitizen(s, { idNo: testIdNo('210402', '19880512', 'M'), name: '钱学森' });
        const again = await registerCitizen(s).then((c2) => c2.client.post('/api/auth/login', { login: c2.mobile, password: c2.password }));
        assert.equal(again.status, 200, JSON.stringify(again.body));
        const c = await submittedCase({
          server: s,
          item: 'FS-11',
          citizen,
          person: { enrol: [{ type: 'employee', start: '2020-01-01', employment: 'employed' }] },
        });
        assert.match(c.caseNo, /\S/);
        const clerk = await staffClient(s, { agency: 'fushun', roles: ['acceptor'] });
        const opened = await clerk.client.get(`/api/cases/${c.id}`);
        assert.equal(opened.status, 200, JSON.stringify(opened.body));
        // The sealer runs as the app role: it may write the chain's columns.
        await s.runner.runOnce();
        const v = await verifyAudit(s.dbh.db);
        assert.equal(v.ok, true);
        assert.ok(v.count > 0, 'audited actions were sealed');
      } finally {
        await s.close();
      }

      // `npm run db:roles` grants again (idempotent) and names what it did.
      const cli = spawnSync(process.execPath, ['server/cli/db-roles.ts'], {
        cwd: path.resolve(import.meta.dirname, '../..'),
        env: { ...process.env, MIGRATION_DATABASE_URL: ownerUrl, DATABASE_URL: appUrl },
        encoding: 'utf8',
      });
      assert.equal(cli.status, 0, cli.stderr);
      assert.match(cli.stdout, new RegExp(`${appRole} 已授权`));
      assert.match(cli.stdout, /audit_log, case_events, case_clock_events, registry_history/);

      app = new pg.Client({ connectionString: appUrl });
      await app.connect();
      const refused = async (statement: string) => {
        await assert.rejects(app!.query(statement), (e: { code?: string; message?: string }) => {
          assert.equal(e.code, '42501', `${statement}: ${e.message}`);
          return true;
        });
      };
      await refused('drop table audit_log');
      await refused('truncate audit_log');
      await refused('delete from audit_log');
      await refused("update audit_log set data = '{}'");
      await refused('alter table audit_log add column x int');
      await refused('alter table audit_log disable trigger all');
      await refused('set session_replication_role = replica');
      await refused('create table evil (id int)');
      await refused('create temporary table evil (id int)');
      await refused('select * from pg_authid');
      await refused('delete from case_events');
      await refused('update case_clock_events set at = now()');
      await refused("insert into kysely_migration (name, timestamp) values ('x', now())");
      // What the app needs still works: reads, the sealer's columns, sequences.
      await app.query('select count(*) from audit_log');
      await app.query('update audit_log set seq = seq where false');
      await app.query("select nextval('case_no_seq')");
    } finally {
      await app?.end();
      await adminQuery(`drop database if exists ${dbName} with (force)`);
      await adminQuery(`drop role if exists ${appRole}`);
      await adminQuery(`drop role if exists ${ownerRole}`);
    }
  },
);
