/**
 * Hall appointments for citizens: what can be booked, the slots of the coming days, booking,
 * cancelling and moving a booking, and why a person may not book (standing).
 *
 * A booking runs the named policy checks (policy.ts) on facts gathered here, then takes a seat
 * with the slot's conditional counter update (repository.takeSeat), all in the caller's
 * transaction. A person's bookings are serialised by an advisory lock so the limit and duplicate
 * checks cannot race; capacity needs no lock of ours — the database row decides.
 */
import type { AppointmentOut, ApptOptionsOut, BookIn, SlotsOut, StandingOut } from '../../../common/api-appointments.ts';
import { bookingWindow, chinaTimeOfDay, dayPlan, noShowBan, type SlotTime } from '../../../common/appointments.ts';
import { addNaturalDays, type WorkCalendar } from '../../../common/calendar.ts';
import { AppError } from '../../../common/errors.ts';
import { queueMessage } from '../../platform/outbox.ts';
import { appendAudit } from '../audit/index.ts';
import { tellHolder } from './notify.ts';
import type { Ctx, UserActor } from '../../http/actor.ts';
import { loadCalendar } from '../calendar/index.ts';
import { currentVersionRow } from '../catalog/index.ts';
import { newApptCode } from './code.ts';
import { banMessage, firstRefusal, type BookingFacts } from './policy.ts';
import { appointmentOut, started } from './presenter.ts';
import * as repo from './repository.ts';
import type { OfficeInfo, OfficeSetup, SettingsRow } from './repository.ts';
import type { Db } from '../../db/index.ts';

export async function agencyRow(db: Db, agency: string) {
  const a = await db.selectFrom('agencies').select(['code', 'name', 'short_name', 'region_code']).where('code', '=', agency).executeTakeFirst();
  if (!a) throw new AppError('AGENCY_NOT_FOUND');
  return a;
}

/** The working-day calendar in force for an agency (its region → province → national). */
export async function agencyCalendar(db: Db, agency: string): Promise<WorkCalendar> {
  const a = await agencyRow(db, agency);
  return loadCalendar(db, a.region_code);
}

export async function requireSettings(db: Db, agency: string): Promise<SettingsRow> {
  const s = await repo.settings(db, agency);
  if (!s) throw new AppError('APPT_SERVICE_UNAVAILABLE', '该经办机构尚未开通大厅预约。');
  return s;
}

interface Bookable {
  office: OfficeInfo;
  setup: OfficeSetup | null;
  service: OfficeSetup['services'][number] | null;
  business: { code: string; name: string; items: string[] };
  settings: SettingsRow;
}

/** The office and business type a booking is for; unknown ones are refused, switched-off ones reported by the checks. */
async function resolveBookable(db: Db, officeId: number, businessCode: string): Promise<Bookable> {
  const office = await repo.office(db, officeId);
  if (!office || !office.active) throw new AppError('APPT_SERVICE_UNAVAILABLE', '没有找到该办事大厅，或该大厅不接受预约。');
  const settings = await requireSettings(db, office.agencyCode);
  const bt = (await repo.businessTypes(db, office.agencyCode)).find((b) => b.code === businessCode);
  if (!bt) throw new AppError('APPT_SERVICE_UNAVAILABLE', `该机构没有“${businessCode}”这项预约业务。`);
  const setup = (await repo.officeSetups(db, [officeId])).get(officeId) ?? null;
  const service = setup?.services.find((s) => s.business === businessCode) ?? null;
  return { office, setup, service, business: { code: bt.code, name: bt.name, items: bt.item_codes }, settings };
}

function available(b: Bookable): boolean {
  return Boolean(b.setup?.enabled && b.service?.active);
}

// ---------------------------------------------------------------------------------------------
// Public reads

export async function options(db: Db, agency: string, today: string): Promise<ApptOptionsOut> {
  const a = await agencyRow(db, agency);
  const settings = await requireSettings(db, agency);
  const [types, offices, cal] = await Promise.all([repo.businessTypes(db, agency), repo.agencyOffices(db, agency), loadCalendar(db, a.region_code)]);
  const setups = await repo.officeSetups(
    db,
    offices.map((o) => o.id),
  );
  const win = bookingWindow(cal, today, settings.leadWorkingDays, settings.horizonWorkingDays);
  return {
    agencyCode: a.code,
    agencyName: a.name,
    settings: { ...settings },
    businessTypes: types.map((t) => ({ code: t.code, name: t.name, items: t.item_codes, example: t.example })),
    offices: offices.flatMap((o) => {
      const s = setups.get(o.id);
      const services = s?.enabled ? s.services.filter((x) => x.active && x.capacity > 0) : [];
      if (!s || !services.length) return [];
      return [
        {
          id: o.id,
          code: o.code,
          name: o.name,
          address: o.address,
          phones: o.phones,
          hours: s.hours,
          hoursExample: s.hoursExample,
          note: s.note,
          services: services.map((x) => ({ business: x.business, slotMinutes: x.slotMinutes, capacity: x.capacity, example: x.example })),
        },
      ];
    }),
    earliest: win.earliest,
    latest: win.latest,
    calendarEnds: win.calendarEnds,
  };
}

/** The next `days` days of one office and business type, with seats left per slot. */
export async function slots(
  db: Db,
  q: { office: number; business: string; from?: string; days: number },
  today: string,
  now: Date,
): Promise<SlotsOut> {
  const b = await resolveBookable(db, q.office, q.business);
  const cal = await agencyCalendar(db, b.office.agencyCode);
  const win = bookingWindow(cal, today, b.settings.leadWorkingDays, b.settings.horizonWorkingDays);
  const from = q.from && q.from > today ? q.from : today;
  const to = addNaturalDays(from, q.days - 1);
  const [closed, rows] = await Promise.all([repo.closedDays(db, q.office, from, to), repo.slotRows(db, q.office, q.business, from, to)]);
  const taken = new Map(rows.map((r) => [`${r.day} ${r.start_time}`, r]));
  const nowTime = chinaTimeOfDay(now);
  const on = available(b);
  const days: SlotsOut['days'] = [];
  for (let d = from; d <= to; d = addNaturalDays(d, 1)) {
    const plan = dayPlan(
      cal,
      d,
      b.setup?.hours ?? [],
      { slotMinutes: b.service?.slotMinutes ?? 30, capacity: b.service?.capacity ?? 0 },
      closed.get(d) ?? null,
    );
    let reason = plan.reason;
    let closedBy = plan.closedBy;
    let bookable = on && plan.open;
    if (!on) [reason, closedBy] = ['该大厅暂不提供此项业务的预约', 'no_service'];
    else if (bookable && (win.earliest === null || d < win.earliest)) {
      bookable = false;
      [reason, closedBy] =
        b.settings.leadWorkingDays > 0 ? [`须至少提前${b.settings.leadWorkingDays}个工作日预约`, 'too_soon'] : ['已过预约时间', 'past'];
    } else if (bookable && win.latest !== null && d > win.latest) {
      bookable = false;
      [reason, closedBy] = win.calendarEnds ? ['工作日历尚未录入，暂不能预约', 'no_calendar'] : ['尚未开放预约', 'not_open'];
    }
    const out = plan.slots.map((s) => {
      const row = taken.get(`${d} ${s.start}`);
      const capacity = row ? row.capacity : (b.service?.capacity ?? 0);
      const left = Math.max(0, capacity - (row?.booked ?? 0));
      return { start: s.start, end: s.end, capacity, left, bookable: bookable && left > 0 && !(d === today && s.start <= nowTime) };
    });
    days.push({
      date: d,
      weekday: plan.day?.weekday ?? new Date(`${d}T00:00:00Z`).getUTCDay(),
      bookable,
      reason: bookable ? null : reason,
      closedBy: bookable ? null : closedBy,
      kind: plan.day?.kind ?? 'uncovered',
      dayName: plan.day?.name ?? null,
      provisional: plan.day?.provisional === true,
      slots: bookable ? out : [],
    });
  }
  return { officeId: q.office, business: q.business, earliest: win.earliest, latest: win.latest, calendarEnds: win.calendarEnds, days };
}

// ---------------------------------------------------------------------------------------------
// Standing: why a person may not book

async function noShowsFor(db: Db, userId: number, agency: string, s: SettingsRow, today: string): Promise<string[]> {
  // Any ban in force started within the last banDays and was caused by no-shows within the window before it.
  return repo.noShowDays(db, userId, agency, addNaturalDays(today, -(s.noShowWindowDays + s.noShowBanDays)));
}

export async function standing(db: Db, userId: number, agency: string, today: string): Promise<StandingOut> {
  const s = await requireSettings(db, agency);
  const [open, days] = await Promise.all([repo.openBookings(db, userId, agency, today), noShowsFor(db, userId, agency, s, today)]);
  const ban = noShowBan(days, { limit: s.noShowLimit, windowDays: s.noShowWindowDays, banDays: s.noShowBanDays }, today);
  const banOut = ban ? { until: ban.until, noShows: ban.days, message: banMessage(ban.days, ban.until, s) } : null;
  const full = open >= s.maxOpenBookings;
  return {
    agencyCode: agency,
    openBookings: open,
    maxOpenBookings: s.maxOpenBookings,
    ban: banOut,
    canBook: !banOut && !full,
    message: banOut ? banOut.message : full ? `每人最多同时持有${s.maxOpenBookings}个未办理的预约，您已有${open}个。请先办理或取消已有预约。` : null,
  };
}

// ---------------------------------------------------------------------------------------------
// Booking

function citizen(ctx: Ctx): UserActor {
  const a = ctx.actor;
  if (a.kind !== 'user') throw new AppError('AUTH_REQUIRED');
  if (a.userKind === 'staff') throw new AppError('FORBIDDEN', '工作人员账号不能预约，请使用参保人账号。');
  return a;
}

async function itemName(db: Db, agency: string, code: string, today: string): Promise<{ code: string; name: string }> {
  const v = await currentVersionRow(db, agency, today);
  const up = code.toUpperCase();
  const r = v
    ? await db.selectFrom('item_versions').select(['code', 'name']).where('catalog_version_id', '=', v.id).where('code', '=', up).executeTakeFirst()
    : undefined;
  if (!r) throw new AppError('ITEM_NOT_FOUND', `该机构没有编码为「${code}」的服务事项。`);
  return { code: r.code, name: r.name };
}

async function gatherFacts(
  ctx: Ctx,
  b: Bookable,
  p: { kind: BookingFacts['kind']; userId: number; date: string; start: string; itemCode: string | null; exceptId?: number },
): Promise<BookingFacts> {
  const agency = b.office.agencyCode;
  const cal = await agencyCalendar(ctx.db, agency);
  const closed = await repo.closedDays(ctx.db, b.office.id, p.date, p.date);
  const plan = dayPlan(
    cal,
    p.date,
    b.setup?.hours ?? [],
    { slotMinutes: b.service?.slotMinutes ?? 30, capacity: b.service?.capacity ?? 0 },
    closed.get(p.date) ?? null,
  );
  const [open, dup, noShows] = await Promise.all([
    repo.openBookings(ctx.db, p.userId, agency, ctx.today, p.exceptId),
    repo.hasDuplicate(ctx.db, { userId: p.userId, officeId: b.office.id, business: b.business.code, day: p.date, exceptId: p.exceptId }),
    noShowsFor(ctx.db, p.userId, agency, b.settings, ctx.today),
  ]);
  return {
    kind: p.kind,
    agencyCode: agency,
    officeId: b.office.id,
    businessCode: b.business.code,
    itemCode: p.itemCode,
    userId: p.userId,
    date: p.date,
    start: p.start,
    today: ctx.today,
    nowTime: chinaTimeOfDay(ctx.now),
    settings: b.settings,
    serviceAvailable: available(b),
    window: bookingWindow(cal, ctx.today, b.settings.leadWorkingDays, b.settings.horizonWorkingDays),
    plan,
    slot: plan.slots.find((s) => s.start === p.start) ?? null,
    openBookings: open,
    duplicate: dup,
    noShowDays: noShows,
  };
}

async function check(ctx: Ctx, facts: BookingFacts): Promise<SlotTime> {
  const refusal = await firstRefusal(facts, { db: ctx.db });
  if (refusal) throw new AppError(refusal.code, refusal.message, { check: refusal.check, ...(refusal.details as object | undefined) });
  return facts.slot!;
}

async function takeSeatOrFail(ctx: Ctx, b: Bookable, date: string, slot: SlotTime): Promise<number> {
  const slotId = await repo.takeSeat(ctx.db, {
    officeId: b.office.id,
    business: b.business.code,
    day: date,
    start: slot.start,
    end: slot.end,
    capacity: b.service!.capacity,
  });
  if (slotId === null)
    throw new AppError('APPT_SLOT_FULL', `${date} ${slot.start}–${slot.end} 已约满，请选择其他时段。`, { date, start: slot.start });
  return slotId;
}

async function insertWithCode(ctx: Ctx, values: Omit<Parameters<typeof insertRow>[1], 'code'>): Promise<repo.ApptRow> {
  for (let i = 0; i < 8; i++) {
    const row = await insertRow(ctx.db, { ...values, code: newApptCode() });
    if (row) return row;
  }
  throw new Error('could not allocate an appointment code');
}

async function insertRow(
  db: Db,
  v: {
    code: string;
    agency_code: string;
    office_id: number;
    business_code: string;
    business_name: string;
    item_code: string | null;
    item_name: string | null;
    slot_id: number;
    day: string;
    start_time: string;
    end_time: string;
    user_id: number;
    person_name: string;
    mobile: string | null;
    created_at: Date;
    updated_at: Date;
  },
) {
  return db
    .insertInto('appointments')
    .values({ ...v, status: 'booked' })
    .onConflict((oc) => oc.column('code').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function book(ctx: Ctx, input: BookIn): Promise<AppointmentOut> {
  const me = citizen(ctx);
  const b = await resolveBookable(ctx.db, input.officeId, input.business);
  const item = input.itemCode ? await itemName(ctx.db, b.office.agencyCode, input.itemCode, ctx.today) : null;
  await repo.lockPerson(ctx.db, me.id);
  await repo.lockDay(ctx.db, b.office.id, input.date, 'shared');
  const facts = await gatherFacts(ctx, b, { kind: 'book', userId: me.id, date: input.date, start: input.start, itemCode: item?.code ?? null });
  const slot = await check(ctx, facts);
  const slotId = await takeSeatOrFail(ctx, b, input.date, slot);
  const row = await insertWithCode(ctx, {
    agency_code: b.office.agencyCode,
    office_id: b.office.id,
    business_code: b.business.code,
    business_name: b.business.name,
    item_code: item?.code ?? null,
    item_name: item?.name ?? null,
    slot_id: slotId,
    day: input.date,
    start_time: slot.start,
    end_time: slot.end,
    user_id: me.id,
    person_name: me.name,
    mobile: me.mobile,
    created_at: ctx.now,
    updated_at: ctx.now,
  });
  await repo.addEvent(ctx.db, { appointmentId: Number(row.id), at: ctx.now, kind: 'booked', actorKind: 'user', actorId: me.id });
  await queueMessage(ctx.db, {
    channel: 'inapp',
    recipient: String(me.id),
    userId: me.id,
    agencyCode: row.agency_code,
    subject: `预约成功：${row.day} ${row.start_time} ${b.office.name}`,
    body: `您已预约 ${row.day} ${row.start_time}–${row.end_time} 到${b.office.name}办理“${row.business_name}”，预约码 ${row.code}。请按时到厅，向工作人员出示预约二维码或报预约码签到。`,
    meta: { appointmentId: Number(row.id) },
  });
  const a = await agencyRow(ctx.db, row.agency_code);
  return appointmentOut(row, b.office, a.name, ctx.now, undefined, facts.plan.day?.provisional === true);
}

/** Whether a booking's day is in a provisional calendar year of its agency (预计). */
async function provisionalDay(db: Db, agency: string, day: string): Promise<boolean> {
  try {
    return (await agencyCalendar(db, agency)).isProvisionalYear(Number(day.slice(0, 4)));
  } catch {
    return false;
  }
}

/** The holder's own booking, or APPT_NOT_FOUND (someone else's booking is not revealed). */
export async function ownAppointment(ctx: Ctx, id: number, forUpdate = false): Promise<repo.ApptRow> {
  const me = citizen(ctx);
  const row = forUpdate ? await repo.byIdForUpdate(ctx.db, id) : await repo.byId(ctx.db, id);
  if (!row || Number(row.user_id) !== me.id) throw new AppError('APPT_NOT_FOUND');
  return row;
}

function assertChangeable(row: repo.ApptRow, now: Date, what: string): void {
  if (row.status !== 'booked')
    throw new AppError('APPT_NOT_CHANGEABLE', `该预约${row.status === 'cancelled' ? '已取消' : '已办理或已记录未到'}，不能${what}。`);
  if (started(row, now)) throw new AppError('APPT_NOT_CHANGEABLE', `预约时段已开始，不能${what}。`);
}

export async function detail(ctx: Ctx, id: number): Promise<AppointmentOut> {
  const row = await ownAppointment(ctx, id);
  return present(ctx.db, row, ctx.now, true);
}

export async function present(db: Db, row: repo.ApptRow, now: Date, withEvents = false): Promise<AppointmentOut> {
  const [office, a, events, provisional] = await Promise.all([
    repo.office(db, Number(row.office_id)),
    agencyRow(db, row.agency_code),
    withEvents ? repo.events(db, Number(row.id)) : Promise.resolve(undefined),
    provisionalDay(db, row.agency_code, row.day),
  ]);
  return appointmentOut(row, office!, a.name, now, events, provisional);
}

export async function cancel(ctx: Ctx, id: number, reason?: string): Promise<AppointmentOut> {
  const me = citizen(ctx);
  const row = await ownAppointment(ctx, id, true);
  assertChangeable(row, ctx.now, '取消');
  await repo.releaseSeat(ctx.db, Number(row.slot_id));
  const updated = await ctx.db
    .updateTable('appointments')
    .set({ status: 'cancelled', cancelled_at: ctx.now, cancel_reason: reason?.trim() || '本人取消', cancelled_by: 'citizen', updated_at: ctx.now })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await repo.addEvent(ctx.db, {
    appointmentId: Number(row.id),
    at: ctx.now,
    kind: 'cancelled',
    actorKind: 'user',
    actorId: me.id,
    note: reason?.trim() || null,
  });
  return present(ctx.db, updated, ctx.now, true);
}

export async function reschedule(ctx: Ctx, id: number, to: { date: string; start: string }): Promise<AppointmentOut> {
  const me = citizen(ctx);
  await repo.lockPerson(ctx.db, me.id);
  // Day locks before the row lock, in date order, as closing a day takes them (no lock cycle).
  const peek = await ownAppointment(ctx, id);
  for (const d of [...new Set([peek.day, to.date])].sort()) await repo.lockDay(ctx.db, Number(peek.office_id), d, 'shared');
  const row = await ownAppointment(ctx, id, true);
  assertChangeable(row, ctx.now, '改约');
  if (row.day === to.date && row.start_time === to.start) throw new AppError('VALIDATION_FAILED', '新时段与原预约时段相同，请选择其他时段。');
  const b = await resolveBookable(ctx.db, Number(row.office_id), row.business_code);
  const facts = await gatherFacts(ctx, b, {
    kind: 'reschedule',
    userId: me.id,
    date: to.date,
    start: to.start,
    itemCode: row.item_code,
    exceptId: Number(row.id),
  });
  const slot = await check(ctx, facts);
  const slotId = await takeSeatOrFail(ctx, b, to.date, slot);
  await repo.releaseSeat(ctx.db, Number(row.slot_id));
  const updated = await ctx.db
    .updateTable('appointments')
    .set({
      slot_id: slotId,
      day: to.date,
      start_time: slot.start,
      end_time: slot.end,
      reschedules: row.reschedules + 1,
      reminded_at: null,
      updated_at: ctx.now,
    })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await repo.addEvent(ctx.db, {
    appointmentId: Number(row.id),
    at: ctx.now,
    kind: 'rescheduled',
    actorKind: 'user',
    actorId: me.id,
    note: `${row.day} ${row.start_time} → ${to.date} ${slot.start}`,
    data: { from: { date: row.day, start: row.start_time }, to: { date: to.date, start: slot.start } },
  });
  return present(ctx.db, updated, ctx.now, true);
}

export async function mine(ctx: Ctx): Promise<{ items: AppointmentOut[]; standings: StandingOut[] }> {
  const me = citizen(ctx);
  const rows = await ctx.db
    .selectFrom('appointments')
    .selectAll()
    .where('user_id', '=', me.id)
    .orderBy('day', 'desc')
    .orderBy('start_time', 'desc')
    .limit(200)
    .execute();
  const offices = await repo.officesByIds(
    ctx.db,
    rows.map((r) => Number(r.office_id)),
  );
  const agencies = [...new Set(rows.map((r) => r.agency_code))];
  const names = new Map(
    agencies.length
      ? (await ctx.db.selectFrom('agencies').select(['code', 'name']).where('code', 'in', agencies).execute()).map((a) => [a.code, a.name])
      : [],
  );
  // Upcoming first (soonest on top), then the past (latest on top).
  const upcoming = rows.filter((r) => r.status === 'booked').sort((x, y) => (x.day + x.start_time).localeCompare(y.day + y.start_time));
  const past = rows.filter((r) => r.status !== 'booked');
  const standings: StandingOut[] = [];
  for (const a of agencies) if (await repo.settings(ctx.db, a)) standings.push(await standing(ctx.db, me.id, a, ctx.today));
  const items: AppointmentOut[] = [];
  for (const r of [...upcoming, ...past])
    items.push(
      appointmentOut(
        r,
        offices.get(Number(r.office_id))!,
        names.get(r.agency_code) ?? r.agency_code,
        ctx.now,
        undefined,
        r.status === 'booked' && (await provisionalDay(ctx.db, r.agency_code, r.day)),
      ),
    );
  return { items, standings };
}

/** For a later 好差评 rating: what was visited and who served the visitor (null unless checked in). */
export async function rateableVisit(db: Db, id: number) {
  const r = await repo.byId(db, id);
  if (!r || (r.status !== 'checked_in' && r.status !== 'served')) return null;
  return {
    appointmentId: Number(r.id),
    userId: Number(r.user_id),
    agencyCode: r.agency_code,
    officeId: Number(r.office_id),
    businessCode: r.business_code,
    businessName: r.business_name,
    itemCode: r.item_code,
    itemName: r.item_name,
    handlerId: r.served_by ?? r.checked_in_by,
    visitedOn: r.day,
  };
}

// ---------------------------------------------------------------------------------------------
// A calendar year changed: bookings on days that are no longer working days

/** Minutes of an HH:MM time. */
const minutesOf = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

/**
 * The nearest free slot for a booking whose day closed: the first open day after it (within 30
 * days, never before the booking lead time), at the booking's own time when a seat is left there,
 * else the closest time with a seat. Takes the seat; null when there is none.
 */
async function takeNearestSeat(
  ctx: Ctx,
  b: Bookable,
  cal: WorkCalendar,
  row: repo.ApptRow,
): Promise<{ slotId: number; date: string; slot: SlotTime } | null> {
  if (!available(b)) return null;
  const win = bookingWindow(cal, ctx.today, b.settings.leadWorkingDays, b.settings.horizonWorkingDays);
  if (!win.earliest) return null;
  const first = addNaturalDays(row.day, 1) > win.earliest ? addNaturalDays(row.day, 1) : win.earliest;
  const last = addNaturalDays(first, 30);
  const [closed, rows] = await Promise.all([
    repo.closedDays(ctx.db, b.office.id, first, last),
    repo.slotRows(ctx.db, b.office.id, b.business.code, first, last),
  ]);
  const taken = new Map(rows.map((r) => [`${r.day} ${r.start_time}`, r]));
  for (let d = first; d <= last; d = addNaturalDays(d, 1)) {
    if (!cal.covers(Number(d.slice(0, 4)))) return null;
    const plan = dayPlan(cal, d, b.setup?.hours ?? [], { slotMinutes: b.service!.slotMinutes, capacity: b.service!.capacity }, closed.get(d) ?? null);
    if (!plan.open) continue;
    const want = minutesOf(row.start_time);
    const byCloseness = [...plan.slots].sort(
      (x, y) => Math.abs(minutesOf(x.start) - want) - Math.abs(minutesOf(y.start) - want) || x.start.localeCompare(y.start),
    );
    for (const slot of byCloseness) {
      const r = taken.get(`${d} ${slot.start}`);
      if (r && r.booked >= r.capacity) continue;
      await repo.lockDay(ctx.db, b.office.id, d, 'shared');
      const slotId = await repo.takeSeat(ctx.db, {
        officeId: b.office.id,
        business: b.business.code,
        day: d,
        start: slot.start,
        end: slot.end,
        capacity: b.service!.capacity,
      });
      if (slotId !== null) return { slotId, date: d, slot };
    }
  }
  return null;
}

/**
 * The agency's bookings on days of the changed year that are no longer working days (a provisional
 * workday that the published arrangement makes a holiday): each is moved to the nearest free slot
 * and its holder told, with the way to change or cancel it; when no slot is free it is cancelled
 * and the holder asked to book again. Never dropped silently. Answers how many were touched.
 */
export async function moveBookingsOffClosedDays(ch: { ctx: Ctx; agencyCode: string; year: number; cal: WorkCalendar; why: string }): Promise<number> {
  const { ctx, cal } = ch;
  const from = `${ch.year}-01-01` > ctx.today ? `${ch.year}-01-01` : ctx.today;
  const rows = await ctx.db
    .selectFrom('appointments')
    .selectAll()
    .where('agency_code', '=', ch.agencyCode)
    .where('status', '=', 'booked')
    .where('day', '>=', from)
    .where('day', '<=', `${ch.year}-12-31`)
    .orderBy('day')
    .orderBy('id')
    .forUpdate()
    .execute();
  let touched = 0;
  for (const row of rows) {
    const info = cal.dayInfo(row.day);
    if (info.workingDay) continue;
    const b = await resolveBookable(ctx.db, Number(row.office_id), row.business_code);
    const dayText = `${row.day}${info.kind === 'holiday' ? `（${info.name ?? '法定节假日'}）` : ''}`;
    const seat = await takeNearestSeat(ctx, b, cal, row);
    await repo.releaseSeat(ctx.db, Number(row.slot_id));
    let body: string;
    if (seat) {
      await ctx.db
        .updateTable('appointments')
        .set({ slot_id: seat.slotId, day: seat.date, start_time: seat.slot.start, end_time: seat.slot.end, reminded_at: null, updated_at: ctx.now })
        .where('id', '=', row.id)
        .execute();
      await repo.addEvent(ctx.db, {
        appointmentId: Number(row.id),
        at: ctx.now,
        kind: 'moved_holiday',
        actorKind: 'system',
        note: `${ch.why}：${dayText} 不办公，改至 ${seat.date} ${seat.slot.start}`,
        data: { from: { date: row.day, start: row.start_time }, to: { date: seat.date, start: seat.slot.start } },
      });
      body = `${ch.why}，${dayText}大厅不办公。您预约的 ${row.day} ${row.start_time}“${row.business_name}”已为您改到 ${seat.date} ${seat.slot.start}–${seat.slot.end}（${b.office.name}），预约码不变。如不方便，可在“我的预约”中改约或取消。`;
    } else {
      await ctx.db
        .updateTable('appointments')
        .set({
          status: 'cancelled',
          cancelled_at: ctx.now,
          cancel_reason: `${ch.why}，${dayText}不办公`,
          cancelled_by: 'system',
          updated_at: ctx.now,
        })
        .where('id', '=', row.id)
        .execute();
      await repo.addEvent(ctx.db, {
        appointmentId: Number(row.id),
        at: ctx.now,
        kind: 'closed',
        actorKind: 'system',
        note: `${ch.why}：${dayText} 不办公，近期没有空余号源`,
      });
      body = `${ch.why}，${dayText}大厅不办公。您预约的 ${row.day} ${row.start_time}“${row.business_name}”近期没有可改约的空余时段，已取消，请重新预约其他日期。`;
    }
    await tellHolder(ctx.db, row, seat ? `预约已改期：${row.day} 不办公` : `预约已取消：${row.day} 不办公`, body);
    await appendAudit(ctx.db, {
      actorKind: 'system',
      actorId: null,
      actorLabel: '工作日历',
      action: seat ? 'appointment.moved_holiday' : 'appointment.cancelled_holiday',
      subjectKind: 'appointment',
      subjectId: String(row.id),
      agencyCode: row.agency_code,
      data: {
        code: row.code,
        from: { date: row.day, start: row.start_time },
        to: seat ? { date: seat.date, start: seat.slot.start } : null,
        year: ch.year,
      },
      at: ctx.now,
    });
    touched++;
  }
  return touched;
}
