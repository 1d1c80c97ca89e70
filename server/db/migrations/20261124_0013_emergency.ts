// Frozen migration. Do not edit once landed; add a new file instead.
// Emergency mode (issue 5): versioned regime documents per agency, the periods an admin switched
// them on for, the validity extensions applied on switch-on, and the post-audit (事后审核) queue of
// cases the regime passed automatically.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Versions are appended, never edited: a period points at the version it was switched on with.
  await db.schema
    .createTable('emergency_regimes')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('doc', 'jsonb', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('emergency_regimes_version', ['agency_code', 'code', 'version'])
    .execute();

  await db.schema
    .createTable('emergency_periods')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('regime_id', 'bigint', (c) => c.notNull().references('emergency_regimes.id'))
    .addColumn('start_date', 'date', (c) => c.notNull())
    .addColumn('end_date', 'date')
    .addColumn('note', 'text')
    .addColumn('on_by', 'bigint')
    .addColumn('on_by_label', 'text', (c) => c.notNull())
    .addColumn('on_at', 'timestamptz', (c) => c.notNull())
    // When the validity extensions were applied (at switch-on, or by the start job for a later start).
    .addColumn('extended_at', 'timestamptz')
    .addColumn('off_on', 'date')
    .addColumn('off_at', 'timestamptz')
    .addColumn('off_by', 'bigint')
    .addColumn('off_by_label', 'text')
    .addColumn('off_note', 'text')
    .execute();
  await db.schema.createIndex('emergency_periods_agency').on('emergency_periods').columns(['agency_code', 'start_date']).execute();

  await db.schema
    .createTable('emergency_extensions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('period_id', 'bigint', (c) => c.notNull().references('emergency_periods.id'))
    .addColumn('measure_id', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('before_to', 'date')
    .addColumn('after_to', 'date', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull())
    .addUniqueConstraint('emergency_extensions_once', ['period_id', 'target', 'entity_id', 'after_to'])
    .execute();

  await db.schema
    .createTable('emergency_post_audits')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('case_id', 'bigint', (c) => c.notNull().unique().references('cases.id'))
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('period_id', 'bigint', (c) => c.notNull().references('emergency_periods.id'))
    .addColumn('measure_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('decided_at', 'timestamptz')
    .addColumn('decided_by', 'bigint')
    .addColumn('decided_by_label', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('emergency_post_audits_queue').on('emergency_post_audits').columns(['agency_code', 'status', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['emergency_post_audits', 'emergency_extensions', 'emergency_periods', 'emergency_regimes'])
    await db.schema.dropTable(t).ifExists().execute();
}
