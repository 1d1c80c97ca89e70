/** Case tables: plain Kysely functions, db (or trx) first. */
import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/index.ts';
import type { CasesTable } from '../../db/types-cases.ts';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';

export type CaseRow = Selectable<CasesTable>;

/**
 * A new case number: prefix, the submission day and a platform-wide serial from one PostgreSQL
 * sequence (migration 0019). nextval never waits for other transactions, so concurrent submissions
 * do not queue behind each other; numbers are unique and increasing, and a submission whose commit
 * fails leaves a gap.
 */
export async function nextCaseNo(db: Db, prefix: string, day: string): Promise<string> {
  const r = await sql<{ n: number }>`select nextval('case_no_seq') as n`.execute(db);
  return formatCaseNo(prefix, day, Number(r.rows[0]!.n));
}

export function formatCaseNo(prefix: string, day: string, serial: number): string {
  return `${prefix}-${day.replaceAll('-', '')}-${String(serial).padStart(6, '0')}`;
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

/**
 * Everything a case's page shows besides the case row, in one statement (it was seven round trips
 * per answer): active materials, events, clock events, documents, the assignee's name, the payment
 * and the entered bill. JSON aggregates: timestamps arrive as ISO strings, bigints as numbers.
 */
export async function caseParts(db: Db, c: { id: number; assignee_id: number | null }) {
  const r = await db
    .selectNoFrom((eb) => [
      jsonArrayFrom(
        eb
          .selectFrom('case_materials')
          .select(['id', 'material_index', 'material_name', 'file_name', 'mime', 'size', 'phase', 'uploaded_at'])
          .where('case_id', '=', c.id)
          .where('removed_at', 'is', null)
          .orderBy('id'),
      ).as('materials'),
      jsonArrayFrom(
        eb
          .selectFrom('case_events')
          .select(['id', 'at', 'action', 'from_status', 'to_status', 'actor_label', 'note'])
          .where('case_id', '=', c.id)
          .orderBy('id'),
      ).as('events'),
      jsonArrayFrom(eb.selectFrom('case_clock_events').select(['id', 'at', 'day', 'kind', 'due_date']).where('case_id', '=', c.id).orderBy('id')).as(
        'clock',
      ),
      jsonArrayFrom(
        eb.selectFrom('documents').select(['id', 'kind', 'title', 'doc_no', 'issued_on', 'verify_code']).where('case_id', '=', c.id).orderBy('id'),
      ).as('documents'),
      eb
        .selectFrom('users')
        .select('name')
        .where('id', '=', c.assignee_id ?? -1)
        .as('assignee_name'),
      jsonObjectFrom(eb.selectFrom('payments').select(['kind', 'amount_fen', 'trace']).where('case_id', '=', c.id).limit(1)).as('payment'),
      eb.selectFrom('case_bills').select('lines').where('case_id', '=', c.id).as('bill'),
    ])
    .executeTakeFirstOrThrow();
  return r;
}
