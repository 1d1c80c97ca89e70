/**
 * The agency's separation-of-duties setting (agencies.separation_of_duties, common/duties.ts):
 * read by staff who review, changed by the agency admin without a deploy, each change audited.
 * The case workflow reads the column itself on each action, so a change holds at once.
 */
import { AppError } from '../../../common/errors.ts';
import type { Ctx } from '../../http/actor.ts';
import type { Db } from '../../db/index.ts';
import { audit } from '../audit/index.ts';

export async function separationOfDuties(db: Db, agency: string): Promise<boolean> {
  const r = await db.selectFrom('agencies').select('separation_of_duties').where('code', '=', agency).executeTakeFirst();
  if (!r) throw new AppError('NOT_FOUND', '没有这个经办机构。');
  return r.separation_of_duties;
}

export async function setSeparationOfDuties(ctx: Ctx, agency: string, on: boolean): Promise<boolean> {
  const before = await separationOfDuties(ctx.db, agency);
  if (before === on) return on;
  await ctx.db.updateTable('agencies').set({ separation_of_duties: on }).where('code', '=', agency).execute();
  await audit(ctx, 'agency.duties', { kind: 'agency', id: agency, agency }, { from: before, to: on });
  return on;
}
