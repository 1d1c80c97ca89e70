import { Migrator } from 'kysely/migration';
import type { Database } from './index.ts';
import { migrationProvider } from './migrations/index.ts';

export async function migrateToLatest(db: Database): Promise<string[]> {
  // Migrations are numbered when work starts, so parallel branches may land out of number order;
  // each adds its own tables/columns, so a database may apply a lower number after a higher one.
  const migrator = new Migrator({ db, provider: migrationProvider, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
