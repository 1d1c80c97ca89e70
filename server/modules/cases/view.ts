/**
 * A case's page as its reader may see it: the service gathers what the page shows (the case, its
 * parts, the actions the reader may take, the benefit as paid or as computed now) and the presenter
 * (presenter.ts) draws it. Staff opening a case see personal data: that view is recorded.
 */
import type { BillLine } from '../../../common/benefits.ts';
import type { CaseDetail } from '../../../common/api-cases.ts';
import type { Ctx } from '../../http/actor.ts';
import { audit } from '../audit/index.ts';
import { loadCalendar } from '../calendar/index.ts';
import { computeBenefit } from '../benefits/index.ts';
import { itemOfVersion } from './items.ts';
import { mayEnterBill } from './policy.ts';
import { detail } from './presenter.ts';
import * as repo from './repository.ts';
import type { CaseRow } from './repository.ts';
import { factsVisible, loadVisible, permittedActions, presentEvaluation } from './service.ts';

export interface ViewOptions {
  /** Record a staff member's view (opening the page, not the answer to their own action). */
  audit?: boolean;
  /** The case as this transaction just wrote or locked it (submit, an action), so it is not read again. */
  row?: CaseRow;
}

export async function caseView(ctx: Ctx, id: number, opts: ViewOptions = {}): Promise<CaseDetail> {
  const c = opts.row ?? (await loadVisible(ctx, id));
  const ci = await itemOfVersion(ctx.db, c.item_version_id);
  const parts = await repo.caseParts(ctx.db, c);
  const [permitted, cal, facts] = await Promise.all([
    permittedActions(ctx, c, ci, new Set(parts.materials.map((m) => m.material_index))),
    loadCalendar(ctx.db, ci.regionCode).catch(() => null),
    factsVisible(ctx, c),
  ]);
  if (opts.audit && ctx.actor.kind === 'user' && ctx.actor.userKind === 'staff') {
    await audit(ctx, 'case.view', { kind: 'case', id, agency: c.agency_code });
  }
  // The benefit: as paid once completed, else computed now from the registry and the answers.
  let benefit: CaseDetail['benefit'] = null;
  let billNeeded = false;
  const paid = parts.payment;
  const bill = parts.bill as BillLine[] | null;
  // A reader who is not the case's verified person sees no registry facts, evaluation or benefit trace.
  if (facts && paid)
    benefit = {
      benefit: paid.kind,
      label: paid.kind,
      amount: Number(paid.amount_fen) / 100,
      example: false,
      problem: null,
      trace: paid.trace as { step: string; formula?: string; value: string }[],
      paid: true,
    };
  else if (facts && c.status !== 'draft' && permitted.evaluation) {
    const o = await computeBenefit(ctx.db, {
      agency: c.agency_code,
      itemCode: c.item_code,
      answers: c.answers as Record<string, string>,
      snapshot: permitted.evaluation.snapshot,
      asOf: ctx.today,
      bill,
    });
    billNeeded = o?.itemised ?? false;
    if (o)
      benefit = {
        benefit: o.benefit,
        label: o.label,
        amount: o.result?.amount ?? null,
        example: o.result?.example ?? false,
        problem: o.problem,
        trace: o.result?.trace ?? [],
        paid: false,
        bill,
      };
  }
  // 手工报销 (or a benefit computed from a bill): the reviewer enters the itemised bill while reviewing.
  const canEnterBill = benefit !== null && !benefit.paid && (benefit.benefit === 'reimbursement' || billNeeded) && mayEnterBill(ctx.actor, c.status);
  return detail(ctx.actor, { ...c, assignee_name: parts.assignee_name }, ci, {
    benefit,
    canEnterBill,
    today: ctx.today,
    cal,
    materials: parts.materials.map((m) => ({ ...m, id: Number(m.id), size: Number(m.size) })),
    events: parts.events,
    clock: parts.clock,
    documents: parts.documents.map((d) => ({ ...d, id: Number(d.id) })),
    actions: permitted.actions,
    evaluation: facts && permitted.evaluation && c.status !== 'draft' ? presentEvaluation(permitted.evaluation) : null,
  });
}
