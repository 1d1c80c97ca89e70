/**
 * Benefit calculators (issue 4) with an explanation trace. Parameters are data, per agency and
 * effective-dated (`data/benefits/<agency>.yaml`, validated by `benefitFile`). All arithmetic is
 * in integer fen (分); rounding is half-up to the fen, once, where a division or ratio is applied.
 *
 * Numbers the seeds do not give are never presented as the agency's: such parameters carry
 * `source: '示例参数（种子未载明）'` and `example: true`, and every result computed from them says so.
 * A calculator whose required parameter is absent throws `BenefitError('BENEFIT_PARAMS_MISSING')`.
 *
 * Pure; imports only zod and common/.
 */
import { z } from 'zod';
import { calendarDate } from './date-schema.ts';
import { AGENCY_CODES } from './catalog.ts';
import { formatMoney } from './rules/index.ts';

export const EXAMPLE_SOURCE = '示例参数（种子未载明）';

export class BenefitError extends Error {
  readonly code: 'BENEFIT_PARAMS_MISSING' | 'VALIDATION_FAILED';
  constructor(code: 'BENEFIT_PARAMS_MISSING' | 'VALIDATION_FAILED', message: string) {
    super(message);
    this.name = 'BenefitError';
    this.code = code;
  }
}

// ---------------------------------------------------------------------------------------------
// Money helpers (fen)

/** Yuan (≤ 2 decimals) → integer fen. */
export function toFen(yuan: number): number {
  if (!Number.isFinite(yuan) || yuan < 0) throw new BenefitError('VALIDATION_FAILED', `金额无效：${yuan}`);
  const fen = Math.round(yuan * 100);
  if (Math.abs(fen - yuan * 100) > 1e-6) throw new BenefitError('VALIDATION_FAILED', `金额最多两位小数：${yuan}`);
  return fen;
}
const yuan = (fen: number): number => fen / 100;
const money = (fen: number): string => formatMoney(fen / 100);
/** a × b ÷ c rounded half-up, for non-negative integers. */
function mulDiv(a: number, b: number, c: number): number {
  return Math.floor((2 * a * b + c) / (2 * c));
}
/** Ratio 0..1 with at most 4 decimals → basis points. */
function bp(r: number): number {
  return Math.round(r * 10000);
}
const pct = (b: number): string => `${(b / 100).toFixed(b % 100 === 0 ? 0 : 2)}%`;

const moneyParam = z
  .number()
  .nonnegative()
  .refine((v) => Math.abs(Math.round(v * 100) - v * 100) < 1e-6, '金额最多两位小数');
const ratioParam = z
  .number()
  .min(0)
  .max(1)
  .refine((v) => Math.abs(Math.round(v * 10000) - v * 10000) < 1e-6, '比例最多四位小数');

// ---------------------------------------------------------------------------------------------
// Parameter documents

const isoDate = calendarDate;

const base = {
  /** Benefit key (e.g. 'prenatal'); rules' `benefits.paidTotal` uses the same keys. */
  benefit: z.string().regex(/^[a-z][a-z_]*$/),
  label: z.string().min(1),
  items: z.array(z.string().regex(/^[A-Z0-9-]+$/)).min(1),
  version: z.number().int().positive(),
  effectiveFrom: isoDate,
  effectiveTo: isoDate.optional(),
  /** The seed's wording for the numbers, verbatim — or EXAMPLE_SOURCE. */
  source: z.string().min(1),
  example: z.boolean().default(false),
  note: z.string().min(1).optional(),
};

export const DELIVERY_KINDS = ['natural', 'caesarean', 'male_nursing'] as const;
export type DeliveryKind = (typeof DELIVERY_KINDS)[number];
export const DELIVERY_LABELS: Record<DeliveryKind, string> = { natural: '顺产', caesarean: '剖宫产', male_nursing: '男职工护理津贴' };

export const maternityAllowanceParams = z
  .object({
    ...base,
    calculator: z.literal('maternity_allowance'),
    /** 日平均工资 = 月平均工资 ÷ divisor. */
    divisor: z.number().int().positive(),
    /** Days per kind; a kind the seed does not give is left out (the calculator refuses it). */
    days: z
      .object({
        natural: z.number().int().positive().optional(),
        caesarean: z.number().int().positive().optional(),
        male_nursing: z.number().int().positive().optional(),
      })
      .strict(),
  })
  .strict();
export const cappedParams = z.object({ ...base, calculator: z.literal('capped'), cap: moneyParam, cumulative: z.boolean() }).strict();
export const flatParams = z.object({ ...base, calculator: z.literal('flat'), amount: moneyParam, per: z.string().min(1) }).strict();
export const procedureCapsParams = z
  .object({
    ...base,
    calculator: z.literal('procedure_caps'),
    procedures: z.array(z.object({ code: z.string().regex(/^[a-z][a-z_]*$/), label: z.string().min(1), cap: moneyParam }).strict()).min(1),
  })
  .strict();
export const manualReimbursementParams = z
  .object({
    ...base,
    calculator: z.literal('manual_reimbursement'),
    /** 起付线 per year. */
    deductible: moneyParam,
    /** 报销比例 of the part above the 起付线. */
    ratio: ratioParam,
    /** 封顶线 per year (fund payments). */
    ceiling: moneyParam,
    /** 先行自付比例 for 'partly' lines without their own. */
    partlySelfPayRatio: ratioParam.optional(),
  })
  .strict();

export const benefitParams = z
  .discriminatedUnion('calculator', [maternityAllowanceParams, cappedParams, flatParams, procedureCapsParams, manualReimbursementParams])
  .superRefine((p, ctx) => {
    if ((p.source === EXAMPLE_SOURCE) !== p.example)
      ctx.addIssue({ code: 'custom', path: ['example'], message: `example: true 当且仅当 source 为“${EXAMPLE_SOURCE}”` });
    if (p.effectiveTo && p.effectiveTo < p.effectiveFrom)
      ctx.addIssue({ code: 'custom', path: ['effectiveTo'], message: 'effectiveTo 早于 effectiveFrom' });
  });
export type BenefitParams = z.infer<typeof benefitParams>;
export type MaternityAllowanceParams = z.infer<typeof maternityAllowanceParams>;
export type CappedParams = z.infer<typeof cappedParams>;
export type FlatParams = z.infer<typeof flatParams>;
export type ProcedureCapsParams = z.infer<typeof procedureCapsParams>;
export type ManualReimbursementParams = z.infer<typeof manualReimbursementParams>;

export const benefitFile = z.object({ agency: z.enum(AGENCY_CODES), params: z.array(benefitParams) }).strict();
export type BenefitFile = z.infer<typeof benefitFile>;

/** Duplicate benefit+version, a benefit changing calculator across versions, unknown items. */
export function checkBenefitParams(params: readonly BenefitParams[], itemCodes?: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const p of params) {
    const k = `${p.benefit}@${p.version}`;
    if (seen.has(k)) problems.push(`待遇参数重复: ${k}`);
    seen.add(k);
    if (params.some((o) => o.benefit === p.benefit && o.calculator !== p.calculator)) problems.push(`待遇 ${p.benefit} 各版本的 calculator 不一致`);
    if (itemCodes) for (const it of p.items) if (!itemCodes.has(it)) problems.push(`待遇 ${p.benefit} 引用未知事项 ${it}`);
  }
  return [...new Set(problems)];
}

/** The parameters in force for a benefit on `asOf` (highest version in force), or null. */
export function selectParams<C extends BenefitParams['calculator']>(
  params: readonly BenefitParams[],
  benefit: string,
  asOf: string,
  calculator?: C,
): Extract<BenefitParams, { calculator: C }> | null {
  let best: BenefitParams | null = null;
  for (const p of params) {
    if (p.benefit !== benefit || (calculator && p.calculator !== calculator)) continue;
    if (p.effectiveFrom > asOf || (p.effectiveTo && p.effectiveTo < asOf)) continue;
    if (!best || p.version > best.version) best = p;
  }
  return best as Extract<BenefitParams, { calculator: C }> | null;
}

// ---------------------------------------------------------------------------------------------
// Results

export interface TraceStep {
  step: string;
  formula?: string;
  value: string;
}
export interface BenefitResult<P = BenefitParams> {
  /** Yuan, 2 decimals. */
  amount: number;
  trace: TraceStep[];
  params: P;
  /** Computed from example parameters (not the agency's published numbers). */
  example: boolean;
}

function finish<P extends BenefitParams>(p: P, fen: number, trace: TraceStep[]): BenefitResult<P> {
  if (p.example) trace.unshift({ step: '注意：本计算使用示例参数，不是经办机构公布的标准', value: p.source });
  trace.push({ step: '应支付金额', value: money(fen) });
  return { amount: yuan(fen), trace, params: p, example: p.example };
}

// ---------------------------------------------------------------------------------------------
// Calculators

/** 生育津贴 / 护理津贴 = 单位职工月平均工资 ÷ divisor × 天数. */
export function maternityAllowance(
  p: MaternityAllowanceParams,
  input: { avgMonthlyWage: number | null; kind: DeliveryKind },
): BenefitResult<MaternityAllowanceParams> {
  const days = p.days[input.kind];
  if (days === undefined)
    throw new BenefitError('BENEFIT_PARAMS_MISSING', `未录入“${DELIVERY_LABELS[input.kind]}”的生育津贴天数（${p.source}），不能计算。`);
  if (input.avgMonthlyWage === null) throw new BenefitError('VALIDATION_FAILED', '缺少单位职工月平均工资，不能计算生育津贴。');
  const wage = toFen(input.avgMonthlyWage);
  const fen = mulDiv(wage, days, p.divisor);
  const trace: TraceStep[] = [
    { step: '单位职工月平均工资', value: money(wage) },
    { step: '日平均工资（显示取两位小数，计算用精确值）', formula: `${money(wage)} ÷ ${p.divisor}`, value: money(mulDiv(wage, 1, p.divisor)) },
    { step: `享受天数（${DELIVERY_LABELS[input.kind]}）`, value: `${days}天` },
    {
      step: `${input.kind === 'male_nursing' ? '护理津贴' : '生育津贴'}`,
      formula: `${money(wage)} ÷ ${p.divisor} × ${days}，四舍五入到分`,
      value: money(fen),
    },
  ];
  return finish(p, fen, trace);
}

/** Capped payment: pays min(claim, cap − already paid) for a cumulative cap, min(claim, cap) otherwise. */
export function cappedPayment(p: CappedParams, input: { claim: number; alreadyPaid?: number }): BenefitResult<CappedParams> {
  const claim = toFen(input.claim);
  const cap = toFen(p.cap);
  const paid = p.cumulative ? toFen(input.alreadyPaid ?? 0) : 0;
  const room = Math.max(0, cap - paid);
  const fen = Math.min(claim, room);
  const trace: TraceStep[] = [{ step: `本次申请${p.label}`, value: money(claim) }];
  if (p.cumulative) {
    trace.push({ step: '累计额度', value: money(cap) });
    trace.push({ step: '已报销累计', value: money(paid) });
    trace.push({ step: '剩余额度', formula: `max(0, ${money(cap)} − ${money(paid)})`, value: money(room) });
    trace.push({ step: '本次可支付', formula: `min(${money(claim)}, ${money(room)})`, value: money(fen) });
  } else {
    trace.push({ step: '限额', value: money(cap) });
    trace.push({ step: '本次可支付', formula: `min(${money(claim)}, ${money(cap)})`, value: money(fen) });
  }
  return finish(p, fen, trace);
}

/** Flat payment (定额支付), per case. */
export function flatPayment(p: FlatParams, input: { cases?: number } = {}): BenefitResult<FlatParams> {
  const n = input.cases ?? 1;
  if (!Number.isInteger(n) || n < 1) throw new BenefitError('VALIDATION_FAILED', `例数无效：${n}`);
  const each = toFen(p.amount);
  const fen = each * n;
  return finish(p, fen, [
    { step: `${p.label}定额标准`, value: `${money(each)}/${p.per}` },
    { step: '例数', value: String(n) },
    { step: '定额支付', formula: `${money(each)} × ${n}`, value: money(fen) },
  ]);
}

/** Per-procedure caps (限额支付): pays min(claim, the procedure's cap). */
export function procedureCapPayment(p: ProcedureCapsParams, input: { procedure: string; claim: number }): BenefitResult<ProcedureCapsParams> {
  const proc = p.procedures.find((x) => x.code === input.procedure);
  if (!proc)
    throw new BenefitError(
      'BENEFIT_PARAMS_MISSING',
      `没有“${input.procedure}”手术的限额参数（可选：${p.procedures.map((x) => `${x.code} ${x.label}`).join('、')}）。`,
    );
  const claim = toFen(input.claim);
  const cap = toFen(proc.cap);
  const fen = Math.min(claim, cap);
  return finish(p, fen, [
    { step: `本次申请（${proc.label}）`, value: money(claim) },
    { step: `${proc.label}限额`, value: money(cap) },
    { step: '本次可支付', formula: `min(${money(claim)}, ${money(cap)})`, value: money(fen) },
  ]);
}

export const BILL_CATEGORIES = ['covered', 'partly', 'excluded'] as const;
export type BillCategory = (typeof BILL_CATEGORIES)[number];
export interface BillLine {
  name: string;
  amount: number;
  category: BillCategory;
  /** 先行自付比例 for a 'partly' line (else the parameter's default). */
  selfPayRatio?: number;
}

/**
 * 手工（零星）报销: per line → 纳入统筹范围的金额 (excluded 0; partly amount × (1 − 先行自付比例));
 * total → minus the rest of the year's 起付线 → × 报销比例 → at most the rest of the year's 封顶线.
 */
export function manualReimbursement(
  p: ManualReimbursementParams,
  input: { lines: readonly BillLine[]; deductibleMet?: number; paidThisYear?: number },
): BenefitResult<ManualReimbursementParams> {
  if (!input.lines.length) throw new BenefitError('VALIDATION_FAILED', '没有费用明细。');
  const trace: TraceStep[] = [];
  let total = 0;
  let excluded = 0;
  let selfFirst = 0;
  let eligible = 0;
  for (const l of input.lines) {
    const a = toFen(l.amount);
    total += a;
    if (l.category === 'excluded') {
      excluded += a;
      trace.push({ step: `${l.name}：不予支付（全自费）`, value: `${money(a)} → 纳入 ${money(0)}` });
    } else if (l.category === 'covered') {
      eligible += a;
      trace.push({ step: `${l.name}：全额纳入统筹范围`, value: `${money(a)} → 纳入 ${money(a)}` });
    } else {
      const r = l.selfPayRatio ?? p.partlySelfPayRatio;
      if (r === undefined) throw new BenefitError('BENEFIT_PARAMS_MISSING', `“${l.name}”为部分支付项目，但没有先行自付比例。`);
      if (!(r >= 0 && r <= 1)) throw new BenefitError('VALIDATION_FAILED', `先行自付比例无效：${r}`);
      const s = mulDiv(a, bp(r), 10000);
      selfFirst += s;
      eligible += a - s;
      trace.push({
        step: `${l.name}：部分纳入（先行自付${pct(bp(r))}）`,
        formula: `${money(a)} − ${money(a)} × ${pct(bp(r))}`,
        value: `${money(a)} → 纳入 ${money(a - s)}`,
      });
    }
  }
  const deductibleLeft = Math.max(0, toFen(p.deductible) - toFen(input.deductibleMet ?? 0));
  const deducted = Math.min(eligible, deductibleLeft);
  const above = eligible - deducted;
  const payable = mulDiv(above, bp(p.ratio), 10000);
  const ceilingLeft = Math.max(0, toFen(p.ceiling) - toFen(input.paidThisYear ?? 0));
  const fen = Math.min(payable, ceilingLeft);
  trace.push(
    { step: '费用合计', value: money(total) },
    { step: '全自费（不予支付）合计', value: money(excluded) },
    { step: '先行自付合计', value: money(selfFirst) },
    { step: '纳入统筹范围的费用', formula: `${money(total)} − ${money(excluded)} − ${money(selfFirst)}`, value: money(eligible) },
    {
      step: '本年度剩余起付线',
      formula: `max(0, ${money(toFen(p.deductible))} − 已累计${money(toFen(input.deductibleMet ?? 0))})`,
      value: money(deductibleLeft),
    },
    { step: '超过起付线的部分', formula: `${money(eligible)} − min(${money(eligible)}, ${money(deductibleLeft)})`, value: money(above) },
    { step: `按报销比例${pct(bp(p.ratio))}`, formula: `${money(above)} × ${pct(bp(p.ratio))}，四舍五入到分`, value: money(payable) },
    {
      step: '本年度剩余封顶线',
      formula: `max(0, ${money(toFen(p.ceiling))} − 已支付${money(toFen(input.paidThisYear ?? 0))})`,
      value: money(ceilingLeft),
    },
    { step: '封顶后', formula: `min(${money(payable)}, ${money(ceilingLeft)})`, value: money(fen) },
  );
  return finish(p, fen, trace);
}
