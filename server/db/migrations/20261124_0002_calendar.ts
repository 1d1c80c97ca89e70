// Frozen migration. Do not edit once landed; add a new file instead.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One region's working-day calendar for one year, versioned: every admin edit inserts version+1
  // and the latest version is in force. region_code '000000' is the national calendar; a region
  // without its own row for a year uses its province's, then the national one.
  // days = { holidays: [{date, name}], workdays: [{date, name}] } (workdays = 调休 make-up working days).
  await db.schema
    .createTable('calendar_years')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('region_code', 'char(6)', (c) => c.notNull())
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('days', 'jsonb', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('chinese-days','admin')`))
    .addColumn('note', 'text')
    .addColumn('created_by', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('calendar_years_region_year_version', ['region_code', 'year', 'version'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('calendar_years').ifExists().execute();
}
