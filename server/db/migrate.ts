import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Database } from './index.ts';
import { migrationProvider } from './migrations/index.ts';

export async function migrateToLatest(db: Database): Promise<string[]> {
  // Up to date already (every restart): one query instead of the migrator's lock-table round trips.
  const names = Object.keys(await migrationProvider.getMigrations());
  const done = await sql<{ name: string }>`select name from kysely_migration`.execute(db).then(
    (r) => new Set(r.rows.map((x) => x.name)),
    () => null, // a new database: no migration table yet
  );
  if (done && names.every((n) => done.has(n))) return [];
  // Migrations are numbered when work starts, so parallel branches may land out of number order;
  // each adds its own tables/columns, so a database may apply a lower number after a higher one.
  const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
