/**
 * The audit trail: append-only and hash-chained, so an edited, deleted or reordered row is found
 * by verifyAudit() (npm run audit:verify).
 *
 * appendAudit() runs in the caller's transaction (the audited change and its entry commit
 * together) and takes no lock: it inserts an unsealed row. sealAudit() — the runner task
 * `audit-seal`, every poll, one sealer at a time by a transaction-scoped advisory lock — takes the
 * committed unsealed rows in id order and appends them to the chain: seq = last seq + 1 (gap-free),
 * hash = sha256(prev_hash + canonical JSON of the entry), canonical = keys sorted, `at` as ISO
 * string, no id or seq. The first row's prev_hash is GENESIS. The chain's order is the seal order.
 * Why not chain inside the request: one global lock held until every commit made all audited
 * writes queue behind each other (npm run bench, scenario 3; docs/SCALING.md).
 * Limits: a row can be altered in the seconds before it is sealed; removing the newest rows, or
 * rewriting a row and every later hash, needs an external anchor (e.g. publishing the latest hash)
 * to be detected.
 */
import type { AuditAction, AuditSubjectKind } from '../../../common/audit.ts';
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { AuditLogTable, DB } from '../../db/types.ts';
import type { Db } from '../../db/index.ts';
import { actorId, actorLabel, type Ctx } from '../../http/actor.ts';

export type AuditRow = Selectable<AuditLogTable>;

/** Arbitrary constant naming the audit append lock (pg_advisory_xact_lock key). */
export const AUDIT_LOCK_KEY = 7_301_420_001;
export const GENESIS = '0'.repeat(64);

export interface AuditEntry {
  actorKind: string;
  actorId?: string | null;
  actorLabel: string;
  action: AuditAction;
  subjectKind: AuditSubjectKind;
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

function hashFields(entry: AuditEntry): HashFields {
  return {
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
    data: entry.data === undefined ? null : (JSON.parse(canonicalJson(entry.data)) as unknown),
  };
}

/** Append one entry in the caller's transaction, unsealed. Returns its id. */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<number> {
  const fields = hashFields(entry);
  const row = await db
    .insertInto('audit_log')
    .values({ ...fields, data: fields.data === null ? null : JSON.stringify(fields.data) })
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** What an audited action was done to: a kind from the closed list, its id, and the agency it belongs to. */
export interface AuditSubject {
  kind: AuditSubjectKind;
  id: string | number;
  agency: string | null;
}

/**
 * Record an action of the context's actor (a staff member, a citizen, the system) on a subject, in
 * the context's transaction, at the business clock's time, with the request it came from.
 */
export async function audit(ctx: Ctx, action: AuditAction, subject: AuditSubject, data?: unknown): Promise<number> {
  const a = ctx.actor;
  const id = actorId(a);
  return appendAudit(ctx.db, {
    actorKind: a.kind === 'user' ? (a.userKind === 'staff' ? 'staff' : 'user') : a.kind,
    actorId: id === null ? null : String(id),
    actorLabel: actorLabel(a),
    action,
    subjectKind: subject.kind,
    subjectId: String(subject.id),
    agencyCode: subject.agency,
    requestId: ctx.requestId,
    ip: ctx.ip,
    data,
    at: ctx.now,
  });
}

/** The chain's newest entry (its position and hash), or undefined for an empty chain. */
export function lastSealed(db: Db) {
  return db.selectFrom('audit_log').select(['seq', 'hash']).where('seq', 'is not', null).orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

/**
 * Chain the committed unsealed entries, oldest id first, `batch` at a time, until none are left.
 * Returns how many were sealed; 0 when another sealer holds the lock (it will seal them).
 */
export async function sealAudit(db: Kysely<DB>, opts: { batch?: number } = {}): Promise<number> {
  const batch = opts.batch ?? 2000;
  let total = 0;
  for (;;) {
    const n = await db.transaction().execute(async (trx) => {
      const got = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${sql.lit(AUDIT_LOCK_KEY)}) as ok`.execute(trx);
      if (!got.rows[0]!.ok) return -1;
      const last = await lastSealed(trx);
      const rows = await trx.selectFrom('audit_log').selectAll().where('seq', 'is', null).orderBy('id').limit(batch).execute();
      if (!rows.length) return 0;
      let seq = last ? Number(last.seq) : 0;
      let prev = last?.hash ?? GENESIS;
      const ids: number[] = [];
      const seqs: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const r of rows) {
        const hash = entryHash(prev, r);
        ids.push(Number(r.id));
        seqs.push(++seq);
        prevs.push(prev);
        hashes.push(hash);
        prev = hash;
      }
      await sql`update audit_log a set seq = v.seq, prev_hash = v.prev, hash = v.hash
        from (select unnest(${sql.val(ids)}::bigint[]) as id, unnest(${sql.val(seqs)}::bigint[]) as seq,
                     unnest(${sql.val(prevs)}::text[]) as prev, unnest(${sql.val(hashes)}::text[]) as hash) v
        where a.id = v.id`.execute(trx);
      return rows.length;
    });
    if (n < 0) return total;
    total += n;
    if (n < batch) return total;
  }
}

export interface AuditVerdict {
  ok: boolean;
  /** Sealed entries checked. */
  count: number;
  /** Entries not sealed yet (not part of the check); present only when there are some. */
  pending?: number;
  firstBad?: { id: number; seq: number; reason: 'hash_mismatch' | 'prev_mismatch' | 'gap' };
}

/** Walk the sealed chain in seq order, 5000 rows at a time. */
export async function verifyAudit(db: Db, opts: { batch?: number } = {}): Promise<AuditVerdict> {
  const batch = opts.batch ?? 5000;
  let count = 0;
  let prevSeq = 0;
  let prevHash = GENESIS;
  let firstBad: AuditVerdict['firstBad'];
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', prevSeq).orderBy('seq').limit(batch).execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      const at = { id: Number(r.id), seq };
      count++;
      if (!firstBad) {
        if (entryHash(r.prev_hash ?? '', r) !== r.hash) firstBad = { ...at, reason: 'hash_mismatch' };
        else if (r.prev_hash !== prevHash) firstBad = { ...at, reason: 'prev_mismatch' };
        else if (seq !== prevSeq + 1) firstBad = { ...at, reason: 'gap' };
      }
      prevSeq = seq;
      prevHash = r.hash ?? '';
    }
    if (rows.length < batch) break;
  }
  const pending = Number(
    (
      await db
        .selectFrom('audit_log')
        .select(sql<number>`count(*)`.as('n'))
        .where('seq', 'is', null)
        .executeTakeFirstOrThrow()
    ).n,
  );
  return { ok: !firstBad, count, ...(pending ? { pending } : {}), ...(firstBad ? { firstBad } : {}) };
}
