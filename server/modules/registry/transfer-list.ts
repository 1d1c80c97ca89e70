/**
 * The 转移接续 legs a staff member's agency takes part in, as the transfers page draws them: which
 * step waits on this agency (`next`) and whether the reader may take it (`canAct`), decided here so
 * the page only draws.
 */
import { maskCitizenId } from '../../../common/ids.ts';
import type { Ctx, UserActor } from '../../http/actor.ts';
import { ISSUE_INFO_ROLES, runningLegProvisional } from './transfer.ts';

/** What waits on this agency: as origin, the letter to answer; as destination, an off-platform 信息表 to record, then the case to complete. */
export type TransferNext = 'issue_info' | 'record_external_info' | 'complete_case';

export function transferNext(t: { status: string; origin_external: string | null }, direction: 'in' | 'out'): TransferNext | null {
  if (direction === 'out') return t.status === 'letter_sent' ? 'issue_info' : null;
  if (t.status === 'letter_sent' && t.origin_external) return 'record_external_info';
  if (t.status === 'info_issued') return 'complete_case';
  return null;
}

export async function staffTransfers(ctx: Ctx, a: UserActor) {
  const today = ctx.today;
  const rows = await ctx.db
    .selectFrom('transfers as t')
    .innerJoin('cases as c', 'c.id', 't.case_id')
    .selectAll('t')
    .select(['c.case_no', 'c.applicant_name', 'c.applicant_id_no'])
    .where((eb) => eb.or([eb('t.origin_agency', '=', a.agencyCode), eb('t.dest_agency', '=', a.agencyCode)]))
    .orderBy('t.letter_on', 'asc')
    .orderBy('t.id', 'asc')
    .limit(500)
    .execute();
  const provisional = await runningLegProvisional(ctx, rows);
  const mayIssue = a.roles.some((r) => ISSUE_INFO_ROLES.includes(r));
  return {
    items: rows.map((t) => {
      const direction = t.origin_agency === a.agencyCode ? ('out' as const) : ('in' as const);
      const next = transferNext(t, direction);
      return {
        id: Number(t.id),
        caseId: Number(t.case_id),
        caseNo: t.case_no,
        applicantName: t.applicant_name,
        applicantIdNoMasked: maskCitizenId(t.applicant_id_no),
        direction,
        originAgency: t.origin_agency,
        originExternal: t.origin_external,
        destAgency: t.dest_agency,
        status: t.status as 'letter_sent' | 'info_issued' | 'completed',
        letterOn: t.letter_on,
        originDue: t.origin_due,
        infoOn: t.info_on,
        months: t.months,
        amount: t.amount_fen === null ? null : Number(t.amount_fen) / 100,
        destDue: t.dest_due,
        dueProvisional: provisional.has(Number(t.id)),
        overdue:
          (t.status === 'letter_sent' && t.origin_due !== null && today > t.origin_due) ||
          (t.status === 'info_issued' && t.dest_due !== null && today > t.dest_due),
        warning:
          (t.status === 'letter_sent' && t.origin_warn !== null && today >= t.origin_warn && today <= (t.origin_due ?? today)) ||
          (t.status === 'info_issued' && t.dest_warn !== null && today >= t.dest_warn && today <= (t.dest_due ?? today)),
        next,
        // Completing is the case's review (its page decides); issuing needs a role; recording is any staff's.
        canAct: next === 'issue_info' ? mayIssue : next !== null,
      };
    }),
  };
}
