/** The audit entry every admin change writes, in the change's own transaction (ctx.db is the trx). */
import type { AuditAction, AuditSubjectKind } from '../../../common/audit.ts';
import { AppError } from '../../../common/errors.ts';
import { actorLabel, type Ctx } from '../../http/actor.ts';
import { appendAudit } from './audit.ts';

export async function auditAdmin(
  ctx: Ctx,
  e: { agency: string; action: AuditAction; subjectKind: AuditSubjectKind; subjectId: string; data?: unknown },
): Promise<void> {
  if (ctx.actor.kind !== 'user') throw new AppError('FORBIDDEN');
  await appendAudit(ctx.db, {
    actorKind: 'staff',
    actorId: String(ctx.actor.id),
    actorLabel: ctx.actor.name,
    action: e.action,
    subjectKind: e.subjectKind,
    subjectId: e.subjectId,
    agencyCode: e.agency,
    requestId: ctx.requestId,
    ip: ctx.ip,
    data: e.data,
  });
}

/** Who published or changed something, as shown in histories: 张管理（fs-admin）. */
export function publisherLabel(ctx: Ctx): string {
  return ctx.actor.kind === 'user' ? `${ctx.actor.name}（${ctx.actor.login}）` : actorLabel(ctx.actor);
}
