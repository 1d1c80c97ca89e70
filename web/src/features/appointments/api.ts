/** Appointment API calls (types from common/api-appointments.ts; type-only imports keep zod out of the bundle). */
import type { z } from 'zod';
import type {
  AdminConfigOut,
  AppointmentOut,
  ApptOptionsOut,
  ApptSettings,
  BookIn,
  closedDayOut,
  HallActionOut,
  HallDayOut,
  MyAppointmentsOut,
  OfficeConfigIn,
  SlotsOut,
  StandingOut,
} from '../../../../common/api-appointments.ts';
import { send } from '../../lib/api.ts';

export type {
  AdminConfigOut,
  AppointmentOut,
  ApptOptionsOut,
  ApptSettings,
  HallActionOut,
  HallDayOut,
  MyAppointmentsOut,
  OfficeConfigIn,
  SlotsOut,
  StandingOut,
};
export type ClosedDayOut = z.infer<typeof closedDayOut>;

const enc = encodeURIComponent;

export const apptApi = {
  options: (agency: string) => send<ApptOptionsOut>('GET', `/api/agencies/${enc(agency)}/appointments`),
  slots: (office: number, business: string, from?: string, days = 14) =>
    send<SlotsOut>('GET', `/api/appointments/slots?office=${office}&business=${enc(business)}&days=${days}${from ? `&from=${from}` : ''}`),
  standing: (agency: string) => send<StandingOut>('GET', `/api/appointments/standing?agency=${enc(agency)}`),
  book: (body: BookIn) => send<AppointmentOut>('POST', '/api/appointments', body),
  mine: () => send<MyAppointmentsOut>('GET', '/api/appointments/mine'),
  get: (id: number) => send<AppointmentOut>('GET', `/api/appointments/${id}`),
  cancel: (id: number, reason?: string) => send<AppointmentOut>('POST', `/api/appointments/${id}/cancel`, reason ? { reason } : {}),
  reschedule: (id: number, date: string, start: string) => send<AppointmentOut>('POST', `/api/appointments/${id}/reschedule`, { date, start }),
  qrUrl: (id: number) => `/api/appointments/${id}/qr.svg`,

  hallDay: (office: number | null, date?: string | null) => {
    const sp = new URLSearchParams();
    if (office) sp.set('office', String(office));
    if (date) sp.set('date', date);
    return send<HallDayOut>('GET', `/api/staff/appointments?${sp}`);
  },
  checkIn: (code: string, officeId: number) => send<HallActionOut>('POST', '/api/staff/appointments/check-in', { code, officeId }),
  serve: (id: number) => send<HallActionOut>('POST', `/api/staff/appointments/${id}/serve`, {}),
  noShow: (id: number) => send<HallActionOut>('POST', `/api/staff/appointments/${id}/no-show`, {}),

  config: () => send<AdminConfigOut>('GET', '/api/admin/appointments'),
  putSettings: (body: ApptSettings) => send<{ ok: boolean }>('PUT', '/api/admin/appointments/settings', body),
  putOffice: (id: number, body: OfficeConfigIn) => send<{ ok: boolean }>('PUT', `/api/admin/appointments/offices/${id}`, body),
  closeDay: (id: number, date: string, reason: string) =>
    send<ClosedDayOut>('POST', `/api/admin/appointments/offices/${id}/closed-days`, { date, reason }),
  reopenDay: (id: number, date: string) => send<{ ok: boolean }>('DELETE', `/api/admin/appointments/offices/${id}/closed-days/${date}`),
};

export const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];

/** "10月9日 周四" */
export function dayLabel(date: string, weekday: number): string {
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日 周${WEEKDAYS[weekday]}`;
}

export function weekdayOf(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}
