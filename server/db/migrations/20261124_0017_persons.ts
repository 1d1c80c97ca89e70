// Frozen migration. Do not edit once landed; add a new file instead.
// 参保人档案 (issue 4, last gap): households and guardian relations recorded by staff, and the
// indexes the staff person search and its agency scope need.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Who recorded the household, and at which agency (the registry itself is platform-wide).
  await db.schema.alterTable('households').addColumn('agency_code', 'text').execute();
  await db.schema.alterTable('households').addColumn('created_by', 'text').execute();

  // Why the ward needs a guardian: 'minor' (under 18 by the 公民身份号码's birth date) or
  // 'incapacity' (无民事行为能力, with the reason, e.g. the court's declaration).
  await db.schema
    .alterTable('guardians')
    .addColumn('basis', 'text', (c) => c.notNull().defaultTo('minor'))
    .execute();
  await db.schema.alterTable('guardians').addColumn('basis_reason', 'text').execute();
  await db.schema
    .alterTable('guardians')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.alterTable('guardians').addColumn('created_by', 'text').execute();
  await db.schema.createIndex('guardians_guardian').on('guardians').column('guardian_id').execute();
  await db.schema.createIndex('persons_household').on('persons').column('household_id').execute();

  // Staff search by name (+ birth date), and the agency scope (a case at the agency).
  await db.schema.createIndex('persons_name_birth').on('persons').columns(['name', 'birth_date']).execute();
  await db.schema.createIndex('cases_applicant_agency').on('cases').columns(['applicant_id_no', 'agency_code']).execute();
  await db.schema.createIndex('enrolments_person_agency').on('enrolments').columns(['person_id', 'agency_code']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const i of ['enrolments_person_agency', 'cases_applicant_agency', 'persons_name_birth', 'persons_household', 'guardians_guardian'])
    await db.schema.dropIndex(i).ifExists().execute();
  for (const c of ['created_by', 'created_at', 'basis_reason', 'basis']) await db.schema.alterTable('guardians').dropColumn(c).execute();
  for (const c of ['created_by', 'agency_code']) await db.schema.alterTable('households').dropColumn(c).execute();
}
