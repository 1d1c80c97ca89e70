/** The account-security calls: change and reset the password, the session list. */
import type { z } from 'zod';
import type {
  passwordChangeIn,
  passwordChangeOut,
  passwordResetIn,
  revokeOneOut,
  revokeOthersOut,
  sessionsOut,
} from '../../../../common/api-accounts.ts';
import { send } from '../../lib/api.ts';

export type Sessions = z.infer<typeof sessionsOut>;
export type SessionItem = Sessions['items'][number];

export const securityApi = {
  changePassword: (body: z.input<typeof passwordChangeIn>) => send<z.infer<typeof passwordChangeOut>>('POST', '/api/auth/password', body),
  resetPassword: (body: z.input<typeof passwordResetIn>) => send<{ ok: true }>('POST', '/api/auth/reset', body),
  sessions: () => send<Sessions>('GET', '/api/auth/sessions'),
  revokeOthers: () => send<z.infer<typeof revokeOthersOut>>('POST', '/api/auth/sessions/revoke-others'),
  revokeSession: (id: number) => send<z.infer<typeof revokeOneOut>>('DELETE', `/api/auth/sessions/${id}`),
};
