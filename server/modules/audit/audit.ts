/**
 * The audit trail: append-only and hash-chained, so an edited, deleted or reordered row is found
 * by verifyAudit() (npm run audit:verify).
 *
 * appendAudit() runs in the caller's transaction (the audited change and its entry commit
 * together). It serialises appends with a transaction-scoped advisory lock, reads the last row,
 * and inserts id = last id + 1 (gap-free even when a transaction rolls back) with
 * hash = sha256(prev_hash + canonical JSON of the entry), canonical = keys sorted, `at` as ISO
 * string, no id. The first row's prev_hash is GENESIS.
 * Limits: removing the newest rows, or rewriting a row and every later hash, needs an external
 * anchor (e.g. publishing the latest hash) to be detected.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { AuditLogTable, DB } from '../../db/types.ts';

type Db = Kysely<DB> | Transaction<DB>;
export type AuditRow = Selectable<AuditLogTable>;

/** Arbitrary constant naming the audit append lock (pg_advisory_xact_lock key). */
export const AUDIT_LOCK_KEY = 7_301_420_001;
export const GENESIS = '0'.repeat(64);

export interface AuditEntry {
  actorKind: string;
  actorId?: string | null;
  actorLabel: string;
  action: string;
  subjectKind: string;
  subjectId: string;
  agencyCode?: string | null;
  requestId?: string | null;
  ip?: string | null;
  data?: unknown;
  /** Defaults to the current time. */
  at?: Date;
}

/** JSON with object keys sorted at every level (undefined members dropped, like JSON.stringify). */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v === undefined ? null : JSON.parse(JSON.stringify(v))));
}
function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, sortKeys(o[k])]),
    );
  }
  return v;
}

type HashFields = Pick<
  AuditRow,
  'at' | 'actor_kind' | 'actor_id' | 'actor_label' | 'action' | 'subject_kind' | 'subject_id' | 'agency_code' | 'request_id' | 'ip' | 'data'
>;

export function entryHash(prevHash: string, r: HashFields): string {
  const content = canonicalJson({
    at: new Date(r.at).toISOString(),
    actorKind: r.actor_kind,
    actorId: r.actor_id ?? null,
    actorLabel: r.actor_label,
    action: r.action,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    agencyCode: r.agency_code ?? null,
    requestId: r.request_id ?? null,
    ip: r.ip ?? null,
    data: r.data ?? null,
  });
  return createHash('sha256')
    .update(prevHash + content)
    .digest('hex');
}

/** Append one entry in the caller's transaction (opens one if given the plain db). Returns its id. */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<number> {
  if (!db.isTransaction) return (db as Kysely<DB>).transaction().execute((trx) => appendAudit(trx, entry));
  await sql`select pg_advisory_xact_lock(${sql.lit(AUDIT_LOCK_KEY)})`.execute(db);
  const last = await db.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
  const data = entry.data === undefined ? null : (JSON.parse(canonicalJson(entry.data)) as unknown);
  const fields: HashFields = {
    at: entry.at ?? new Date(),
    actor_kind: entry.actorKind,
    actor_id: entry.actorId ?? null,
    actor_label: entry.actorLabel,
    action: entry.action,
    subject_kind: entry.subjectKind,
    subject_id: entry.subjectId,
    agency_code: entry.agencyCode ?? null,
    request_id: entry.requestId ?? null,
    ip: entry.ip ?? null,
    data,
  };
  const prev = last?.hash ?? GENESIS;
  const id = (last ? Number(last.id) : 0) + 1;
  await db
    .insertInto('audit_log')
    .values({ ...fields, id, data: data === null ? null : JSON.stringify(data), prev_hash: prev, hash: entryHash(prev, fields) })
    .execute();
  return id;
}

export interface AuditVerdict {
  ok: boolean;
  count: number;
  firstBad?: { id: number; reason: 'hash_mismatch' | 'prev_mismatch' | 'gap' };
}

/** Walk the whole chain in id order, 5000 rows at a time. */
export async function verifyAudit(db: Db, opts: { batch?: number } = {}): Promise<AuditVerdict> {
  const batch = opts.batch ?? 5000;
  let count = 0;
  let prevId = 0;
  let prevHash = GENESIS;
  let firstBad: AuditVerdict['firstBad'];
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', prevId).orderBy('id').limit(batch).execute();
    for (const r of rows) {
      const id = Number(r.id);
      count++;
      if (!firstBad) {
        if (entryHash(r.prev_hash, r) !== r.hash) firstBad = { id, reason: 'hash_mismatch' };
        else if (r.prev_hash !== prevHash) firstBad = { id, reason: 'prev_mismatch' };
        else if (id !== prevId + 1) firstBad = { id, reason: 'gap' };
      }
      prevId = id;
      prevHash = r.hash;
    }
    if (rows.length < batch) break;
  }
  return firstBad ? { ok: false, count, firstBad } : { ok: true, count };
}
