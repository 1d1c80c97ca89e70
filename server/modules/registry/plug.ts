/**
 * What the registry plugs into the rules and the case hub (registered from boot.ts):
 * - the rules read a person's registry record from its snapshot;
 * - 转移接续: acceptance at the destination sends the 联系函 to the origin (its own leg and clock).
 *   Not for 转出: the person takes a 《参保凭证》 to the destination, which starts the transfer there.
 * - Completion: an approved case changes the registry in the same transaction (a failure rolls the
 *   approval back), and may issue a result document beside the notice.
 */
import { itemEffect } from '../../../common/effects.ts';
import { actorId, actorLabel } from '../../http/actor.ts';
import { caseHooks, issueResult, recordEvent, type EffectArgs } from '../cases/index.ts';
import { readSnapshotsFrom } from '../rules/index.ts';
import { applyCompletion } from './effects.ts';
import { snapshot } from './repository.ts';
import { startTransfer } from './transfer.ts';

async function transferStart({ ctx, env, row, ci, to }: EffectArgs) {
  if (itemEffect(ci.item as { name: string; national?: number }) !== 'transfer' || (row.answers as Record<string, string>).direction === 'out')
    return null;
  const note = await startTransfer(ctx, env, row, ci);
  await recordEvent(ctx.db, {
    caseId: row.id,
    at: ctx.now,
    action: 'transfer_letter',
    from: to,
    to,
    actorId: actorId(ctx.actor),
    actorLabel: actorLabel(ctx.actor),
    note,
  });
  // The transfer may have paused the case's clock.
  return { registryChanged: true, caseChanged: true };
}

async function completion({ ctx, env, row, ci, to }: EffectArgs) {
  const eff = await applyCompletion(ctx, row, ci);
  if (!eff) return { registryChanged: true };
  await recordEvent(ctx.db, {
    caseId: row.id,
    at: ctx.now,
    action: 'registry_update',
    from: to,
    to,
    actorId: actorId(ctx.actor),
    actorLabel: actorLabel(ctx.actor),
    note: eff.summary,
    data: { effect: eff.effect },
  });
  const resultTitle = eff.result ? (await issueResult(ctx, env, row, ci, eff.result)).title : undefined;
  return { registryChanged: true, effectSummary: eff.summary, resultTitle };
}

export function plugRegistry(): void {
  readSnapshotsFrom(snapshot);
  caseHooks.onTransition('registry.transfer-start', { when: { clock: 'start' }, run: transferStart });
  caseHooks.onTransition('registry.completion', { when: { to: 'approved' }, run: completion });
}
