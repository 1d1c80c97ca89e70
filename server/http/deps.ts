/**
 * What the composition root (app.ts) hands every module's routes. Routes never see the database
 * handle: a handler asks for its request's context (`ctx`, outside a transaction, for reads) or runs
 * its work in one transaction (`tx`), whose context carries the transaction as `db`.
 */
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.ts';
import type { Db, Database } from '../db/index.ts';
import { chinaDate, type Clock } from '../platform/clock.ts';
import { makeCtx } from './access.ts';
import type { Ctx } from './actor.ts';

/** A read-only request's context: the database and the business day. */
export interface ReadCtx {
  db: Db;
  today: string;
}

export interface AppDeps {
  config: Config;
  clock: Clock;
  /** The business day and the database, for public reads that need no actor. */
  readCtx(): ReadCtx;
  /** The request's context (actor, clock, ids) outside a transaction. */
  ctx(req: FastifyRequest): Ctx;
  /** `fn` in one transaction; the context's db is the transaction. */
  tx<T>(req: FastifyRequest, fn: (ctx: Ctx) => Promise<T>): Promise<T>;
}

export function routeDeps(config: Config, db: Database, clock: Clock): AppDeps {
  return {
    config,
    clock,
    readCtx: () => ({ db, today: chinaDate(clock.now()) }),
    ctx: (req) => makeCtx(req, db, clock),
    tx: (req, fn) => db.transaction().execute((trx) => fn(makeCtx(req, trx, clock))),
  };
}
