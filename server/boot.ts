/** Open the database, migrate, seed, and build the app. Shared by main.ts and the tests. */
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './config.ts';
import { openDb, type DbHandle } from './db/index.ts';
import { migrateToLatest } from './db/migrate.ts';
import { buildApp } from './app.ts';
import { chinaDate, systemClock, type Clock } from './platform/clock.ts';
import { seedFromDir, type SeedReport } from './modules/catalog/service.ts';

export interface Booted {
  app: FastifyInstance;
  dbh: DbHandle;
  config: Config;
  seed: SeedReport;
  close(): Promise<void>;
}

export async function boot(opts: { config?: Config; clock?: Clock; memory?: boolean; logger?: boolean } = {}): Promise<Booted> {
  const config = opts.config ?? loadConfig();
  const clock = opts.clock ?? systemClock;
  const dbh = await openDb({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, memory: opts.memory });
  try {
    await migrateToLatest(dbh.db);
    const seed = config.SEED === 'auto' ? await seedFromDir(dbh.db, config.DATA_DIR, chinaDate(clock.now())) : { loaded: [], skipped: [] };
    const app = await buildApp({ config, dbh, clock, logger: opts.logger });
    let closed = false;
    return {
      app,
      dbh,
      config,
      seed,
      close: async () => {
        if (closed) return;
        closed = true;
        await app.close();
        await dbh.close();
      },
    };
  } catch (e) {
    await dbh.close();
    throw e;
  }
}
