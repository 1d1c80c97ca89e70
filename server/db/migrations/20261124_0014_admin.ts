// Frozen migration. Do not edit once landed; add a new file instead.
// Admin changes without a deploy (issue 4 leftovers): who published a benefit-parameter or rule
// version, and lock-out periods that are lifted early (the original end is kept) with who did what.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Null for versions loaded from data files; the admin's label (name and login) otherwise.
  await db.schema.alterTable('benefit_params').addColumn('published_by', 'text').execute();
  await db.schema.alterTable('rule_versions').addColumn('published_by', 'text').execute();

  await db.schema
    .alterTable('lockouts')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.alterTable('lockouts').addColumn('created_by', 'text').execute();
  // Lifted early: from this date on the lock-out no longer applies (to_date keeps the original end).
  await db.schema.alterTable('lockouts').addColumn('lifted_on', 'date').execute();
  await db.schema.alterTable('lockouts').addColumn('lift_reason', 'text').execute();
  await db.schema.alterTable('lockouts').addColumn('lifted_by', 'text').execute();
  await db.schema.createIndex('lockouts_agency_person').on('lockouts').columns(['agency_code', 'person_id']).execute();
  await db.schema.createIndex('institutions_agency').on('institutions').columns(['agency_code', 'code']).execute();
  await db.schema.createIndex('institution_staff_institution').on('institution_staff').columns(['institution_code', 'kind']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('institution_staff_institution').ifExists().execute();
  await db.schema.dropIndex('institutions_agency').ifExists().execute();
  await db.schema.dropIndex('lockouts_agency_person').ifExists().execute();
  for (const c of ['lifted_by', 'lift_reason', 'lifted_on', 'created_by', 'created_at'])
    await db.schema.alterTable('lockouts').dropColumn(c).execute();
  await db.schema.alterTable('rule_versions').dropColumn('published_by').execute();
  await db.schema.alterTable('benefit_params').dropColumn('published_by').execute();
}
