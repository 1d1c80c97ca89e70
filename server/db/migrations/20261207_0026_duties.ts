// Frozen migration. Do not edit once landed; add a new file instead.
// Separation of duties (issue 16): agencies.separation_of_duties — on, the staff member who
// accepted a case may not review it, and 复核 needs a third person (common/duties.ts). On by
// default; the agency admin turns it off or on again at /api/admin/duties, audited.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('agencies')
    .addColumn('separation_of_duties', 'boolean', (c) => c.notNull().defaultTo(true))
    .execute();
  await sql`comment on column agencies.separation_of_duties is 'the acceptor may not review; 复核 by a third person'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('agencies').dropColumn('separation_of_duties').execute();
}
