import { AppError } from '../../../common/errors.ts';
import type { Ctx } from '../../http/actor.ts';
import { hit, type Limit } from '../../platform/rate-limit.ts';
import { appendAudit } from '../audit/index.ts';

/**
 * Abuse limits, counted in the database (server/platform/rate-limit.ts) so parallel requests and
 * several instances share them. Login attempts reserve a place in their address's and their login
 * name's window and give it back when they succeed: the counts are failures.
 */
export const LIMITS = {
  loginFailuresPerIp: { max: 30, windowMs: 15 * 60_000 },
  loginFailuresPerLogin: { max: 10, windowMs: 15 * 60_000 },
  registerPerIp: { max: 20, windowMs: 60 * 60_000 },
  smsPerIp: { max: 20, windowMs: 60 * 60_000 },
  smsPerMobile: { max: 5, windowMs: 60 * 60_000 },
} as const satisfies Record<string, Limit>;
/** Tries one SMS code allows, right or wrong; each is counted in its own committed statement. */
export const SMS_ATTEMPTS = 5;

export async function limited(ctx: Ctx, key: string, limit: Limit, what: string): Promise<void> {
  if (await hit(ctx.db, key, limit, ctx.now)) return;
  await appendAudit(ctx.db, {
    actorKind: 'anonymous',
    actorId: null,
    actorLabel: key,
    action: 'account.rate_limited',
    subjectKind: 'user',
    subjectId: key,
    requestId: ctx.requestId,
    ip: ctx.ip,
    at: ctx.now,
    data: { what, max: limit.max, windowMinutes: limit.windowMs / 60_000 },
  });
  throw new AppError('RATE_LIMITED');
}
