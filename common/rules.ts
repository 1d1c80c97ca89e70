/**
 * Declarative eligibility / 禁办 / 容缺-exclusion rules (issue 4). Rules are data
 * (`data/rules/<agency>.yaml`), versioned and effective-dated, attached to item codes, and
 * evaluated against a registry snapshot (common/registry.ts) plus the application's answers.
 *
 * A rule applies when its `when` condition holds (or has none); it then PASSES when `require`
 * holds, else it FAILS and its `reason` template is rendered with the facts it used. Facts come
 * from a closed registry (`FACTS`): an unknown fact name or bad arguments are rejected when the
 * rule document is parsed, so a typo fails at load, never at evaluation.
 *
 * Pure and deterministic: no clock (the date is `asOf`), no I/O, no packages except zod.
 * `answerProblems` checks that the items' online forms ask every answer a rule reads.
 */
import { z } from 'zod';
import { AGENCY_CODES, type CatalogItem } from './catalog.ts';
import { formFieldsOf } from './forms.ts';
import {
  addMonthsYm,
  arrearsMonths,
  continuousPaidMonths,
  countsAsPaid,
  ENROLMENT_STATUS_LABELS,
  ENROLMENT_TYPES,
  monthOf,
  type EnrolmentRecord,
  type EnrolmentType,
  type GraceContext,
  type PersonSnapshot,
  type RemoteFilingRecord,
} from './registry.ts';

// ---------------------------------------------------------------------------------------------
// Values and formatting

export type FactValue = string | number | boolean | string[] | null;
export type Answers = Readonly<Record<string, unknown>>;

export const RULE_KINDS = ['eligibility', 'prohibition', 'tolerance_exclusion'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export const RULE_KIND_LABELS: Record<RuleKind, string> = { eligibility: '办理条件', prohibition: '禁办情形', tolerance_exclusion: '不适用容缺' };

/** Yuan → '¥1,234.56' (computed on integer fen). */
export function formatMoney(yuan: number): string {
  const fen = Math.round(yuan * 100);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const int = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${int}.${String(abs % 100).padStart(2, '0')}`;
}

const EMPLOYMENT_LABELS: Record<string, string> = { employed: '在职', flexible: '灵活就业', retired: '退休' };
const FILING_KINDS = ['resettled', 'long_term', 'work', 'referral', 'emergency', 'other_temporary'] as const;
const FILING_KIND_LABELS: Record<(typeof FILING_KINDS)[number], string> = {
  resettled: '异地安置',
  long_term: '异地长期居住',
  work: '常驻异地工作',
  referral: '异地转诊',
  emergency: '异地急诊',
  other_temporary: '其他临时外出就医',
};

type Format =
  'boolean' | 'months' | 'years' | 'money' | 'count' | 'region' | 'text' | 'date' | 'enrolmentStatus' | 'personStatus' | 'sex' | 'employment';

function formatValue(v: FactValue, f: Format): string {
  if (v === null) return '无记录';
  if (Array.isArray(v)) return v.length ? v.join('、') : '无';
  switch (f) {
    case 'boolean':
      return v === true ? '是' : v === false ? '否' : String(v);
    case 'months':
      return `${v}个月`;
    case 'years':
      return `${v}周岁`;
    case 'count':
      return `${v}种`;
    case 'money':
      return typeof v === 'number' ? formatMoney(v) : String(v);
    case 'enrolmentStatus':
      return v === 'none' ? '未参保' : (ENROLMENT_STATUS_LABELS[v as keyof typeof ENROLMENT_STATUS_LABELS] ?? String(v));
    case 'personStatus':
      return v === 'normal' ? '正常' : v === 'deceased' ? '死亡' : String(v);
    case 'sex':
      return v === 'M' ? '男' : v === 'F' ? '女' : String(v);
    case 'employment':
      return EMPLOYMENT_LABELS[String(v)] ?? String(v);
    default:
      return typeof v === 'boolean' ? (v ? '是' : '否') : String(v);
  }
}

// ---------------------------------------------------------------------------------------------
// Fact registry

export interface FactContext {
  snapshot: PersonSnapshot;
  answers: Answers;
  /** YYYY-MM-DD */
  asOf: string;
}

interface FactDef<A extends z.ZodType = z.ZodType> {
  /** Chinese label; `{arg}` is replaced by the argument's value. */
  label: string;
  format: Format;
  args: A;
  compute: (ctx: FactContext, args: z.infer<A>) => FactValue;
}

const enrolType = z.enum(ENROLMENT_TYPES);
const noArgs = z.object({}).strict();
const typeArg = z.object({ type: enrolType }).strict();
const optTypeArg = z.object({ type: enrolType.optional() }).strict();
const prefixArg = z.object({ prefix: z.string().regex(/^\d{2,6}$/, '区划前缀应为2—6位数字') }).strict();

function def<A extends z.ZodType>(d: FactDef<A>): FactDef {
  return d as unknown as FactDef;
}

const TYPE_LABEL: Record<EnrolmentType, string> = { employee: '职工医保', resident: '城乡居民医保', maternity: '生育保险' };

function ageYears(birth: string, asOf: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [ay, am, ad] = asOf.split('-').map(Number) as [number, number, number];
  return ay - by - (am < bm || (am === bm && ad < bd) ? 1 : 0);
}

function ymIndex(ym: string): number {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  return y * 12 + m - 1;
}

/** The enrolment of a type in force or most recently started on or before asOf. */
/** The emergency grace windows the snapshot carries, for the contribution facts (none: ordinary rules). */
function graceOf(c: { snapshot: PersonSnapshot; asOf: string }): GraceContext | undefined {
  return c.snapshot.graceWindows?.length ? { windows: c.snapshot.graceWindows, asOf: c.asOf } : undefined;
}

function currentEnrolment(s: PersonSnapshot, type: EnrolmentType, asOf: string): EnrolmentRecord | null {
  const c = s.enrolments.filter((e) => e.type === type && e.start <= asOf).sort((a, b) => (a.start < b.start ? 1 : a.start > b.start ? -1 : 0));
  return c[0] ?? null;
}

function activeAt(e: EnrolmentRecord | null, asOf: string): boolean {
  return !!e && e.status === 'active' && e.start <= asOf && (e.end === null || e.end >= asOf);
}

function enrolmentStatus(s: PersonSnapshot, type: EnrolmentType | undefined, asOf: string): string {
  if (type) {
    const e = currentEnrolment(s, type, asOf);
    if (!e) return 'none';
    return e.status === 'active' && !activeAt(e, asOf) ? 'terminated' : e.status;
  }
  // No type: the person's medical insurance (职工 or 城乡居民), best status first.
  const st = (['employee', 'resident'] as const).map((t) => enrolmentStatus(s, t, asOf));
  for (const want of ['active', 'suspended', 'terminated']) if (st.includes(want)) return want;
  return 'none';
}

function answerValue(answers: Answers, id: string): FactValue {
  const v = answers[id];
  if (typeof v === 'string') return v === '' ? null : v;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string' || typeof x === 'number').map(String);
  return null;
}

function filingValid(f: RemoteFilingRecord, asOf: string): boolean {
  return f.validFrom <= asOf && (f.validTo === null || f.validTo >= asOf);
}

/** The closed registry of named facts. Add here (with a label and format) when a rule needs one. */
export const FACTS = {
  'person.exists': def({ label: '参保登记系统中有此人', format: 'boolean', args: noArgs, compute: (c) => c.snapshot.person !== null }),
  'person.status': def({ label: '人员状态', format: 'personStatus', args: noArgs, compute: (c) => c.snapshot.person?.status ?? null }),
  'person.hukouRegion': def({ label: '户籍地区划代码', format: 'region', args: noArgs, compute: (c) => c.snapshot.person?.hukouRegion ?? null }),
  'person.hukouInRegion': def({
    label: '户籍在区划{prefix}内',
    format: 'boolean',
    args: prefixArg,
    compute: (c, a) => (c.snapshot.person ? c.snapshot.person.hukouRegion.startsWith(a.prefix) : null),
  }),
  'person.residencePermitRegion': def({
    label: '居住证所在区划代码',
    format: 'region',
    args: noArgs,
    compute: (c) => c.snapshot.person?.residencePermitRegion ?? null,
  }),
  'person.residencePermitInRegion': def({
    label: '持有区划{prefix}内的居住证',
    format: 'boolean',
    args: prefixArg,
    compute: (c, a) =>
      c.snapshot.person ? (c.snapshot.person.residencePermitRegion ?? '').startsWith(a.prefix) && !!c.snapshot.person.residencePermitRegion : null,
  }),
  'person.ageYears': def({
    label: '年龄',
    format: 'years',
    args: noArgs,
    compute: (c) => (c.snapshot.person ? ageYears(c.snapshot.person.birthDate, c.asOf) : null),
  }),
  'guardians.parentInRegion': def({
    label: '登记的父母一方有区划{prefix}内的户籍或居住证',
    format: 'boolean',
    args: prefixArg,
    // From the guardians registered in 参保人档案 (relation 父母, living): yes when one has a 户籍 or a
    // residence permit in the region; no only when both parents are registered and neither has; no
    // record (null) while the registry does not know both parents — a rule then falls back to the answer.
    compute: (c, a) => {
      if (!c.snapshot.person) return null;
      const parents = (c.snapshot.guardians ?? []).filter((g) => g.relation === 'parent');
      const living = parents.filter((g) => g.status === 'normal');
      if (
        living.some((g) => g.hukouRegion.startsWith(a.prefix) || ((g.residencePermitRegion ?? '').startsWith(a.prefix) && !!g.residencePermitRegion))
      )
        return true;
      return parents.length >= 2 ? false : null;
    },
  }),
  'person.sex': def({ label: '性别', format: 'sex', args: noArgs, compute: (c) => c.snapshot.person?.sex ?? null }),
  'person.badCredit': def({ label: '有失信记录', format: 'boolean', args: noArgs, compute: (c) => c.snapshot.person?.badCredit ?? null }),
  'person.employment': def({
    label: '人员类别（在职/灵活就业/退休）',
    format: 'employment',
    args: noArgs,
    // The registry's employee enrolment when it records the category, else the application's `employment` answer.
    compute: (c) => {
      const e = currentEnrolment(c.snapshot, 'employee', c.asOf);
      if (e?.employment) return e.employment;
      const a = answerValue(c.answers, 'employment');
      return typeof a === 'string' ? a : null;
    },
  }),
  'enrolment.status': def({
    label: '{type}参保状态',
    format: 'enrolmentStatus',
    args: optTypeArg,
    compute: (c, a) => enrolmentStatus(c.snapshot, a.type, c.asOf),
  }),
  'enrolment.activeAt': def({
    label: '{type}处于参保缴费状态',
    format: 'boolean',
    args: typeArg,
    compute: (c, a) => activeAt(currentEnrolment(c.snapshot, a.type, c.asOf), c.asOf),
  }),
  'enrolment.monthsSinceStart': def({
    label: '{type}自参保起的月数',
    format: 'months',
    args: typeArg,
    compute: (c, a) => {
      const e = currentEnrolment(c.snapshot, a.type, c.asOf);
      return e ? ymIndex(monthOf(c.asOf)) - ymIndex(monthOf(e.start)) : null;
    },
  }),
  'enrolment.benefitStarted': def({
    label: '{type}待遇已生效',
    format: 'boolean',
    args: z
      .object({ type: enrolType, rule: z.enum(['next_month', 'after_months']), months: z.number().int().positive().optional() })
      .strict()
      .refine((a) => a.rule !== 'after_months' || a.months !== undefined, 'after_months 需要 months'),
    compute: (c, a) => {
      const ym = monthOf(c.asOf);
      if (a.rule === 'next_month') {
        // 当月参保，次月生效
        const e = currentEnrolment(c.snapshot, a.type, c.asOf);
        return activeAt(e, c.asOf) && ymIndex(ym) > ymIndex(monthOf(e!.start));
      }
      // 连续缴满N个月，第N+1个月生效
      const m = a.months!;
      const n = continuousPaidMonths(c.snapshot.contributions, a.type, ym, graceOf(c));
      if (n < m) return false;
      const paidNow = c.snapshot.contributions.some((x) => x.type === a.type && countsAsPaid(x, graceOf(c)) && x.month === ym);
      const end = paidNow ? ym : addMonthsYm(ym, -1);
      const runStart = addMonthsYm(end, -(n - 1));
      return ymIndex(ym) >= ymIndex(addMonthsYm(runStart, m));
    },
  }),
  'contributions.continuousMonths': def({
    label: '{type}连续缴费月数',
    format: 'months',
    args: typeArg,
    compute: (c, a) => continuousPaidMonths(c.snapshot.contributions, a.type, monthOf(c.asOf), graceOf(c)),
  }),
  'contributions.arrearsMonths': def({
    label: '{type}欠费月数',
    format: 'months',
    args: optTypeArg,
    compute: (c, a) => arrearsMonths(c.snapshot.contributions, a.type ?? null, monthOf(c.asOf), graceOf(c)).length,
  }),
  'contributions.hasArrears': def({
    label: '{type}有欠费',
    format: 'boolean',
    args: optTypeArg,
    compute: (c, a) => arrearsMonths(c.snapshot.contributions, a.type ?? null, monthOf(c.asOf), graceOf(c)).length > 0,
  }),
  'contributions.paidMonthsHere': def({
    label: '在本经办机构已缴费的{type}月数',
    format: 'months',
    args: optTypeArg,
    compute: (c, a) =>
      c.snapshot.contributions.filter(
        (x) => x.paid && x.agencyCode === c.snapshot.agencyCode && (!a.type || x.type === a.type) && x.month <= monthOf(c.asOf),
      ).length,
  }),
  'unit.exists': def({ label: '有参保单位', format: 'boolean', args: noArgs, compute: (c) => c.snapshot.unit !== null }),
  'unit.status': def({ label: '单位状态', format: 'text', args: noArgs, compute: (c) => c.snapshot.unit?.status ?? null }),
  'unit.avgMonthlyWage': def({ label: '单位职工月平均工资', format: 'money', args: noArgs, compute: (c) => c.snapshot.unit?.avgMonthlyWage ?? null }),
  'unit.hasArrears': def({ label: '单位有医保欠费', format: 'boolean', args: noArgs, compute: (c) => c.snapshot.unit?.hasArrears ?? null }),
  'lockout.active': def({
    label: '处于待遇封锁期',
    format: 'boolean',
    args: noArgs,
    compute: (c) => c.snapshot.lockouts.some((l) => l.from <= c.asOf && c.asOf <= l.to),
  }),
  'lockout.until': def({
    label: '待遇封锁期截止日',
    format: 'date',
    args: noArgs,
    compute: (c) => {
      const cur = c.snapshot.lockouts.filter((l) => l.from <= c.asOf && c.asOf <= l.to).map((l) => l.to);
      return cur.length ? cur.sort().at(-1)! : null;
    },
  }),
  'chronic.count': def({
    label: '已认定的门诊慢特病病种数',
    format: 'count',
    args: noArgs,
    compute: (c) => c.snapshot.chronicCerts.filter((x) => x.from <= c.asOf && (x.to === null || x.to >= c.asOf)).length,
  }),
  'chronic.countWithRequested': def({
    label: '已认定与本次申请的门诊慢特病病种合计',
    format: 'count',
    args: z
      .object({
        answer: z
          .string()
          .regex(/^[a-z][a-zA-Z0-9]*$/)
          .default('diseases'),
      })
      .strict(),
    compute: (c, a) => {
      const held = c.snapshot.chronicCerts.filter((x) => x.from <= c.asOf && (x.to === null || x.to >= c.asOf)).map((x) => x.disease);
      const v = answerValue(c.answers, a.answer);
      const asked = Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
      if (typeof v === 'number') return held.length + v;
      return new Set([...held, ...asked]).size;
    },
  }),
  'remoteFiling.active': def({
    label: '有效的异地就医备案（{kinds}）',
    format: 'boolean',
    args: z.object({ kinds: z.array(z.enum(FILING_KINDS)).min(1).optional() }).strict(),
    compute: (c, a) => c.snapshot.remoteFilings.some((f) => filingValid(f, c.asOf) && (!a.kinds || a.kinds.includes(f.kind))),
  }),
  'remoteFiling.pledgeOverdue': def({
    label: '异地就医备案的承诺书材料逾期未补齐',
    format: 'boolean',
    args: noArgs,
    compute: (c) => c.snapshot.remoteFilings.some((f) => f.pledgeDue !== null && f.pledgeDue < c.asOf),
  }),
  'account.exists': def({ label: '有个人账户', format: 'boolean', args: noArgs, compute: (c) => c.snapshot.account !== null }),
  'account.balance': def({ label: '个人账户余额', format: 'money', args: noArgs, compute: (c) => c.snapshot.account?.balance ?? null }),
  'benefits.paidTotal': def({
    label: '已支付的{benefit}待遇累计',
    format: 'money',
    args: z.object({ benefit: z.string().regex(/^[a-z][a-z_]*$/) }).strict(),
    compute: (c, a) => {
      const fen = (c.snapshot.paidBenefits ?? [])
        .filter((p) => p.benefit === a.benefit && p.date <= c.asOf)
        .reduce((s, p) => s + Math.round(p.amount * 100), 0);
      return fen / 100;
    },
  }),
  answer: def({
    label: '申请填报：{id}',
    format: 'text',
    args: z.object({ id: z.string().regex(/^[a-z][a-zA-Z0-9]*$/) }).strict(),
    compute: (c, a) => answerValue(c.answers, a.id),
  }),
} satisfies Record<string, FactDef>;

export type FactName = keyof typeof FACTS;
export const FACT_NAMES = Object.keys(FACTS) as FactName[];

const ARG_DISPLAY: Record<string, (v: unknown) => string> = {
  type: (v) => TYPE_LABEL[v as EnrolmentType] ?? String(v),
  kinds: (v) => (Array.isArray(v) ? v.map((k) => FILING_KIND_LABELS[k as keyof typeof FILING_KIND_LABELS] ?? k).join('、') : '任一类型'),
  benefit: (v) => BENEFIT_LABELS[String(v)] ?? String(v),
};
/** Chinese names of benefit keys used by `benefits.paidTotal` (and common/benefits.ts). */
export const BENEFIT_LABELS: Record<string, string> = {
  prenatal: '产前检查费',
  childbirth: '生育医疗费',
  family_planning: '计划生育医疗费',
  maternity_allowance: '生育津贴',
  reimbursement: '医疗费用报销',
};

function factLabel(name: FactName, args: Record<string, unknown>): string {
  return FACTS[name].label
    .replace(/\{(\w+)\}/g, (_, k: string) => {
      const v = args[k];
      if (v === undefined) return k === 'type' ? '' : k === 'kinds' ? '任一类型' : '';
      return (ARG_DISPLAY[k] ?? String)(v);
    })
    .replace(/（）/g, '');
}

// ---------------------------------------------------------------------------------------------
// Conditions

export const CONDITION_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', 'startsWith', 'contains', 'exists'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

type Scalar = string | number | boolean;
export interface FactCondition {
  fact: FactName;
  args?: Record<string, unknown>;
  op: ConditionOp;
  value?: Scalar | Scalar[];
}
export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | FactCondition;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const factCondition = z
  .object({
    fact: z.string(),
    args: z.record(z.string(), z.unknown()).optional(),
    op: z.enum(CONDITION_OPS),
    value: z.union([scalar, z.array(scalar)]).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const f = (FACTS as Record<string, FactDef>)[c.fact];
    if (!f) {
      ctx.addIssue({ code: 'custom', path: ['fact'], message: `未知事实 ${c.fact}（可用：${FACT_NAMES.join(', ')}）` });
      return;
    }
    const a = f.args.safeParse(c.args ?? {});
    if (!a.success)
      for (const i of a.error.issues) ctx.addIssue({ code: 'custom', path: ['args', ...i.path.map(String)], message: `${c.fact}: ${i.message}` });
    if (c.op === 'exists') {
      if (c.value !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'exists 不带 value' });
    } else if (c.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} 需要 value` });
    else if ((c.op === 'in' || c.op === 'notIn') !== Array.isArray(c.value))
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: c.op === 'in' || c.op === 'notIn' ? `${c.op} 的 value 应为数组` : `${c.op} 的 value 不能是数组`,
      });
    else if (['gt', 'gte', 'lt', 'lte'].includes(c.op) && typeof c.value !== 'number')
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} 的 value 应为数字` });
    else if ((c.op === 'startsWith' || c.op === 'contains') && typeof c.value !== 'string')
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} 的 value 应为字符串` });
  });

export const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(condition).min(1) }).strict(),
    z.object({ any: z.array(condition).min(1) }).strict(),
    z.object({ not: condition }).strict(),
    factCondition,
  ]),
) as unknown as z.ZodType<Condition>;

// ---------------------------------------------------------------------------------------------
// Rule documents

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), '无效日期');

export const RULE_CODE = /^[A-Z0-9]+(-[A-Z0-9]+)*$/;
const ALL_ITEMS = '*';

function leaves(c: Condition | undefined, out: FactCondition[] = []): FactCondition[] {
  if (!c) return out;
  if ('all' in c) c.all.forEach((x) => leaves(x, out));
  else if ('any' in c) c.any.forEach((x) => leaves(x, out));
  else if ('not' in c) leaves(c.not, out);
  else out.push(c);
  return out;
}

export const rule = z
  .object({
    /** Stable code (A-Z0-9-). 禁办 rules reuse the catalogue's situation codes (e.g. FS-JB-01). */
    code: z.string().regex(RULE_CODE, '规则编码只能由大写字母、数字和连字符组成'),
    agency: z.enum(AGENCY_CODES),
    /** Item codes the rule is attached to; '*' = every item of the agency. */
    items: z.array(z.string().regex(/^(\*|[A-Z0-9-]+)$/)).min(1),
    kind: z.enum(RULE_KINDS),
    version: z.number().int().positive(),
    effectiveFrom: isoDate,
    effectiveTo: isoDate.optional(),
    /** The seed's own wording, verbatim. */
    source: z.string().min(1),
    /** 'seed' = stated by the agency's guide; 'platform' = platform policy (the guide is silent). */
    basis: z.enum(['seed', 'platform']).default('seed'),
    note: z.string().min(1).optional(),
    when: condition.optional(),
    require: condition,
    /** Plain Chinese shown when the rule fails; {fact.name} placeholders name facts the rule uses. */
    reason: z.string().min(1),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.effectiveTo && r.effectiveTo < r.effectiveFrom)
      ctx.addIssue({ code: 'custom', path: ['effectiveTo'], message: 'effectiveTo 早于 effectiveFrom' });
    const used = new Set<string>(leaves(r.when, leaves(r.require)).map((l) => l.fact));
    for (const m of r.reason.matchAll(/\{([^}]*)\}/g)) {
      const name = m[1]!;
      const f = (FACTS as Record<string, FactDef>)[name];
      // A placeholder names a fact the rule uses, or a fact that needs no arguments (computed for the reason).
      if (!used.has(name) && !(f && f.args.safeParse({}).success))
        ctx.addIssue({ code: 'custom', path: ['reason'], message: `理由中的 {${name}} 不是本规则使用的事实，也不是无参数的事实` });
    }
  });

export type Rule = z.infer<typeof rule>;
export type RuleInput = z.input<typeof rule>;

/** A rules file: one agency's rules. */
export const ruleFile = z
  .object({ agency: z.enum(AGENCY_CODES), rules: z.array(rule) })
  .strict()
  .superRefine((f, ctx) => {
    f.rules.forEach((r, i) => {
      if (r.agency !== f.agency)
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'agency'], message: `规则 ${r.code} 的机构 ${r.agency} 与文件 ${f.agency} 不符` });
    });
  });
export type RuleFile = z.infer<typeof ruleFile>;

/** Cross-rule checks: duplicate code+version, a code changing kind, overlapping versions. */
export function checkRules(rules: readonly Rule[], itemCodes?: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, Rule>();
  for (const r of rules) {
    const key = `${r.agency}/${r.code}@${r.version}`;
    if (seen.has(key)) problems.push(`规则重复: ${key}`);
    seen.set(key, r);
    const other = rules.find((o) => o.agency === r.agency && o.code === r.code && o.kind !== r.kind);
    if (other) problems.push(`规则 ${r.code} 各版本的 kind 不一致`);
    if (itemCodes) for (const it of r.items) if (it !== ALL_ITEMS && !itemCodes.has(it)) problems.push(`规则 ${r.code} 引用未知事项 ${it}`);
  }
  return [...new Set(problems)];
}

/** The answers a rule reads: `compared` when the condition compares the answer itself (not a count made from it). */
function answerReads(r: Rule): { id: string; leaf: FactCondition; compared: boolean }[] {
  return leaves(r.when, leaves(r.require)).flatMap((l): { id: string; leaf: FactCondition; compared: boolean }[] => {
    if (l.fact === 'answer') return [{ id: String(l.args?.id), leaf: l, compared: true }];
    // person.employment: the registry's category first, the application's `employment` answer when it has none.
    if (l.fact === 'person.employment') return [{ id: 'employment', leaf: l, compared: true }];
    if (l.fact === 'chronic.countWithRequested') return [{ id: String(l.args?.answer ?? 'diseases'), leaf: l, compared: false }];
    return [];
  });
}

/** Answer ids a rule reads (the item's form or checklist must ask them; see answerProblems). */
export function answerIds(r: Rule): string[] {
  return [...new Set(answerReads(r).map((a) => a.id))];
}

export interface AnswerProblem {
  rule: string;
  item: string;
  answer: string;
  kind: 'not_asked' | 'value';
  message: string;
}

/**
 * Answers a rule may read although an item's form does not ask them, keyed `RULE/ITEM/answerId`,
 * each with the reason it cannot or must not be asked there. Only for answers that genuinely cannot
 * be a field of that item; where the registry should know a fact, add a registry fact instead.
 */
export const UNASKED_ANSWERS_ALLOWED: Readonly<Record<string, string>> = {
  // FS-JB-01 (个体参保人员是外地户口，并且没有抚顺居住证) covers 职工参保登记 FS-02 and 城乡居民参保登记 FS-03.
  // `employment ne employed` only exempts a unit employee on FS-02 (which asks it); a 城乡居民 on FS-03
  // has no 人员类别 to give, and the missing answer is exactly what makes the rule apply to them.
  'FS-JB-01/FS-03/employment': '城乡居民参保登记没有人员类别；未填报即按个体参保人员判断',
};

/** Whether an answer problem is on the allow-list above. */
export function answerProblemAllowed(p: AnswerProblem): boolean {
  return p.kind === 'not_asked' && `${p.rule}/${p.item}/${p.answer}` in UNASKED_ANSWERS_ALLOWED;
}

const NUMERIC_FIELD_TYPES = new Set(['number', 'money']);

/**
 * Can every item a rule is attached to ('*' = every item given) see the answers it reads? Each answer
 * must be a field of the item's online form (common/forms.ts formFieldsOf: applicant block, checklist
 * questions, the item's extra fields), a compared value must be one of the field's options, and an
 * ordering (gt/gte/lt/lte) needs a number field. Unknown item codes are checkRules's business.
 */
export function answerProblems(r: Rule, items: readonly Pick<CatalogItem, 'code' | 'questions' | 'form'>[]): AnswerProblem[] {
  const reads = answerReads(r);
  if (!reads.length) return [];
  const out: AnswerProblem[] = [];
  const targets = r.items.includes(ALL_ITEMS) ? items : items.filter((i) => r.items.includes(i.code));
  for (const it of targets) {
    const fields = new Map(formFieldsOf(it).map((f) => [f.id, f]));
    const add = (answer: string, kind: AnswerProblem['kind'], message: string) =>
      out.push({ rule: r.code, item: it.code, answer, kind, message: `${r.code}（${it.code}）：${message}` });
    for (const { id, leaf, compared } of reads) {
      const f = fields.get(id);
      if (!f) {
        if (!out.some((p) => p.item === it.code && p.answer === id && p.kind === 'not_asked'))
          add(id, 'not_asked', `读取申请填报 ${id}，但事项的申请表没有询问`);
        continue;
      }
      if (!compared) continue;
      const values = leaf.value === undefined ? [] : Array.isArray(leaf.value) ? leaf.value : [leaf.value];
      const options = f.options?.map((o) => o.value);
      switch (leaf.op) {
        case 'eq':
        case 'ne':
        case 'in':
        case 'notIn':
          for (const v of values) {
            if (typeof v !== 'string') add(id, 'value', `把 ${id} 与 ${JSON.stringify(v)} 比较，但申请填报是文字`);
            else if (options && !options.includes(v)) add(id, 'value', `把 ${id} 与 ${v} 比较，但该字段的选项只有 ${options.join('、')}`);
          }
          break;
        case 'gt':
        case 'gte':
        case 'lt':
        case 'lte':
          if (!NUMERIC_FIELD_TYPES.has(f.type)) add(id, 'value', `对 ${id} 做数值比较，但该字段不是数字（${f.type}）`);
          break;
        case 'startsWith':
        case 'contains':
          if (options && !options.some((o) => (leaf.op === 'startsWith' ? o.startsWith(String(leaf.value)) : o.includes(String(leaf.value)))))
            add(id, 'value', `${id} ${leaf.op} ${String(leaf.value)} 在该字段的任何选项上都不成立`);
          break;
        case 'exists':
          break;
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export interface FactUse {
  name: FactName;
  args?: Record<string, unknown>;
  label: string;
  value: FactValue;
  display: string;
}

export interface RuleResult {
  code: string;
  kind: RuleKind;
  version: number;
  applies: boolean;
  passed: boolean;
  /** Rendered Chinese reason; empty when the rule passed or did not apply. */
  reason: string;
  source: string;
  facts: FactUse[];
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** Form answers arrive as text: an ordering reads '33' (a number field's answer) as 33. */
function asNumber(v: FactValue): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return null;
}

function compare(v: FactValue, op: ConditionOp, want: Scalar | Scalar[] | undefined): boolean {
  const present = v !== null && !(Array.isArray(v) && v.length === 0);
  switch (op) {
    case 'exists':
      return present;
    case 'eq':
      return Array.isArray(v) ? v.includes(String(want)) : v === want;
    case 'ne':
      return !(Array.isArray(v) ? v.includes(String(want)) : v === want);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const n = asNumber(v);
      if (n === null || typeof want !== 'number') return false;
      return op === 'gt' ? n > want : op === 'gte' ? n >= want : op === 'lt' ? n < want : n <= want;
    }
    case 'in':
    case 'notIn': {
      const list = (want as Scalar[]) ?? [];
      const hit = Array.isArray(v) ? v.some((x) => list.map(String).includes(x)) : v !== null && list.includes(v as Scalar);
      return op === 'in' ? hit : !hit;
    }
    case 'startsWith':
      return typeof v === 'string' && typeof want === 'string' && v.startsWith(want);
    case 'contains':
      return typeof want === 'string' && (typeof v === 'string' ? v.includes(want) : Array.isArray(v) && v.some((x) => x.includes(want)));
  }
}

class Evaluator {
  readonly ctx: FactContext;
  readonly used = new Map<string, FactUse>();
  constructor(ctx: FactContext) {
    this.ctx = ctx;
  }
  fact(l: FactCondition): FactValue {
    const key = `${l.fact}${canonical(l.args ?? {})}`;
    const hit = this.used.get(key);
    if (hit) return hit.value;
    const d = FACTS[l.fact] as FactDef;
    const args = d.args.parse(l.args ?? {}) as Record<string, unknown>;
    const value = d.compute(this.ctx, args);
    const use: FactUse = { name: l.fact, label: factLabel(l.fact, args), value, display: formatValue(value, d.format) };
    if (l.args && Object.keys(l.args).length) use.args = l.args;
    this.used.set(key, use);
    return value;
  }
  /** Evaluates every leaf (no short-circuit), so the facts list is complete and stable. */
  eval(c: Condition): boolean {
    if ('all' in c) return c.all.map((x) => this.eval(x)).every(Boolean);
    if ('any' in c) return c.any.map((x) => this.eval(x)).some(Boolean);
    if ('not' in c) return !this.eval(c.not);
    return compare(this.fact(c), c.op, c.value);
  }
}

function render(reason: string, facts: FactUse[]): string {
  return reason.replace(/\{([^}]*)\}/g, (_, name: string) => facts.find((f) => f.name === name)?.display ?? '无记录');
}

/** Facts a reason cites that the conditions did not use (no-argument facts), computed for the trace. */
function citeExtra(ev: Evaluator, reason: string): void {
  for (const m of reason.matchAll(/\{([^}]*)\}/g)) {
    const name = m[1] as FactName;
    if (FACTS[name] && ![...ev.used.values()].some((u) => u.name === name)) ev.fact({ fact: name, op: 'exists' });
  }
}

/** Evaluates one rule. `asOf` defaults to the snapshot's date. */
export function evaluateRule(r: Rule, snapshot: PersonSnapshot, answers: Answers = {}, asOf: string = snapshot.asOf): RuleResult {
  const ev = new Evaluator({ snapshot, answers, asOf });
  const applies = r.when ? ev.eval(r.when) : true;
  // The require facts are computed even when the rule does not apply, so the trace is the same shape.
  const holds = ev.eval(r.require);
  const passed = !applies || holds;
  citeExtra(ev, r.reason);
  const facts = [...ev.used.values()];
  return { code: r.code, kind: r.kind, version: r.version, applies, passed, reason: passed ? '' : render(r.reason, facts), source: r.source, facts };
}

/** Is the rule version in force on `asOf`? */
export function inForce(r: Pick<Rule, 'effectiveFrom' | 'effectiveTo'>, asOf: string): boolean {
  return r.effectiveFrom <= asOf && (!r.effectiveTo || r.effectiveTo >= asOf);
}

/**
 * The rules in force for an item on `asOf` (per code, the highest version in force), evaluated.
 * Rules of other agencies than the snapshot's are ignored. Results are ordered by code.
 */
export function evaluateRules(
  rules: readonly Rule[],
  itemCode: string,
  snapshot: PersonSnapshot,
  answers: Answers = {},
  asOf: string = snapshot.asOf,
): RuleResult[] {
  const chosen = new Map<string, Rule>();
  for (const r of rules) {
    if (r.agency !== snapshot.agencyCode) continue;
    if (!r.items.includes(itemCode) && !r.items.includes(ALL_ITEMS)) continue;
    if (!inForce(r, asOf)) continue;
    const cur = chosen.get(r.code);
    if (!cur || r.version > cur.version) chosen.set(r.code, r);
  }
  return [...chosen.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)).map((r) => evaluateRule(r, snapshot, answers, asOf));
}

/** What the workflow needs from a set of results (guard facts: 禁办 found, 容缺 allowed). */
export function summarise(results: readonly RuleResult[]): {
  eligible: boolean;
  prohibited: boolean;
  toleranceAllowed: boolean;
  failed: RuleResult[];
} {
  const failed = results.filter((r) => !r.passed);
  return {
    eligible: !failed.some((r) => r.kind === 'eligibility'),
    prohibited: failed.some((r) => r.kind === 'prohibition'),
    toleranceAllowed: !failed.some((r) => r.kind === 'tolerance_exclusion'),
    failed,
  };
}
