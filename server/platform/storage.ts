/**
 * Content-addressed file storage. Bytes are stored under the SHA-256 of their plaintext, so the same
 * file uploaded twice is stored once and a stored file can never change; on disk each file is sealed
 * (platform/crypto.ts: SM4-CTR + HMAC-SM3) and `get` checks both the tag and the plaintext's hash.
 * Files written before encryption (no header) are still read, and re-sealed when read (`reseal`
 * does it for all: `npm run storage -- seal`). A file's mtime is the last time it was put (a dedup
 * hit touches it, on the injected clock), which the collector (storage-gc.ts) reads as "in use".
 * Local disk now; an S3-compatible implementation of the same interface is the scale-out path.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { dataCipherOf, type DataCipher } from './crypto.ts';
import { systemClock, type Clock } from './clock.ts';

export interface StoredFile {
  sha: string;
  mtime: Date;
}

export interface Storage {
  put(bytes: Uint8Array): Promise<string>;
  get(sha256: string): Promise<Buffer | null>;
  /** Every stored file (and leftovers: `stray` are temp or half-collected files). */
  list(): AsyncGenerator<StoredFile | { stray: string; mtime: Date }>;
  /** Remove `sha` unless it was put at or after `cutoff` (checked after taking it away, so a put racing it wins). */
  removeIfStale(sha: string, cutoff: Date): Promise<boolean>;
  /** Remove a leftover temp file; a half-collected one goes back when its file is missing (the next run judges it again). */
  removeStray(name: string): Promise<void>;
  /** Seal a plaintext file, or one sealed under an older key, with the current key. True when rewritten. */
  reseal(sha: string): Promise<boolean>;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const SHA = /^[0-9a-f]{64}$/;

/** The storage of a configuration: FILES_DIR sealed with the configured data key. */
export function createStorage(config: { FILES_DIR: string; DATA_KEYS?: string; SECRETS_DIR: string }, clock: Clock = systemClock): Storage {
  return createLocalStorage(config.FILES_DIR, dataCipherOf(config).cipher, clock);
}

export function createLocalStorage(dir: string, cipher: DataCipher, clock: Clock = systemClock): Storage {
  const root = path.resolve(dir);
  const where = (sha: string) => path.join(root, sha.slice(0, 2), sha.slice(2, 4), sha);

  /** Write `sealed` as `file` atomically (readers never see a half-written file), with mtime `at`. */
  async function writeAtomic(file: string, sealed: Buffer, at: Date) {
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(tmp, sealed, { mode: 0o600 });
    await utimes(tmp, at, at);
    await rename(tmp, file);
  }

  async function readPlain(sha: string): Promise<{ plain: Buffer; raw: Buffer } | null> {
    let raw: Buffer;
    try {
      raw = await readFile(where(sha));
    } catch {
      return null;
    }
    const plain = cipher.isSealed(raw) ? await cipher.decryptAsync(raw) : raw;
    if (sha256Hex(plain) !== sha) throw new Error(`stored file ${sha} fails its integrity check`);
    return { plain, raw };
  }

  async function rewrite(sha: string, plain: Buffer) {
    const file = where(sha);
    const st = await stat(file);
    await writeAtomic(file, await cipher.encryptAsync(plain), st.mtime); // keeps its age for the collector
  }

  return {
    async put(bytes) {
      const sha = sha256Hex(bytes);
      const file = where(sha);
      const now = clock.now();
      try {
        await utimes(file, now, now); // stored already: mark it in use again
        return sha;
      } catch {
        // not stored (or being collected: then it is written again)
      }
      await writeAtomic(file, await cipher.encryptAsync(bytes), now);
      return sha;
    },
    async get(sha) {
      if (!SHA.test(sha)) return null;
      const r = await readPlain(sha);
      if (!r) return null;
      if (!cipher.isSealed(r.raw)) await rewrite(sha, r.plain).catch(() => undefined); // lazily sealed; best effort
      return r.plain;
    },
    async *list() {
      for (const a of await readdir(root).catch(() => [] as string[])) {
        if (!/^[0-9a-f]{2}$/.test(a)) continue;
        for (const b of await readdir(path.join(root, a)).catch(() => [] as string[])) {
          if (!/^[0-9a-f]{2}$/.test(b)) continue;
          for (const name of await readdir(path.join(root, a, b)).catch(() => [] as string[])) {
            const st = await stat(path.join(root, a, b, name)).catch(() => null);
            if (!st?.isFile()) continue;
            if (SHA.test(name)) yield { sha: name, mtime: st.mtime };
            else if (/^[0-9a-f]{64}\.[0-9a-f]+\.(tmp|gc)$/.test(name)) yield { stray: name, mtime: st.mtime };
          }
        }
      }
    },
    async removeIfStale(sha, cutoff) {
      if (!SHA.test(sha)) return false;
      const file = where(sha);
      const held = `${file}.${randomBytes(6).toString('hex')}.gc`;
      // Take it away first: a put from now on finds nothing to touch and writes it again; a put that
      // touched it before shows in the held file's mtime, and then it goes back.
      try {
        await rename(file, held);
      } catch {
        return false;
      }
      const st = await stat(held);
      if (st.mtime.getTime() >= cutoff.getTime()) {
        await rename(held, file); // same plaintext as any copy written meanwhile
        return false;
      }
      await unlink(held);
      return true;
    },
    async removeStray(name) {
      if (!/^[0-9a-f]{64}\.[0-9a-f]+\.(tmp|gc)$/.test(name)) return;
      const held = path.join(root, name.slice(0, 2), name.slice(2, 4), name);
      const file = where(name.slice(0, 64));
      if (name.endsWith('.gc') && !(await stat(file).catch(() => null))) await rename(held, file).catch(() => undefined);
      else await unlink(held).catch(() => undefined);
    },
    async reseal(sha) {
      const r = await readPlain(sha);
      if (!r || (cipher.isSealed(r.raw) && cipher.kidOf(r.raw) === cipher.currentKid)) return false;
      await rewrite(sha, r.plain);
      return true;
    },
  };
}
