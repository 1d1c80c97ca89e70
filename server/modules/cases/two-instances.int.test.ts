/**
 * Two server instances on one PostgreSQL database (issue 6, scale-out): concurrent submissions
 * through both get unique case numbers from one sequence; two clerks claiming the same cases through
 * different instances never both win; both job runners sweeping and working the same overdue
 * cases record each deadline breach exactly once; and both audit sealers together build one chain.
 * Needs PostgreSQL (TEST_DATABASE_URL): the embedded database serves one process only.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, type TestServer } from '../../../test/support.ts';
import { PDF_BYTES, registerCitizen, staffClient } from '../../../test/client.ts';
import { daysAgo, testClock } from '../../../test/clock.ts';
import { sweepDeadlines } from './jobs.ts';
import { sealAudit, verifyAudit } from '../audit/audit.ts';

const ADMIN_URL = process.env.TEST_DATABASE_URL;
const skip = ADMIN_URL ? false : 'needs PostgreSQL: set TEST_DATABASE_URL';

let a: TestServer;
let b: TestServer;
let dbName = '';
let filesDir = '';

async function admin(q: string): Promise<void> {
  const c = new pg.Client({ connectionString: ADMIN_URL });
  await c.connect();
  try {
    await c.query(q);
  } finally {
    await c.end();
  }
}

before(async () => {
  if (!ADMIN_URL) return;
  dbName = `yb_two_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  await admin(`create database ${dbName}`);
  const u = new URL(ADMIN_URL);
  u.pathname = `/${dbName}`;
  // Two instances of one deployment: one clock, one files directory.
  const clock = testClock();
  filesDir = mkdtempSync(path.join(tmpdir(), 'yb-two-files-'));
  a = await startServer({ databaseUrl: u.toString(), clock, config: { FILES_DIR: filesDir } });
  b = await startServer({ databaseUrl: u.toString(), clock, config: { FILES_DIR: filesDir } });
});
after(async () => {
  await a?.close();
  await b?.close();
  if (dbName) await admin(`drop database if exists ${dbName} with (force)`);
  if (filesDir) rmSync(filesDir, { recursive: true, force: true });
});

const N = 10;
let caseIds: number[] = [];

test('submissions through both instances at once get unique case numbers from one sequence (consecutive, as none failed)', { skip }, async () => {
  const citizens = await Promise.all(Array.from({ length: N }, (_, i) => registerCitizen(i % 2 ? b : a, { name: `并发${i}` })));
  const drafts = [];
  for (const c of citizens) {
    const d = await c.client.post('/api/cases', { agencyCode: 'daye', itemCode: 'DY-03', answers: {} });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    for (const m of d.body.form.materials.filter((x: { applies: string }) => x.applies === 'yes'))
      await c.client.upload(d.body.id, m.index, 'm.pdf', PDF_BYTES);
    drafts.push({ c, id: d.body.id as number });
  }
  const subs = await Promise.all(drafts.map(({ c, id }) => c.client.post(`/api/cases/${id}/submit`)));
  for (const s of subs) assert.equal(s.body.status, 'submitted', JSON.stringify(s.body));
  const nos = subs.map((s) => s.body.caseNo as string);
  assert.equal(new Set(nos).size, N, nos.join());
  const seqs = nos.map((n) => Number(n.split('-').at(-1))).sort((x, y) => x - y);
  assert.deepEqual(
    seqs,
    Array.from({ length: N }, (_, i) => i + 1),
  );
  caseIds = drafts.map((d) => d.id);
});

test('two clerks on two instances claim the same cases: exactly one wins each', { skip }, async () => {
  const one = (await staffClient(a, { agency: 'daye', roles: ['acceptor'] })).client;
  const two = (await staffClient(b, { agency: 'daye', roles: ['acceptor'] })).client;
  for (const id of caseIds) {
    const [x, y] = await Promise.all([
      one.post(`/api/staff/cases/${id}/claim`, { reason: '并发认领测试' }),
      two.post(`/api/staff/cases/${id}/claim`, { reason: '并发认领测试' }),
    ]);
    const wins = [x, y].filter((r) => r.status === 200);
    const lost = [x, y].filter((r) => r.status !== 200);
    assert.equal(wins.length, 1, JSON.stringify([x.body, y.body]));
    assert.equal(lost[0]!.body.error.code, 'CASE_CLAIMED');
  }
  const claims = await a.dbh.db.selectFrom('case_events').select('case_id').where('action', '=', 'claim').where('case_id', 'in', caseIds).execute();
  assert.equal(claims.length, N);
});

test('both job runners sweep and work the same overdue cases: each breach is recorded once', { skip }, async () => {
  const staff = (await staffClient(a, { agency: 'daye', roles: ['acceptor', 'agency_admin'] })).client;
  for (const id of caseIds) assert.equal((await staff.post(`/api/cases/${id}/actions/accept`, {})).body.status, 'accepted');
  // Their 20 working days ran out long ago.
  await a.dbh.db
    .updateTable('cases')
    .set({ due_date: daysAgo(30, a.clock), warn_date: daysAgo(33, a.clock) })
    .where('id', 'in', caseIds)
    .execute();
  for (let round = 0; round < 3; round++) {
    await Promise.all([sweepDeadlines(a.dbh.db, a.clockNow()), sweepDeadlines(b.dbh.db, b.clockNow())]);
    await Promise.all([a.runner.runOnce(), b.runner.runOnce(), a.runner.runOnce(), b.runner.runOnce()]);
  }
  const jobs = await a.dbh.db.selectFrom('jobs').select(['dedupe_key', 'status']).where('kind', '=', 'case.sla').execute();
  assert.equal(jobs.length, N, 'one breach job per case, however many sweeps ran');
  assert.ok(
    jobs.every((j) => j.status === 'done'),
    JSON.stringify(jobs),
  );
  const breaches = await a.dbh.db
    .selectFrom('case_clock_events')
    .select('case_id')
    .where('kind', '=', 'breach')
    .where('case_id', 'in', caseIds)
    .execute();
  assert.deepEqual(
    breaches.map((e) => Number(e.case_id)).sort((x, y) => x - y),
    [...caseIds].sort((x, y) => x - y),
  );
  // Every audited write above went in unsealed; both runners' sealers ran at once: one chain, nothing left.
  await Promise.all([sealAudit(a.dbh.db), sealAudit(b.dbh.db)]);
  const v = await verifyAudit(a.dbh.db);
  assert.equal(v.ok, true, JSON.stringify(v));
  assert.equal(v.pending, undefined);
  assert.ok(v.count > 3 * N, `${v.count} entries chained`);
});
