/**
 * The audit trail: append-only, keyed and hash-chained, so an edited, forged, deleted or reordered
 * row is found by verifyAudit() (npm run audit:verify), even by someone with full database access
 * who does not hold the audit key (kept outside the database: AUDIT_KEYS / AUDIT_KEY_FILE, keys.ts).
 *
 * appendAudit() runs in the caller's transaction (the audited change and its entry commit
 * together) and takes no lock: it inserts an unsealed row with key_id and a row MAC, mac =
 * nonce.HMAC-SM3(key, nonce, canonical content) — canonical = keys sorted, `at` as ISO string, no
 * id or seq; the random nonce keeps two identical entries apart and a unique index refuses a
 * replayed copy. sealAudit() — the runner task `audit-seal`, every poll, one sealer at a time by a
 * transaction-scoped advisory lock — takes the committed unsealed rows in id order, refuses any
 * whose MAC does not verify with its key (inserted by plain SQL, or edited: it stays unsealed and is
 * a failure), and appends the others to the chain: seq = last seq + 1 (gap-free), hash =
 * HMAC-SM3(key, seq, prev_hash, mac). The first row's prev_hash is GENESIS; the chain's order is the
 * seal order. After sealing the task appends a signed checkpoint of the head (seq, hash, time) to a
 * file outside the database (checkpoints.ts) every AUDIT_CHECKPOINT_SECONDS when the head moved.
 * A trigger (migration 0030) refuses DELETE, TRUNCATE and any UPDATE but sealing an unsealed row.
 * Why not chain inside the request: one global lock held until every commit made all audited
 * writes queue behind each other (npm run bench, scenario 3; docs/SCALING.md).
 *
 * verifyAudit() only reads. Failures by name: edited_row (content no longer matches its MAC),
 * hash_mismatch (a chain hash not made with the key: a recomputed chain, or seq/prev_hash changed),
 * prev_mismatch and gap (a row deleted or moved), unknown_key, legacy_after_migration, forged_row (an
 * unsealed row whose MAC fails), replayed_row (two rows with one MAC), unsealed_stale (a row left
 * unsealed longer than AUDIT_SEAL_GRACE_SECONDS by the clock), truncated (the chain is shorter than,
 * or differs at, a checkpoint), bad_checkpoint (a checkpoint line whose signature fails).
 * Legacy: rows sealed before migration 0030 (public sha256 chain, key_id null, reported as
 * 'sha256-legacy') are accepted only with an id up to the one that migration recorded
 * (audit_legacy), as the chain's prefix; a keyed row after them vouches for them.
 * Limits: deleting rows sealed since the last checkpoint (≤ AUDIT_CHECKPOINT_SECONDS) or not yet
 * sealed is not detected; whoever holds the key (or the checkpoint files) can rewrite history.
 */
import type { AuditAction, AuditSubjectKind } from '../../../common/audit.ts';
import { createHash, randomUUID } from 'node:crypto';
import path from 'node:path';
import { sql, type Kysely, type Selectable } from 'kysely';
import { loadConfig, type Config } from '../../config.ts';
import type { AuditLogTable, DB } from '../../db/types.ts';
import type { Db } from '../../db/index.ts';
import { actorId, actorLabel, type Ctx } from '../../http/actor.ts';
import { systemClock, type Clock } from '../../platform/clock.ts';
import { canonicalJson } from './canonical.ts';
import { appendCheckpoint, dbIdentity, readCheckpoints, type Checkpoint } from './checkpoints.ts';
import { LEGACY_KEY_ID, loadKeyring, mac, type AuditKey, type Keyring } from './keys.ts';

export { canonicalJson };
export type AuditRow = Selectable<AuditLogTable>;

/** Arbitrary constant naming the audit append lock (pg_advisory_xact_lock key). */
export const AUDIT_LOCK_KEY = 7_301_420_001;
export const GENESIS = '0'.repeat(64);

/** What the audit trail needs from outside the database: keys, where checkpoints go, the clock. */
export interface AuditSetup {
  keys: Keyring;
  /** The database's checkpoint file, or null for none. */
  checkpointFile: string | null;
  /** The database identity written into each checkpoint. */
  dbId: string;
  /** How long a row may stay unsealed before verification fails it. */
  graceMs: number;
  /** At most one checkpoint per this long (when the head moved). */
  checkpointEveryMs: number;
  clock: Clock;
}

let current: AuditSetup | undefined;

/** Set the process's audit setup (boot does, before anything is audited; a second boot replaces it). */
export function configureAudit(setup: AuditSetup): void {
  current = setup;
}

/** The configured setup; a CLI that never booted gets one from the configuration (environment). */
export function auditSetup(): AuditSetup {
  if (!current) {
    const { setup, generated } = auditSetupFrom(loadConfig(), { clock: systemClock });
    if (generated) console.warn(generatedKeyWarning(generated));
    current = setup;
  }
  return current;
}

export function generatedKeyWarning(file: string): string {
  return `未配置审计密钥（AUDIT_KEYS）：已生成 ${file}（仅供开发；生产环境请配置密钥并妥善保管） / no audit key configured: generated ${file}`;
}

/** The setup from the configuration. `generated` is the key file's path when it was created now (warn once). */
export function auditSetupFrom(config: Config, o: { memory?: boolean; clock: Clock }): { setup: AuditSetup; generated?: string } {
  const { keyring, generated } = loadKeyring({ keys: config.AUDIT_KEYS, keyFile: config.AUDIT_KEY_FILE });
  const dbId = dbIdentity({ url: config.DATABASE_URL, pgliteDir: config.PGLITE_DIR, memory: o.memory });
  const dir = config.AUDIT_CHECKPOINT_DIR;
  return {
    setup: {
      keys: keyring,
      checkpointFile: dir && dir !== 'off' ? path.resolve(dir, `${dbId}.jsonl`) : null,
      dbId,
      graceMs: config.AUDIT_SEAL_GRACE_SECONDS * 1000,
      checkpointEveryMs: config.AUDIT_CHECKPOINT_SECONDS * 1000,
      clock: o.clock,
    },
    ...(generated ? { generated } : {}),
  };
}

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

type HashFields = Pick<
  AuditRow,
  'at' | 'actor_kind' | 'actor_id' | 'actor_label' | 'action' | 'subject_kind' | 'subject_id' | 'agency_code' | 'request_id' | 'ip' | 'data'
>;

/** The canonical JSON of an entry's content (what the row MAC and the legacy hash cover). */
function contentOf(r: HashFields): string {
  return canonicalJson({
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
}

/** The legacy (before migration 0030) chain hash: sha256 over the previous hash and the content, no key. */
export function entryHash(prevHash: string, r: HashFields): string {
  return createHash('sha256')
    .update(prevHash + contentOf(r))
    .digest('hex');
}

/** The row MAC: `nonce.HMAC(key, nonce, content)`. */
export function rowMac(key: AuditKey, r: HashFields, nonce = randomUUID().replaceAll('-', '')): string {
  return `${nonce}.${mac(key, 'audit-row-v1', nonce, contentOf(r))}`;
}
function rowMacOk(key: AuditKey, r: HashFields & { mac: string | null }): boolean {
  const dot = r.mac?.indexOf('.') ?? -1;
  return dot > 0 && rowMac(key, r, r.mac!.slice(0, dot)) === r.mac;
}
/** The chain hash of a keyed row. */
export function sealHash(key: AuditKey, prevHash: string, seq: number, rowMacValue: string): string {
  return mac(key, 'audit-seal-v1', seq, prevHash, rowMacValue);
}

/**
 * The columns of a row sealed at once (the bench data generator writes history already chained):
 * key_id, mac, seq, prev_hash, hash.
 */
export function sealedColumns(keys: Keyring, fields: HashFields, prevHash: string, seq: number, nonce?: string) {
  const m = rowMac(keys.current, fields, nonce);
  return { key_id: keys.current.id, mac: m, seq, prev_hash: prevHash, hash: sealHash(keys.current, prevHash, seq, m) };
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

/** Append one entry in the caller's transaction, unsealed, with its row MAC. Returns its id. */
export async function appendAudit(db: Db, entry: AuditEntry): Promise<number> {
  const fields = hashFields(entry);
  const { keys } = auditSetup();
  const row = await db
    .insertInto('audit_log')
    .values({
      ...fields,
      data: fields.data === null ? null : JSON.stringify(fields.data),
      key_id: keys.current.id,
      mac: rowMac(keys.current, fields),
    })
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

/** The last id of the rows that existed at migration 0030 (sealed, or left to seal, with the legacy sha256 chain). */
async function legacyLastId(db: Db): Promise<number> {
  const r = await db.selectFrom('audit_legacy').select('last_id').executeTakeFirst();
  return r ? Number(r.last_id) : 0;
}

const isLegacy = (r: { key_id: string | null; mac: string | null }) => r.key_id === null && r.mac === null;

/** Per database handle: unsealed rows this process's sealer refused, skipped from then on. */
const refusedBy = new WeakMap<object, Set<number>>();

/**
 * Chain the committed unsealed entries, oldest id first, `batch` at a time, until none are left.
 * A row whose MAC does not verify with its key is left unsealed (verification reports it).
 * Returns how many were sealed; 0 when another sealer holds the lock (it will seal them).
 */
export async function sealAudit(
  db: Kysely<DB>,
  opts: { batch?: number; setup?: AuditSetup; onRefused?: (id: number, reason: 'forged_row' | 'unknown_key') => void } = {},
): Promise<number> {
  const batch = opts.batch ?? 2000;
  const { keys } = opts.setup ?? auditSetup();
  let refused = refusedBy.get(db);
  if (!refused) refusedBy.set(db, (refused = new Set()));
  const skip = refused;
  let total = 0;
  for (;;) {
    const r = await db.transaction().execute(async (trx) => {
      const got = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${sql.lit(AUDIT_LOCK_KEY)}) as ok`.execute(trx);
      if (!got.rows[0]!.ok) return null;
      const last = await lastSealed(trx);
      let q = trx.selectFrom('audit_log').selectAll().where('seq', 'is', null);
      if (skip.size) q = q.where(sql<boolean>`id <> all(${sql.val([...skip])}::bigint[])`);
      const rows = await q.orderBy('id').limit(batch).execute();
      if (!rows.length) return { seen: 0, sealed: 0 };
      let seq = last ? Number(last.seq) : 0;
      let prev = last?.hash ?? GENESIS;
      let legacyLast: number | undefined;
      const ids: number[] = [];
      const seqs: number[] = [];
      const prevs: string[] = [];
      const hashes: string[] = [];
      for (const row of rows) {
        const id = Number(row.id);
        let hash: string;
        if (isLegacy(row)) {
          legacyLast ??= await legacyLastId(trx);
          if (id > legacyLast) {
            skip.add(id);
            opts.onRefused?.(id, 'forged_row');
            continue;
          }
          hash = entryHash(prev, row);
        } else {
          const key = row.key_id ? keys.byId.get(row.key_id) : undefined;
          if (!key || !rowMacOk(key, row)) {
            skip.add(id);
            opts.onRefused?.(id, key ? 'forged_row' : 'unknown_key');
            continue;
          }
          hash = sealHash(key, prev, seq + 1, row.mac!);
        }
        ids.push(id);
        seqs.push(++seq);
        prevs.push(prev);
        hashes.push(hash);
        prev = hash;
      }
      if (ids.length)
        await sql`update audit_log a set seq = v.seq, prev_hash = v.prev, hash = v.hash
          from (select unnest(${sql.val(ids)}::bigint[]) as id, unnest(${sql.val(seqs)}::bigint[]) as seq,
                       unnest(${sql.val(prevs)}::text[]) as prev, unnest(${sql.val(hashes)}::text[]) as hash) v
          where a.id = v.id`.execute(trx);
      return { seen: rows.length, sealed: ids.length };
    });
    if (!r) return total;
    total += r.sealed;
    if (r.seen < batch) return total;
  }
}

/** Append a signed checkpoint of the chain's head to the checkpoint file (when there is a head and a file). */
export async function writeCheckpoint(db: Db, setup: AuditSetup = auditSetup(), now: Date = setup.clock.now()): Promise<Checkpoint | null> {
  if (!setup.checkpointFile) return null;
  const head = await lastSealed(db);
  if (!head) return null;
  return appendCheckpoint(setup.checkpointFile, setup.keys, { db: setup.dbId, at: now, seq: Number(head.seq), hash: head.hash! });
}

/**
 * The runner task `audit-seal`: seal, then at most once per checkpoint interval (by the runner's
 * clock) a checkpoint when the head moved since this process's last one.
 */
export function auditSealTask(setup: AuditSetup, log?: { warn(o: object, m: string): void }) {
  let lastAt = -Infinity;
  let lastSeq = -1;
  return async ({ db, now }: { db: Kysely<DB>; now: Date }): Promise<number> => {
    const n = await sealAudit(db, {
      setup,
      onRefused: (id, reason) => log?.warn({ id, reason }, '审计记录未通过校验，拒绝入链 / audit row refused by the sealer'),
    });
    if (setup.checkpointFile && now.getTime() - lastAt >= setup.checkpointEveryMs) {
      lastAt = now.getTime();
      const head = await lastSealed(db);
      if (head && Number(head.seq) !== lastSeq) {
        await writeCheckpoint(db, setup, now);
        lastSeq = Number(head.seq);
      }
    }
    return n;
  };
}

export type AuditFailureReason =
  | 'edited_row'
  | 'hash_mismatch'
  | 'prev_mismatch'
  | 'gap'
  | 'unknown_key'
  | 'legacy_after_migration'
  | 'forged_row'
  | 'replayed_row'
  | 'unsealed_stale'
  | 'truncated'
  | 'bad_checkpoint';

export interface AuditFailure {
  reason: AuditFailureReason;
  /** The row concerned (absent for a checkpoint failure). */
  id?: number;
  /** Its chain position (null: unsealed), or the checkpoint's. */
  seq?: number | null;
  /** The checkpoint file's line. */
  line?: number;
  detail?: string;
}

export interface AuditVerdict {
  ok: boolean;
  /** Sealed entries checked. */
  count: number;
  /** Entries not sealed yet; present only when there are some. */
  pending?: number;
  /** Checkpoints whose signature verified and that were compared; present only when there are some. */
  checkpoints?: number;
  /** The first failure found in the sealed chain (in seq order). */
  firstBad?: AuditFailure;
  /** Every failure (the first 200), and how many of each kind. */
  failures?: AuditFailure[];
  counts?: Partial<Record<AuditFailureReason, number>>;
}

const MAX_LISTED = 200;

/**
 * Check the whole log; reads only (never seals). Walks the sealed chain in seq order, `batch` rows
 * at a time, then the unsealed rows, MAC duplicates and the checkpoints outside the database.
 */
export async function verifyAudit(db: Db, opts: { batch?: number; setup?: AuditSetup; now?: Date } = {}): Promise<AuditVerdict> {
  const batch = opts.batch ?? 5000;
  const setup = opts.setup ?? auditSetup();
  const { keys } = setup;
  const now = opts.now ?? setup.clock.now();
  const failures: AuditFailure[] = [];
  const counts: Partial<Record<AuditFailureReason, number>> = {};
  let firstBad: AuditFailure | undefined;
  const fail = (f: AuditFailure, chain = false) => {
    counts[f.reason] = (counts[f.reason] ?? 0) + 1;
    if (failures.length < MAX_LISTED) failures.push(f);
    if (chain && !firstBad) firstBad = f;
  };

  // The checkpoints, by the seq they vouch for.
  const bySeq = new Map<number, { line: number; cp: Checkpoint }[]>();
  let checkpoints = 0;
  if (setup.checkpointFile)
    for (const c of readCheckpoints(setup.checkpointFile, keys, setup.dbId)) {
      if ('bad' in c) fail({ reason: 'bad_checkpoint', line: c.line, detail: c.bad });
      else {
        checkpoints++;
        bySeq.set(c.cp.seq, [...(bySeq.get(c.cp.seq) ?? []), c]);
      }
    }

  const legacyLast = await legacyLastId(db);
  let count = 0;
  let prevSeq = 0;
  let prevHash = GENESIS;
  let keyedSeen = false;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', prevSeq).orderBy('seq').limit(batch).execute();
    for (const r of rows) {
      const seq = Number(r.seq);
      const at = { id: Number(r.id), seq };
      count++;
      if (isLegacy(r)) {
        if (keyedSeen || at.id > legacyLast) fail({ ...at, reason: 'legacy_after_migration' }, true);
        else if (entryHash(r.prev_hash ?? '', r) !== r.hash) fail({ ...at, reason: 'edited_row', detail: LEGACY_KEY_ID }, true);
      } else {
        keyedSeen = true;
        const key = r.key_id ? keys.byId.get(r.key_id) : undefined;
        if (!key) fail({ ...at, reason: 'unknown_key', detail: r.key_id ?? '' }, true);
        else if (!rowMacOk(key, r)) fail({ ...at, reason: 'edited_row' }, true);
        else if (sealHash(key, r.prev_hash ?? '', seq, r.mac!) !== r.hash) fail({ ...at, reason: 'hash_mismatch' }, true);
      }
      if (r.prev_hash !== prevHash) fail({ ...at, reason: 'prev_mismatch' }, true);
      if (seq !== prevSeq + 1) fail({ ...at, reason: 'gap', detail: `after seq ${prevSeq}` }, true);
      for (const c of bySeq.get(seq) ?? [])
        if (c.cp.hash !== r.hash) fail({ ...at, line: c.line, reason: 'truncated', detail: 'the row at the checkpoint differs' });
      bySeq.delete(seq);
      prevSeq = seq;
      prevHash = r.hash ?? '';
    }
    if (rows.length < batch) break;
  }
  for (const [seq, cs] of bySeq)
    for (const c of cs)
      fail({ seq, line: c.line, reason: 'truncated', detail: `checkpoint of ${c.cp.at} has seq ${seq}; the chain ends at ${prevSeq}` });

  // Rows not sealed: each must carry a valid MAC (or be a legacy row left to seal) and be younger than the grace.
  let pending = 0;
  let afterId = 0;
  const staleBefore = now.getTime() - setup.graceMs;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', 'is', null).where('id', '>', afterId).orderBy('id').limit(batch).execute();
    for (const r of rows) {
      const at = { id: Number(r.id), seq: null };
      pending++;
      if (isLegacy(r)) {
        if (at.id > legacyLast) fail({ ...at, reason: 'forged_row', detail: 'no MAC' });
      } else {
        const key = r.key_id ? keys.byId.get(r.key_id) : undefined;
        if (!key) fail({ ...at, reason: 'unknown_key', detail: r.key_id ?? '' });
        else if (!rowMacOk(key, r)) fail({ ...at, reason: 'forged_row' });
      }
      if (new Date(r.at).getTime() < staleBefore) fail({ ...at, reason: 'unsealed_stale', detail: new Date(r.at).toISOString() });
      afterId = at.id;
    }
    if (rows.length < batch) break;
  }

  // A genuine row copied: its MAC twice (the unique index refuses it unless dropped).
  const dups = await sql<{
    ids: string[];
  }>`select array_agg(id order by id)::text[] as ids from audit_log where mac is not null group by mac having count(*) > 1`.execute(db);
  for (const d of dups.rows) for (const id of d.ids.slice(1)) fail({ id: Number(id), reason: 'replayed_row', detail: `copy of id ${d.ids[0]}` });

  return {
    ok: failures.length === 0,
    count,
    ...(pending ? { pending } : {}),
    ...(checkpoints ? { checkpoints } : {}),
    ...(firstBad ? { firstBad } : {}),
    ...(failures.length ? { failures, counts } : {}),
  };
}
