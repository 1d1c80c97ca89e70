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
 * counting back until the first unpaid or missing month.
 */
export function continuousPaidMonths(contribs: readonly ContributionRecord[], type: EnrolmentType, upTo: string): number {
  const paid = new Set(contribs.filter((c) => c.type === type && c.paid).map((c) => c.month));
  let end = upTo;
  if (!paid.has(end)) end = addMonthsYm(end, -1); // the current month may not be due yet
  let n = 0;
  while (paid.has(addMonthsYm(end, -n))) n++;
  return n;
}

/** Months with a contribution due and not paid (欠费), up to `upTo` inclusive. */
export function arrearsMonths(contribs: readonly ContributionRecord[], type: EnrolmentType | null, upTo: string): string[] {
  return contribs
    .filter((c) => (type === null || c.type === type) && !c.paid && c.month <= upTo)
    .map((c) => c.month)
    .sort();
}
