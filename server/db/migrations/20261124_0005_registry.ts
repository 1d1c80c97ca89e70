// Frozen migration. Do not edit once landed; add a new file instead.
// The insurance registry (issue 4): persons, enrolments, contributions, accounts, filings,
// certifications, institutions, lock-outs, payments, and a change history. Money is integer fen.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('households')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('address', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('persons')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('id_no', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sex', 'char(1)', (c) => c.notNull())
    .addColumn('birth_date', 'date', (c) => c.notNull())
    .addColumn('hukou_region', 'char(6)', (c) => c.notNull())
    .addColumn('residence_permit_region', 'char(6)')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('normal'))
    .addColumn('phone', 'text')
    .addColumn('bad_credit', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('household_id', 'bigint', (c) => c.references('households.id'))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('guardians')
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('persons.id'))
    .addColumn('guardian_id', 'bigint', (c) => c.notNull().references('persons.id'))
    .addColumn('relation', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('guardians_pk', ['person_id', 'guardian_id'])
    .execute();

  await db.schema.alterTable('units').addColumn('legal_rep', 'text').execute();
  await db.schema
    .alterTable('units')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('normal'))
    .execute();
  await db.schema.alterTable('units').addColumn('avg_monthly_wage_fen', 'bigint').execute();
  await db.schema.alterTable('units').addColumn('agency_code', 'text').execute();

  await db.schema
    .createTable('enrolments')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('persons.id'))
    .addColumn('agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'bigint', (c) => c.references('units.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('end_date', 'date')
    .addColumn('case_id', 'bigint')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('enrolments_person').on('enrolments').columns(['person_id', 'type']).execute();
  await db.schema.createIndex('enrolments_unit').on('enrolments').columns(['unit_id', 'status']).execute();

  await db.schema
    .createTable('contributions')
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('persons.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('month', 'char(7)', (c) => c.notNull())
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('base_fen', 'bigint', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('paid', 'boolean', (c) => c.notNull())
    .addColumn('paid_on', 'date')
    .addPrimaryKeyConstraint('contributions_pk', ['person_id', 'type', 'month'])
    .execute();

  await db.schema
    .createTable('personal_accounts')
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('persons.id'))
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('balance_fen', 'bigint', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('personal_accounts_pk', ['person_id', 'agency_code'])
    .execute();
  await db.schema
    .createTable('account_ledger')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('persons.id'))
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('balance_after_fen', 'bigint', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('case_id', 'bigint')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('account_ledger_person').on('account_ledger').columns(['person_id', 'id']).execute();

  await db.schema
    .createTable('remote_filings')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('persons.id'))
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('destination', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'date', (c) => c.notNull())
    .addColumn('valid_to', 'date')
    .addColumn('pledge_due', 'date')
    .addColumn('case_id', 'bigint')
    .execute();

  await db.schema
    .createTable('chronic_certs')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('persons.id'))
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('disease', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'date', (c) => c.notNull())
    .addColumn('valid_to', 'date')
    .addColumn('case_id', 'bigint')
    .execute();

  await db.schema
    .createTable('lockouts')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('person_id', 'bigint', (c) => c.notNull().references('persons.id'))
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('from_date', 'date', (c) => c.notNull())
    .addColumn('to_date', 'date', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('institutions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('agreement_from', 'date')
    .addColumn('agreement_to', 'date')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .execute();
  await db.schema
    .createTable('institution_staff')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('institution_code', 'text', (c) => c.notNull().references('institutions.code'))
    .addColumn('kind', 'text', (c) => c.notNull()) // physician | department
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('detail', 'jsonb')
    .addColumn('valid_from', 'date', (c) => c.notNull())
    .addColumn('valid_to', 'date')
    .execute();

  // Money the agency owes: reimbursements, maternity benefits, account pay-outs (a payment instruction).
  await db.schema
    .createTable('payments')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'bigint', (c) => c.notNull().unique())
    .addColumn('person_id', 'bigint', (c) => c.references('persons.id'))
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('amount_fen', 'bigint', (c) => c.notNull())
    .addColumn('bank_account', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('instructed'))
    .addColumn('trace', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();

  // Who changed what, and when: one row per registry change with the before and after.
  await db.schema
    .createTable('registry_history')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addColumn('effective_from', 'date', (c) => c.notNull())
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('entity', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('person_id', 'bigint')
    .addColumn('change', 'jsonb', (c) => c.notNull())
    .addColumn('case_id', 'bigint')
    .execute();
  await db.schema.createIndex('registry_history_person').on('registry_history').columns(['person_id', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'registry_history',
    'payments',
    'institution_staff',
    'institutions',
    'lockouts',
    'chronic_certs',
    'remote_filings',
    'account_ledger',
    'personal_accounts',
    'contributions',
    'enrolments',
    'guardians',
    'persons',
    'households',
  ])
    await db.schema.dropTable(t).ifExists().execute();
  for (const c of ['legal_rep', 'status', 'avg_monthly_wage_fen', 'agency_code']) await db.schema.alterTable('units').dropColumn(c).execute();
}
