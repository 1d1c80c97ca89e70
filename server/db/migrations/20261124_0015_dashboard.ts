// Frozen migration. Do not edit once landed; add a new file instead.
// The agency dashboard (issue 5): a derived working-day table so SQL can count working days, and
// indexes for the dashboard's period queries.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // One row per day of every year a region's calendar covers (as resolved: the region's own year,
  // else its province's, else the national one). `ord` counts the working days from the start of
  // the day's `span` (a run of consecutive covered years, named by its first year) up to and
  // including the day, so the working days in (a, b] are ord(b) − ord(a) when both days share a
  // span. Days of uncovered years have no row: a question about them has no answer, never a guess.
  // Derived data: rebuilt by the calendar module whenever the calendar is seeded or edited.
  await db.schema
    .createTable('working_day_ordinals')
    .addColumn('region_code', 'char(6)', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('working', 'boolean', (c) => c.notNull())
    .addColumn('ord', 'integer', (c) => c.notNull())
    .addColumn('span', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('working_day_ordinals_pk', ['region_code', 'day'])
    .execute();
  // Which calendar state each region's rows were built from: the highest calendar_years.id seen.
  await db.schema
    .createTable('working_day_stamps')
    .addColumn('region_code', 'char(6)', (c) => c.primaryKey())
    .addColumn('calendar_stamp', 'bigint', (c) => c.notNull())
    .addColumn('years', sql`integer[]`, (c) => c.notNull())
    .addColumn('refreshed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema.createIndex('cases_agency_submitted').on('cases').columns(['agency_code', 'submitted_at']).execute();
  await db.schema.createIndex('cases_agency_completed').on('cases').columns(['agency_code', 'completed_at']).execute();
  await sql`create index cases_open_accepted on cases (agency_code, office_id) where clock_state in ('running','paused','untimed')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('cases_open_accepted').ifExists().execute();
  await db.schema.dropIndex('cases_agency_completed').ifExists().execute();
  await db.schema.dropIndex('cases_agency_submitted').ifExists().execute();
  await db.schema.dropTable('working_day_stamps').ifExists().execute();
  await db.schema.dropTable('working_day_ordinals').ifExists().execute();
}
