/**
 * The hall's side (/staff/hall): the day's bookings per office, check-in by the booking's code
 * (typed, or sent by a QR scanner as keystrokes), "served" and "no-show". Every change is
 * audited and records the staff member, so a later 好差评 rating knows who served the visitor.
 */
import type { HallActionOut, HallDayOut } from '../../../common/api-appointments.ts';
import type { AuditAction } from '../../../common/audit.ts';
import { APPOINTMENT_STATUS_LABELS, normaliseApptCode } from '../../../common/appointments.ts';
import { AppError } from '../../../common/errors.ts';
import { queueMessage } from '../../platform/outbox.ts';
import { actorLabel, type Ctx, type UserActor } from '../../http/actor.ts';
import { appendAudit } from '../audit/index.ts';
import { hallRowOut, started } from './presenter.ts';
import * as repo from './repository.ts';
import type { ApptRow } from './repository.ts';
import type { Db } from '../../db/index.ts';
import { standing } from './service.ts';

export function hallStaff(ctx: Ctx): UserActor & { agencyCode: string } {
  const a = ctx.actor;
  if (a.kind !== 'user' || a.userKind !== 'staff' || !a.agencyCode) throw new AppError('FORBIDDEN');
  return a as UserActor & { agencyCode: string };
}

async function staffOffice(ctx: Ctx, me: UserActor & { agencyCode: string }, officeId: number) {
  const o = await repo.office(ctx.db, officeId);
  if (!o || o.agencyCode !== me.agencyCode) throw new AppError('NOT_FOUND', '没有找到本机构的这个办事大厅。');
  return o;
}

async function row(ctx: Ctx, a: ApptRow): Promise<HallActionOut['row']> {
  const names = await repo.userNames(ctx.db, [a.checked_in_by, a.served_by]);
  return hallRowOut(a, names, ctx.today, ctx.now);
}

async function audit(ctx: Ctx, me: UserActor, a: ApptRow, action: AuditAction, data: Record<string, unknown> = {}) {
  await appendAudit(ctx.db, {
    actorKind: 'staff',
    actorId: String(me.id),
    actorLabel: actorLabel(me),
    action,
    subjectKind: 'appointment',
    subjectId: String(a.id),
    agencyCode: a.agency_code,
    requestId: ctx.requestId,
    ip: ctx.ip,
    at: ctx.now,
    data: { code: a.code, office: Number(a.office_id), day: a.day, start: a.start_time, ...data },
  });
}

export async function hallDay(ctx: Ctx, officeId: number | undefined, date?: string): Promise<HallDayOut> {
  const me = hallStaff(ctx);
  const offices = await ctx.db
    .selectFrom('appt_offices as ao')
    .innerJoin('offices as o', 'o.id', 'ao.office_id')
    .select(['o.id', 'o.name'])
    .where('ao.agency_code', '=', me.agencyCode)
    .where('o.active', '=', true)
    .orderBy('o.seq')
    .orderBy('o.id')
    .execute();
  const chosen = officeId ?? (offices.some((o) => Number(o.id) === me.officeId) ? me.officeId! : offices[0] ? Number(offices[0].id) : null);
  if (chosen === null) throw new AppError('APPT_SERVICE_UNAVAILABLE', '本机构还没有开通预约的办事大厅。');
  const office = await staffOffice(ctx, me, chosen);
  const day = date ?? ctx.today;
  const rows = await ctx.db
    .selectFrom('appointments')
    .selectAll()
    .where('office_id', '=', chosen)
    .where('day', '=', day)
    .orderBy('start_time')
    .orderBy('id')
    .execute();
  const names = await repo.userNames(
    ctx.db,
    rows.flatMap((r) => [r.checked_in_by, r.served_by]),
  );
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return {
    office: { id: office.id, name: office.name },
    offices: offices.map((o) => ({ id: Number(o.id), name: o.name })),
    date: day,
    today: ctx.today,
    rows: rows.map((r) => hallRowOut(r, names, ctx.today, ctx.now)),
    counts,
  };
}

const time = (d: Date | string) => new Date(new Date(d).getTime() + 8 * 3600_000).toISOString().slice(11, 16);

/** Record arrival by the booking's code at this office, today. A late arrival after a recorded no-show is checked in too. */
export async function checkIn(ctx: Ctx, input: { code: string; officeId: number }): Promise<HallActionOut> {
  const me = hallStaff(ctx);
  const office = await staffOffice(ctx, me, input.officeId);
  const code = normaliseApptCode(input.code);
  if (!code) throw new AppError('APPT_CODE_INVALID', `“${input.code.slice(0, 40)}”不是有效的预约码（8位，如 K7M2-9QX4），请核对后重新输入或扫描。`);
  const found = await repo.byCode(ctx.db, code);
  if (!found || found.agency_code !== me.agencyCode) throw new AppError('APPT_NOT_FOUND', `没有找到预约码为 ${code} 的预约。`);
  const a = (await repo.byIdForUpdate(ctx.db, Number(found.id)))!;
  if (Number(a.office_id) !== office.id) {
    const right = await repo.office(ctx.db, Number(a.office_id));
    throw new AppError('APPT_WRONG_OFFICE', `预约码 ${code} 预约的是${right?.name ?? '其他大厅'}（${a.day} ${a.start_time}），不在本大厅办理。`);
  }
  if (a.day !== ctx.today)
    throw new AppError('APPT_NOT_TODAY', `预约码 ${code} 预约的是 ${a.day} ${a.start_time}–${a.end_time}，不是今天，不能签到。`);
  if (a.status === 'cancelled') throw new AppError('APPT_BAD_STATUS', `预约码 ${code} 的预约已取消。`);
  if (a.status === 'checked_in' || a.status === 'served')
    throw new AppError(
      'APPT_BAD_STATUS',
      `${a.person_name} 已于 ${time(a.checked_in_at!)} 签到（${APPOINTMENT_STATUS_LABELS[a.status]}），无需重复签到。`,
    );
  const late = a.status === 'no_show';
  const updated = await ctx.db
    .updateTable('appointments')
    .set({ status: 'checked_in', checked_in_at: ctx.now, checked_in_by: me.id, no_show_at: null, updated_at: ctx.now })
    .where('id', '=', a.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await repo.addEvent(ctx.db, {
    appointmentId: Number(a.id),
    at: ctx.now,
    kind: 'checked_in',
    actorKind: 'staff',
    actorId: me.id,
    note: late ? '迟到签到（已撤销未到记录）' : null,
  });
  await audit(ctx, me, a, 'appointment.check_in', late ? { late: true } : {});
  return {
    row: await row(ctx, updated),
    message: `${a.person_name} 签到成功：${a.start_time}–${a.end_time} ${a.business_name}${late ? '（迟到，已撤销未到记录）' : ''}。`,
  };
}

async function staffAppointment(ctx: Ctx, me: UserActor & { agencyCode: string }, id: number): Promise<ApptRow> {
  const a = await repo.byIdForUpdate(ctx.db, id);
  if (!a || a.agency_code !== me.agencyCode) throw new AppError('APPT_NOT_FOUND');
  return a;
}

export async function serve(ctx: Ctx, id: number): Promise<HallActionOut> {
  const me = hallStaff(ctx);
  const a = await staffAppointment(ctx, me, id);
  if (a.status !== 'checked_in') throw new AppError('APPT_BAD_STATUS', `该预约${APPOINTMENT_STATUS_LABELS[a.status]}，须先签到才能标记为已办理。`);
  const updated = await ctx.db
    .updateTable('appointments')
    .set({ status: 'served', served_at: ctx.now, served_by: me.id, updated_at: ctx.now })
    .where('id', '=', a.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await repo.addEvent(ctx.db, { appointmentId: Number(a.id), at: ctx.now, kind: 'served', actorKind: 'staff', actorId: me.id });
  await audit(ctx, me, a, 'appointment.serve');
  return { row: await row(ctx, updated), message: `已记录 ${a.person_name} 的业务办理完毕。` };
}

/**
 * Mark a booking as not attended, tell the person (and whether it now stops new bookings).
 * Used by the hall (after the slot began) and by the no-show job (after it ended).
 */
export async function recordNoShow(
  db: Db,
  a: ApptRow,
  now: Date,
  today: string,
  by: { kind: 'staff' | 'system'; id: number | null },
): Promise<ApptRow> {
  const updated = await db
    .updateTable('appointments')
    .set({ status: 'no_show', no_show_at: now, updated_at: now })
    .where('id', '=', a.id)
    .where('status', '=', 'booked')
    .returningAll()
    .executeTakeFirst();
  if (!updated) throw new AppError('APPT_BAD_STATUS');
  await repo.addEvent(db, { appointmentId: Number(a.id), at: now, kind: 'no_show', actorKind: by.kind, actorId: by.id });
  const st = await standing(db, Number(a.user_id), a.agency_code, today);
  const office = await repo.office(db, Number(a.office_id));
  await queueMessage(db, {
    channel: 'inapp',
    recipient: String(a.user_id),
    userId: Number(a.user_id),
    agencyCode: a.agency_code,
    subject: `预约未到：${a.day} ${a.start_time} ${office?.name ?? ''}`,
    body:
      `您预约的 ${a.day} ${a.start_time}–${a.end_time} 在${office?.name ?? '办事大厅'}办理“${a.business_name}”未按时到场签到，已记录为未到（爽约）。` +
      (st.ban ? st.ban.message : '多次预约未到将暂停预约，如不能前往请提前取消。'),
    meta: { appointmentId: Number(a.id) },
  });
  return updated;
}

export async function markNoShow(ctx: Ctx, id: number): Promise<HallActionOut> {
  const me = hallStaff(ctx);
  const a = await staffAppointment(ctx, me, id);
  if (a.status !== 'booked') throw new AppError('APPT_BAD_STATUS', `该预约${APPOINTMENT_STATUS_LABELS[a.status]}，不能记为未到。`);
  if (!started(a, ctx.now)) throw new AppError('APPT_BAD_STATUS', `预约时段（${a.day} ${a.start_time}）尚未开始，不能记为未到。`);
  const updated = await recordNoShow(ctx.db, a, ctx.now, ctx.today, { kind: 'staff', id: me.id });
  await audit(ctx, me, a, 'appointment.no_show');
  return { row: await row(ctx, updated), message: `已将 ${a.person_name}（${a.start_time}）记为未到。` };
}
