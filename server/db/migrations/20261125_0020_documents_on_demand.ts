// Frozen migration. Do not edit once landed; add a new file instead.
// Issued documents keep their frozen content (the notice's data) and get their PDF rendered on the
// first download instead of inside the workflow transaction: rendering a CJK PDF took most of an
// acceptance's CPU time (npm run bench, scenario 4). file_sha stays null until then.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('documents').addColumn('content', 'jsonb').execute();
  await sql`alter table documents alter column file_sha drop not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from documents where file_sha is null`.execute(db);
  await sql`alter table documents alter column file_sha set not null`.execute(db);
  await db.schema.alterTable('documents').dropColumn('content').execute();
}
