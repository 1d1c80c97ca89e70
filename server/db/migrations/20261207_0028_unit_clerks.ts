// Frozen migration. Do not edit once landed; add a new file instead.
// Unit clerks are approved (issue 16): an account that registers for a unit (单位经办人) gets no
// access to it until its request is approved — by one of the unit's approved clerks, or, for a
// unit with no approved clerk, by agency staff after reading the uploaded 授权委托书. One row per
// request: pending → approved | rejected, approved → revoked. users.unit_id stays the account's
// access (set on approval, cleared on revocation). agency_code: the agency whose staff decide (the
// unit's, or the one the registrant named). A user has at most one open (pending or approved)
// request. Existing unit accounts with a unit become approved clerks (data migration).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('unit_clerk_requests')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('unit_id', 'bigint', (c) => c.notNull().references('units.id'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('agency_code', 'text', (c) => c.references('agencies.code'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('letter_sha', 'text')
    .addColumn('letter_name', 'text')
    .addColumn('letter_mime', 'text')
    .addColumn('letter_size', 'integer')
    .addColumn('decided_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('decided_as', 'text')
    .addColumn('decided_at', 'timestamptz')
    .addColumn('reason', 'text')
    .addColumn('revoked_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('unit_clerk_requests_status', sql`status in ('pending', 'approved', 'rejected', 'revoked')`)
    .addCheckConstraint('unit_clerk_requests_decided_as', sql`decided_as is null or decided_as in ('clerk', 'agency', 'migration')`)
    .execute();
  await sql`create unique index unit_clerk_requests_open on unit_clerk_requests (user_id) where status in ('pending', 'approved')`.execute(db);
  await db.schema.createIndex('unit_clerk_requests_unit').on('unit_clerk_requests').columns(['unit_id', 'status']).execute();
  await db.schema.createIndex('unit_clerk_requests_agency').on('unit_clerk_requests').columns(['agency_code', 'status', 'id']).execute();
  await sql`
    insert into unit_clerk_requests (unit_id, user_id, agency_code, status, decided_as, decided_at, reason, created_at)
    select u.unit_id, u.id, a.code, 'approved', 'migration', now(), '平台启用经办人审核前已绑定本单位', u.created_at
    from users u join units n on n.id = u.unit_id left join agencies a on a.code = n.agency_code
    where u.kind = 'unit' and u.unit_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('unit_clerk_requests').execute();
}
