/**
 * Admin API schemas (/api/admin/*): benefit-parameter and rule versions, 定点医药机构 with their
 * departments and physicians, and 待遇封锁期. Every write answers field problems as
 * `{ error: { code, message, details: [{ path, message }] } }`.
 */
import { z } from 'zod';
import { AGENCY_CODES } from './catalog.ts';
import { INSTITUTION_KINDS, INSTITUTION_STAFF_KINDS, INSTITUTION_STATUSES, isIsoDate, type FieldProblem } from './admin.ts';
import { RULE_KINDS } from './rules/index.ts';
import { plainZh } from './zod-zh.ts';

/** Parse with plain Chinese messages (a schema's own messages win); problems carry dotted paths. */
export function parseZh<T extends z.ZodType>(schema: T, data: unknown): { ok: true; data: z.output<T> } | { ok: false; problems: FieldProblem[] } {
  const r = schema.safeParse(data, { error: plainZh });
  if (r.success) return { ok: true, data: r.data };
  return { ok: false, problems: r.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })) };
}

const date = (label: string) =>
  z
    .string({ error: `请填写${label}。` })
    .trim()
    .min(1, { error: `请填写${label}。`, abort: true })
    .refine(isIsoDate, `${label}应为有效日期（YYYY-MM-DD）。`);
const optionalDate = (label: string) => z.union([z.literal('').transform(() => null), date(label), z.null()]).optional();
const text = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}。` })
    .trim()
    .min(1, `请填写${label}。`)
    .max(max, `${label}不能超过${max}个字。`);

/** Which agency an admin acts for: their own, or any one for a system admin. */
export const adminAgencyQuery = z.object({ agency: z.enum(AGENCY_CODES).optional() });

const publisher = {
  publishedAt: z.string(),
  /** The admin who published it; null when loaded from the agency's data file. */
  publishedBy: z.string().nullable(),
  origin: z.enum(['file', 'admin']),
};

// ---- 待遇参数 ----------------------------------------------------------------------------------

export const benefitVersionOut = z.object({
  version: z.number(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  /** The seed's wording for the numbers, or 示例参数（种子未载明）. */
  source: z.string(),
  example: z.boolean(),
  note: z.string().nullable(),
  state: z.enum(['in_force', 'scheduled', 'superseded', 'expired']),
  ...publisher,
  /** The whole parameter document (what a new version starts from). */
  params: z.record(z.string(), z.unknown()),
});
export const benefitKindOut = z.object({
  benefit: z.string(),
  label: z.string(),
  calculator: z.string(),
  items: z.array(z.string()),
  inForce: z.number().nullable(),
  latest: z.number(),
  /** Newest first. */
  versions: z.array(benefitVersionOut),
});
export const benefitParamsOut = z.object({
  agency: z.string(),
  today: z.string(),
  canPublish: z.boolean(),
  /** Every parameter version as loaded (kept for older clients). */
  items: z.array(z.unknown()),
  benefits: z.array(benefitKindOut),
});
export type BenefitVersionOut = z.infer<typeof benefitVersionOut>;
export type BenefitKindOut = z.infer<typeof benefitKindOut>;
export type BenefitParamsOut = z.infer<typeof benefitParamsOut>;
export const benefitPublishOut = z.object({ benefit: z.string(), version: z.number(), effectiveFrom: z.string() });

// ---- 规则版本 ----------------------------------------------------------------------------------

export const ruleSummaryOut = z.object({
  code: z.string(),
  kind: z.enum(RULE_KINDS),
  items: z.array(z.string()),
  /** The version in force today, null when none is. */
  inForce: z.number().nullable(),
  latest: z.number(),
  versionCount: z.number(),
  /** A version with a later effective date waits. */
  scheduled: z.boolean(),
  /** The seed's wording of the version in force (or the latest). */
  source: z.string(),
  basis: z.enum(['seed', 'platform']),
});
export const rulesOut = z.object({ agency: z.string(), today: z.string(), canPublish: z.boolean(), items: z.array(ruleSummaryOut) });
export const ruleVersionOut = z.object({
  version: z.number(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  state: z.enum(['in_force', 'scheduled', 'superseded', 'expired']),
  ...publisher,
  /** data/rules/<agency>.yaml, or 'admin'. */
  sourceFile: z.string(),
  doc: z.record(z.string(), z.unknown()),
  /** The same document as YAML (what the editor starts from). */
  yaml: z.string(),
});
export const ruleDetailOut = z.object({
  agency: z.string(),
  code: z.string(),
  today: z.string(),
  canPublish: z.boolean(),
  inForce: z.number().nullable(),
  /** Newest first. */
  versions: z.array(ruleVersionOut),
});
export type RuleSummaryOut = z.infer<typeof ruleSummaryOut>;
export type RulesOut = z.infer<typeof rulesOut>;
export type RuleVersionOut = z.infer<typeof ruleVersionOut>;
export type RuleDetailOut = z.infer<typeof ruleDetailOut>;
export const rulePublishIn = z.object({
  /** One rule document as YAML or JSON (JSON is YAML). */
  text: z.string({ error: '请填写规则内容。' }).min(1, '请填写规则内容。').max(20_000, '规则内容不能超过20000个字符。'),
  /** Only check: nothing is saved. */
  dryRun: z.boolean().optional(),
});
export const rulePublishOut = z.object({ code: z.string(), version: z.number(), effectiveFrom: z.string(), dryRun: z.boolean() });

// ---- 定点医药机构 -----------------------------------------------------------------------------

const institutionFields = {
  name: text('机构名称', 100),
  kind: z.enum(INSTITUTION_KINDS, { error: '请选择机构类型。' }),
  agreementFrom: date('协议开始日期'),
  agreementTo: optionalDate('协议结束日期'),
};
export const institutionIn = z.object({
  code: z
    .string({ error: '请填写机构编码。' })
    .trim()
    .min(1, '请填写机构编码。')
    .transform((s) => s.toUpperCase()),
  ...institutionFields,
});
export const institutionUpdateIn = z.object({ ...institutionFields, status: z.enum(INSTITUTION_STATUSES, { error: '请选择协议状态。' }) });
export type InstitutionIn = z.input<typeof institutionIn>;
export type InstitutionUpdateIn = z.input<typeof institutionUpdateIn>;

export const institutionStaffOut = z.object({
  id: z.number(),
  kind: z.enum(INSTITUTION_STAFF_KINDS),
  name: z.string(),
  /** 科室编码 / 医保医师编码. */
  code: z.string().nullable(),
  /** A physician's department and title. */
  department: z.string().nullable(),
  title: z.string().nullable(),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  active: z.boolean(),
});
export const institutionOut = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(INSTITUTION_KINDS),
  status: z.enum(INSTITUTION_STATUSES),
  agreementFrom: z.string().nullable(),
  agreementTo: z.string().nullable(),
  /** Status active and today within the agreement. */
  agreementValid: z.boolean(),
  departments: z.number(),
  physicians: z.number(),
});
export const institutionsOut = z.object({ agency: z.string(), today: z.string(), canEdit: z.boolean(), items: z.array(institutionOut) });
export const institutionDetailOut = institutionOut.extend({
  agency: z.string(),
  today: z.string(),
  canEdit: z.boolean(),
  staff: z.array(institutionStaffOut),
});
export type InstitutionOut = z.infer<typeof institutionOut>;
export type InstitutionsOut = z.infer<typeof institutionsOut>;
export type InstitutionDetailOut = z.infer<typeof institutionDetailOut>;
export type InstitutionStaffOut = z.infer<typeof institutionStaffOut>;

export const institutionStaffIn = z.object({
  kind: z.enum(INSTITUTION_STAFF_KINDS, { error: '请选择科室或医师。' }),
  name: text('名称', 50),
  code: z.string().trim().max(30, '编码不能超过30个字符。').optional(),
  department: z.string().trim().max(50, '所在科室不能超过50个字。').optional(),
  title: z.string().trim().max(30, '职称不能超过30个字。').optional(),
  validFrom: date('备案生效日期'),
});
export type InstitutionStaffIn = z.input<typeof institutionStaffIn>;
export const institutionStaffEndIn = z.object({ validTo: date('终止日期') });

// ---- 待遇封锁期 -------------------------------------------------------------------------------

export const lockoutOut = z.object({
  id: z.number(),
  personName: z.string(),
  idNoMasked: z.string(),
  from: z.string(),
  to: z.string(),
  /** The last day it applies (before `to` when lifted early; null when lifted before it began). */
  lastDay: z.string().nullable(),
  reason: z.string(),
  status: z.enum(['scheduled', 'active', 'ended', 'lifted']),
  liftedOn: z.string().nullable(),
  liftReason: z.string().nullable(),
  liftedBy: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: z.string(),
  canLift: z.boolean(),
});
export const lockoutsOut = z.object({ agency: z.string(), today: z.string(), canEdit: z.boolean(), items: z.array(lockoutOut) });
export const lockoutsQuery = adminAgencyQuery.extend({
  idNo: z.string().trim().max(18).optional(),
  status: z.enum(['scheduled', 'active', 'ended', 'lifted']).optional(),
});
export type LockoutOut = z.infer<typeof lockoutOut>;
export type LockoutsOut = z.infer<typeof lockoutsOut>;
export const lockoutIn = z.object({
  idNo: z
    .string({ error: '请填写公民身份号码。' })
    .trim()
    .min(1, '请填写公民身份号码。')
    .transform((s) => s.toUpperCase()),
  from: date('开始日期'),
  to: date('结束日期'),
  reason: text('封锁原因', 200),
});
export type LockoutIn = z.input<typeof lockoutIn>;
export const lockoutLiftIn = z.object({ on: date('解除日期'), reason: text('解除原因', 200) });
export type LockoutLiftIn = z.input<typeof lockoutLiftIn>;

// ---- 职责分离 ----------------------------------------------------------------------------------

export const dutiesOut = z.object({
  agency: z.string(),
  /** On: the acceptor may not review a case; 复核 needs a third person (common/duties.ts). */
  separationOfDuties: z.boolean(),
  canChange: z.boolean(),
});
export const dutiesIn = z.object({ separationOfDuties: z.boolean() });
export type DutiesOut = z.infer<typeof dutiesOut>;
