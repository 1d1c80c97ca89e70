// Frozen migration. Do not edit once landed; add a new file instead.
// Sessions nobody can hijack (issue 16): sessions.id, a number to name a session in the account's
// session list (the token's hash stays the key and is never shown); last_seen_at, when the session
// was last used (bumped at most once a minute), for the idle timeout; user_agent, the browser that
// opened it, shown in the session list. Existing sessions count as last seen when they were made.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('sessions')
    .addColumn('id', 'bigserial', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz')
    .addColumn('user_agent', 'text')
    .execute();
  await sql`update sessions set last_seen_at = created_at`.execute(db);
  await sql`alter table sessions alter column last_seen_at set not null`.execute(db);
  await db.schema.createIndex('sessions_id').on('sessions').column('id').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('sessions_id').execute();
  await db.schema.alterTable('sessions').dropColumn('user_agent').dropColumn('last_seen_at').dropColumn('id').execute();
}
