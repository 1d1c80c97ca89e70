/** What the composition root (app.ts) hands every module's routes. */
import type { Config } from '../config.ts';
import type { Db, DbHandle } from '../db/index.ts';
import type { Clock } from '../platform/clock.ts';

/** A read-only request's context: the database and the business day. */
export interface ReadCtx {
  db: Db;
  today: string;
}

export interface AppDeps {
  config: Config;
  dbh: DbHandle;
  clock: Clock;
  readCtx(): ReadCtx;
}
