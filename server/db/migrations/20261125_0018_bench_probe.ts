// Frozen migration. Do not edit once landed; add a new file instead.
// The benchmark's single-write ceiling (`npm run bench`, scenario 2) inserts into this table through the
// server's own pool. The route exists only when BENCH_ROUTES=on; the table stays empty otherwise.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('bench_writes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('note', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('bench_writes').execute();
}
