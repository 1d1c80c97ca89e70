// Frozen migration. Do not edit once landed; add a new file instead.
// Abuse limits that hold under concurrency (issue 16): rate_counters holds one row per limited key
// (e.g. 'login-ip:1.2.3.4', 'sms-mobile:139…') and fixed window, bumped by one upsert
// (insert … on conflict do update set n = n + 1 returning n) so parallel requests and several
// instances count together. users.totp_last_step: the last accepted TOTP time step, so a code
// is accepted once.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_counters')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('n', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_counters_pkey', ['key', 'window_start'])
    .execute();
  await db.schema.createIndex('rate_counters_expires').on('rate_counters').column('expires_at').execute();
  await db.schema.alterTable('users').addColumn('totp_last_step', 'bigint').execute();
  await sql`comment on column users.totp_last_step is 'last accepted TOTP step (unix time / 30); a code at or before it is refused'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('totp_last_step').execute();
  await db.schema.dropTable('rate_counters').execute();
}
