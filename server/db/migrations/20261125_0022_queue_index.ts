// Frozen migration. Do not edit once landed; add a new file instead.
// The staff queue at agency scale (npm run bench, scenario 5): its page is read per status in FIFO
// order straight from this index, and its filters and count are answered from the included
// columns without visiting the table (index-only). Replaces cases_queue (same key columns).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index cases_queue_fifo on cases (agency_code, status, queued_at, id)
    include (channel, item_code, assignee_id, office_id, due_date, clock_state)`.execute(db);
  await sql`drop index if exists cases_queue`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index cases_queue on cases (agency_code, status, queued_at, id)`.execute(db);
  await sql`drop index cases_queue_fifo`.execute(db);
}
