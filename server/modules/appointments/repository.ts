/** Appointment tables: plain Kysely functions taking `db` (or a transaction) first. */
import { sql, type Selectable } from 'kysely';
import type { ApptSettings } from '../../../common/api-appointments.ts';
import type { Period } from '../../../common/appointments.ts';
import type { Db } from '../../db/index.ts';
import type { AppointmentsTable } from '../../db/types-appointments.ts';

export type ApptRow = Selectable<AppointmentsTable>;

export interface SettingsRow extends ApptSettings {
  example: string[];
  source: string | null;
}

export async function settings(db: Db, agency: string): Promise<SettingsRow | null> {
  const r = await db.selectFrom('appt_settings').selectAll().where('agency_code', '=', agency).executeTakeFirst();
  if (!r) return null;
  return {
    leadWorkingDays: r.lead_working_days,
    horizonWorkingDays: r.horizon_working_days,
    maxOpenBookings: r.max_open,
    noShowLimit: r.no_show_limit,
    noShowWindowDays: r.no_show_window_days,
    noShowBanDays: r.no_show_ban_days,
    example: r.example,
    source: r.source,
  };
}

export function businessTypes(db: Db, agency: string) {
  return db.selectFrom('appt_business_types').selectAll().where('agency_code', '=', agency).orderBy('seq').execute();
}

export interface OfficeInfo {
  id: number;
  agencyCode: string;
  code: string;
  name: string;
  kind: string;
  active: boolean;
  address: string | null;
  phones: string[];
  seq: number;
}

function officeInfo(r: {
  id: number;
  agency_code: string;
  code: string;
  name: string;
  kind: string;
  active: boolean;
  doc: unknown;
  seq: number;
}): OfficeInfo {
  const doc = (r.doc ?? {}) as { address?: string; postalAddress?: string; phones?: string[] };
  return {
    id: Number(r.id),
    agencyCode: r.agency_code,
    code: r.code,
    name: r.name,
    kind: r.kind,
    active: r.active,
    address: doc.address ?? doc.postalAddress ?? null,
    phones: doc.phones ?? [],
    seq: r.seq,
  };
}

export async function office(db: Db, id: number): Promise<OfficeInfo | null> {
  const r = await db
    .selectFrom('offices')
    .select(['id', 'agency_code', 'code', 'name', 'kind', 'active', 'doc', 'seq'])
    .where('id', '=', id)
    .executeTakeFirst();
  return r ? officeInfo(r) : null;
}

export async function agencyOffices(db: Db, agency: string): Promise<OfficeInfo[]> {
  const rows = await db
    .selectFrom('offices')
    .select(['id', 'agency_code', 'code', 'name', 'kind', 'active', 'doc', 'seq'])
    .where('agency_code', '=', agency)
    .where('active', '=', true)
    .orderBy('seq')
    .orderBy('id')
    .execute();
  return rows.map(officeInfo);
}

export async function officesByIds(db: Db, ids: number[]): Promise<Map<number, OfficeInfo>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('offices')
    .select(['id', 'agency_code', 'code', 'name', 'kind', 'active', 'doc', 'seq'])
    .where('id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [Number(r.id), officeInfo(r)]));
}

export interface OfficeSetup {
  officeId: number;
  enabled: boolean;
  hours: Period[];
  hoursExample: boolean;
  note: string | null;
  services: { business: string; slotMinutes: number; capacity: number; active: boolean; example: boolean }[];
}

export async function officeSetups(db: Db, officeIds: number[]): Promise<Map<number, OfficeSetup>> {
  if (!officeIds.length) return new Map();
  const [offices, services] = await Promise.all([
    db.selectFrom('appt_offices').selectAll().where('office_id', 'in', officeIds).execute(),
    db.selectFrom('appt_services').selectAll().where('office_id', 'in', officeIds).orderBy('business_code').execute(),
  ]);
  const out = new Map<number, OfficeSetup>();
  for (const o of offices)
    out.set(Number(o.office_id), {
      officeId: Number(o.office_id),
      enabled: o.enabled,
      hours: o.hours as Period[],
      hoursExample: o.hours_example,
      note: o.note,
      services: [],
    });
  for (const s of services)
    out.get(Number(s.office_id))?.services.push({
      business: s.business_code,
      slotMinutes: s.slot_minutes,
      capacity: s.capacity,
      active: s.active,
      example: s.example,
    });
  return out;
}

export async function closedDays(db: Db, officeId: number, from: string, to: string): Promise<Map<string, string>> {
  const rows = await db
    .selectFrom('appt_closed_days')
    .select(['day', 'reason'])
    .where('office_id', '=', officeId)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .execute();
  return new Map(rows.map((r) => [r.day, r.reason]));
}

export function slotRows(db: Db, officeId: number, business: string, from: string, to: string) {
  return db
    .selectFrom('appt_slots')
    .select(['id', 'day', 'start_time', 'capacity', 'booked'])
    .where('office_id', '=', officeId)
    .where('business_code', '=', business)
    .where('day', '>=', from)
    .where('day', '<=', to)
    .execute();
}

/**
 * Take one seat of a slot, or null when it is full. The counter row is created on first use; the
 * conditional update is atomic, so concurrent bookings of the last seat cannot both succeed (a
 * second writer waits for the first's row lock, then re-reads `booked` and finds no seat).
 */
export async function takeSeat(
  db: Db,
  s: { officeId: number; business: string; day: string; start: string; end: string; capacity: number },
): Promise<number | null> {
  await db
    .insertInto('appt_slots')
    .values({ office_id: s.officeId, business_code: s.business, day: s.day, start_time: s.start, end_time: s.end, capacity: s.capacity, booked: 0 })
    .onConflict((oc) => oc.columns(['office_id', 'business_code', 'day', 'start_time']).doNothing())
    .execute();
  const row = await db
    .updateTable('appt_slots')
    .set({ booked: sql`booked + 1` })
    .where('office_id', '=', s.officeId)
    .where('business_code', '=', s.business)
    .where('day', '=', s.day)
    .where('start_time', '=', s.start)
    .where(sql<boolean>`booked < capacity`)
    .returning('id')
    .executeTakeFirst();
  return row ? Number(row.id) : null;
}

export async function releaseSeat(db: Db, slotId: number): Promise<void> {
  await db
    .updateTable('appt_slots')
    .set({ booked: sql`booked - 1` })
    .where('id', '=', slotId)
    .where('booked', '>', 0)
    .execute();
}

/** Serialise one person's bookings (limit and duplicate checks see each other). */
export async function lockPerson(db: Db, userId: number): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtext(${`appt-user:${userId}`}))`.execute(db);
}

/** Bookings take a day's lock shared; closing the day takes it exclusively, so no booking slips past a closure. */
export async function lockDay(db: Db, officeId: number, day: string, mode: 'shared' | 'exclusive'): Promise<void> {
  const key = `appt-day:${officeId}:${day}`;
  if (mode === 'shared') await sql`select pg_advisory_xact_lock_shared(hashtext(${key}))`.execute(db);
  else await sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(db);
}

export async function openBookings(db: Db, userId: number, agency: string, today: string, exceptId?: number): Promise<number> {
  let q = db
    .selectFrom('appointments')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('agency_code', '=', agency)
    .where('status', '=', 'booked')
    .where('day', '>=', today);
  if (exceptId) q = q.where('id', '!=', exceptId);
  const r = await q.executeTakeFirstOrThrow();
  return Number(r.n);
}

export async function hasDuplicate(
  db: Db,
  p: { userId: number; officeId: number; business: string; day: string; exceptId?: number },
): Promise<boolean> {
  let q = db
    .selectFrom('appointments')
    .select('id')
    .where('user_id', '=', p.userId)
    .where('office_id', '=', p.officeId)
    .where('business_code', '=', p.business)
    .where('day', '=', p.day)
    .where('status', '=', 'booked');
  if (p.exceptId) q = q.where('id', '!=', p.exceptId);
  return Boolean(await q.executeTakeFirst());
}

/** No-show days within the last `days` days (enough to decide any ban in force). */
export async function noShowDays(db: Db, userId: number, agency: string, since: string): Promise<string[]> {
  const rows = await db
    .selectFrom('appointments')
    .select('day')
    .where('user_id', '=', userId)
    .where('agency_code', '=', agency)
    .where('status', '=', 'no_show')
    .where('day', '>=', since)
    .orderBy('day')
    .execute();
  return rows.map((r) => r.day);
}

export function byId(db: Db, id: number) {
  return db.selectFrom('appointments').selectAll().where('id', '=', id).executeTakeFirst();
}

export function byIdForUpdate(db: Db, id: number) {
  return db.selectFrom('appointments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function byCode(db: Db, code: string) {
  return db.selectFrom('appointments').selectAll().where('code', '=', code).executeTakeFirst();
}

export async function addEvent(
  db: Db,
  e: { appointmentId: number; at: Date; kind: string; actorKind: string; actorId?: number | null; note?: string | null; data?: unknown },
): Promise<void> {
  await db
    .insertInto('appointment_events')
    .values({
      appointment_id: e.appointmentId,
      at: e.at,
      kind: e.kind,
      actor_kind: e.actorKind,
      actor_id: e.actorId ?? null,
      note: e.note ?? null,
      data: e.data === undefined ? null : JSON.stringify(e.data),
    })
    .execute();
}

export function events(db: Db, appointmentId: number) {
  return db.selectFrom('appointment_events').selectAll().where('appointment_id', '=', appointmentId).orderBy('id').execute();
}

export async function userNames(db: Db, ids: (number | null)[]): Promise<Map<number, string>> {
  const list = [...new Set(ids.filter((x): x is number => x !== null).map(Number))];
  if (!list.length) return new Map();
  const rows = await db.selectFrom('users').select(['id', 'name']).where('id', 'in', list).execute();
  return new Map(rows.map((r) => [Number(r.id), r.name]));
}
