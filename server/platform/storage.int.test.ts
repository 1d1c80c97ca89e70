/**
 * Bounded, encrypted storage (issue 17) over HTTP: files are sealed on disk, deleted uploads are
 * collected after the grace period while referenced and re-uploaded ones survive, every column that
 * may hold a file is known to the collector, and the per-case and per-account quotas hold under
 * parallel uploads at the edge.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { startServer, type TestServer } from '../../test/support.ts';
import { PDF_BYTES, PNG_BYTES, registerCitizen, uploadClerkLetter, type Client } from '../../test/client.ts';
import { usccCheckChar } from '../../common/ids.ts';
import { mutableClock, type MutableClock } from './clock.ts';
import { TEST_NOW } from '../../test/clock.ts';
import { FILE_REFERENCES, NOT_FILE_REFERENCES } from './storage-gc.ts';
import { createLocalStorage, sha256Hex } from './storage.ts';
import { createCipher, SEAL_MAGIC } from './crypto.ts';
import { UPLOAD_LIMITS } from '../../common/forms.ts';

const HOUR = 60 * 60_000;
const QUOTA = 3 * 1024 * 1024;
let s: TestServer;
let clock: MutableClock;

before(async () => {
  clock = mutableClock(TEST_NOW);
  s = await startServer({ clock, config: { UPLOAD_DAILY_BYTES: String(QUOTA) } });
});
after(async () => {
  await s.close();
});

const fileOf = (sha: string) => path.join(s.config.FILES_DIR, sha.slice(0, 2), sha.slice(2, 4), sha);
/** A distinct small PDF (content decides the type: it starts with %PDF-). */
const pdf = (size = 16 * 1024) => Buffer.concat([PDF_BYTES, Buffer.from(`%${randomBytes(8).toString('hex')}\n`), Buffer.alloc(size)]);

async function draft(c: Client): Promise<number> {
  const d = await c.post('/api/cases', { agencyCode: 'haicheng', itemCode: 'HC-24' });
  assert.equal(d.status, 201, JSON.stringify(d.body));
  return d.body.id as number;
}

async function upload(c: Client, caseId: number, bytes: Buffer, name = 'scan.pdf') {
  const r = await c.upload(caseId, 0, name, bytes);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return { id: r.body.id as number, sha: sha256Hex(bytes) };
}

test('every column that may hold a file is listed for the collector (a new one fails here until listed)', async () => {
  const cols = await sql<{ table_name: string; column_name: string }>`
    select table_name, column_name from information_schema.columns
    where table_schema = current_schema() and data_type in ('text', 'character', 'character varying')
      and (column_name like '%sha%' or column_name like '%file%')`.execute(s.dbh.db);
  const known = new Set([...FILE_REFERENCES, ...NOT_FILE_REFERENCES].map((r) => `${r.table}.${r.column}`));
  const found = new Set(cols.rows.map((r) => `${r.table_name}.${r.column_name}`));
  assert.deepEqual(
    [...found].filter((c) => !known.has(c)),
    [],
    'list these in FILE_REFERENCES (they hold a storage address) or NOT_FILE_REFERENCES (server/platform/storage-gc.ts)',
  );
  assert.deepEqual(
    [...known].filter((c) => !found.has(c)),
    [],
    'listed columns that do not exist',
  );
});

test('a stored file is sealed on disk (no PDF/PNG bytes) and comes back whole', async () => {
  const { client } = await registerCitizen(s);
  const id = await draft(client);
  const bytes = pdf();
  const a = await upload(client, id, bytes);
  const b = await upload(client, id, PNG_BYTES, 'photo.png');
  for (const [m, plain] of [
    [a, bytes],
    [b, PNG_BYTES],
  ] as const) {
    const raw = readFileSync(fileOf(m.sha));
    assert.ok(raw.subarray(0, 4).equals(SEAL_MAGIC), 'starts with the sealed header');
    assert.ok(!raw.includes(Buffer.from('%PDF')) && !raw.includes(PNG_BYTES.subarray(0, 8)), 'no plaintext magic on disk');
    const got = await client.get(`/api/cases/${id}/materials/${m.id}/file`);
    assert.equal(got.status, 200);
    assert.deepEqual(Buffer.from(got.body), plain);
  }
});

test('an older plaintext file is still read, checked against its address and sealed when read; a changed file is refused', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'yb-legacy-'));
  try {
    const oldKey = { kid: 'old', key: randomBytes(32) };
    const newKey = { kid: 'new', key: randomBytes(32) };
    const cipher = createCipher([oldKey]);
    const store = createLocalStorage(dir, cipher);
    const plain = pdf(1024);
    const sha = sha256Hex(plain);
    const file = path.join(dir, sha.slice(0, 2), sha.slice(2, 4), sha);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, plain); // as versions before encryption wrote it
    assert.deepEqual(await store.get(sha), plain);
    assert.ok(cipher.isSealed(readFileSync(file)), 'sealed on first read');
    assert.deepEqual(await store.get(sha), plain);
    // Rotation: a new current key re-seals (npm run storage -- seal), the old one still opens.
    await assert.rejects(createLocalStorage(dir, createCipher([newKey])).get(sha), /not configured/);
    const rotated = createLocalStorage(dir, createCipher([newKey, oldKey]));
    assert.deepEqual(await rotated.get(sha), plain);
    assert.equal(await rotated.reseal(sha), true);
    assert.equal(createCipher([newKey]).kidOf(readFileSync(file)), 'new');
    assert.equal(await rotated.reseal(sha), false, 'already under the current key');
    assert.deepEqual(await createLocalStorage(dir, createCipher([newKey])).get(sha), plain);
    const raw = readFileSync(file);
    raw[raw.length - 5]! ^= 1;
    writeFileSync(file, raw);
    await assert.rejects(rotated.get(sha), /authentication tag/);
    writeFileSync(file, Buffer.concat([plain, Buffer.from('x')])); // plaintext that is not what its address says
    await assert.rejects(store.get(sha), /integrity/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('account quota: uploads past the daily allowance answer QUOTA_EXCEEDED with limit and used', async () => {
  const { client } = await registerCitizen(s);
  const [c1, c2] = [await draft(client), await draft(client)];
  const mb = 1024 * 1024 - 300;
  await upload(client, c1, pdf(mb));
  await upload(client, c2, pdf(mb));
  await upload(client, c1, pdf(mb));
  const over = await client.upload(c2, 0, 'scan.pdf', pdf(mb));
  assert.equal(over.status, 429);
  assert.equal(over.body.error.code, 'QUOTA_EXCEEDED');
  assert.equal(over.body.error.details.limit, QUOTA);
  assert.ok(over.body.error.details.used > 3 * mb && over.body.error.details.used <= QUOTA);
  assert.equal((await client.get(`/api/cases/${c2}`)).body.materials.length, 1, 'the refused file is not attached');
  // A small file that still fits is taken.
  assert.equal((await client.upload(c2, 0, 'small.pdf', PDF_BYTES)).status, 201);
});

test("account quota: a unit registrant's 授权委托书 uploads count against the same daily allowance", async () => {
  const u17 = '91420281MA4RQTQ2D';
  const { client } = await registerCitizen(s, { kind: 'unit', uscc: u17 + usccCheckChar(u17), unitName: '大冶配额测试有限公司' });
  const mb = 1024 * 1024 - 300;
  for (let i = 0; i < 3; i++) assert.equal((await uploadClerkLetter(client, '授权委托书.pdf', pdf(mb))).status, 201);
  const over = await uploadClerkLetter(client, '授权委托书.pdf', pdf(mb));
  assert.equal(over.status, 429, JSON.stringify(over.body));
  assert.equal(over.body.error.code, 'QUOTA_EXCEEDED');
  assert.equal(over.body.error.details.limit, QUOTA);
});

test('account quota under concurrency: parallel uploads to different cases at the edge, only what fits passes', async () => {
  const { client } = await registerCitizen(s);
  const cases = [];
  for (let i = 0; i < 5; i++) cases.push(await draft(client));
  const size = Math.floor(QUOTA / 3) - 400; // three fit, not four
  const res = await Promise.all(cases.map((id) => client.upload(id, 0, 'scan.pdf', pdf(size))));
  assert.deepEqual(res.map((r) => r.status).sort(), [201, 201, 201, 429, 429], JSON.stringify(res.map((r) => r.body?.error?.code)));
});

test('case quota under concurrency: at the file-count edge of one case, one of three parallel uploads passes', async () => {
  const { client } = await registerCitizen(s);
  const id = await draft(client);
  for (let i = 0; i < UPLOAD_LIMITS.maxFilesPerCase - 1; i++) await upload(client, id, pdf(64));
  const res = await Promise.all([0, 1, 2].map(() => client.upload(id, 0, 'scan.pdf', pdf(64))));
  assert.deepEqual(res.map((r) => r.status).sort(), [201, 413, 413]);
  const refused = res.find((r) => r.status === 413)!;
  assert.equal(refused.body.error.code, 'CASE_FILES_LIMIT');
  assert.deepEqual(refused.body.error.details.limit, { files: UPLOAD_LIMITS.maxFilesPerCase, bytes: UPLOAD_LIMITS.maxCaseBytes });
  assert.equal((await client.get(`/api/cases/${id}`)).body.materials.length, UPLOAD_LIMITS.maxFilesPerCase);
});

test('40 uploads deleted again are collected after the grace period; referenced and re-uploaded files stay', async () => {
  clock.set(new Date(clock.now().getTime() + 25 * HOUR)); // a fresh quota day, and the files above are now old
  const { client } = await registerCitizen(s);
  const id = await draft(client);
  const kept = await upload(client, id, pdf());
  const deleted: string[] = [];
  for (let i = 0; i < 40; i++) {
    const m = await upload(client, id, pdf());
    assert.equal((await client.del(`/api/cases/${id}/materials/${m.id}`)).status, 200);
    deleted.push(m.sha);
  }
  const again = pdf();
  const reused = await upload(client, id, again);
  assert.equal((await client.del(`/api/cases/${id}/materials/${reused.id}`)).status, 200);
  assert.ok([...deleted, kept.sha, reused.sha].every((sha) => existsSync(fileOf(sha))));

  // Within the grace period nothing goes, though the task runs.
  clock.set(new Date(clock.now().getTime() + 23 * HOUR));
  await s.runner.runOnce();
  assert.ok(
    deleted.every((sha) => existsSync(fileOf(sha))),
    'within the grace period',
  );
  // Re-uploaded (a dedup hit) late in the grace period, and removed again: its age starts over.
  const other = await registerCitizen(s);
  const otherCase = await draft(other.client);
  const hit = await upload(other.client, otherCase, again);
  assert.equal((await other.client.del(`/api/cases/${otherCase}/materials/${hit.id}`)).status, 200);

  clock.set(new Date(clock.now().getTime() + 2 * HOUR)); // 25 h after the first uploads
  await s.runner.runOnce();
  assert.deepEqual(
    deleted.filter((sha) => existsSync(fileOf(sha))),
    [],
    'every deleted upload is gone from disk',
  );
  assert.ok(existsSync(fileOf(kept.sha)), 'an attached material stays');
  assert.ok(existsSync(fileOf(reused.sha)), 'a dedup hit 2 h ago keeps the file for another grace period');
  clock.set(new Date(clock.now().getTime() - 25 * HOUR)); // back, so the session is live for the download
  const got = await client.get(`/api/cases/${id}/materials/${kept.id}/file`);
  assert.equal(got.status, 200);
  // Files referenced by the earlier tests' cases stay although they are older than the grace period.
  const live = await s.dbh.db.selectFrom('case_materials').select('file_sha').where('removed_at', 'is', null).execute();
  assert.ok(live.length > 30 && live.every((m) => existsSync(fileOf(m.file_sha))));

  clock.set(new Date(clock.now().getTime() + 60 * HOUR));
  await s.runner.runOnce();
  assert.ok(!existsSync(fileOf(reused.sha)), 'collected once its own grace period is over');
});
