/**
 * The one crypto interface for data at rest: uploaded files (platform/storage.ts) and, later, ID
 * numbers (keyed hash for exact-match search + ciphertext).
 *
 * Algorithm: SM4-CTR + HMAC-SM3, encrypt-then-MAC (node:crypto on Node 24 offers sm4-ctr and sm3,
 * but no SM4 AEAD mode such as GCM/CCM). Each data key (32 bytes, named by a key id) is split by
 * HMAC-SM3 into an SM4 key, a MAC key and a keyed-hash key. A sealed blob is
 *
 *   magic "\0YBE" · version 1 · kid length · kid (ASCII) · 16-byte random nonce (CTR IV) · ciphertext · 32-byte tag
 *
 * with the tag = HMAC-SM3(mac key, everything before it), checked before anything is decrypted.
 * Keys: the first is current (new data), the rest only decrypt older data (rotation).
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const SEAL_MAGIC = Buffer.from([0x00, 0x59, 0x42, 0x45]); // "\0YBE": never the start of a PDF, JPG or PNG
const VERSION = 1;
const NONCE = 16;
const TAG = 32;
const KID = /^[A-Za-z0-9_-]{1,32}$/;
/** Bytes worked between yields to the event loop (~5 ms of SM4). */
const SLICE = 256 * 1024;

function run<T>(steps: Generator<void, T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

async function runAsync<T>(steps: Generator<void, T>): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

export type CryptoFailure = 'format' | 'unknown_key' | 'tampered';

export class CryptoError extends Error {
  readonly reason: CryptoFailure;
  constructor(reason: CryptoFailure, message: string) {
    super(message);
    this.name = 'CryptoError';
    this.reason = reason;
  }
}

export interface DataKey {
  kid: string;
  /** 32 random bytes. */
  key: Buffer;
}

export interface DataCipher {
  /** The key id new data is sealed with. */
  readonly currentKid: string;
  encrypt(plain: Uint8Array): Buffer;
  /** The plaintext of a sealed blob; CryptoError when it is not one, its key is unknown or it was changed. */
  decrypt(blob: Uint8Array): Buffer;
  /** encrypt/decrypt in slices that yield to the event loop (SM4 runs ~50 MB/s in software: a 10 MB file would block it). */
  encryptAsync(plain: Uint8Array): Promise<Buffer>;
  decryptAsync(blob: Uint8Array): Promise<Buffer>;
  /** Whether `blob` starts with the sealed-blob header (older plaintext files do not). */
  isSealed(blob: Uint8Array): boolean;
  /** The key id a sealed blob names, or null. */
  kidOf(blob: Uint8Array): string | null;
  /** HMAC-SM3 of `text` under the current key (hex): equal texts give equal hashes, for exact-match search. */
  keyedHash(text: string): string;
  /** The keyed hash under every key, current first: what to look for while old rows still carry an old key's hash. */
  keyedHashes(text: string): string[];
}

interface Derived {
  enc: Buffer;
  mac: Buffer;
  search: Buffer;
}

function derive(key: Buffer): Derived {
  const sub = (label: string) => createHmac('sm3', key).update(label).digest();
  return { enc: sub('yb/enc/sm4').subarray(0, 16), mac: sub('yb/mac/sm3'), search: sub('yb/keyed-hash/sm3') };
}

export function createCipher(keys: DataKey[]): DataCipher {
  if (keys.length === 0) throw new Error('createCipher: at least one data key is needed');
  const byKid = new Map<string, Derived>();
  for (const k of keys) {
    if (!KID.test(k.kid)) throw new Error(`data key id "${k.kid}" must be 1–32 letters, digits, _ or -`);
    if (k.key.length !== 32) throw new Error(`data key "${k.kid}" must be 32 bytes (base64 of 32 random bytes)`);
    if (byKid.has(k.kid)) throw new Error(`data key id "${k.kid}" is given twice`);
    byKid.set(k.kid, derive(k.key));
  }
  const current = keys[0]!.kid;
  const cur = byKid.get(current)!;

  const isSealed = (blob: Uint8Array) => blob.length >= SEAL_MAGIC.length && SEAL_MAGIC.every((b, i) => blob[i] === b);
  const headerOf = (blob: Uint8Array) => {
    if (!isSealed(blob)) return null;
    if (blob.length < 6) return null;
    const version = blob[4]!;
    const kidLen = blob[5]!;
    const start = 6 + kidLen + NONCE;
    if (blob.length < start + TAG) return null;
    return { version, kid: Buffer.from(blob.subarray(6, 6 + kidLen)).toString('latin1'), nonce: blob.subarray(6 + kidLen, start), start };
  };

  // Each step works one slice; the sync forms run them in a row, the async ones yield between them.
  function* sealSteps(plain: Uint8Array): Generator<void, Buffer> {
    const kid = Buffer.from(current, 'latin1');
    const nonce = randomBytes(NONCE);
    const head = Buffer.concat([SEAL_MAGIC, Buffer.from([VERSION, kid.length]), kid, nonce]);
    const c = createCipheriv('sm4-ctr', cur.enc, nonce);
    const mac = createHmac('sm3', cur.mac).update(head);
    const parts: Buffer[] = [head];
    for (let i = 0; i < plain.length; i += SLICE) {
      const part = c.update(plain.subarray(i, i + SLICE));
      mac.update(part);
      parts.push(part);
      yield;
    }
    const last = c.final();
    mac.update(last);
    parts.push(last, mac.digest());
    return Buffer.concat(parts);
  }

  function* openSteps(blob: Uint8Array): Generator<void, Buffer> {
    const h = headerOf(blob);
    if (!h) throw new CryptoError('format', 'not a sealed blob (header missing or truncated)');
    if (h.version !== VERSION) throw new CryptoError('format', `sealed blob version ${h.version} is not known`);
    const k = byKid.get(h.kid);
    if (!k) throw new CryptoError('unknown_key', `sealed with key "${h.kid}", which is not configured`);
    const macEnd = blob.length - TAG;
    const mac = createHmac('sm3', k.mac);
    for (let i = 0; i < macEnd; i += SLICE) {
      mac.update(blob.subarray(i, Math.min(i + SLICE, macEnd)));
      yield;
    }
    if (!timingSafeEqual(mac.digest(), blob.subarray(macEnd))) throw new CryptoError('tampered', 'sealed blob fails its authentication tag');
    const d = createDecipheriv('sm4-ctr', k.enc, h.nonce);
    const parts: Buffer[] = [];
    for (let i = h.start; i < macEnd; i += SLICE) {
      parts.push(d.update(blob.subarray(i, Math.min(i + SLICE, macEnd))));
      yield;
    }
    parts.push(d.final());
    return Buffer.concat(parts);
  }

  return {
    currentKid: current,
    isSealed,
    kidOf: (blob) => headerOf(blob)?.kid ?? null,
    encrypt: (plain) => run(sealSteps(plain)),
    decrypt: (blob) => run(openSteps(blob)),
    encryptAsync: (plain) => runAsync(sealSteps(plain)),
    decryptAsync: (blob) => runAsync(openSteps(blob)),
    keyedHash: (text) => createHmac('sm3', cur.search).update(text, 'utf8').digest('hex'),
    keyedHashes: (text) => [...byKid.values()].map((k) => createHmac('sm3', k.search).update(text, 'utf8').digest('hex')),
  };
}

/** "kid:base64,kid:base64" (commas or new lines; the first is current). */
export function parseKeys(text: string): DataKey[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'))
    .map((s) => {
      const i = s.indexOf(':');
      if (i < 1) throw new Error('data keys are written kid:base64 (e.g. k2026:…), separated by commas or lines');
      return { kid: s.slice(0, i), key: Buffer.from(s.slice(i + 1), 'base64') };
    });
}

export const DATA_KEY_FILE = 'data.key';

const loaded = new Map<string, { cipher: DataCipher; generated: string | null }>();

/**
 * The data cipher of a configuration: DATA_KEYS when set, else `SECRETS_DIR/data.key`, created on
 * first use (one fresh key, mode 0600, written atomically so parallel starts agree). `generated`
 * names the file on the call that created it (the caller warns: such a key must be backed up with
 * the files). Cached per source, so every part of one process shares one cipher.
 */
export function dataCipherOf(config: { DATA_KEYS?: string; SECRETS_DIR: string }): { cipher: DataCipher; generated: string | null } {
  const source = config.DATA_KEYS ? `env:${config.DATA_KEYS}` : `file:${path.resolve(config.SECRETS_DIR)}`;
  const hit = loaded.get(source);
  if (hit) return hit;
  let generated: string | null = null;
  let text: string;
  if (config.DATA_KEYS) text = config.DATA_KEYS;
  else {
    const dir = path.resolve(config.SECRETS_DIR);
    const file = path.join(dir, DATA_KEY_FILE);
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      const kid = `k${randomBytes(3).toString('hex')}`;
      writeFileSync(
        tmp,
        `# data key for files and personal data at rest (first line = current); back it up with FILES_DIR\n${kid}:${randomBytes(32).toString('base64')}\n`,
        { mode: 0o600 },
      );
      try {
        linkSync(tmp, file); // fails if another process made it first: then theirs is used
        generated = file;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      } finally {
        unlinkSync(tmp);
      }
    }
    text = readFileSync(file, 'utf8');
  }
  const cipher = createCipher(parseKeys(text));
  loaded.set(source, { cipher, generated: null }); // reported once per process
  return { cipher, generated };
}
