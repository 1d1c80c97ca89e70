/**
 * Crash test: the server process is killed (SIGKILL) in the middle of a burst of submissions.
 * After a restart every acknowledged submission is there with its case number, retries with
 * the same Idempotency-Key do not duplicate, and no outbox message is lost: the SMS for every
 * acknowledged case is delivered by the restarted process.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';
import pg from 'pg';
import { Client, testIdNo, testMobile } from '../../../test/client.ts';
import { totp } from '../accounts/totp.ts';

const NODE = path.resolve('node_modules/.bin/node');
const CLERK_PASSWORD = 'Crash-Window-Clerk-2026';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function start(env: Record<string, string>): ChildProcess {
  return spawn(NODE, ['server/main.ts'], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d));
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${stderr}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start: ${stderr}`);
}

async function smsFor(url: string, mobile: string): Promise<string[]> {
  const r = await fetch(`${url}/api/dev/sms?mobile=${mobile}`).then((x) => x.json());
  return r.messages.map((m: { text: string }) => m.text);
}

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('kill -9 during a submission burst loses no acknowledged case and no outbox message', { timeout: 240_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'yb-crash-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    FILES_DIR: path.join(dir, 'files'),
    DEV_TOOLS: 'on',
    // Messages the killed process had claimed are retried when its lease runs out: 5 s here
    // instead of the default 5 minutes, which is longer than this test waits.
    OUTBOX_LEASE_SECONDS: '5',
  };
  let dropDb: (() => Promise<void>) | undefined;
  if (process.env.TEST_DATABASE_URL) {
    const name = `yb_crash_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(process.env.TEST_DATABASE_URL);
    u.pathname = `/${name}`;
    env.DATABASE_URL = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  } else env.PGLITE_DIR = path.join(dir, 'db');

  // A clerk, made with the staff CLI before the first start, checks the citizen's card at the window below.
  const cli = execFileSync(
    NODE,
    [
      'server/cli/staff.ts',
      'create',
      '--agency',
      'shandong',
      '--login',
      'crash-clerk',
      '--name',
      '窗口受理员',
      '--roles',
      'acceptor',
      '--password',
      CLERK_PASSWORD,
    ],
    { env: { ...process.env, ...env }, encoding: 'utf8' },
  );
  const secret = /TOTP 密钥：(\S+)/.exec(cli)![1]!;

  let child = start(env);
  try {
    await waitHealthy(url, child);
    // A citizen signs up through the real SMS outbox (delivered by the server's job runner).
    const c = new Client(url);
    const mobile = testMobile();
    assert.equal((await c.post('/api/auth/sms-code', { mobile, purpose: 'register' })).status, 200);
    const code = await until('the SMS code', async () => (await smsFor(url, mobile)).map((t) => /(\d{6})/.exec(t)?.[1]).find(Boolean));
    const citizenId = testIdNo();
    const reg = await c.post('/api/auth/register', { mobile, code, password: 'Citizen-Pass-2026', name: '孙七', idNo: citizenId });
    assert.equal(reg.status, 201);
    const clerk = new Client(url);
    assert.equal(
      (await clerk.post('/api/auth/login', { login: 'crash-clerk', password: CLERK_PASSWORD, totp: totp(secret, new Date()) })).status,
      200,
    );
    const checked = await clerk.post('/api/staff/identity-checks', { login: mobile, idNo: citizenId, cardChecked: true });
    assert.equal(checked.status, 200, JSON.stringify(checked.body));

    // The burst: 80 submissions, 8 at a time; the process is killed after the 25th acknowledgement.
    const acked = new Map<string, { id: number; caseNo: string }>();
    const keys = Array.from({ length: 80 }, (_, i) => `crash-${i}-${Date.now()}`);
    let killed = false;
    const submitOne = async (key: string) => {
      try {
        const r = await c.post('/api/cases', { agencyCode: 'shandong', itemCode: 'SD-05', submit: true }, { 'idempotency-key': key });
        if (r.status === 201 || r.status === 200) acked.set(key, { id: r.body.id, caseNo: r.body.caseNo });
      } catch {
        // connection dropped by the kill: not acknowledged
      }
      if (!killed && acked.size >= 25) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    for (let i = 0; i < keys.length && !killed; i += 8) await Promise.all(keys.slice(i, i + 8).map(submitOne));
    assert.ok(killed, 'the server was killed mid-burst');
    await new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
    assert.ok(acked.size >= 25);

    child = start(env);
    await waitHealthy(url, child);
    const d = new Client(url);
    assert.equal((await d.post('/api/auth/login', { login: mobile, password: 'Citizen-Pass-2026' })).status, 200);
    const mine = await d.get('/api/cases/mine?pageSize=100&status=submitted');
    const byId = new Map<number, string>(mine.body.items.map((x: { id: number; caseNo: string }) => [x.id, x.caseNo]));
    for (const [key, a] of acked) assert.equal(byId.get(a.id), a.caseNo, `acknowledged ${key} → ${a.caseNo} survived`);

    // Retrying every key (acknowledged or not) never duplicates a case.
    for (const key of keys) {
      const r = await d.post('/api/cases', { agencyCode: 'shandong', itemCode: 'SD-05', submit: true }, { 'idempotency-key': key });
      assert.ok(r.status === 200 || r.status === 201, JSON.stringify(r.body));
      if (acked.has(key)) assert.equal(r.body.id, acked.get(key)!.id);
    }
    const after = await d.get('/api/cases/mine?pageSize=100&status=submitted');
    assert.equal(after.body.total, keys.length, 'one case per key');
    const nos = after.body.items.map((x: { caseNo: string }) => x.caseNo);
    assert.equal(new Set(nos).size, nos.length, 'case numbers are unique');

    // Every acknowledged case's SMS is eventually delivered, including those queued just before the kill.
    try {
      await until(
        'all SMS',
        async () => {
          const texts = (await smsFor(url, mobile)).join('\n');
          return [...acked.values()].every((a) => texts.includes(a.caseNo)) ? true : undefined;
        },
        120_000,
      );
    } catch (e) {
      // Say what the outbox holds, so a failure here can be diagnosed.
      if (env.DATABASE_URL) {
        const c2 = new pg.Client({ connectionString: env.DATABASE_URL });
        await c2.connect();
        const r = await c2.query(
          `select channel, status, attempts, count(*)::int n, min(next_attempt_at) next from outbox group by 1,2,3 order by 1,2,3`,
        );
        await c2.end();
        throw new Error(`${(e as Error).message}; outbox: ${JSON.stringify(r.rows)}`);
      }
      throw e;
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise<void>((r) => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', () => r())));
    await dropDb?.();
    rmSync(dir, { recursive: true, force: true });
  }
});
