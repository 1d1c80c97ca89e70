// Frozen migration. Do not edit once landed; add a new file instead.
// Declarative rules (issue 4): one row per rule code and version; the document is validated by
// common/rules.ts at load. Benefit parameters are versioned the same way.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // 在职 / 灵活就业 / 退休 on an employee enrolment (rules on retirees and posted employees read it).
  await db.schema.alterTable('enrolments').addColumn('employment', 'text').execute();
  await db.schema
    .createTable('rule_versions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('doc', 'jsonb', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('rule_versions_code_version', ['agency_code', 'code', 'version'])
    .execute();
  await db.schema
    .createTable('benefit_params')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('doc', 'jsonb', (c) => c.notNull())
    .addColumn('source_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('benefit_params_agency_hash', ['agency_code', 'source_hash'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('benefit_params').ifExists().execute();
  await db.schema.dropTable('rule_versions').ifExists().execute();
  await db.schema.alterTable('enrolments').dropColumn('employment').execute();
}
