import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createCipher, CryptoError, dataCipherOf, parseKeys, SEAL_MAGIC } from './crypto.ts';

const k1 = { kid: 'k1', key: randomBytes(32) };
const k2 = { kid: 'k2', key: randomBytes(32) };
const failure = (reason: string) => (e: unknown) => e instanceof CryptoError && e.reason === reason;

test('seal and open: round trip with a header naming the key; no plaintext in the blob', () => {
  const c = createCipher([k1]);
  const plain = Buffer.from('%PDF-1.4 公民身份号码 110101199003070011 '.repeat(20));
  const blob = c.encrypt(plain);
  assert.ok(blob.subarray(0, 4).equals(SEAL_MAGIC));
  assert.equal(c.kidOf(blob), 'k1');
  assert.ok(c.isSealed(blob));
  assert.ok(!blob.includes(Buffer.from('%PDF')) && !blob.includes(Buffer.from('110101199003070011')));
  assert.deepEqual(c.decrypt(blob), plain);
  assert.notDeepEqual(c.encrypt(plain), blob, 'a fresh nonce each time');
  assert.deepEqual(c.decrypt(c.encrypt(new Uint8Array(0))), Buffer.alloc(0));
});

test('a changed byte anywhere (header, body or tag), a truncated blob or plaintext is refused', () => {
  const c = createCipher([k1]);
  const blob = c.encrypt(Buffer.from('hello, world'));
  for (const i of [4, 7, 10, blob.length - 40, blob.length - 1]) {
    const t = Buffer.from(blob);
    t[i]! ^= 1;
    assert.throws(
      () => c.decrypt(t),
      (e: unknown) => e instanceof CryptoError,
      `byte ${i}`,
    );
  }
  const body = Buffer.from(blob);
  body[blob.length - 33]! ^= 0x80;
  assert.throws(() => c.decrypt(body), failure('tampered'));
  assert.throws(() => c.decrypt(blob.subarray(0, 20)), failure('format'));
  assert.throws(() => c.decrypt(Buffer.from('%PDF-1.4 plain')), failure('format'));
  assert.ok(!c.isSealed(Buffer.from('%PDF-1.4')));
});

test('an unknown key id or another key is refused', () => {
  const blob = createCipher([k1]).encrypt(Buffer.from('secret'));
  assert.throws(() => createCipher([k2]).decrypt(blob), failure('unknown_key'));
  const impostor = createCipher([{ kid: 'k1', key: randomBytes(32) }]);
  assert.throws(() => impostor.decrypt(blob), failure('tampered'));
});

test('rotation: a new current key seals new data, old keys still open old data', () => {
  const old = createCipher([k1]);
  const rotated = createCipher([k2, k1]);
  const before = old.encrypt(Buffer.from('old'));
  assert.equal(rotated.currentKid, 'k2');
  assert.deepEqual(rotated.decrypt(before), Buffer.from('old'));
  const after = rotated.encrypt(Buffer.from('new'));
  assert.equal(rotated.kidOf(after), 'k2');
  assert.throws(() => old.decrypt(after), failure('unknown_key'));
});

test('keyed hash: deterministic per key, differs between keys and from a plain hash; keyedHashes lists every key', () => {
  const c = createCipher([k1]);
  const h = c.keyedHash('110101199003070011');
  assert.match(h, /^[0-9a-f]{64}$/);
  assert.equal(h, createCipher([k1]).keyedHash('110101199003070011'));
  assert.notEqual(h, c.keyedHash('110101199003070012'));
  assert.notEqual(h, createCipher([k2]).keyedHash('110101199003070011'));
  const rotated = createCipher([k2, k1]);
  assert.deepEqual(rotated.keyedHashes('110101199003070011'), [createCipher([k2]).keyedHash('110101199003070011'), h]);
});

test('keys: parsed from "kid:base64,…"; bad keys stop the start', () => {
  const keys = parseKeys(`k2:${k2.key.toString('base64')}, k1:${k1.key.toString('base64')}`);
  assert.deepEqual(
    keys.map((k) => k.kid),
    ['k2', 'k1'],
  );
  assert.throws(() => createCipher(parseKeys('k1:c2hvcnQ=')), /32 bytes/);
  assert.throws(() => parseKeys('nokid'), /kid:base64/);
  assert.throws(() => createCipher([k1, { ...k1 }]), /twice/);
  assert.throws(() => createCipher([]), /at least one/);
});

test('no DATA_KEYS: a key file is made once in SECRETS_DIR (mode 0600) and reused', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'yb-secrets-'));
  try {
    const secrets = path.join(dir, 'secrets');
    const first = dataCipherOf({ SECRETS_DIR: secrets });
    const file = path.join(secrets, 'data.key');
    assert.equal(first.generated, file);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const again = dataCipherOf({ SECRETS_DIR: secrets });
    assert.equal(again.generated, null, 'reported once');
    const blob = first.cipher.encrypt(Buffer.from('x'));
    const text = readFileSync(file, 'utf8');
    assert.deepEqual(createCipher(parseKeys(text)).decrypt(blob), Buffer.from('x'), 'the file holds the key in use');
    const fromEnv = dataCipherOf({ SECRETS_DIR: secrets, DATA_KEYS: `e1:${k1.key.toString('base64')}` });
    assert.equal(fromEnv.cipher.currentKid, 'e1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the async forms (slices that yield to the event loop) read and write the same blobs', async () => {
  const c = createCipher([k1]);
  const big = randomBytes(1024 * 1024 + 123); // several slices and a partial one
  assert.deepEqual(c.decrypt(await c.encryptAsync(big)), big);
  assert.deepEqual(await c.decryptAsync(c.encrypt(big)), big);
  const t = await c.encryptAsync(big);
  t[600_000]! ^= 1;
  await assert.rejects(c.decryptAsync(t), failure('tampered'));
});
