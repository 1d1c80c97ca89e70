// Frozen migration. Do not edit once landed; add a new file instead.
// Two serialisation points leave the request path (measured by `npm run bench`, see docs/SCALING.md):
//  - case numbers: a per-agency-per-day counter row was locked by every submission until its commit;
//    they now take the serial from one PostgreSQL sequence (never blocks; a failed commit leaves a gap).
//    The serial starts after every number the old counters handed out, so no number repeats.
//  - the audit chain: appends took one global lock until commit; they now insert unsealed rows
//    (seq, prev_hash, hash null) and the audit sealer chains them in the order it seals them.
//    Rows written before this migration keep their hashes and become seq = id.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence case_no_seq`.execute(db);
  await sql`select setval('case_no_seq', greatest(1, coalesce((select max(last) from case_sequences), 0)), (select count(*) > 0 from case_sequences))`.execute(
    db,
  );
  await db.schema.dropTable('case_sequences').execute();

  await db.schema
    .alterTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.unique())
    .execute();
  await sql`update audit_log set seq = id`.execute(db);
  await sql`alter table audit_log alter column prev_hash drop not null, alter column hash drop not null`.execute(db);
  await sql`create index audit_log_unsealed on audit_log (id) where seq is null`.execute(db);
  // ids were assigned by hand (last + 1); the column's own sequence takes over from here.
  await sql`select setval(pg_get_serial_sequence('audit_log', 'id'), greatest(1, coalesce((select max(id) from audit_log), 0)), (select count(*) > 0 from audit_log))`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index audit_log_unsealed`.execute(db);
  await sql`delete from audit_log where seq is null`.execute(db);
  await sql`alter table audit_log alter column prev_hash set not null, alter column hash set not null`.execute(db);
  await db.schema.alterTable('audit_log').dropColumn('seq').execute();
  await db.schema
    .createTable('case_sequences')
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_sequences_pk', ['prefix', 'day'])
    .execute();
  await sql`drop sequence case_no_seq`.execute(db);
}
