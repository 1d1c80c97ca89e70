// Frozen migration. Do not edit once landed; add a new file instead.
// The staff queue at agency scale (npm run bench, scenario 5): its page is read per status in FIFO
// order straight from this index, and its filters and count are answered from the included
// columns without visiting the table (index-only). Replaces cases_queue (same key columns).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index cases_queue_fifo on cases (agency_code, status, queued_at, id)
    include (channel, item_code, assignee_id, office_id, due_date, clock_state)`.execute(db);
  await sql`drop index if exists cases_queue`.execute(db);
  // The two narrow queues: 待认领 (nobody has it yet) and 我的 (mine). A FIFO read with such a filter
  // otherwise walks a status's whole backlog in the index to find the few that match.
  await sql`create index cases_queue_unassigned on cases (agency_code, status, queued_at, id) where assignee_id is null`.execute(db);
  await sql`create index cases_queue_assignee on cases (assignee_id, status, queued_at, id) where assignee_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index cases_queue_assignee`.execute(db);
  await sql`drop index cases_queue_unassigned`.execute(db);
  await sql`create index cases_queue on cases (agency_code, status, queued_at, id)`.execute(db);
  await sql`drop index cases_queue_fifo`.execute(db);
}
