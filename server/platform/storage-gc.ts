/**
 * Storage garbage collection: a stored file that no row references is removed once it has not been
 * put for the grace period (default 24 h, STORAGE_GC_GRACE_HOURS), so an upload whose row is still
 * being committed, or a dedup hit that re-used it (put touches the file), is never taken. Run by the
 * job runner every hour (boot.ts, task `storage-gc`) and by `npm run storage -- gc`.
 *
 * FILE_REFERENCES is the one list of columns that hold a storage address; every text column named
 * like *sha* or *file* must be in it or in NOT_FILE_REFERENCES (storage-gc.int.test.ts checks the
 * schema), so a new table that keeps files cannot be forgotten here.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types.ts';
import type { Storage } from './storage.ts';

export interface FileReference {
  table: string;
  column: string;
  /** Only rows matching this keep their file alive (SQL over the table's columns). */
  live?: string;
}

export const FILE_REFERENCES: readonly FileReference[] = [
  // A removed material is no longer part of its case: its file goes (the row keeps name and size).
  { table: 'case_materials', column: 'file_sha', live: 'removed_at is null' },
  { table: 'documents', column: 'file_sha' },
  { table: 'unit_clerk_requests', column: 'letter_sha' },
  { table: 'authorisations', column: 'file_sha' },
];

/** Columns that look like file columns but hold no storage address, and why. */
export const NOT_FILE_REFERENCES: readonly (FileReference & { why: string })[] = [
  { table: 'files', column: 'sha256', why: 'the metadata of a stored file (size, type), not a use of it' },
  { table: 'case_materials', column: 'file_name', why: 'the uploaded file name' },
  { table: 'roster_uploads', column: 'file_name', why: 'the uploaded file name' },
  { table: 'roster_uploads', column: 'file_sha', why: 'the hash of a roster that is parsed into rows and never stored' },
];

export interface GcReport {
  scanned: number;
  removed: number;
  kept: number;
}

const BATCH = 500;

async function referenced(db: Kysely<DB>, shas: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (const r of FILE_REFERENCES) {
    const live = r.live ? sql` and ${sql.raw(r.live)}` : sql``;
    const rows = await sql<{ sha: string }>`select distinct ${sql.ref(r.column)} as sha from ${sql.table(r.table)}
      where ${sql.ref(r.column)} in (${sql.join(shas)})${live}`.execute(db);
    for (const x of rows.rows) out.add(x.sha.trim());
  }
  return out;
}

/** Remove every stored file unreferenced and not put since `now - graceMs`; leftovers older than that too. */
export async function collectGarbage(db: Kysely<DB>, storage: Storage, opts: { now: Date; graceMs: number }): Promise<GcReport> {
  const cutoff = new Date(opts.now.getTime() - opts.graceMs);
  const report: GcReport = { scanned: 0, removed: 0, kept: 0 };
  let batch: string[] = [];
  const flush = async () => {
    if (!batch.length) return;
    const keep = await referenced(db, batch);
    for (const sha of batch) {
      if (keep.has(sha)) report.kept++;
      else if (await storage.removeIfStale(sha, cutoff)) report.removed++;
    }
    batch = [];
  };
  for await (const f of storage.list()) {
    if ('stray' in f) {
      if (f.mtime < cutoff) await storage.removeStray(f.stray);
      continue;
    }
    report.scanned++;
    if (f.mtime >= cutoff) continue; // put within the grace period
    batch.push(f.sha);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  return report;
}
