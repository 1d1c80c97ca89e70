import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCipher } from './crypto.ts';
import { createLocalStorage, sha256Hex } from './storage.ts';
import { mutableClock } from './clock.ts';

const HOUR = 60 * 60_000;

function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'yb-storage-'));
  const clock = mutableClock('2026-11-16T02:00:00Z');
  const store = createLocalStorage(dir, createCipher([{ kid: 'k1', key: randomBytes(32) }]), clock);
  const fileOf = (sha: string) => path.join(dir, sha.slice(0, 2), sha.slice(2, 4), sha);
  return { dir, clock, store, fileOf, done: () => rmSync(dir, { recursive: true, force: true }) };
}

test('put stamps the file with the clock; a dedup put touches it again', async () => {
  const { clock, store, fileOf, done } = setup();
  try {
    const bytes = randomBytes(1000);
    const sha = await store.put(bytes);
    assert.equal(sha, sha256Hex(bytes));
    assert.equal(statSync(fileOf(sha)).mtime.getTime(), clock.now().getTime());
    clock.advance(5 * HOUR);
    assert.equal(await store.put(bytes), sha);
    assert.equal(statSync(fileOf(sha)).mtime.getTime(), clock.now().getTime());
    assert.deepEqual(await store.get(sha), bytes);
    assert.equal(await store.get('0'.repeat(64)), null);
    assert.equal(await store.get('../../etc/passwd'), null);
  } finally {
    done();
  }
});

test('removeIfStale: a file put after the cutoff stays; an old one goes; a put after it was taken writes it again', async () => {
  const { clock, store, fileOf, done } = setup();
  try {
    const bytes = randomBytes(100);
    const sha = await store.put(bytes);
    const cutoff = new Date(clock.now().getTime() + HOUR);
    clock.advance(2 * HOUR);
    await store.put(bytes); // a dedup hit after the collector chose it: touched, so it is put back
    assert.equal(await store.removeIfStale(sha, cutoff), false);
    assert.ok(existsSync(fileOf(sha)));
    assert.equal(await store.removeIfStale(sha, new Date(clock.now().getTime() + 1)), true);
    assert.ok(!existsSync(fileOf(sha)));
    assert.equal(await store.removeIfStale(sha, new Date(clock.now().getTime() + 1)), false, 'already gone');
    assert.equal(await store.put(bytes), sha);
    assert.deepEqual(await store.get(sha), bytes);
    assert.deepEqual(readdirSync(path.dirname(fileOf(sha))), [sha], 'no leftovers');
  } finally {
    done();
  }
});

test('list yields stored files with their mtime; a half-collected leftover goes back when its file is missing', async () => {
  const { store, fileOf, done } = setup();
  try {
    const a = await store.put(randomBytes(10));
    const b = await store.put(randomBytes(10));
    const held = `${fileOf(b)}.abcdef.gc`;
    renameSync(fileOf(b), held); // as if the collector had crashed between taking and deciding
    const seen = [];
    for await (const f of store.list()) seen.push('stray' in f ? f.stray : f.sha);
    assert.deepEqual(seen.sort(), [a, `${b}.abcdef.gc`].sort());
    await store.removeStray(`${b}.abcdef.gc`);
    assert.ok(existsSync(fileOf(b)) && !existsSync(held));
  } finally {
    done();
  }
});
