import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { freshPgDatabase, onPostgres } from '../../test/support.ts';
import { openDb } from './index.ts';
import { migrateToLatest } from './migrate.ts';
import { appendOnlyStamp } from './stamp.ts';

test('appendOnlyStamp: the count and highest id of the matching rows, changed by an added version only where it matches', async () => {
  const fresh = onPostgres ? await freshPgDatabase(process.env.TEST_DATABASE_URL!) : null;
  const dbh = await openDb(fresh ? { url: fresh.url, poolMax: 2 } : { memory: true });
  try {
    await migrateToLatest(dbh.db);
    const rules = { table: 'rule_versions', column: 'agency_code' } as const;
    const cal = { table: 'calendar_years', column: 'region_code' } as const;
    assert.equal(await appendOnlyStamp(dbh.db, rules, ['haicheng']), '0/0');
    assert.equal(await appendOnlyStamp(dbh.db, cal, []), '0/0');
    const rule = (agency: string, version: number) =>
      sql`insert into rule_versions (agency_code, code, version, doc, source) values (${agency}, 'R1', ${version}, '{}', 'test')`.execute(dbh.db);
    await rule('haicheng', 1);
    await rule('dalian', 1);
    const ids = (await sql<{ id: number }>`select id from rule_versions order by id`.execute(dbh.db)).rows.map((r) => Number(r.id));
    assert.equal(await appendOnlyStamp(dbh.db, rules, ['haicheng']), `1/${ids[0]}`);
    await rule('dalian', 2);
    assert.equal(await appendOnlyStamp(dbh.db, rules, ['haicheng']), `1/${ids[0]}`, 'another agency’s version leaves it as it was');
    await rule('haicheng', 2);
    assert.notEqual(await appendOnlyStamp(dbh.db, rules, ['haicheng']), `1/${ids[0]}`);
    const year = (region: string) =>
      sql`insert into calendar_years (region_code, year, version, days, source) values (${region}, 2027, 1, '{"holidays":[],"workdays":[]}', 'admin')`.execute(
        dbh.db,
      );
    await year('000000');
    const before = await appendOnlyStamp(dbh.db, cal, ['210381', '210000', '000000']);
    assert.match(before, /^1\/\d+$/);
    await year('210000');
    assert.notEqual(await appendOnlyStamp(dbh.db, cal, ['210381', '210000', '000000']), before, 'a year added anywhere in the region chain');
  } finally {
    await dbh.close();
    await fresh?.drop();
  }
});
