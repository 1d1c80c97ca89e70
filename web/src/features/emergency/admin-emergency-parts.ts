/** The emergency admin page's shared types, labels and the error-details helper. */
import { asApiError } from '../../lib/api.ts';
import type { ChannelKind } from '../../../../common/emergency-kinds.ts';
import type { AdminEmergencyOut } from './api.ts';

export type Data = AdminEmergencyOut;
export type Regime = Data['regimes'][number];
export type Msg = { kind: 'ok' | 'error' | 'info'; text: string } | null;
export type Named = { code: string; name: string };

export const ENROLMENT_LABELS: Record<string, string> = { employee: '职工医保', resident: '城乡居民医保', maternity: '生育保险' };
export const EDITABLE_CHANNELS: ChannelKind[] = ['online', 'mobile', 'email', 'fax', 'post', 'phone', 'window', 'agent', 'self_service'];

/** The error's details as { path, message } (the server gives `path` as a dotted string, zod errors too). */
export function problems(e: unknown): { path: string; message: string }[] {
  const d = asApiError(e).details;
  if (!Array.isArray(d)) return [];
  return d.flatMap((x) => {
    if (!x || typeof x !== 'object') return [];
    const o = x as Record<string, unknown>;
    const path = typeof o.field === 'string' ? o.field : typeof o.path === 'string' ? o.path : Array.isArray(o.path) ? o.path.join('.') : '';
    return typeof o.message === 'string' ? [{ path, message: o.message }] : [];
  });
}
