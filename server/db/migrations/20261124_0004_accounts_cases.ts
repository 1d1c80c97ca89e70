// Frozen migration. Do not edit once landed; add a new file instead.
// Accounts, sessions and the case (办件) tables of issue 3.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('units')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('uscc', 'char(18)', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Every account: citizens, agents (代办), unit clerks, institution users and staff.
  await db.schema
    .createTable('users')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('citizen','agent','unit','institution','staff')`))
    .addColumn('login', 'text', (c) => c.notNull().unique())
    .addColumn('mobile', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('id_no', 'text')
    .addColumn('unit_id', 'bigint', (c) => c.references('units.id'))
    .addColumn('institution_code', 'text')
    .addColumn('agency_code', 'text', (c) => c.references('agencies.code'))
    .addColumn('department_code', 'text')
    .addColumn('office_id', 'bigint', (c) => c.references('offices.id'))
    .addColumn('roles', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('totp_secret', 'text')
    .addColumn('bad_credit', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('disabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('users_id_no').on('users').column('id_no').execute();
  await db.schema.createIndex('users_agency').on('users').columns(['agency_code', 'kind']).execute();

  // 代办: an agent acts for a principal under a recorded authorisation.
  await db.schema
    .createTable('authorisations')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('agent_user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('principal_name', 'text', (c) => c.notNull())
    .addColumn('principal_id_no', 'text', (c) => c.notNull())
    .addColumn('principal_phone', 'text')
    .addColumn('relation', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'date', (c) => c.notNull())
    .addColumn('file_sha', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('csrf', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();

  await db.schema
    .createTable('login_attempts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('login', 'text', (c) => c.notNull())
    .addColumn('ip', 'text')
    .addColumn('ok', 'boolean', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('login_attempts_ip_at').on('login_attempts').columns(['ip', 'at']).execute();

  await db.schema
    .createTable('sms_codes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('mobile', 'text', (c) => c.notNull())
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addColumn('used_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('sms_codes_mobile').on('sms_codes').columns(['mobile', 'purpose', 'created_at']).execute();

  // Content-addressed blobs: the bytes live in storage under their SHA-256.
  await db.schema
    .createTable('files')
    .addColumn('sha256', 'char(64)', (c) => c.primaryKey())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Case numbers: one counter per agency per day, bumped atomically (unique across instances).
  await db.schema
    .createTable('case_sequences')
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('last', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('case_sequences_pk', ['prefix', 'day'])
    .execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_no', 'text', (c) => c.unique())
    .addColumn('agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('item_id', 'bigint', (c) => c.notNull().references('items.id'))
    .addColumn('item_version_id', 'bigint', (c) => c.notNull().references('item_versions.id'))
    .addColumn('item_code', 'text', (c) => c.notNull())
    .addColumn('item_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('prev_status', 'text')
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('owner_user_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('authorisation_id', 'bigint', (c) => c.references('authorisations.id'))
    .addColumn('unit_id', 'bigint', (c) => c.references('units.id'))
    .addColumn('registered_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('applicant_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('applicant_id_no', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('applicant_phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('applicant_email', 'text')
    .addColumn('answers', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('office_id', 'bigint', (c) => c.references('offices.id'))
    .addColumn('assignee_id', 'bigint', (c) => c.references('users.id'))
    .addColumn('idempotency_key', 'text')
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('queued_at', 'timestamptz')
    .addColumn('accepted_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    // SLA clock
    .addColumn('sla_kind', 'text')
    .addColumn('sla_value', 'integer')
    .addColumn('sla_start', 'date')
    .addColumn('due_date', 'date')
    .addColumn('warn_date', 'date')
    .addColumn('clock_state', 'text', (c) => c.notNull().defaultTo('idle'))
    .addColumn('paused_on', 'date')
    .addColumn('warned75_at', 'timestamptz')
    .addColumn('warned_last_at', 'timestamptz')
    .addColumn('breached_at', 'timestamptz')
    // 容缺
    .addColumn('tolerance_due', 'date')
    .addColumn('tolerance_materials', 'jsonb')
    // decisions
    .addColumn('facts', 'jsonb')
    .addColumn('reasons', 'jsonb')
    .addColumn('correction', 'jsonb')
    .addColumn('lock_version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`create unique index cases_owner_idem on cases (owner_user_id, idempotency_key) where idempotency_key is not null`.execute(db);
  await db.schema.createIndex('cases_queue').on('cases').columns(['agency_code', 'status', 'queued_at', 'id']).execute();
  await db.schema.createIndex('cases_owner').on('cases').columns(['owner_user_id', 'updated_at']).execute();
  await db.schema.createIndex('cases_due').on('cases').columns(['clock_state', 'due_date']).execute();

  await db.schema
    .createTable('case_materials')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('material_index', 'integer', (c) => c.notNull())
    .addColumn('material_name', 'text', (c) => c.notNull())
    .addColumn('file_sha', 'char(64)', (c) => c.notNull().references('files.sha256'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('phase', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'bigint', (c) => c.references('users.id'))
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('removed_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('case_materials_case').on('case_materials').column('case_id').execute();

  // The timeline: one row per transition or notable act, with who and when.
  await db.schema
    .createTable('case_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text')
    .addColumn('actor_id', 'bigint')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('data', 'jsonb')
    .execute();
  await db.schema.createIndex('case_events_case').on('case_events').columns(['case_id', 'id']).execute();

  await db.schema
    .createTable('case_clock_events')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('due_date', 'date')
    .addColumn('data', 'jsonb')
    .execute();
  await db.schema.createIndex('case_clock_events_case').on('case_clock_events').columns(['case_id', 'id']).execute();

  // Issued notices: each has a public verification code.
  await db.schema
    .createTable('documents')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('doc_no', 'text', (c) => c.notNull().unique())
    .addColumn('verify_code', 'text', (c) => c.notNull().unique())
    .addColumn('file_sha', 'char(64)', (c) => c.notNull().references('files.sha256'))
    .addColumn('issued_on', 'date', (c) => c.notNull())
    .addColumn('issued_at', 'timestamptz', (c) => c.notNull())
    .addColumn('public_facts', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('documents_case').on('documents').column('case_id').execute();

  await db.schema
    .createTable('saved_filters')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('filters', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Taking a case out of FIFO order needs a reason; supervisors review this list.
  await db.schema
    .createTable('out_of_turn')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'bigint', (c) => c.notNull().references('cases.id'))
    .addColumn('user_id', 'bigint', (c) => c.notNull().references('users.id'))
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('skipped', 'integer', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'out_of_turn',
    'saved_filters',
    'documents',
    'case_clock_events',
    'case_events',
    'case_materials',
    'cases',
    'case_sequences',
    'files',
    'sms_codes',
    'login_attempts',
    'sessions',
    'authorisations',
    'users',
    'units',
  ])
    await db.schema.dropTable(t).ifExists().execute();
}
