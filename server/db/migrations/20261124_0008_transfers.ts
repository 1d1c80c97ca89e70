// Frozen migration. Do not edit once landed; add a new file instead.
// 医保关系转移接续 between agencies: one row per transfer, with each leg's working-day due date.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('transfers')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'bigint', (c) => c.notNull().unique().references('cases.id'))
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('persons.id'))
    .addColumn('dest_agency', 'text', (c) => c.notNull())
    .addColumn('origin_agency', 'text')
    .addColumn('origin_external', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('letter_on', 'date', (c) => c.notNull())
    .addColumn('origin_due', 'date')
    .addColumn('info_on', 'date')
    .addColumn('months', 'integer')
    .addColumn('amount_fen', 'bigint')
    .addColumn('dest_due', 'date')
    .addColumn('completed_on', 'date')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('transfers_origin').on('transfers').columns(['origin_agency', 'status']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('transfers').ifExists().execute();
}
