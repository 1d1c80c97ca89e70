/** The real server process: starts on the embedded database, seeds once, stops cleanly on SIGTERM, restarts without duplicating data. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServer } from 'node:net';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

async function runServer(env: Record<string, string>) {
  const port = await freePort();
  const child = spawn(process.execPath, ['server/main.ts'], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited early:\n${out}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) throw new Error(`server did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = () =>
    new Promise<number | null>((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  return { url, stop, output: () => out, kill: () => child.exitCode === null && child.kill('SIGKILL') };
}

test(
  'start, SIGTERM, restart on the same PGlite directory keeps data without duplicates',
  { skip: Boolean(process.env.TEST_DATABASE_URL) && 'PGlite-only' },
  async (t) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'yb-pglite-'));
    try {
      const env = { PGLITE_DIR: path.join(dir, 'db'), DATABASE_URL: '' };
      const first = await runServer(env);
      t.after(() => first.kill());
      const a1 = (await (await fetch(`${first.url}/api/agencies`)).json()) as { code: string; version: { version: number } }[];
      assert.equal(a1.length, 5);
      assert.equal(await first.stop(), 0, 'clean exit on SIGTERM');
      assert.match(first.output(), /SIGTERM received/);

      const second = await runServer(env);
      t.after(() => second.kill());
      const a2 = (await (await fetch(`${second.url}/api/agencies`)).json()) as { code: string; version: { version: number } }[];
      assert.deepEqual(
        a2.map((a) => [a.code, a.version.version]),
        a1.map((a) => [a.code, a.version.version]),
      );
      const versions = (await (await fetch(`${second.url}/api/agencies/haicheng/versions`)).json()) as unknown[];
      assert.equal(versions.length, 1, 'restart does not import again');
      assert.equal(await second.stop(), 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
