/**
 * Benefit calculation for a case: parameters from data/benefits (versioned in `benefit_params`),
 * inputs from the registry snapshot and the application. The same computation is shown to staff
 * and applicant before completion and becomes the payment record at completion.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Db } from '../../db/index.ts';
import {
  BenefitError,
  benefitFile,
  benefitParams as paramsSchema,
  cappedPayment,
  flatPayment,
  maternityAllowance,
  manualReimbursement,
  type BillLine,
  procedureCapPayment,
  selectParams,
  type BenefitParams,
  type BenefitResult,
  type DeliveryKind,
} from '../../../common/benefits.ts';
import type { PersonSnapshot } from '../../../common/registry.ts';
import { ttlCache } from '../../platform/ttl-cache.ts';
import { appendOnlyStamp } from '../../db/stamp.ts';

export async function seedBenefitParams(db: Kysely<DB>, dataDir: string): Promise<void> {
  const dir = path.join(dataDir, 'benefits');
  if (!existsSync(dir)) return;
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.yaml'))
    .sort()) {
    const text = readFileSync(path.join(dir, f), 'utf8');
    const file = benefitFile.parse(parse(text));
    await db
      .insertInto('benefit_params')
      .values({ agency_code: file.agency, doc: JSON.stringify(file.params), source_hash: createHash('sha256').update(text).digest('hex') })
      .onConflict((oc) => oc.columns(['agency_code', 'source_hash']).doNothing())
      .execute();
  }
  forgetBenefitParams();
}

// Parameters change only when an admin publishes or the seeds load; every case page computes a
// benefit, so they are kept per agency like the rules: forgotten here on publish, and other
// instances see a new version within a minute.
const cache = ttlCache<BenefitParams[]>(60_000);

/** Forget the cached parameters (after a publish or a seed load in this process). */
export function forgetBenefitParams(agency?: string): void {
  cache.forget(agency);
}

/** Every parameter version an agency ever loaded (each carries its own effective dates). */
export function agencyParams(db: Db, agency: string): Promise<BenefitParams[]> {
  return cache.get(
    agency,
    async () => {
      const rows = await db.selectFrom('benefit_params').select('doc').where('agency_code', '=', agency).orderBy('id').execute();
      const all = rows.flatMap((r) => (r.doc as unknown[]).map((d) => paramsSchema.parse(d)));
      // A later load of the same benefit+version replaces the earlier one.
      const byKey = new Map(all.map((p) => [`${p.benefit}@${p.version}`, p]));
      return [...byKey.values()];
    },
    () => appendOnlyStamp(db, { table: 'benefit_params', column: 'agency_code' }, [agency]),
  );
}

export interface BenefitOutcome {
  benefit: string;
  label: string;
  result: BenefitResult | null;
  /** Why it cannot be computed yet (missing answer, parameter or registry fact). */
  problem: string | null;
  /** Computed from an itemised bill the reviewer enters (手工报销). */
  itemised: boolean;
}

function deliveryKind(answers: Record<string, string>): DeliveryKind | null {
  if (answers.beneficiary === 'male') return 'male_nursing';
  if (answers.delivery === 'natural' || answers.delivery === 'caesarean') return answers.delivery;
  return null;
}

/**
 * The parameters an item is paid by on `asOf`: of each benefit that lists the item, the version
 * selectParams picks from the versions that list it; should two benefits list one item, the
 * highest version of those, the first loaded on a tie. Null when none is in force.
 */
function itemParams(params: readonly BenefitParams[], itemCode: string, asOf: string): BenefitParams | null {
  const forItem = params.filter((x) => x.items.includes(itemCode));
  const chosen = new Set(forItem.map((x) => selectParams(forItem, x.benefit, asOf)));
  return forItem.reduce<BenefitParams | null>((best, x) => (chosen.has(x) && (!best || x.version > best.version) ? x : best), null);
}

/** The benefit this item pays, computed for this applicant now; null when the item pays none. */
export async function computeBenefit(
  db: Db,
  p: { agency: string; itemCode: string; answers: Record<string, string>; snapshot: PersonSnapshot; asOf: string; bill?: BillLine[] | null },
): Promise<BenefitOutcome | null> {
  const prm = itemParams(await agencyParams(db, p.agency), p.itemCode, p.asOf);
  if (!prm) return null;
  const out = (result: BenefitResult | null, problem: string | null): BenefitOutcome => ({
    benefit: prm.benefit,
    label: prm.label,
    result,
    problem,
    itemised: prm.calculator === 'manual_reimbursement',
  });
  try {
    switch (prm.calculator) {
      case 'maternity_allowance': {
        const kind = deliveryKind(p.answers);
        if (!kind) return out(null, '申请表尚未选择分娩方式或申领类型。');
        const wage = p.snapshot.unit?.avgMonthlyWage ?? null;
        if (wage === null) return out(null, '参保信息库中没有申请人所在单位的职工月平均工资，无法计算；请单位申报缴费基数后再核算。');
        return out(maternityAllowance(prm, { avgMonthlyWage: wage, kind }), null);
      }
      case 'capped': {
        const claim = Number(p.answers.claimAmount);
        if (!Number.isFinite(claim) || claim <= 0) return out(null, '申请表尚未填写申请金额。');
        const already = (p.snapshot.paidBenefits ?? []).filter((b) => b.benefit === prm.benefit).reduce((s, b) => s + b.amount, 0);
        return out(cappedPayment(prm, { claim, alreadyPaid: prm.cumulative ? already : 0 }), null);
      }
      case 'flat':
        return out(flatPayment(prm), null);
      case 'procedure_caps': {
        const claim = Number(p.answers.claimAmount);
        if (!p.answers.procedure || !Number.isFinite(claim) || claim <= 0) return out(null, '申请表尚未选择手术项目或填写申请金额。');
        return out(procedureCapPayment(prm, { procedure: p.answers.procedure, claim }), null);
      }
      case 'manual_reimbursement': {
        // Itemised bill lines are entered by the reviewer from the invoices and 费用清单.
        if (!p.bill?.length) return out(null, '手工报销按费用清单逐项核算：请审核人员录入费用明细后计算。');
        const year = p.asOf.slice(0, 4);
        const earlier = (p.snapshot.paidBenefits ?? []).filter((b) => b.benefit === prm.benefit && b.date.startsWith(year));
        const paidThisYear = earlier.reduce((s, b) => s + b.amount, 0);
        // A payment earlier this year means that year's 起付线 was already exceeded.
        const deductibleMet = earlier.length ? prm.deductible : 0;
        return out(manualReimbursement(prm, { lines: p.bill, deductibleMet, paidThisYear }), null);
      }
    }
  } catch (e) {
    if (e instanceof BenefitError) return out(null, e.message);
    throw e;
  }
  return null;
}
