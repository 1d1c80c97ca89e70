/** Case tables: plain Kysely functions, db (or trx) first. */
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { CasesTable } from '../../db/types-cases.ts';

export type Db = Kysely<DB> | Transaction<DB>;
export type CaseRow = Selectable<CasesTable>;

/** Next case number for a prefix and day: one atomic upsert, so instances never collide. */
export async function nextCaseNo(db: Db, prefix: string, day: string): Promise<string> {
  const r = await db
    .insertInto('case_sequences')
    .values({ prefix, day, last: 1 })
    .onConflict((oc) => oc.columns(['prefix', 'day']).doUpdateSet({ last: sql`case_sequences.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return `${prefix}-${day.replaceAll('-', '')}-${String(r.last).padStart(6, '0')}`;
}

export function caseById(db: Db, id: number) {
  return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

export function caseByIdForUpdate(db: Db, id: number) {
  return db.selectFrom('cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function activeMaterials(db: Db, caseId: number) {
  return db.selectFrom('case_materials').selectAll().where('case_id', '=', caseId).where('removed_at', 'is', null).orderBy('id').execute();
}

export async function insertEvent(
  db: Db,
  e: {
    caseId: number;
    at: Date;
    action: string;
    from: string | null;
    to: string | null;
    actorId: number | null;
    actorLabel: string;
    note?: string | null;
    data?: unknown;
  },
): Promise<void> {
  await db
    .insertInto('case_events')
    .values({
      case_id: e.caseId,
      at: e.at,
      action: e.action,
      from_status: e.from,
      to_status: e.to,
      actor_id: e.actorId,
      actor_label: e.actorLabel,
      note: e.note ?? null,
      data: e.data === undefined ? null : JSON.stringify(e.data),
    })
    .execute();
}

export async function insertClockEvent(
  db: Db,
  e: { caseId: number; at: Date; day: string; kind: string; due: string | null; data?: unknown },
): Promise<void> {
  await db
    .insertInto('case_clock_events')
    .values({ case_id: e.caseId, at: e.at, day: e.day, kind: e.kind, due_date: e.due, data: e.data === undefined ? null : JSON.stringify(e.data) })
    .execute();
}

export function events(db: Db, caseId: number) {
  return db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}
export function clockEvents(db: Db, caseId: number) {
  return db.selectFrom('case_clock_events').selectAll().where('case_id', '=', caseId).orderBy('id').execute();
}
export function documents(db: Db, caseId: number) {
  return db
    .selectFrom('documents')
    .select(['id', 'kind', 'title', 'doc_no', 'issued_on', 'verify_code'])
    .where('case_id', '=', caseId)
    .orderBy('id')
    .execute();
}
