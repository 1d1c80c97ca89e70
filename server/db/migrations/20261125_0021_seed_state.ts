// Frozen migration. Do not edit once landed; add a new file instead.
// The fingerprint (sha-256 over every data file) of the last complete seeding: a restart with the same
// data skips parsing and comparing the YAML files (restart of an existing database under 3 s).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('seed_state')
    .addColumn('data_dir', 'text', (c) => c.primaryKey())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .addColumn('seeded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('seed_state').execute();
}
