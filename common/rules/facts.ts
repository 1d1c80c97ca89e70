/**
 * The closed registry of named facts (`FACTS`) a rule's conditions read: each with a Chinese label,
 * a format, an argument schema and how it is computed from a registry snapshot, the answers and `asOf`.
 */
import { z } from 'zod';
import { FILING_KIND_LABELS } from '../persons.ts';
import {
  addMonthsYm,
  arrearsMonths,
  continuousPaidMonths,
  countsAsPaid,
  ENROLMENT_TYPES,
  monthOf,
  type EnrolmentRecord,
  type EnrolmentType,
  type GraceContext,
  type PersonSnapshot,
  type RemoteFilingRecord,
} from '../registry.ts';
import type { Answers, FactValue, Format } from './format.ts';

export interface FactContext {
  snapshot: PersonSnapshot;
  answers: Answers;
  /** YYYY-MM-DD */
  asOf: string;
}

export interface FactDef<A extends z.ZodType = z.ZodType> {
  /** Chinese label; `{arg}` is replaced by the argument's value. */
  label: string;
  format: Format;
  args: A;
  compute: (ctx: FactContext, args: z.infer<A>) => FactValue;
}

const FILING_KINDS = ['resettled', 'long_term', 'work', 'referral', 'emergency', 'other_temporary'] as const;
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

/** The emergency grace windows the snapshot carries, for the contribution facts (none: ordinary rules). */
function graceOf(c: { snapshot: PersonSnapshot; asOf: string }): GraceContext | undefined {
  return c.snapshot.graceWindows?.length ? { windows: c.snapshot.graceWindows, asOf: c.asOf } : undefined;
}

/** The enrolment of a type in force or most recently started on or before asOf. */
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

export function factLabel(name: FactName, args: Record<string, unknown>): string {
  return FACTS[name].label
    .replace(/\{(\w+)\}/g, (_, k: string) => {
      const v = args[k];
      if (v === undefined) return k === 'type' ? '' : k === 'kinds' ? '任一类型' : '';
      return (ARG_DISPLAY[k] ?? String)(v);
    })
    .replace(/（）/g, '');
}
