// Frozen migration. Do not edit once landed; add a new file instead.
// A verified identity (issue 16): an account's ID number is only a claim until its holder proves
// control of the mobile number the registry holds for that person (预留手机号) — by registering
// with it or by a code sent to it — or a clerk checks the card at a window. Registry facts,
// evaluations and benefit traces are shown only to the verified person (or to an agent whose
// 代办授权 the principal confirmed). At most one verified account per kind and ID number.
// Accounts that registered with the registry's own number for their ID proved it already: they
// are verified by this migration ('sms').
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('id_verified_at', 'timestamptz')
    .addColumn('id_verified_via', 'text', (c) => c.check(sql`id_verified_via in ('sms', 'window')`))
    .addColumn('id_verified_by', 'bigint', (c) => c.references('users.id'))
    .execute();
  await sql`update users u set id_verified_at = u.created_at, id_verified_via = 'sms'
    where u.kind in ('citizen', 'agent') and u.id_no is not null
      and exists (select 1 from persons p where p.id_no = u.id_no and p.phone = u.login)
      and u.id = (select min(v.id) from users v where v.kind = u.kind and v.id_no = u.id_no and v.login = u.login)`.execute(db);
  await sql`create unique index users_verified_id_no on users (kind, id_no) where id_verified_at is not null`.execute(db);
  await db.schema
    .alterTable('authorisations')
    .addColumn('confirmed_at', 'timestamptz')
    .addColumn('confirmed_via', 'text', (c) => c.check(sql`confirmed_via in ('sms', 'window')`))
    .addColumn('confirmed_by', 'bigint', (c) => c.references('users.id'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('authorisations').dropColumn('confirmed_by').dropColumn('confirmed_via').dropColumn('confirmed_at').execute();
  await sql`drop index if exists users_verified_id_no`.execute(db);
  await db.schema.alterTable('users').dropColumn('id_verified_by').dropColumn('id_verified_via').dropColumn('id_verified_at').execute();
}
