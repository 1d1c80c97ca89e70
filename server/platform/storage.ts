/**
 * Content-addressed file storage. Bytes are stored under their SHA-256, so the same file uploaded
 * twice is stored once and a stored file can never change. Local disk now; an S3-compatible
 * implementation of the same interface is the scale-out path.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface Storage {
  put(bytes: Uint8Array): Promise<string>;
  get(sha256: string): Promise<Buffer | null>;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function createLocalStorage(dir: string): Storage {
  const root = path.resolve(dir);
  const where = (sha: string) => path.join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
  return {
    async put(bytes) {
      const sha = sha256Hex(bytes);
      const file = where(sha);
      try {
        await stat(file);
        return sha;
      } catch {
        // not stored yet
      }
      await mkdir(path.dirname(file), { recursive: true });
      const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
      await writeFile(tmp, bytes);
      await rename(tmp, file); // atomic: readers never see a half-written file
      return sha;
    },
    async get(sha) {
      if (!/^[0-9a-f]{64}$/.test(sha)) return null;
      try {
        return await readFile(where(sha));
      } catch {
        return null;
      }
    },
  };
}
