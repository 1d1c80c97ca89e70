/**
 * The audit keys: HMAC-SM3 keys kept outside the database, each with an id that sealed rows record.
 * Written as `kid:base64key` items (comma- or newline-separated), the first being the current key:
 * rotation adds a new key in front and keeps the old ones, so rows and checkpoints made with them
 * still verify. From AUDIT_KEYS, else the file AUDIT_KEY_FILE; when neither holds a key (dev, a first
 * `npm start`) a key is generated into that file (mode 0600) and the caller is told, to warn once.
 */
import { createHash, getHashes, randomBytes, type Hash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/** node:crypto's name of the MAC's hash; SM3 (GB/T 32905) is offered by Node 24's OpenSSL. */
export const MAC_HASH = 'sm3';
/** The key id of rows sealed before migration 0030 with the public sha256 chain (stored as key_id null). */
export const LEGACY_KEY_ID = 'sha256-legacy';

export interface AuditKey {
  id: string;
  key: Buffer;
}
export interface Keyring {
  /** The key new rows and checkpoints are made with. */
  current: AuditKey;
  byId: ReadonlyMap<string, AuditKey>;
}

const KID = /^[A-Za-z0-9._-]{1,40}$/;

/** Parse `kid:base64key` items; throws with a clear message on a malformed or short key. */
export function parseKeys(text: string, source: string): Keyring {
  const items = text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('#'));
  const keys: AuditKey[] = [];
  for (const item of items) {
    const i = item.indexOf(':');
    const id = i > 0 ? item.slice(0, i) : '';
    if (!KID.test(id) || id === LEGACY_KEY_ID) throw new Error(`${source}: 审计密钥应写作 kid:base64密钥（kid 为字母、数字、._-）`);
    const key = Buffer.from(item.slice(i + 1), 'base64');
    if (key.length < 16) throw new Error(`${source}: 审计密钥 ${id} 太短（至少 16 字节，建议 32 字节）`);
    if (keys.some((k) => k.id === id)) throw new Error(`${source}: 审计密钥 ${id} 重复`);
    keys.push({ id, key });
  }
  if (!keys.length) throw new Error(`${source}: 没有审计密钥`);
  return { current: keys[0]!, byId: new Map(keys.map((k) => [k.id, k])) };
}

/**
 * The keyring from AUDIT_KEYS or the key file, generating the file when there is no key at all.
 * `generated` is the file's path when this call created it.
 */
export function loadKeyring(opts: { keys?: string; keyFile: string }): { keyring: Keyring; generated?: string } {
  if (!getHashes().includes(MAC_HASH)) throw new Error(`this runtime's node:crypto has no ${MAC_HASH}: the audit seal needs it (Node 24)`);
  if (opts.keys) return { keyring: parseKeys(opts.keys, 'AUDIT_KEYS') };
  const file = path.resolve(opts.keyFile);
  if (existsSync(file)) return { keyring: parseKeys(readFileSync(file, 'utf8'), file) };
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const line = `local-${randomBytes(4).toString('hex')}:${randomBytes(32).toString('base64')}\n`;
  try {
    const fd = openSync(file, 'wx', 0o600);
    writeSync(fd, line);
    closeSync(fd);
  } catch (e) {
    // Another process created it first: use theirs.
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return { keyring: parseKeys(readFileSync(file, 'utf8'), file) };
  }
  return { keyring: parseKeys(line, file), generated: file };
}

/** Per key: the HMAC's inner and outer hashes with the padded key already absorbed (RFC 2104). */
const pads = new WeakMap<AuditKey, { inner: Hash; outer: Hash }>();
const BLOCK = 64; // SM3's block size in bytes

/**
 * HMAC-SM3 of the parts joined by newlines, hex. Equal to createHmac('sm3', key) (a unit test checks)
 * but copies the key's prepared hash states instead of setting up an HMAC per call, which took
 * about three times as long per audited write.
 */
export function mac(key: AuditKey, ...parts: (string | number)[]): string {
  let p = pads.get(key);
  if (!p) {
    const k = Buffer.alloc(BLOCK);
    (key.key.length > BLOCK ? createHash(MAC_HASH).update(key.key).digest() : key.key).copy(k);
    p = { inner: createHash(MAC_HASH).update(k.map((b) => b ^ 0x36)), outer: createHash(MAC_HASH).update(k.map((b) => b ^ 0x5c)) };
    pads.set(key, p);
  }
  return p.outer
    .copy()
    .update(p.inner.copy().update(parts.join('\n')).digest())
    .digest('hex');
}
