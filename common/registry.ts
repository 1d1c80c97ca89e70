/**
 * The insurance registry as rules and calculators see it: a snapshot of one person's records on a
 * date (the server builds it from the registry tables). Pure types and helpers, shared by the
 * rules engine, the calculators, the server and the web pre-check.
 */

export const ENROLMENT_TYPES = ['employee', 'resident', 'maternity'] as const;
export type EnrolmentType = (typeof ENROLMENT_TYPES)[number];
export const ENROLMENT_TYPE_LABELS: Record<EnrolmentType, string> = {
  employee: '职工基本医疗保险',
  resident: '城乡居民基本医疗保险',
  maternity: '生育保险',
};

export const ENROLMENT_STATUSES = ['active', 'suspended', 'terminated'] as const;
export type EnrolmentStatus = (typeof ENROLMENT_STATUSES)[number];
export const ENROLMENT_STATUS_LABELS: Record<EnrolmentStatus, string> = { active: '参保缴费', suspended: '暂停', terminated: '终止' };

export interface PersonRecord {
  idNo: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  /** 户籍 region, GB/T 2260 6-digit code. */
  hukouRegion: string;
  /** Region of a valid residence permit (居住证), if any. */
  residencePermitRegion: string | null;
  status: 'normal' | 'deceased';
  phone: string | null;
  /** A bad-credit (失信) record: no 容缺 for this person. */
  badCredit: boolean;
}

export interface EnrolmentRecord {
  type: EnrolmentType;
  agencyCode: string;
  /** The employing unit's 统一社会信用代码 for employee insurance. */
  unitUscc: string | null;
  status: EnrolmentStatus;
  /** First day of cover (YYYY-MM-DD). */
  start: string;
  end: string | null;
  /** 人员类别 of an employee enrolment (在职 / 灵活就业 / 退休), when the registry knows it. Optional (added for the rules engine). */
  employment?: 'employed' | 'flexible' | 'retired';
}

export interface ContributionRecord {
  /** YYYY-MM */
  month: string;
  type: EnrolmentType;
  agencyCode: string;
  base: number;
  amount: number;
  paid: boolean;
  /** The day it was paid, when the registry knows it (optional; used by emergency grace windows). */
  paidOn?: string | null;
}

export interface AccountRecord {
  agencyCode: string;
  balance: number;
}

export interface RemoteFilingRecord {
  kind: 'resettled' | 'long_term' | 'work' | 'referral' | 'emergency' | 'other_temporary';
  destination: string;
  validFrom: string;
  validTo: string | null;
  /** 承诺书 instead of proof: the proof is due by this date. */
  pledgeDue: string | null;
}

export interface ChronicCertRecord {
  disease: string;
  from: string;
  to: string | null;
}

export interface LockoutRecord {
  from: string;
  to: string;
  reason: string;
}

export interface UnitRecord {
  uscc: string;
  name: string;
  status: 'normal' | 'cancelled';
  /** The unit's average monthly wage (the 生育津贴 base), in yuan. */
  avgMonthlyWage: number | null;
  /** The unit owes contributions (单位医保欠费), when known. Optional (added for the rules engine). */
  hasArrears?: boolean;
}

/** A benefit already paid (for cumulative caps such as 大冶 产前检查 500元). */
export interface PaidBenefitRecord {
  /** Benefit key as the calculators name it, e.g. 'prenatal'. */
  benefit: string;
  itemCode: string;
  date: string;
  amount: number;
}

/**
 * A guardian registered for the person (参保人档案: 父母 or 其他监护人), with the facts rules read
 * about them: where their 户籍 and residence permit are.
 */
export interface GuardianRecord {
  relation: 'parent' | 'other';
  name: string;
  hukouRegion: string;
  residencePermitRegion: string | null;
  status: 'normal' | 'deceased';
}

/** One person's registry on a date. */
export interface PersonSnapshot {
  asOf: string;
  /** The agency evaluating (rules and parameters are the agency's own). */
  agencyCode: string;
  person: PersonRecord | null;
  enrolments: EnrolmentRecord[];
  contributions: ContributionRecord[];
  account: AccountRecord | null;
  remoteFilings: RemoteFilingRecord[];
  chronicCerts: ChronicCertRecord[];
  lockouts: LockoutRecord[];
  /** The unit of the current employee enrolment, if any. */
  unit: UnitRecord | null;
  /** Benefits already paid to this person (optional; added for cumulative-cap rules). */
  paidBenefits?: PaidBenefitRecord[];
  /** Emergency grace windows for late contributions (optional; added for emergency mode, common/emergency.ts). */
  graceWindows?: GraceWindow[];
  /** The person's registered guardians (optional; added for 参保人档案 and the fact person.parentQualifies). */
  guardians?: GuardianRecord[];
}

/**
 * An emergency regime's grace for late contributions (大连: 疫情期间未能按时缴纳医疗保险费用的…待疫情解除后
 * 3个月内及时补办补缴相关费用后…可正常享受医疗保险待遇). Months `from`…`to` of the regime period at
 * `agencyCode` that are unpaid count as paid for continuity while the window is open (asOf ≤ payBy),
 * and for good when paid by `payBy`; paid after `payBy` they no longer count as continuous.
 */
export interface GraceWindow {
  agencyCode: string;
  types: EnrolmentType[];
  /** First month of the regime period (YYYY-MM). */
  from: string;
  /** Last month of the period; null while the regime is on with no end. */
  to: string | null;
  /** Last day to pay (the regime's last day + the grace months); null while the regime has no end. */
  payBy: string | null;
}

/** What the grace rules need besides the records: the windows and the day of evaluation. */
export interface GraceContext {
  windows: readonly GraceWindow[];
  asOf: string;
}

/** How a month stands: paid, in arrears, unpaid but inside an open grace window, or paid after the window closed. */
export type MonthStanding = 'paid' | 'unpaid' | 'grace_pending' | 'paid_after_grace';

export function monthStanding(c: ContributionRecord, grace?: GraceContext): MonthStanding {
  const w = grace?.windows.find(
    (x) => x.agencyCode === c.agencyCode && x.types.includes(c.type) && c.month >= x.from && (x.to === null || c.month <= x.to),
  );
  if (!w) return c.paid ? 'paid' : 'unpaid';
  if (c.paid) return w.payBy !== null && c.paidOn && c.paidOn > w.payBy ? 'paid_after_grace' : 'paid';
  return w.payBy === null || grace!.asOf <= w.payBy ? 'grace_pending' : 'unpaid';
}

/** Whether a month counts towards continuous contributions (paid in time, or forgiven by an open grace window). */
export function countsAsPaid(c: ContributionRecord, grace?: GraceContext): boolean {
  const s = monthStanding(c, grace);
  return s === 'paid' || s === 'grace_pending';
}

/** YYYY-MM of a date, and month arithmetic on YYYY-MM strings. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}
export function addMonthsYm(ym: string, n: number): string {
  const [y, m] = ym.split('-').map(Number) as [number, number];
  const t = y * 12 + (m - 1) + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}

/**
 * Continuous paid months of a type ending at `upTo` (inclusive, YYYY-MM) or the month before,
 * counting back until the first unpaid or missing month. With `grace`, months an emergency grace
 * window covers count as the window says (see monthStanding).
 */
export function continuousPaidMonths(contribs: readonly ContributionRecord[], type: EnrolmentType, upTo: string, grace?: GraceContext): number {
  const paid = new Set(contribs.filter((c) => c.type === type && countsAsPaid(c, grace)).map((c) => c.month));
  let end = upTo;
  if (!paid.has(end)) end = addMonthsYm(end, -1); // the current month may not be due yet
  let n = 0;
  while (paid.has(addMonthsYm(end, -n))) n++;
  return n;
}

/** Months with a contribution due and not paid (欠费), up to `upTo` inclusive; months in an open grace window are not arrears yet. */
export function arrearsMonths(contribs: readonly ContributionRecord[], type: EnrolmentType | null, upTo: string, grace?: GraceContext): string[] {
  return contribs
    .filter((c) => (type === null || c.type === type) && c.month <= upTo && monthStanding(c, grace) === 'unpaid')
    .map((c) => c.month)
    .sort();
}
