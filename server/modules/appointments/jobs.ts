/**
 * Appointment jobs (DESIGN.md convention 10): a sweep finds bookings whose reminder is due or
 * whose slot is over and fans out one idempotent job per booking (dedupe key = booking + day +
 * start, so a moved booking gets its own reminder and a sweep that runs twice enqueues once).
 *
 * - appointment.remind — the working day before the visit (from 09:00, or at once when booked
 *   later than that): an SMS through the outbox and an in-app message.
 * - appointment.no_show — after the slot has ended, a booking nobody checked in is recorded as a
 *   no-show; repeated no-shows stop new bookings (policy.ts).
 */
import type { Transaction } from 'kysely';
import { chinaTimeOfDay, previousWorkingDay } from '../../../common/appointments.ts';
import { addNaturalDays, type WorkCalendar } from '../../../common/calendar.ts';
import type { DB } from '../../db/types.ts';
import type { Db } from '../../db/index.ts';
import { chinaDate } from '../../platform/clock.ts';
import { enqueue, type JobRunner } from '../../platform/jobs.ts';
import { queueMessage } from '../../platform/outbox.ts';
import { appendAudit } from '../audit/index.ts';
import { recordNoShow } from './hall.ts';
import { ended } from './presenter.ts';
import * as repo from './repository.ts';
import { agencyCalendar } from './service.ts';

/** Reminders go out from this China time on the working day before the visit. */
export const REMINDER_TIME = '09:00';

export interface ApptJobPayload {
  appointmentId: number;
  day: string;
  start: string;
}

export async function sweepAppointments(db: Db, now: Date): Promise<{ enqueued: number }> {
  const today = chinaDate(now);
  const nowTime = chinaTimeOfDay(now);
  let n = 0;
  // Slots that are over and still only booked → no-show.
  const over = await db
    .selectFrom('appointments')
    .select(['id', 'day', 'start_time', 'end_time'])
    .where('status', '=', 'booked')
    .where((eb) => eb.or([eb('day', '<', today), eb.and([eb('day', '=', today), eb('end_time', '<=', nowTime)])]))
    .execute();
  for (const a of over) {
    const payload: ApptJobPayload = { appointmentId: Number(a.id), day: a.day, start: a.start_time };
    if (await enqueue(db, { kind: 'appointment.no_show', dedupeKey: `appt-noshow:${a.id}:${a.day}:${a.start_time}`, payload, runAt: now })) n++;
  }
  // Reminders: bookings in the coming weeks not yet reminded whose previous working day has come.
  const soon = await db
    .selectFrom('appointments')
    .select(['id', 'agency_code', 'day', 'start_time'])
    .where('status', '=', 'booked')
    .where('reminded_at', 'is', null)
    .where('day', '>', today)
    .where('day', '<=', addNaturalDays(today, 40))
    .execute();
  const cals = new Map<string, WorkCalendar>();
  for (const a of soon) {
    let cal = cals.get(a.agency_code);
    if (!cal) {
      cal = await agencyCalendar(db, a.agency_code);
      cals.set(a.agency_code, cal);
    }
    const remindOn = previousWorkingDay(cal, a.day);
    if (remindOn === null) continue; // the calendar does not reach it: never guess
    if (remindOn > today || (remindOn === today && nowTime < REMINDER_TIME)) continue;
    const payload: ApptJobPayload = { appointmentId: Number(a.id), day: a.day, start: a.start_time };
    if (await enqueue(db, { kind: 'appointment.remind', dedupeKey: `appt-remind:${a.id}:${a.day}:${a.start_time}`, payload, runAt: now })) n++;
  }
  return { enqueued: n };
}

/** Still the same booking the job was made for (not moved, cancelled or attended since)? */
function current(a: repo.ApptRow | undefined, p: ApptJobPayload): a is repo.ApptRow {
  return Boolean(a && a.status === 'booked' && a.day === p.day && a.start_time === p.start);
}

export async function handleRemind(trx: Transaction<DB>, now: Date, p: ApptJobPayload): Promise<void> {
  const a = await repo.byIdForUpdate(trx, p.appointmentId);
  if (!current(a, p) || a.reminded_at) return;
  const office = await repo.office(trx, Number(a.office_id));
  const where = `${office?.name ?? '办事大厅'}${office?.address ? `（${office.address}）` : ''}`;
  const text = `您预约了 ${a.day} ${a.start_time}–${a.end_time} 到${where}办理“${a.business_name}”，预约码 ${a.code}。请按时到厅出示预约二维码或报预约码签到；如不能前往，请登录平台取消预约。`;
  if (a.mobile)
    await queueMessage(trx, {
      channel: 'sms',
      recipient: a.mobile,
      body: `【医保预约提醒】${text}`,
      agencyCode: a.agency_code,
      userId: Number(a.user_id),
    });
  await queueMessage(trx, {
    channel: 'inapp',
    recipient: String(a.user_id),
    userId: Number(a.user_id),
    agencyCode: a.agency_code,
    subject: `预约提醒：${a.day} ${a.start_time} ${office?.name ?? ''}`,
    body: text,
    meta: { appointmentId: Number(a.id) },
  });
  await trx.updateTable('appointments').set({ reminded_at: now }).where('id', '=', a.id).execute();
  await repo.addEvent(trx, {
    appointmentId: Number(a.id),
    at: now,
    kind: 'reminded',
    actorKind: 'system',
    note: a.mobile ? '短信和站内消息' : '站内消息',
  });
}

export async function handleNoShow(trx: Transaction<DB>, now: Date, p: ApptJobPayload): Promise<void> {
  const a = await repo.byIdForUpdate(trx, p.appointmentId);
  if (!current(a, p) || !ended(a, now)) return;
  await recordNoShow(trx, a, now, chinaDate(now), { kind: 'system', id: null });
  await appendAudit(trx, {
    actorKind: 'system',
    actorId: null,
    actorLabel: '预约监控',
    action: 'appointment.no_show',
    subjectKind: 'appointment',
    subjectId: String(a.id),
    agencyCode: a.agency_code,
    at: now,
    data: { code: a.code, office: Number(a.office_id), day: a.day, start: a.start_time, end: a.end_time },
  });
}

/** Wire the jobs and the sweep (at most once per `everyMs`, and whenever the business date changes). */
export function registerAppointmentJobs(runner: JobRunner, everyMs = 60_000): void {
  runner.register('appointment.remind', async (p: ApptJobPayload, { trx, now }) => handleRemind(trx, now, p));
  runner.register('appointment.no_show', async (p: ApptJobPayload, { trx, now }) => handleNoShow(trx, now, p));
  let last = 0;
  let lastDay = '';
  runner.addTask('appointments-sweep', async ({ db, now }) => {
    const day = chinaDate(now);
    if (now.getTime() - last < everyMs && day === lastDay) return 0;
    last = now.getTime();
    lastDay = day;
    return (await sweepAppointments(db, now)).enqueued;
  });
}
