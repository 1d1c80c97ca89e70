// Frozen migration. Do not edit once landed; add a new file instead.
// 手工报销: the itemised bill lines a reviewer enters from the invoices and 费用清单.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('case_bills')
    .addColumn('case_id', 'bigint', (c) => c.primaryKey().references('cases.id'))
    .addColumn('lines', 'jsonb', (c) => c.notNull())
    .addColumn('entered_by', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('entered_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('case_bills').ifExists().execute();
}
