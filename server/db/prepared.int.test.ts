import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { freshPgDatabase, onPostgres } from '../../test/support.ts';
import { openDb, PREPARED_PER_CONNECTION, type DbHandle } from './index.ts';

const skip = !onPostgres && 'PostgreSQL only (set TEST_DATABASE_URL)';

/** A fresh database and a one-connection handle on it, so every statement runs on the same connection. */
async function oneConnection(fn: (dbh: DbHandle) => Promise<void>): Promise<void> {
  const fresh = await freshPgDatabase(process.env.TEST_DATABASE_URL!);
  const dbh = await openDb({ url: fresh.url, poolMax: 1 });
  try {
    await fn(dbh);
  } finally {
    await dbh.close();
    await fresh.drop();
  }
}

test('PostgreSQL: a parameterised statement is prepared once per connection, and the number kept is bounded', { skip }, () =>
  oneConnection(async ({ db }) => {
    const prepared = async () =>
      (await sql<{ statement: string }>`select statement from pg_prepared_statements`.execute(db)).rows.map((r) => r.statement);
    assert.deepEqual(await prepared(), [], 'a statement without parameters stays unnamed');
    for (let i = 0; i < 3; i++) assert.equal((await sql<{ n: number }>`select ${i}::int + 1 as n`.execute(db)).rows[0]!.n, i + 1);
    assert.deepEqual(await prepared(), ['select $1::int + 1 as n'], 'one prepared statement for three calls with other values');
    // Inside a transaction too (the same connection).
    await db.transaction().execute(async (trx) => {
      assert.equal((await sql<{ n: number }>`select ${41}::int + 1 as n`.execute(trx)).rows[0]!.n, 42);
    });
    assert.equal((await prepared()).length, 1);
    // Distinct texts beyond the bound run unnamed, and still answer.
    for (let i = 0; i < PREPARED_PER_CONNECTION + 5; i++)
      assert.equal((await sql<{ n: number }>`select ${i}::int as n, ${sql.lit(i)} as k`.execute(db)).rows[0]!.n, i);
    assert.equal((await prepared()).length, PREPARED_PER_CONNECTION);
    // Many parameters (a batched insert): never named.
    await sql`select ${sql.join(Array.from({ length: 100 }, (_, i) => sql`${i}`))}`.execute(db);
    assert.equal((await prepared()).length, PREPARED_PER_CONNECTION);
  }),
);

test('PostgreSQL: a table migrated under a prepared `select *` fails that call once, then the connection starts over', { skip }, () =>
  oneConnection(async ({ db }) => {
    await sql`create table probe (id int primary key)`.execute(db);
    await sql`insert into probe values (1)`.execute(db);
    const read = () =>
      db
        .selectFrom('probe' as never)
        .selectAll()
        .where('id' as never, '=', 1 as never)
        .execute();
    assert.deepEqual(await read(), [{ id: 1 }]);
    await sql`alter table probe add column note text`.execute(db); // as another instance's migration would
    await assert.rejects(read(), (e: { code?: string }) => e.code === '0A000'); // cached plan must not change result type
    assert.deepEqual(await read(), [{ id: 1, note: null }]);
  }),
);
