/**
 * What emergency mode plugs into the case hub and the booking checks (registered from boot.ts):
 * 暂缓办理 refuses new applications for a deferred item; 先自动通过 is a guard fact, and after a case
 * enters the queue (submitted, registered by staff, or resubmitted after 补正) it is auto-passed
 * when due; the booking checks refuse deferred items and keep appointment-only offices.
 */
import { caseHooks } from '../cases/index.ts';
import { registerEmergencyBookingChecks } from './booking.ts';
import { assertNotDeferred, autoPassToday } from './regime.ts';
import { autoPassIfDue } from './service.ts';

export function plugEmergency(): void {
  caseHooks.onIntake('emergency.deferred', (ctx, q) => assertNotDeferred(ctx.db, q.agencyCode, q.itemCode, ctx.today, q.channel));
  caseHooks.addFact('emergency.auto-pass-day', async (ctx, c) => ({
    emergency_auto_pass: (await autoPassToday(ctx.db, c.agency_code, c.item_code, ctx.today)) !== null,
  }));
  caseHooks.after('emergency.auto-pass', {
    actions: ['submit', 'register', 'resubmit'],
    run: (ctx, env, row) => autoPassIfDue(ctx, env, row.id, row),
  });
  registerEmergencyBookingChecks();
}
