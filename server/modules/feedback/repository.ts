/** 好差评 / 整改 / 申诉 / 投诉 tables: plain Kysely functions, db (or trx) first. */
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';
import { DEFAULT_COMPLAINT_DAYS, DEFAULT_RECTIFY_DAYS } from '../../../common/feedback.ts';

export interface AgencySettings {
  rectifyDays: number;
  complaintDays: number;
  isDefault: boolean;
  updatedAt: Date | null;
}

/** The agency's deadlines, or the platform defaults when it has not set its own. */
export async function settingsFor(db: Db, agency: string): Promise<AgencySettings> {
  const r = await db.selectFrom('feedback_settings').selectAll().where('agency_code', '=', agency).executeTakeFirst();
  if (!r) return { rectifyDays: DEFAULT_RECTIFY_DAYS, complaintDays: DEFAULT_COMPLAINT_DAYS, isDefault: true, updatedAt: null };
  return { rectifyDays: r.rectify_days, complaintDays: r.complaint_days, isDefault: false, updatedAt: r.updated_at };
}

export async function regionOf(db: Db, agency: string): Promise<string | null> {
  const a = await db.selectFrom('agencies').select('region_code').where('code', '=', agency).executeTakeFirst();
  return a?.region_code ?? null;
}

/** Who works the agency's 整改 and 投诉: its supervisors, else its agency admins. */
export async function supervisorsOf(db: Db, agency: string): Promise<{ id: number; name: string; mobile: string | null }[]> {
  const q = (role: string) =>
    db
      .selectFrom('users')
      .select(['id', 'name', 'mobile'])
      .where('kind', '=', 'staff')
      .where('agency_code', '=', agency)
      .where('disabled', '=', false)
      .where(sql<boolean>`${role} = any(roles)`)
      .orderBy('id')
      .execute();
  const sup = await q('supervisor');
  return (sup.length ? sup : await q('agency_admin')).map((u) => ({ id: Number(u.id), name: u.name, mobile: u.mobile }));
}

/** The staff member who completed a case: the actor of its last 办结 transition, else its assignee. */
export async function caseHandler(db: Db, c: { id: number; assignee_id: number | null }): Promise<number | null> {
  const ev = await db
    .selectFrom('case_events')
    .innerJoin('users', 'users.id', 'case_events.actor_id')
    .select('case_events.actor_id')
    .where('case_events.case_id', '=', c.id)
    .where('case_events.to_status', 'in', ['approved', 'denied'])
    .whereRef('case_events.from_status', '!=', 'case_events.to_status')
    .where('users.kind', '=', 'staff')
    .orderBy('case_events.id', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (ev?.actor_id) return Number(ev.actor_id);
  return c.assignee_id === null ? null : Number(c.assignee_id);
}

export function ratingOfCase(db: Db, caseId: number) {
  return db.selectFrom('ratings').selectAll().where('subject_kind', '=', 'case').where('case_id', '=', caseId).executeTakeFirst();
}

export function ratingOfVisit(db: Db, appointmentId: number) {
  return db.selectFrom('ratings').selectAll().where('subject_kind', '=', 'visit').where('appointment_id', '=', appointmentId).executeTakeFirst();
}

/** Rectifications with their rating, office, handler and appeal state: what the desk lists. */
export function rectificationRows(db: Db) {
  return db
    .selectFrom('rectifications as r')
    .innerJoin('ratings as g', 'g.id', 'r.rating_id')
    .leftJoin('offices as o', 'o.id', 'r.office_id')
    .leftJoin('users as h', 'h.id', 'r.handler_id')
    .leftJoin('rating_appeals as ap', 'ap.rating_id', 'r.rating_id')
    .selectAll('r')
    .select([
      'g.subject_kind',
      'g.appointment_id',
      'g.case_no',
      'g.item_code',
      'g.item_name',
      'g.level',
      'g.comment',
      'g.excluded',
      'g.created_at as rated_at',
      'g.rater_user_id',
      'o.name as office_name',
      'h.name as handler_name',
      'ap.status as appeal_status',
    ]);
}
export type RectificationRow = Awaited<ReturnType<ReturnType<typeof rectificationRows>['executeTakeFirstOrThrow']>>;

export function appealRows(db: Db) {
  return db
    .selectFrom('rating_appeals as ap')
    .innerJoin('ratings as g', 'g.id', 'ap.rating_id')
    .leftJoin('rectifications as r', 'r.rating_id', 'ap.rating_id')
    .innerJoin('users as f', 'f.id', 'ap.filed_by')
    .leftJoin('users as d', 'd.id', 'ap.decided_by')
    .leftJoin('users as h', 'h.id', 'g.handler_id')
    .selectAll('ap')
    .select([
      'r.id as rectification_id',
      'g.case_no',
      'g.item_name',
      'g.level',
      'g.handler_id',
      'h.name as handler_name',
      'f.name as filed_by_name',
      'd.name as decided_by_name',
    ]);
}
export type AppealRow = Awaited<ReturnType<ReturnType<typeof appealRows>['executeTakeFirstOrThrow']>>;

export function complaintRows(db: Db) {
  return db
    .selectFrom('complaints as t')
    .innerJoin('agencies as a', 'a.code', 't.agency_code')
    .leftJoin('cases as c', 'c.id', 't.case_id')
    .leftJoin('offices as o', 'o.id', 't.office_id')
    .leftJoin('users as h', 'h.id', 't.handler_id')
    .leftJoin('users as p', 'p.id', 't.staff_id')
    .selectAll('t')
    .select(['a.name as agency_name', 'c.case_no', 'o.name as office_name', 'h.name as handler_name', 'p.name as staff_name']);
}
export type ComplaintRow = Awaited<ReturnType<ReturnType<typeof complaintRows>['executeTakeFirstOrThrow']>>;

export async function userName(db: Db, id: number | null): Promise<string | null> {
  if (id === null) return null;
  const u = await db.selectFrom('users').select('name').where('id', '=', id).executeTakeFirst();
  return u?.name ?? null;
}

/** Escape a user's text for ILIKE. */
export function likeTerm(q: string): string {
  return `%${q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}
