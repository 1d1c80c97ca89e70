/**
 * Separation of duties on a case (common/duties.ts): whether the case's agency has it on, who
 * accepted the case and who sent it to 复核, read from the timeline in one statement. Only the
 * states where it can matter are read; the setting is read each time (an admin's change holds at once).
 */
import { sql } from 'kysely';
import { ACCEPT_ACTIONS, type CaseDuties } from '../../../common/duties.ts';
import type { Ctx } from '../../http/actor.ts';
import { memoized } from '../../http/actor.ts';
import type { CaseRow } from './repository.ts';

const STATES = ['accepted', 'tolerance_accepted', 'reviewing', 'rechecking'];
const NONE: CaseDuties = { separated: false, acceptedBy: null, reviewedBy: null };

export async function caseDuties(ctx: Ctx, c: Pick<CaseRow, 'id' | 'agency_code' | 'status'>): Promise<CaseDuties> {
  if (ctx.actor.kind !== 'user' || ctx.actor.userKind !== 'staff' || !STATES.includes(c.status)) return NONE;
  return memoized(ctx, `duties|${c.id}|${c.status}`, async () => {
    const r = await sql<{ separated: boolean | null; accepted_by: number | string | null; reviewed_by: number | string | null }>`
      select
        (select separation_of_duties from agencies where code = ${c.agency_code}) as separated,
        (select actor_id from case_events where case_id = ${c.id} and action in (${sql.join(ACCEPT_ACTIONS)})
          order by id desc limit 1) as accepted_by,
        (select actor_id from case_events where case_id = ${c.id} and action = 'send_recheck'
          order by id desc limit 1) as reviewed_by`.execute(ctx.db);
    const row = r.rows[0];
    const num = (v: number | string | null | undefined) => (v === null || v === undefined ? null : Number(v));
    return { separated: row?.separated !== false, acceptedBy: num(row?.accepted_by), reviewedBy: num(row?.reviewed_by) };
  });
}
