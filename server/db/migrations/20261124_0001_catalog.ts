// Frozen migration. Do not edit once landed; add a new file instead.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('regions')
    .addColumn('code', 'char(6)', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('parent_code', 'char(6)')
    .addColumn('province', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('agencies')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('short_name', 'text', (c) => c.notNull())
    .addColumn('region_code', 'char(6)', (c) => c.notNull().references('regions.code'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // A whole agency catalogue as imported from a data file or an admin edit. Drafts become
  // published with an effective date; older versions stay readable.
  await db.schema
    .createTable('catalog_versions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('draft','published','withdrawn')`))
    .addColumn('effective_from', 'date')
    .addColumn('source_hash', 'text', (c) => c.notNull())
    .addColumn('source_name', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('doc', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('published_at', 'timestamptz')
    .addUniqueConstraint('catalog_versions_agency_version', ['agency_code', 'version'])
    .execute();

  await db.schema
    .createTable('departments')
    .addColumn('agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('doc', 'jsonb', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addPrimaryKeyConstraint('departments_pk', ['agency_code', 'code'])
    .execute();

  await db.schema
    .createTable('offices')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('doc', 'jsonb', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addUniqueConstraint('offices_agency_code', ['agency_code', 'code'])
    .execute();

  // Stable identity of a service item across catalogue versions.
  await db.schema
    .createTable('items')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('agency_code', 'text', (c) => c.notNull().references('agencies.code'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addUniqueConstraint('items_agency_code', ['agency_code', 'code'])
    .execute();

  // One item as it is in one catalogue version. Cases (later) point at this row, so in-flight
  // cases keep the version they were submitted under.
  await db.schema
    .createTable('item_versions')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('item_id', 'bigint', (c) => c.notNull().references('items.id'))
    .addColumn('catalog_version_id', 'bigint', (c) => c.notNull().references('catalog_versions.id').onDelete('cascade'))
    .addColumn('agency_code', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('category_code', 'text', (c) => c.notNull())
    .addColumn('national', 'smallint')
    .addColumn('time_limit_kind', 'text', (c) => c.notNull())
    .addColumn('time_limit_value', 'integer')
    .addColumn('time_limit_unit', 'text')
    .addColumn('time_limit_text', 'text', (c) => c.notNull())
    .addColumn('search_text', 'text', (c) => c.notNull())
    .addColumn('doc', 'jsonb', (c) => c.notNull())
    .addUniqueConstraint('item_versions_item_catalog', ['item_id', 'catalog_version_id'])
    .execute();
  await db.schema.createIndex('item_versions_catalog_seq').on('item_versions').columns(['catalog_version_id', 'seq']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['item_versions', 'items', 'offices', 'departments', 'catalog_versions', 'agencies', 'regions']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
