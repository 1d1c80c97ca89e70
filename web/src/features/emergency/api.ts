/** Emergency-mode API calls (types from common/api-emergency.ts; type-only imports keep zod out of the bundle). */
import type { z } from 'zod';
import { send } from '../../lib/api.ts';
import type {
  AdminEmergencyOut,
  decideIn,
  postAuditListOut,
  PublicEmergencyOut,
  reviseOut,
  switchOnIn,
  switchOut,
} from '../../../../common/api-emergency.ts';
import type { RegimeDoc } from '../../../../common/emergency.ts';

export type { AdminEmergencyOut, PublicEmergencyOut, RegimeDoc };
export type PostAuditList = z.infer<typeof postAuditListOut>;
export type SwitchOut = z.infer<typeof switchOut>;

/** Fired after the regime changes here, so the banner and guides refetch at once. */
export const EMERGENCY_CHANGED = 'emergency-changed';
export const announceChange = () => window.dispatchEvent(new Event(EMERGENCY_CHANGED));

// Many components of one page ask for the same agency at once: share the request for a moment.
const inflight = new Map<string, { at: number; p: Promise<PublicEmergencyOut> }>();
export function publicEmergency(agency: string): Promise<PublicEmergencyOut> {
  const hit = inflight.get(agency);
  if (hit && Date.now() - hit.at < 2000) return hit.p;
  const p = send<PublicEmergencyOut>('GET', `/api/agencies/${encodeURIComponent(agency)}/emergency`);
  inflight.set(agency, { at: Date.now(), p });
  p.catch(() => inflight.delete(agency));
  return p;
}
window.addEventListener(EMERGENCY_CHANGED, () => inflight.clear());

export const emergencyApi = {
  admin: () => send<AdminEmergencyOut>('GET', '/api/admin/emergency'),
  revise: (code: string, body: { baseVersion: number; note: string; doc: RegimeDoc }) =>
    send<z.infer<typeof reviseOut>>('POST', `/api/admin/emergency/regimes/${encodeURIComponent(code)}/versions`, body),
  on: (body: z.input<typeof switchOnIn>) => send<SwitchOut>('POST', '/api/admin/emergency/on', body),
  off: (note: string) => send<SwitchOut>('POST', '/api/admin/emergency/off', { note }),
  postAudits: (status: string) => send<PostAuditList>('GET', `/api/staff/post-audits?status=${encodeURIComponent(status)}`),
  decide: (id: number, body: z.input<typeof decideIn>) => send<{ ok: boolean }>('POST', `/api/staff/post-audits/${id}/decision`, body),
};
