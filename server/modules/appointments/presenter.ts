/** Presenters: whitelist the fields a citizen or a hall clerk sees. */
import type { AppointmentOut, HallRowOut } from '../../../common/api-appointments.ts';
import { APPOINTMENT_STATUS_LABELS, chinaInstant } from '../../../common/appointments.ts';
import type { ApptRow, OfficeInfo } from './repository.ts';

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** The slot has begun (a booking can no longer be cancelled or moved). */
export function started(a: Pick<ApptRow, 'day' | 'start_time'>, now: Date): boolean {
  return chinaInstant(a.day, a.start_time).getTime() <= now.getTime();
}

/** The slot is over (the no-show job may record a no-show). */
export function ended(a: Pick<ApptRow, 'day' | 'end_time'>, now: Date): boolean {
  return chinaInstant(a.day, a.end_time).getTime() <= now.getTime();
}

export const EVENT_LABELS: Record<string, string> = {
  booked: '预约成功',
  rescheduled: '改约',
  cancelled: '取消预约',
  reminded: '发送预约提醒',
  checked_in: '到厅签到',
  served: '业务办理完毕',
  no_show: '记录未到（爽约）',
  closed: '大厅闭厅，预约取消',
  moved_holiday: '放假安排调整，系统改约',
};

export function appointmentOut(
  a: ApptRow,
  office: OfficeInfo,
  agencyName: string,
  now: Date,
  events?: { at: Date; kind: string; note: string | null }[],
  /** The day's calendar year is provisional (预计). */
  provisional = false,
): AppointmentOut {
  const changeable = a.status === 'booked' && !started(a, now);
  return {
    id: Number(a.id),
    code: a.code,
    status: a.status,
    statusLabel: APPOINTMENT_STATUS_LABELS[a.status],
    agencyCode: a.agency_code,
    agencyName,
    office: { id: office.id, code: office.code, name: office.name, address: office.address, phones: office.phones },
    business: { code: a.business_code, name: a.business_name },
    item: a.item_code ? { code: a.item_code, name: a.item_name } : null,
    date: a.day,
    provisional: provisional && a.status === 'booked',
    start: a.start_time,
    end: a.end_time,
    createdAt: iso(a.created_at)!,
    checkedInAt: iso(a.checked_in_at),
    servedAt: iso(a.served_at),
    cancelledAt: iso(a.cancelled_at),
    cancelReason: a.cancel_reason,
    noShowAt: iso(a.no_show_at),
    reschedules: a.reschedules,
    canCancel: changeable,
    canReschedule: changeable,
    rateable: a.status === 'checked_in' || a.status === 'served',
    ...(events ? { events: events.map((e) => ({ at: iso(e.at)!, kind: e.kind, label: EVENT_LABELS[e.kind] ?? e.kind, note: e.note })) } : {}),
  };
}

function maskMobile(m: string | null): string | null {
  if (!m) return null;
  return m.length >= 7 ? `${m.slice(0, 3)}****${m.slice(-4)}` : '****';
}

export function hallRowOut(a: ApptRow, names: Map<number, string>, today: string, now: Date): HallRowOut {
  const actions: HallRowOut['actions'] = [];
  const isToday = a.day === today;
  if (isToday && (a.status === 'booked' || a.status === 'no_show')) actions.push('check_in');
  if (a.status === 'checked_in') actions.push('serve');
  if (a.status === 'booked' && started(a, now)) actions.push('no_show');
  return {
    id: Number(a.id),
    code: a.code,
    status: a.status,
    statusLabel: APPOINTMENT_STATUS_LABELS[a.status],
    start: a.start_time,
    end: a.end_time,
    business: { code: a.business_code, name: a.business_name },
    item: a.item_code ? { code: a.item_code, name: a.item_name } : null,
    personName: a.person_name,
    mobileMasked: maskMobile(a.mobile),
    checkedInAt: iso(a.checked_in_at),
    checkedInBy: a.checked_in_by === null ? null : (names.get(Number(a.checked_in_by)) ?? null),
    servedAt: iso(a.served_at),
    servedBy: a.served_by === null ? null : (names.get(Number(a.served_by)) ?? null),
    actions,
  };
}
