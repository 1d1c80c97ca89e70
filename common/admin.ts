/**
 * Checks for the data agency admins change without a deploy (pure; runs in the browser and on the
 * server): 定点医药机构 codes against the agency's region, effective dates that may not lie in the
 * past, lock-out periods and the last day a lifted lock-out applies. No zod here: the web app
 * imports the labels and checks at run time.
 */
import { isInstitutionCode } from './ids.ts';

export interface FieldProblem {
  /** Dotted path of the field in the request body ('' for the whole body). */
  path: string;
  message: string;
}

// ---------------------------------------------------------------------------------------------
// Dates

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isIsoDate(s: string): boolean {
  if (!ISO_DATE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
}

/** YYYY-MM-DD plus n calendar days. */
export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A new version may take effect today or later, never in the past (cases already evaluated keep their day's version). */
export function effectiveFromProblem(effectiveFrom: string, today: string): string | null {
  return effectiveFrom < today ? `生效日期不能早于今天（${today}）：已经发生的业务不能追溯改变。` : null;
}

// ---------------------------------------------------------------------------------------------
// 定点医药机构

export const INSTITUTION_KINDS = ['hospital', 'primary', 'pharmacy'] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];
export const INSTITUTION_KIND_LABELS: Record<InstitutionKind, string> = {
  hospital: '医院',
  primary: '基层医疗卫生机构',
  pharmacy: '零售药店',
};
export const INSTITUTION_STATUSES = ['active', 'suspended', 'terminated'] as const;
export type InstitutionStatus = (typeof INSTITUTION_STATUSES)[number];
export const INSTITUTION_STATUS_LABELS: Record<InstitutionStatus, string> = {
  active: '协议履行中',
  suspended: '暂停协议',
  terminated: '解除协议',
};
export const INSTITUTION_STAFF_KINDS = ['department', 'physician'] as const;
export type InstitutionStaffKind = (typeof INSTITUTION_STAFF_KINDS)[number];
export const INSTITUTION_STAFF_LABELS: Record<InstitutionStaffKind, string> = { department: '科室', physician: '医保医师' };

/** The part of a region code that names it: 210400 → 2104, 370000 → 37, 420281 → 420281. */
export function regionPrefix(region: string): string {
  let r = region;
  while (r.length > 2 && r.endsWith('00')) r = r.slice(0, -2);
  return r;
}

/** 定点医药机构编码 (H/P + 6-digit region + sequence) against the type and the agency's region. */
export function institutionCodeProblems(code: string, kind: InstitutionKind, agencyRegion: string): FieldProblem[] {
  const c = code.trim().toUpperCase();
  if (!isInstitutionCode(c))
    return [{ path: 'code', message: '机构编码应为 H（医疗机构）或 P（零售药店）加6位区划代码和3—8位顺序号，例如 H21040200001。' }];
  const out: FieldProblem[] = [];
  if (c.startsWith('P') !== (kind === 'pharmacy'))
    out.push({
      path: 'kind',
      message: c.startsWith('P') ? 'P 开头的编码是零售药店，机构类型请选“零售药店”。' : 'H 开头的编码是医疗机构，机构类型不能是“零售药店”。',
    });
  const region = c.slice(1, 7);
  const prefix = regionPrefix(agencyRegion);
  if (!region.startsWith(prefix)) out.push({ path: 'code', message: `编码中的区划代码 ${region} 不在本机构辖区（${agencyRegion}）内。` });
  return out;
}

/** The agreement period and a staff entry's validity: the end may not come before the start. */
export function rangeProblem(from: string | null | undefined, to: string | null | undefined, toPath: string): FieldProblem | null {
  return from && to && to < from ? { path: toPath, message: '结束日期不能早于开始日期。' } : null;
}

// ---------------------------------------------------------------------------------------------
// 待遇封锁期

export type LockoutStatus = 'scheduled' | 'active' | 'ended' | 'lifted';
export const LOCKOUT_STATUS_LABELS: Record<LockoutStatus, string> = { scheduled: '未开始', active: '封锁中', ended: '已到期', lifted: '已提前解除' };

export interface LockoutDates {
  from: string;
  to: string;
  /** Lifted early: from this day on the lock-out no longer applies. */
  liftedOn?: string | null;
}

/** The last day the lock-out applies, or null when it was lifted before it began. */
export function lockoutLastDay(l: LockoutDates): string | null {
  if (!l.liftedOn || l.liftedOn > l.to) return l.to;
  return l.liftedOn <= l.from ? null : addDays(l.liftedOn, -1);
}

export function lockoutStatus(l: LockoutDates, today: string): LockoutStatus {
  if (l.liftedOn && l.liftedOn <= today && l.liftedOn <= l.to) return 'lifted';
  if (today < l.from) return 'scheduled';
  return today <= l.to ? 'active' : 'ended';
}

/** A new lock-out: its end not before its start, and not already over. */
export function lockoutProblems(l: { from: string; to: string }, today: string): FieldProblem[] {
  if (l.to < l.from) return [{ path: 'to', message: '结束日期不能早于开始日期。' }];
  if (l.to < today) return [{ path: 'to', message: `结束日期已过（今天是 ${today}），这段封锁期不会再生效，请核对日期。` }];
  return [];
}

/** Lifting early on `on`: today or later, and before the lock-out ends by itself. */
export function liftProblems(l: LockoutDates, on: string, today: string): FieldProblem[] {
  if (l.liftedOn && l.liftedOn <= l.to) return [{ path: '', message: `该封锁期已于 ${l.liftedOn} 提前解除。` }];
  if (on < today) return [{ path: 'on', message: `解除日期不能早于今天（${today}）：已经过去的封锁不能追溯解除。` }];
  if (on > l.to) return [{ path: 'on', message: `封锁期到 ${l.to} 自然结束，解除日期应不晚于该日。` }];
  return [];
}
