import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ttlCache } from './ttl-cache.ts';

test('ttlCache loads a key once, concurrent misses included, and forgets on request', async () => {
  const c = ttlCache<string>(60_000);
  let loads = 0;
  const load = async () => `v${++loads}`;
  const [a, b] = await Promise.all([c.get('k', load), c.get('k', load)]);
  assert.deepEqual([a, b, loads], ['v1', 'v1', 1]);
  assert.equal(await c.get('other', load), 'v2');
  c.forget('k');
  assert.equal(await c.get('k', load), 'v3');
  assert.equal(await c.get('other', load), 'v2', 'forgetting one key keeps the others');
  c.forget();
  assert.equal(await c.get('other', load), 'v4');
});

test('ttlCache drops a failed load and reloads an expired entry', async () => {
  const c = ttlCache<number>(60_000);
  await assert.rejects(
    c.get('k', () => Promise.reject(new Error('database gone'))),
    /database gone/,
  );
  assert.equal(await c.get('k', async () => 7), 7, 'the failure was not kept');
  const expired = ttlCache<number>(0);
  let n = 0;
  await expired.get('k', async () => ++n);
  assert.equal(await expired.get('k', async () => ++n), 2);
});

test('ttlCache with a stamp keeps the built value while the stamp is unchanged, and loads again when it changes', async () => {
  const c = ttlCache<string>(0); // every get finds its entry expired
  let stamp = '3/17';
  let stamps = 0;
  let loads = 0;
  const get = () =>
    c.get(
      'k',
      async () => `v${++loads}`,
      async () => {
        stamps++;
        return stamp;
      },
    );
  assert.equal(await get(), 'v1');
  assert.equal(await get(), 'v1', 'same stamp: not loaded again');
  assert.equal(await get(), 'v1');
  assert.deepEqual([loads, stamps], [1, 3]);
  stamp = '4/18'; // a version was added
  assert.equal(await get(), 'v2');
  assert.equal(await get(), 'v2');
  assert.equal(loads, 2);
  c.forget('k');
  assert.equal(await get(), 'v3', 'forget loads afresh whatever the stamp says');
});

test('ttlCache revalidates once for concurrent callers and drops a failed stamp read', async () => {
  const c = ttlCache<number>(30);
  let stamps = 0;
  let loads = 0;
  const load = async () => ++loads;
  const stamp = async () => {
    stamps++;
    return 's';
  };
  assert.equal(await c.get('k', load, stamp), 1);
  await new Promise((r) => setTimeout(r, 40));
  const both = await Promise.all([c.get('k', load, stamp), c.get('k', load, stamp)]);
  assert.deepEqual([both, loads, stamps], [[1, 1], 1, 2], 'one stamp read for both, no load');
  await new Promise((r) => setTimeout(r, 40));
  await assert.rejects(
    c.get('k', load, () => Promise.reject(new Error('database gone'))),
    /database gone/,
  );
  assert.equal(await c.get('k', load, stamp), 2, 'after a failed revalidation the next call loads afresh');
});
