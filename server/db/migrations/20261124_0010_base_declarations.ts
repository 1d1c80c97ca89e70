// Frozen migration. Do not edit once landed; add a new file instead.
// 缴费基数申报: the monthly contribution base a unit declares per employee for a year.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('base_declarations')
    .addColumn('unit_id', 'bigint', (c) => c.notNull().references('units.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('persons.id'))
    .addColumn('base_fen', 'bigint', (c) => c.notNull())
    .addColumn('declared_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('base_declarations_pk', ['unit_id', 'year', 'person_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('base_declarations').ifExists().execute();
}
