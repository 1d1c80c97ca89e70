/**
 * Test support: start the real app on a real database and a real port.
 * PGlite in memory by default; when TEST_DATABASE_URL is set (CI), each call creates a fresh
 * PostgreSQL database on that server and drops it on close.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { loadConfig, type Config } from '../server/config.ts';
import { boot, type Booted } from '../server/boot.ts';
import type { Clock } from '../server/platform/clock.ts';
import { testClock } from './clock.ts';
import { recordResponses } from './record.ts';
import type { LogSink } from '../server/http/log-redact.ts';

export interface TestServer extends Booted {
  url: string;
  /** The clock the server runs on (test/clock.ts unless the test brought its own). */
  clock: Clock;
  /** The server's clock now (tests that move time use a mutable clock). */
  clockNow(): Date;
  get<T = unknown>(path: string): Promise<{ status: number; body: T; headers: Headers }>;
  post<T = unknown>(path: string, body: unknown): Promise<{ status: number; body: T }>;
}

export async function freshPgDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `yb_test_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** The tests' audit key (public: never use it outside tests). */
export const TEST_AUDIT_KEYS = 'test-1:dGVzdC1hdWRpdC1rZXktMDEyMzQ1Njc4OWFiY2RlZg==';

export async function startServer(
  opts: {
    config?: Partial<Record<string, string>>;
    clock?: Clock;
    pgliteDir?: string;
    databaseUrl?: string;
    /** Serve this directory as the built web app (default web/dist). */
    webDist?: string;
    /** Where the server's (redacted) log lines go; give LOG_LEVEL in `config` too (default silent). */
    logger?: LogSink;
  } = {},
): Promise<TestServer> {
  let dropDb: (() => Promise<void>) | undefined;
  const filesDir = opts.config?.FILES_DIR ?? mkdtempSync(path.join(tmpdir(), 'yb-test-files-'));
  const checkpointDir = path.join(tmpdir(), `yb-test-audit-${randomBytes(6).toString('hex')}`);
  const env: Record<string, string | undefined> = {
    LOG_LEVEL: 'silent',
    PORT: '0',
    HOST: '127.0.0.1',
    // A directory of its own: the storage collector (storage-gc) of one server must not see another's files.
    FILES_DIR: filesDir,
    // Each test Client says it comes from an address of its own (X-Forwarded-For), so the per-address
    // limits count one browser session at a time, as they would for real users.
    TRUST_PROXY: 'on',
    // Tests (and the e2e journeys) may read texts at /api/dev/sms; it is off unless set.
    DEV_TOOLS: 'on',
    // A fixed audit key, and checkpoints in a directory of this server's own (removed on close).
    AUDIT_KEYS: TEST_AUDIT_KEYS,
    AUDIT_CHECKPOINT_DIR: checkpointDir,
    ...opts.config,
  };
  let memory = true;
  if (opts.databaseUrl) {
    env.DATABASE_URL = opts.databaseUrl;
    memory = false;
  } else if (opts.pgliteDir) {
    env.PGLITE_DIR = opts.pgliteDir;
    memory = false;
  } else if (process.env.TEST_DATABASE_URL) {
    const fresh = await freshPgDatabase(process.env.TEST_DATABASE_URL);
    env.DATABASE_URL = fresh.url;
    dropDb = fresh.drop;
    memory = false;
  }
  const config: Config = loadConfig(env as NodeJS.ProcessEnv);
  if (opts.webDist) config.webDist = opts.webDist;
  // Never the machine's date: a test that does not bring its own clock runs on the test clock.
  const clock = opts.clock ?? testClock();
  const b = await boot({ config, clock, memory, logger: opts.logger ?? false });
  if (process.env.RECORD_RESPONSES) recordResponses(b.app, process.env.RECORD_RESPONSES);
  await b.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = b.app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const url = `http://127.0.0.1:${port}`;
  return {
    ...b,
    url,
    clock,
    clockNow: () => clock.now(),
    close: async () => {
      await b.close();
      rmSync(checkpointDir, { recursive: true, force: true });
      if (dropDb) await dropDb();
      if (!opts.config?.FILES_DIR) rmSync(filesDir, { recursive: true, force: true });
    },
    async get<T>(path: string) {
      const res = await fetch(url + path);
      const type = res.headers.get('content-type') ?? '';
      const body = (type.includes('json') ? await res.json() : await res.text()) as T;
      return { status: res.status, body, headers: res.headers };
    },
    async post<T>(path: string, body: unknown) {
      const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as T };
    },
  };
}

/** Whether a PostgreSQL server is the test database (for tests that only make sense on one). */
export const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
