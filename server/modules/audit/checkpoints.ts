/**
 * Signed checkpoints of the chain's head, kept outside the database: one JSON line per checkpoint
 * appended to `<AUDIT_CHECKPOINT_DIR>/<database identity>.jsonl` (count, last seq and hash, time,
 * key id, HMAC-SM3 signature). Deleting the newest sealed rows, or rewriting the chain, then no
 * longer matches a checkpoint. Backups should include the directory.
 */
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from './canonical.ts';
import { mac, type Keyring } from './keys.ts';

export interface Checkpoint {
  v: 1;
  /** The database identity the checkpoint belongs to (also the file's name). */
  db: string;
  at: string;
  /** Sealed rows (= seq of the head: the chain is gap-free). */
  count: number;
  seq: number;
  hash: string;
  kid: string;
  sig: string;
}

/** A file-name-safe identity of the database: PostgreSQL host, port and name, or the PGlite directory. */
export function dbIdentity(o: { url?: string; pgliteDir: string; memory?: boolean }): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60);
  if (o.url) {
    const u = new URL(o.url);
    return `pg-${safe(u.hostname)}-${u.port || '5432'}-${safe(decodeURIComponent(u.pathname.slice(1)) || 'postgres')}`;
  }
  if (o.memory) return 'pglite-memory';
  const abs = path.resolve(o.pgliteDir);
  return `pglite-${safe(path.basename(abs))}-${createHash('sha256').update(abs).digest('hex').slice(0, 10)}`;
}

function signed(c: Omit<Checkpoint, 'sig'>): string {
  return canonicalJson(c);
}

export function appendCheckpoint(file: string, keys: Keyring, head: { db: string; at: Date; seq: number; hash: string }): Checkpoint {
  const body: Omit<Checkpoint, 'sig'> = {
    v: 1,
    db: head.db,
    at: head.at.toISOString(),
    count: head.seq,
    seq: head.seq,
    hash: head.hash,
    kid: keys.current.id,
  };
  const cp: Checkpoint = { ...body, sig: mac(keys.current, 'audit-checkpoint-v1', signed(body)) };
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(file, JSON.stringify(cp) + '\n', { mode: 0o600 });
  return cp;
}

export type CheckpointRead = { line: number; cp: Checkpoint } | { line: number; bad: 'malformed' | 'unknown_key' | 'bad_signature' | 'other_db' };

/** Every line of the checkpoint file, each either a checkpoint whose signature verified or why not. */
export function readCheckpoints(file: string, keys: Keyring, db: string): CheckpointRead[] {
  if (!existsSync(file)) return [];
  const out: CheckpointRead[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const line = i + 1;
      if (!text.trim()) return;
      let cp: Checkpoint;
      try {
        cp = JSON.parse(text) as Checkpoint;
      } catch {
        return out.push({ line, bad: 'malformed' });
      }
      if (cp?.v !== 1 || typeof cp.sig !== 'string' || !Number.isSafeInteger(cp.seq) || typeof cp.hash !== 'string')
        return out.push({ line, bad: 'malformed' });
      const key = keys.byId.get(cp.kid);
      if (!key) return out.push({ line, bad: 'unknown_key' });
      const { sig, ...body } = cp;
      if (mac(key, 'audit-checkpoint-v1', signed(body)) !== sig) return out.push({ line, bad: 'bad_signature' });
      if (cp.db !== db) return out.push({ line, bad: 'other_db' });
      out.push({ line, cp });
    });
  return out;
}
