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
