/** Migration 0028's data step: unit accounts already bound to a unit become its approved clerks; nobody else gets a request. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import { sql } from 'kysely';
import { openDb } from './index.ts';
import { migrationProvider } from './migrations/index.ts';

test('0028 makes existing unit accounts with a unit approved clerks', { skip: Boolean(process.env.TEST_DATABASE_URL) && 'PGlite-only' }, async () => {
  const dbh = await openDb({ memory: true });
  try {
    const all = await migrationProvider.getMigrations();
    const before: MigrationProvider = {
      getMigrations: async () => Object.fromEntries(Object.entries(all).filter(([name]) => name !== '20261207_0028_unit_clerks')),
    };
    const db = dbh.db;
    const r1 = await new Migrator({ db, provider: before, allowUnorderedMigrations: true }).migrateToLatest();
    assert.equal(r1.error, undefined);
    await sql`insert into regions (code, name, province) values ('999999', '测试', '测试') on conflict do nothing`.execute(db);
    await sql`insert into agencies (code, name, short_name, region_code) values ('x1', '测试机构', '测试', '999999')`.execute(db);
    const [u1, u2] = (
      await sql<{
        id: string;
      }>`insert into units (uscc, name, agency_code) values ('91420281MA4MIG0001', '甲', 'x1'), ('91420281MA4MIG0002', '乙', null) returning id`.execute(
        db,
      )
    ).rows.map((r) => Number(r.id));
    await sql`insert into users (kind, login, password_hash, name, unit_id) values
      ('unit', 'a', 'h', '甲经办', ${u1}), ('unit', 'b', 'h', '乙经办', ${u2}), ('unit', 'c', 'h', '无单位', null), ('citizen', 'd', 'h', '市民', null)`.execute(
      db,
    );
    const r2 = await new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true }).migrateToLatest();
    assert.equal(r2.error, undefined);
    const rows = await db
      .selectFrom('unit_clerk_requests as r')
      .innerJoin('users as u', 'u.id', 'r.user_id')
      .select(['u.login', 'r.unit_id', 'r.status', 'r.agency_code', 'r.decided_as'])
      .orderBy('u.login')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.login, Number(r.unit_id), r.status, r.agency_code, r.decided_as]),
      [
        ['a', u1, 'approved', 'x1', 'migration'],
        ['b', u2, 'approved', null, 'migration'],
      ],
    );
  } finally {
    await dbh.close();
  }
});
