/** Open the database, migrate, seed, and build the app. Shared by main.ts and the tests. */
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from './config.ts';
import { openDb, type DbHandle } from './db/index.ts';
import { migrateToLatest } from './db/migrate.ts';
import { grantAppRole, roleOfUrl } from './db/roles.ts';
import { dataFingerprint, rememberSeed, seededWith } from './db/seed-state.ts';
import { buildApp } from './app.ts';
import type { LogSink } from './http/log-redact.ts';
import { plugRegistry, recomputeTransferDeadlines } from './modules/registry/index.ts';
import { plugEmergency, registerEmergencyJobs, seedRegimes } from './modules/emergency/index.ts';
import { chinaDate, systemClock, type Clock } from './platform/clock.ts';
import { seedFromDir, type SeedReport } from './modules/catalog/index.ts';
import { ensureProvisionalYears, registerCalendarJobs, seedCalendar } from './modules/calendar/index.ts';
import { seedRules } from './modules/rules/index.ts';
import { seedBenefitParams } from './modules/benefits/index.ts';
import { createMailer, type Mailer } from './platform/mail.ts';
import { createSms, type Sms } from './platform/sms.ts';
import { createJobRunner, type JobRunner } from './platform/jobs.ts';
import { pruneCounters } from './platform/rate-limit.ts';
import { dataCipherOf } from './platform/crypto.ts';
import { createStorage } from './platform/storage.ts';
import { collectGarbage } from './platform/storage-gc.ts';
import { outboxTask } from './platform/outbox.ts';
import { createCaseEnv, enqueueCaseRecompute, registerCaseJobs } from './modules/cases/index.ts';
import { auditSealTask, auditSetupFrom, configureAudit, generatedKeyWarning } from './modules/audit/index.ts';
import { recomputeFeedbackDeadlines, registerFeedbackJobs } from './modules/feedback/index.ts';
import { moveBookingsOffClosedDays, registerAppointmentJobs, seedAppointments } from './modules/appointments/index.ts';

export interface Booted {
  app: FastifyInstance;
  dbh: DbHandle;
  config: Config;
  seed: SeedReport;
  /** Milliseconds per start-up step: db, migrate, catalog, seed, app. */
  timings: Record<string, number>;
  /** Jobs and recurring tasks (the outbox). Polls only when booted with `jobs: true` and JOBS=on; tests call runOnce(). */
  runner: JobRunner;
  mailer: Mailer;
  sms: Sms;
  close(): Promise<void>;
}

export async function boot(
  opts: { config?: Config; clock?: Clock; memory?: boolean; logger?: boolean | LogSink; jobs?: boolean } = {},
): Promise<Booted> {
  const config = opts.config ?? loadConfig();
  const clock = opts.clock ?? systemClock;
  // How long each start-up step took (logged by main.ts; the restart target is under 3 s, docs/SCALING.md).
  const timings: Record<string, number> = {};
  let mark = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    timings[name] = Math.round(now - mark);
    mark = now;
  };
  // The audit key and checkpoint file (outside the database) before anything is audited.
  const audit = auditSetupFrom(config, { memory: opts.memory, clock });
  configureAudit(audit.setup);
  const dbh = await openDb({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, memory: opts.memory, poolMax: config.DB_POOL_MAX });
  lap('db');
  // With MIGRATION_DATABASE_URL the owner role migrates and seeds, then the app role serves.
  let owner: DbHandle | null = null;
  try {
    if (config.MIGRATION_DATABASE_URL) owner = await openDb({ url: config.MIGRATION_DATABASE_URL, poolMax: 2 });
    const setup = owner ?? dbh;
    const migrated = await migrateToLatest(setup.db);
    if (owner && migrated.length) await grantAppRole(owner.db, roleOfUrl(config.DATABASE_URL!) ?? '');
    lap('migrate');
    // Same data files as at the last complete seeding: nothing to insert, so skip parsing them.
    const fingerprint = config.SEED === 'auto' ? dataFingerprint(config.DATA_DIR) : null;
    const unchanged = fingerprint !== null && (await seededWith(setup.db, config.DATA_DIR)) === fingerprint;
    const seed: SeedReport = unchanged
      ? {
          loaded: [],
          skipped: (await setup.db.selectFrom('catalog_versions').select('agency_code').distinct().orderBy('agency_code').execute()).map(
            (r) => r.agency_code,
          ),
        }
      : config.SEED === 'auto'
        ? await seedFromDir(setup.db, config.DATA_DIR, chinaDate(clock.now()))
        : { loaded: [], skipped: [] };
    lap('catalog');
    if (!unchanged) {
      // Always, even with SEED=off: deadlines need the calendar. One query once seeded.
      await seedCalendar(setup.db, config.DATA_DIR, undefined, clock.now());
      if (config.SEED === 'auto') {
        await seedRules(setup.db, config.DATA_DIR);
        await seedBenefitParams(setup.db, config.DATA_DIR);
        await seedAppointments(setup.db, config.DATA_DIR);
        await seedRegimes(setup.db, config.DATA_DIR, chinaDate(clock.now()));
      }
      if (fingerprint) await rememberSeed(setup.db, config.DATA_DIR, fingerprint);
    }
    // Years without a published notice up to the horizon (one query when none is missing); the
    // calendar job adds the next one as the years pass.
    await ensureProvisionalYears(setup.db, chinaDate(clock.now()), clock.now());
    if (owner) await owner.close().finally(() => (owner = null));
    lap('seed');
    // The modules that plug into the rules, the case hub and the booking checks, once per boot.
    plugRegistry();
    plugEmergency();
    // The data key (files at rest): DATA_KEYS, or SECRETS_DIR/data.key, made on the first start.
    const keys = dataCipherOf(config);
    const app = await buildApp({ config, dbh, clock, logger: opts.logger });
    if (keys.generated)
      app.log.warn({ file: keys.generated }, 'DATA_KEYS 未设置：已生成数据密钥文件，请与 FILES_DIR 一同备份（丢失则无法解密已存文件）');
    lap('app');
    if (audit.generated) app.log.warn(generatedKeyWarning(audit.generated));
    const storage = createStorage(config, clock);
    const gcGraceMs = config.STORAGE_GC_GRACE_HOURS * 60 * 60_000;
    const mailer = createMailer(config, (o, m) => app.log.info(o, m));
    const sms = createSms(config, dbh.db, (o, m) => app.log.info(o, m));
    const runner = createJobRunner({
      db: dbh.db,
      clock,
      log: app.log,
      pollMs: 1000,
      tasks: {
        outbox: outboxTask({ mailer, sms, clock, leaseMs: config.OUTBOX_LEASE_SECONDS * 1000 }),
        // Seal, then now and then a signed checkpoint of the head outside the database.
        'audit-seal': auditSealTask(audit.setup, app.log),
        // Abuse-limit windows that have ended (platform/rate-limit.ts): dropped every 10 minutes.
        'rate-counters-prune': throttled(10 * 60_000, ({ db, now }) => pruneCounters(db, now)),
        // Stored files no row references, after the grace period (platform/storage-gc.ts): hourly.
        'storage-gc': throttled(60 * 60_000, async ({ db, now }) => (await collectGarbage(db, storage, { now, graceMs: gcGraceMs })).removed),
      },
    });
    registerCaseJobs(runner, createCaseEnv(config, clock));
    registerFeedbackJobs(runner);
    registerAppointmentJobs(runner);
    registerEmergencyJobs(runner);
    // A calendar year changed: each module that keeps working-day deadlines counts its own again.
    registerCalendarJobs(runner, {
      cases: enqueueCaseRecompute,
      transfers: recomputeTransferDeadlines,
      feedback: recomputeFeedbackDeadlines,
      appointments: moveBookingsOffClosedDays,
    });
    if (opts.jobs && config.JOBS === 'on') runner.start();
    let closed = false;
    return {
      app,
      dbh,
      config,
      seed,
      timings,
      runner,
      mailer,
      sms,
      close: async () => {
        if (closed) return;
        closed = true;
        await runner.stop();
        await app.close();
        mailer.close();
        await dbh.close();
      },
    };
  } catch (e) {
    await owner?.close();
    await dbh.close();
    throw e;
  }
}

/** A recurring task run at most once per `everyMs` of the runner's clock. */
function throttled<C extends { now: Date }>(everyMs: number, task: (c: C) => Promise<number>): (c: C) => Promise<number> {
  let last = -Infinity;
  return async (c) => {
    if (c.now.getTime() - last < everyMs) return 0;
    last = c.now.getTime();
    return task(c);
  };
}
