/**
 * Emergency mode in hall booking (issue 5): while a regime is on, a deferred item (暂缓办理) takes
 * no new bookings, and an appointment-only hall (仅限预约) takes bookings only the regime's number
 * of working days ahead. Both are named checks added to the appointments policy at start-up.
 */
import { domainToAppError } from '../../errors.ts';
import { addBookingCheck, type BookingCheck } from '../appointments/index.ts';
import { loadCalendar } from '../calendar/index.ts';
import { bookingRestrictions } from './regime.ts';

export const emergencyDeferredCheck: BookingCheck = {
  name: 'emergency_deferred',
  run: async (f, env) => {
    if (f.kind === 'reschedule' || !f.itemCode) return null;
    const r = await bookingRestrictions(env.db, f.agencyCode, f.today);
    const d = r.deferredItems.find((x) => x.itemCode === f.itemCode);
    if (!d) return null;
    return { code: 'EMERGENCY_ITEM_DEFERRED', message: `${r.regime?.title ?? '应急期间'}：本事项暂缓办理，暂停新的预约。${d.message}` };
  },
};

export const emergencyAppointmentOnlyCheck: BookingCheck = {
  name: 'emergency_appointment_only',
  run: async (f, env) => {
    const r = await bookingRestrictions(env.db, f.agencyCode, f.today);
    if (!r.appointmentOnlyOffices.length) return null;
    const office = await env.db.selectFrom('offices').select('code').where('id', '=', f.officeId).executeTakeFirst();
    const rule = office ? r.appointmentOnlyOffices.find((o) => o.officeCode === office.code) : undefined;
    if (!rule || rule.minWorkingDaysAhead <= 0) return null;
    const agency = await env.db.selectFrom('agencies').select('region_code').where('code', '=', f.agencyCode).executeTakeFirstOrThrow();
    const cal = await loadCalendar(env.db, agency.region_code);
    let earliest: string;
    try {
      earliest = cal.addWorkingDays(f.today, rule.minWorkingDaysAhead);
    } catch (e) {
      const known = domainToAppError(e); // a year beyond the calendar: the booking is refused with its code
      if (known) return { code: known.code, message: known.message };
      throw e;
    }
    if (f.date >= earliest) return null;
    return {
      code: 'APPT_TOO_SOON',
      message: `应急期间本大厅仅限预约办理，须至少提前 ${rule.minWorkingDaysAhead} 个工作日预约（最早可约 ${earliest}）。${rule.wording}`,
      details: { earliest },
    };
  },
};

/** Called once at start-up (idempotent: a check with the same name replaces the earlier one). */
export function registerEmergencyBookingChecks(): void {
  addBookingCheck(emergencyDeferredCheck);
  addBookingCheck(emergencyAppointmentOnlyCheck);
}
