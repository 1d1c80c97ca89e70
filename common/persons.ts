/**
 * 参保人档案: households and guardian relations (pure; runs in the browser and on the server).
 * The checks a guardian relation must pass, the labels of the registry history, and the plain
 * Chinese summary of one history entry. No zod here: the web app imports these at run time.
 */
import { citizenIdFacts } from './ids.ts';

export interface FieldProblem {
  /** Dotted path of the field in the request body ('' for the whole body). */
  path: string;
  message: string;
}

export const GUARDIAN_RELATIONS = ['parent', 'other'] as const;
export type GuardianRelation = (typeof GUARDIAN_RELATIONS)[number];
export const GUARDIAN_RELATION_LABELS: Record<GuardianRelation, string> = { parent: '父母', other: '其他监护人' };

/** Why the ward has a guardian: a minor, or an adult marked 无民事行为能力 (with a reason). */
export const GUARDIAN_BASES = ['minor', 'incapacity'] as const;
export type GuardianBasis = (typeof GUARDIAN_BASES)[number];
export const GUARDIAN_BASIS_LABELS: Record<GuardianBasis, string> = { minor: '未成年人', incapacity: '无民事行为能力' };

/** Full years of age on `asOf` (YYYY-MM-DD) for a birth date; the birthday itself counts. */
export function ageOn(birthDate: string, asOf: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ay, am, ad] = asOf.split('-').map(Number) as [number, number, number];
  return ay - by - (am < bm || (am === bm && ad < bd) ? 1 : 0);
}

/** Age from the birth date the 公民身份号码 carries (a valid number is assumed). */
export function ageByIdNo(idNo: string, asOf: string): number {
  return ageOn(citizenIdFacts(idNo).birthDate, asOf);
}

export const ADULT_AGE = 18;

export interface GuardianCheckInput {
  ward: { id: number; idNo: string; name: string };
  guardian: { id: number; idNo: string; name: string; status: string };
  relation: GuardianRelation;
  /** Marked 无民事行为能力 with this reason (null or empty: not marked). */
  incapacityReason: string | null;
  asOf: string;
  /** The ward's current guardians (guardian ids with their relation). */
  existing: readonly { guardianId: number; relation: string }[];
  /** The ward is currently a guardian of this person (a relation the other way round). */
  reverse: boolean;
}

export type GuardianProblemCode = 'GUARDIAN_SELF' | 'GUARDIAN_EXISTS' | 'GUARDIAN_NOT_ELIGIBLE' | 'WARD_NOT_MINOR' | 'PARENTS_LIMIT';

/**
 * The first problem with a new guardian relation, with the field it concerns, or null:
 * the guardian is not the ward; not yet recorded; the ward is under 18 by the 公民身份号码's birth
 * date unless marked 无民事行为能力 with a reason; the guardian is an adult, alive, and not the
 * ward's own ward; at most two parents.
 */
export function guardianProblem(i: GuardianCheckInput): { code: GuardianProblemCode; problem: FieldProblem } | null {
  if (i.ward.id === i.guardian.id || i.ward.idNo === i.guardian.idNo)
    return { code: 'GUARDIAN_SELF', problem: { path: 'idNo', message: '监护人不能是被监护人本人，请核对监护人的公民身份号码。' } };
  if (i.existing.some((g) => g.guardianId === i.guardian.id))
    return { code: 'GUARDIAN_EXISTS', problem: { path: 'idNo', message: `${i.guardian.name} 已登记为 ${i.ward.name} 的监护人。` } };
  const wardAge = ageByIdNo(i.ward.idNo, i.asOf);
  const reason = (i.incapacityReason ?? '').trim();
  if (wardAge >= ADULT_AGE && !reason)
    return {
      code: 'WARD_NOT_MINOR',
      problem: {
        path: 'incapacity',
        message: `${i.ward.name} 按公民身份号码中的出生日期已满${ADULT_AGE}周岁（${wardAge}周岁）；成年人只有被认定为无民事行为能力时才登记监护人，请勾选并填写依据。`,
      },
    };
  if (i.guardian.status === 'deceased')
    return { code: 'GUARDIAN_NOT_ELIGIBLE', problem: { path: 'idNo', message: `${i.guardian.name} 在登记系统中的状态为死亡，不能作为监护人。` } };
  const guardianAge = ageByIdNo(i.guardian.idNo, i.asOf);
  if (guardianAge < ADULT_AGE)
    return {
      code: 'GUARDIAN_NOT_ELIGIBLE',
      problem: { path: 'idNo', message: `监护人须为成年人；${i.guardian.name} 按公民身份号码中的出生日期为${guardianAge}周岁。` },
    };
  if (i.reverse)
    return {
      code: 'GUARDIAN_NOT_ELIGIBLE',
      problem: { path: 'idNo', message: `${i.guardian.name} 已登记为 ${i.ward.name} 的被监护人，不能同时作为其监护人。` },
    };
  if (i.relation === 'parent' && i.existing.filter((g) => g.relation === 'parent').length >= 2)
    return { code: 'PARENTS_LIMIT', problem: { path: 'relation', message: `${i.ward.name} 已登记父母二人，其他监护人请选择“其他监护人”。` } };
  return null;
}

// ---------------------------------------------------------------------------------------------
// Registry history, in words

export const HISTORY_ENTITY_LABELS: Record<string, string> = {
  person: '人员信息',
  enrolment: '参保登记',
  contribution: '缴费',
  personal_account: '个人账户',
  remote_filing: '异地就医备案',
  chronic_cert: '门诊慢特病认定',
  lockout: '待遇封锁期',
  payment: '待遇支付',
  household: '家庭户',
  guardian: '监护关系',
  transfer: '转移接续',
};

const FIELD_LABELS: Record<string, string> = {
  idNo: '公民身份号码',
  name: '姓名',
  hukou: '户籍地',
  hukouRegion: '户籍地',
  residencePermit: '居住证',
  residencePermitRegion: '居住证',
  residence_permit_region: '居住证',
  phone: '联系电话',
  status: '状态',
  type: '险种',
  agency: '经办机构',
  unit: '单位',
  unitId: '单位',
  start: '开始',
  end: '结束',
  from: '开始',
  to: '结束',
  reason: '原因',
  liftedOn: '解除日期',
  liftReason: '解除原因',
  balance: '余额',
  kind: '类别',
  destination: '就医地',
  validFrom: '生效',
  validTo: '有效期至',
  pledgeDue: '承诺补交期限',
  disease: '病种',
  household: '家庭户',
  address: '地址',
  ward: '被监护人',
  guardian: '监护人',
  relation: '关系',
  basis: '监护依据',
  basisReason: '依据说明',
  baseFen: '缴费基数（分）',
  amount: '金额',
  benefit: '待遇',
  removed: '解除',
};

function show(v: unknown): string {
  if (v === null || v === undefined || v === '') return '无';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (typeof v === 'string' || typeof v === 'number') return String(v);
  return JSON.stringify(v);
}

/** "字段：旧 → 新" for each field a change touched (a new record lists its values; a removed one its old values). */
export function describeChange(change: { before: unknown; after: unknown }): string {
  const obj = (x: unknown): Record<string, unknown> | null =>
    x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : null;
  const b = obj(change.before);
  const a = obj(change.after);
  const label = (k: string) => FIELD_LABELS[k] ?? k;
  if (b && a?.removed === true)
    return `解除：${Object.entries(b)
      .map(([k, v]) => `${label(k)} ${show(v)}`)
      .join('；')}${a.reason ? `；原因 ${show(a.reason)}` : ''}`;
  if (!b && a)
    return `新增：${Object.entries(a)
      .map(([k, v]) => `${label(k)} ${show(v)}`)
      .join('；')}`;
  if (b && !a)
    return `删除：${Object.entries(b)
      .map(([k, v]) => `${label(k)} ${show(v)}`)
      .join('；')}`;
  if (!a || !b) return `${show(change.before)} → ${show(change.after)}`;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const parts = keys.filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k])).map((k) => `${label(k)}：${show(b[k])} → ${show(a[k])}`);
  return parts.length ? parts.join('；') : '无变化';
}

// ---------------------------------------------------------------------------------------------
// Labels of the record's lines (the web page imports these; common/rules/ would bring zod along).
// FILING_KIND_LABELS is also what common/rules/facts.ts prints for `remoteFiling.active`'s kinds.

export const FILING_KIND_LABELS: Record<string, string> = {
  resettled: '异地安置',
  long_term: '异地长期居住',
  work: '常驻异地工作',
  referral: '异地转诊',
  emergency: '异地急诊',
  other_temporary: '其他临时外出就医',
};
export const LEDGER_KIND_LABELS: Record<string, string> = {
  payout: '一次性支取',
  transfer_in: '转入划入',
  transfer_out: '转出划出',
  credit: '划入',
  debit: '支出',
};
export const PAYMENT_KIND_LABELS: Record<string, string> = {
  prenatal: '产前检查费',
  childbirth: '生育医疗费',
  family_planning: '计划生育医疗费',
  maternity_allowance: '生育津贴',
  maternity_medical: '生育医疗费',
  reimbursement: '医疗费用报销',
  account_payout: '个人账户一次性支取',
};
export const PAYMENT_STATUS_LABELS: Record<string, string> = { instructed: '已下达支付指令', paid: '已支付', failed: '支付失败' };
