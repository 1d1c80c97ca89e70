/** The ordered list of frozen migrations. Names are timestamps; append, never edit. */
import type { Migration, MigrationProvider } from 'kysely/migration';
import * as m0001 from './20261124_0001_catalog.ts';

const migrations: Record<string, Migration> = {
  '20261124_0001_catalog': m0001,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};
