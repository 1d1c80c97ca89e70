/**
 * 好差评 and 投诉 as pure rules (server and browser): the five rating levels and which of them are
 * 差评, the states of a rectification (整改), an appeal (申诉) and a complaint (投诉), and the
 * working-day deadlines they run against. Deadlines are counted on the agency's calendar
 * (common/calendar.ts); a year the calendar does not cover is never guessed.
 */
import type { WorkCalendar } from './calendar.ts';
import { InvalidValue } from './errors.ts';
import type { CaseState } from './workflow.ts';

/** Level 5 = 非常满意 … 1 = 非常不满意 (stored as smallint, so "higher is better" in SQL). */
export const RATING_LEVELS = [
  { level: 5, label: '非常满意' },
  { level: 4, label: '满意' },
  { level: 3, label: '基本满意' },
  { level: 2, label: '不满意' },
  { level: 1, label: '非常不满意' },
] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number]['level'];

export function levelLabel(level: number): string {
  return RATING_LEVELS.find((l) => l.level === level)?.label ?? `未知（${level}）`;
}

export function isRatingLevel(n: unknown): n is RatingLevel {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 5;
}

export type RatingClass = 'good' | 'neutral' | 'bad';
/** 好评 (满意, 非常满意), 中评 (基本满意), 差评 (the two lowest levels: 不满意, 非常不满意). */
export function classifyLevel(level: number): RatingClass {
  if (!isRatingLevel(level)) throw new InvalidValue(`评价等级应为 1–5 的整数：${String(level)}`);
  if (level <= 2) return 'bad';
  return level === 3 ? 'neutral' : 'good';
}
export function isBadRating(level: number): boolean {
  return classifyLevel(level) === 'bad';
}

/** 办结: the case was decided (准予 or 不予). Withdrawn, refused or terminated cases are not 办结. */
export const COMPLETED_STATES: readonly CaseState[] = ['approved', 'denied'];
export function isCompleted(status: string): boolean {
  return (COMPLETED_STATES as readonly string[]).includes(status);
}

export const SUBJECT_KINDS = ['case', 'visit'] as const;
export type RatingSubjectKind = (typeof SUBJECT_KINDS)[number];

// ---- 整改 (rectification of a 差评) ----
export const RECTIFICATION_STATES = ['open', 'in_progress', 'closed', 'waived'] as const;
export type RectificationState = (typeof RECTIFICATION_STATES)[number];
export const RECTIFICATION_LABELS: Record<RectificationState, string> = {
  open: '待回访',
  in_progress: '整改中',
  closed: '已整改',
  waived: '申诉成立，免于整改',
};
export const OPEN_RECTIFICATION: readonly RectificationState[] = ['open', 'in_progress'];

export const CALLBACK_CHANNELS = ['phone', 'sms', 'visit', 'video', 'other'] as const;
export type CallbackChannel = (typeof CALLBACK_CHANNELS)[number];
export const CALLBACK_LABELS: Record<CallbackChannel, string> = {
  phone: '电话回访',
  sms: '短信回访',
  visit: '上门回访',
  video: '视频回访',
  other: '其他方式',
};

// ---- 申诉 (the agency appeals a rating as mistaken or malicious) ----
export const APPEAL_KINDS = ['mistaken', 'malicious'] as const;
export type AppealKind = (typeof APPEAL_KINDS)[number];
export const APPEAL_KIND_LABELS: Record<AppealKind, string> = { mistaken: '误评', malicious: '恶意差评' };
export const APPEAL_STATES = ['pending', 'upheld', 'rejected'] as const;
export type AppealState = (typeof APPEAL_STATES)[number];
export const APPEAL_LABELS: Record<AppealState, string> = { pending: '待裁决', upheld: '申诉成立', rejected: '申诉不成立' };

// ---- 投诉 ----
export const COMPLAINT_SUBJECTS = ['case', 'office', 'person', 'other'] as const;
export type ComplaintSubject = (typeof COMPLAINT_SUBJECTS)[number];
export const COMPLAINT_SUBJECT_LABELS: Record<ComplaintSubject, string> = {
  case: '办件',
  office: '服务大厅/窗口',
  person: '工作人员',
  other: '其他',
};
export const COMPLAINT_CHANNELS = ['online', 'phone'] as const;
export type ComplaintChannel = (typeof COMPLAINT_CHANNELS)[number];
export const COMPLAINT_CHANNEL_LABELS: Record<ComplaintChannel, string> = { online: '网上投诉', phone: '电话投诉' };
export const COMPLAINT_STATES = ['registered', 'processing', 'answered'] as const;
export type ComplaintState = (typeof COMPLAINT_STATES)[number];
export const COMPLAINT_LABELS: Record<ComplaintState, string> = { registered: '已登记', processing: '处理中', answered: '已答复' };
export const OPEN_COMPLAINT: readonly ComplaintState[] = ['registered', 'processing'];

// ---- Deadlines ----
/**
 * Platform defaults, used until an agency admin sets its own: none of the five guides states a
 * 整改 or 投诉 time limit, so these are defaults, not seed data.
 */
export const DEFAULT_RECTIFY_DAYS = 5;
export const DEFAULT_COMPLAINT_DAYS = 10;
export const MAX_FEEDBACK_DAYS = 60;

export interface FeedbackPlan {
  /** The last working day to finish on. */
  due: string;
  /** The working day before `due` (the early warning), or null when the limit is a single day. */
  warn: string | null;
}

/**
 * Due date `days` working days after `from` (the day the task opened is not counted), and the
 * warning day one working day before it. Throws CalendarNotCovered for an unentered year.
 */
export function planFeedbackDeadline(cal: WorkCalendar, from: string, days: number): FeedbackPlan {
  if (!Number.isInteger(days) || days < 1 || days > MAX_FEEDBACK_DAYS) throw new InvalidValue(`期限应为 1–${MAX_FEEDBACK_DAYS} 个工作日：${days}`);
  const due = cal.addWorkingDays(from, days);
  return { due, warn: days > 1 ? cal.addWorkingDays(from, days - 1) : null };
}

export type DeadlineThreshold = 'before' | 'due' | 'overdue';
export const THRESHOLD_LABELS: Record<DeadlineThreshold, string> = { before: '明天到期', due: '今天到期', overdue: '已超期' };

/** The warnings due on `today` for an open task with this plan (before: on the warning day; due: on the due day; overdue: after it). */
export function thresholdsDue(today: string, plan: { due: string; warn: string | null }): DeadlineThreshold[] {
  const out: DeadlineThreshold[] = [];
  if (plan.warn && plan.warn <= today && today < plan.due) out.push('before');
  if (plan.due === today) out.push('due');
  if (plan.due < today) out.push('overdue');
  return out;
}

/** Working days left until `due` (0 on the day, negative when past). */
export function feedbackDaysLeft(cal: WorkCalendar, today: string, due: string): number {
  if (today <= due) return cal.workingDaysBetween(today, due);
  return -cal.workingDaysBetween(due, today);
}
