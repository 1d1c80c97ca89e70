/** The staff case page's shared types and the channels staff record on the applicant's behalf. */
import type { CaseDetail } from '../../lib/api.ts';

export type Action = CaseDetail['actions'][number];
export type Result = { kind: 'ok' | 'error'; text: string };
export const STAFF_CHANNELS = ['window', 'email', 'fax', 'post'];
