/** Request/response schemas for 好差评, 整改, 申诉 and 投诉 (server/modules/feedback, web/src/features/feedback). */
import { z } from 'zod';
import {
  APPEAL_KINDS,
  APPEAL_STATES,
  CALLBACK_CHANNELS,
  COMPLAINT_CHANNELS,
  COMPLAINT_STATES,
  COMPLAINT_SUBJECTS,
  MAX_FEEDBACK_DAYS,
  RECTIFICATION_STATES,
  SUBJECT_KINDS,
} from './feedback.ts';

const text = (min: number, max: number, what: string) =>
  z
    .string()
    .trim()
    .min(min, min <= 1 ? `请填写${what}。` : `${what}至少 ${min} 个字。`)
    .max(max, `${what}不能超过 ${max} 个字。`);
const id = z.number().int().positive();
const bool01 = z.enum(['1', '0']).optional();
const page = { page: z.coerce.number().int().min(1).default(1), pageSize: z.coerce.number().int().min(1).max(100).default(50) };

// ---- ratings ----
export const rateIn = z.object({
  level: z.number().int().min(1, '请选择满意度。').max(5, '请选择满意度。'),
  comment: z.string().trim().max(500, '评价内容不能超过 500 个字。').default(''),
});
export type RateIn = z.input<typeof rateIn>;

export const rectificationPublicOut = z.object({
  status: z.enum(RECTIFICATION_STATES),
  statusLabel: z.string(),
  dueDate: z.string().nullable(),
  /** The due date rests on a provisional calendar year (预计). */
  dueProvisional: z.boolean(),
  callbackAt: z.string().nullable(),
  callbackChannel: z.string().nullable(),
  callbackChannelLabel: z.string().nullable(),
  callbackNote: z.string().nullable(),
  result: z.string().nullable(),
  closedAt: z.string().nullable(),
});

export const ratingOut = z.object({
  id: z.number(),
  subjectKind: z.enum(SUBJECT_KINDS),
  caseId: z.number().nullable(),
  appointmentId: z.number().nullable(),
  caseNo: z.string().nullable(),
  itemCode: z.string().nullable(),
  itemName: z.string().nullable(),
  agencyCode: z.string(),
  level: z.number(),
  levelLabel: z.string(),
  bad: z.boolean(),
  comment: z.string(),
  createdAt: z.string(),
  /** Kept on record but left out of the satisfaction figures (an upheld appeal). */
  excluded: z.boolean(),
  rectification: rectificationPublicOut.nullable(),
});
export type RatingOut = z.infer<typeof ratingOut>;

export const caseRatingOut = z.object({
  canRate: z.boolean(),
  /** Why the applicant cannot rate (yet), for the page. */
  reason: z.string().nullable(),
  levels: z.array(z.object({ level: z.number(), label: z.string() })),
  rating: ratingOut.nullable(),
});
export type CaseRatingOut = z.infer<typeof caseRatingOut>;

// ---- 整改 (supervisor desk) ----
export const rectificationQuery = z.object({
  status: z.enum([...RECTIFICATION_STATES, 'active', 'all']).default('active'),
  officeId: z.coerce.number().int().positive().optional(),
  overdue: bool01,
  level: z.coerce.number().int().min(1).max(2).optional(),
  q: z.string().trim().max(40).optional(),
  ...page,
});
export type RectificationQuery = z.infer<typeof rectificationQuery>;

export const appealOut = z.object({
  id: z.number(),
  ratingId: z.number(),
  rectificationId: z.number().nullable(),
  caseNo: z.string().nullable(),
  itemName: z.string().nullable(),
  level: z.number(),
  levelLabel: z.string(),
  handlerName: z.string().nullable(),
  kind: z.enum(APPEAL_KINDS),
  kindLabel: z.string(),
  reason: z.string(),
  filedByName: z.string(),
  filedAt: z.string(),
  status: z.enum(APPEAL_STATES),
  statusLabel: z.string(),
  decidedByName: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});
export type AppealOut = z.infer<typeof appealOut>;

export const rectificationSummaryOut = z.object({
  id: z.number(),
  ratingId: z.number(),
  subjectKind: z.enum(SUBJECT_KINDS),
  caseId: z.number().nullable(),
  caseNo: z.string().nullable(),
  itemCode: z.string().nullable(),
  itemName: z.string().nullable(),
  level: z.number(),
  levelLabel: z.string(),
  comment: z.string(),
  officeId: z.number().nullable(),
  officeName: z.string().nullable(),
  handlerId: z.number().nullable(),
  handlerName: z.string().nullable(),
  status: z.enum(RECTIFICATION_STATES),
  statusLabel: z.string(),
  days: z.number(),
  openedAt: z.string(),
  dueDate: z.string().nullable(),
  /** The due date rests on a provisional calendar year (预计). */
  dueProvisional: z.boolean(),
  workingDaysLeft: z.number().nullable(),
  overdue: z.boolean(),
  calendarProblem: z.string().nullable(),
  appealStatus: z.enum(APPEAL_STATES).nullable(),
  excluded: z.boolean(),
});
export type RectificationSummary = z.infer<typeof rectificationSummaryOut>;

export const rectificationDetailOut = rectificationSummaryOut.extend({
  agencyCode: z.string(),
  appointmentId: z.number().nullable(),
  applicantName: z.string().nullable(),
  applicantPhone: z.string().nullable(),
  ratedAt: z.string(),
  callbackAt: z.string().nullable(),
  callbackChannel: z.string().nullable(),
  callbackChannelLabel: z.string().nullable(),
  callbackNote: z.string().nullable(),
  callbackByName: z.string().nullable(),
  result: z.string().nullable(),
  resultByName: z.string().nullable(),
  closedAt: z.string().nullable(),
  appeal: appealOut.nullable(),
  /** What this staff member may do here (the page draws buttons from it). */
  can: z.object({ callback: z.boolean(), result: z.boolean(), appeal: z.boolean(), decide: z.boolean() }),
  /** Why the decision is not this staff member's to make (e.g. they are the handler rated). */
  decideBlocked: z.string().nullable(),
});
export type RectificationDetail = z.infer<typeof rectificationDetailOut>;

export const callbackIn = z.object({
  at: z.string().datetime({ offset: true, message: '请填写回访时间。' }),
  channel: z.enum(CALLBACK_CHANNELS, { message: '请选择回访方式。' }),
  note: text(2, 1000, '回访情况（申请人的意见）'),
});
export type CallbackIn = z.input<typeof callbackIn>;
export const resultIn = z.object({ result: text(5, 2000, '整改结果') });
export const appealIn = z.object({ kind: z.enum(APPEAL_KINDS, { message: '请选择申诉类型。' }), reason: text(5, 1000, '申诉理由') });
export type AppealIn = z.input<typeof appealIn>;
export const decisionIn = z.object({ outcome: z.enum(['upheld', 'rejected'], { message: '请选择裁决结果。' }), note: text(2, 1000, '裁决意见') });
export type DecisionIn = z.input<typeof decisionIn>;
export const appealQuery = z.object({ status: z.enum([...APPEAL_STATES, 'all']).default('pending'), ...page });

// ---- 投诉 ----
export const complaintIn = z.object({
  agencyCode: z.string().min(1).max(40),
  subjectKind: z.enum(COMPLAINT_SUBJECTS, { message: '请选择投诉对象。' }),
  caseId: id.optional(),
  officeId: id.optional(),
  personName: z.string().trim().max(50, '工作人员姓名或工号不能超过 50 个字。').optional(),
  content: text(10, 2000, '投诉内容'),
  phone: z.string().trim().max(20).optional(),
});
export type ComplaintIn = z.input<typeof complaintIn>;

export const staffComplaintIn = z.object({
  subjectKind: z.enum(COMPLAINT_SUBJECTS, { message: '请选择投诉对象。' }),
  caseNo: z.string().trim().max(40).optional(),
  officeId: id.optional(),
  personName: z.string().trim().max(50).optional(),
  complainantName: text(1, 50, '来电人姓名'),
  complainantPhone: z
    .string()
    .trim()
    .regex(/^[0-9-]{5,20}$/, '请填写来电号码（数字，可含“-”）。'),
  content: text(10, 2000, '投诉内容'),
  /** The complaint phone the call came in on. */
  phoneLine: z.string().trim().max(30).optional(),
});
export type StaffComplaintIn = z.input<typeof staffComplaintIn>;
export const answerIn = z.object({ answer: text(5, 2000, '答复内容') });

export const complaintQuery = z.object({
  status: z.enum([...COMPLAINT_STATES, 'active', 'all']).default('active'),
  subject: z.enum(COMPLAINT_SUBJECTS).optional(),
  channel: z.enum(COMPLAINT_CHANNELS).optional(),
  officeId: z.coerce.number().int().positive().optional(),
  overdue: bool01,
  ...page,
});
export type ComplaintQuery = z.infer<typeof complaintQuery>;

export const complaintOut = z.object({
  id: z.number(),
  complaintNo: z.string(),
  agencyCode: z.string(),
  agencyName: z.string(),
  subjectKind: z.enum(COMPLAINT_SUBJECTS),
  subjectLabel: z.string(),
  caseId: z.number().nullable(),
  caseNo: z.string().nullable(),
  officeId: z.number().nullable(),
  officeName: z.string().nullable(),
  personName: z.string().nullable(),
  itemCode: z.string().nullable(),
  channel: z.enum(COMPLAINT_CHANNELS),
  channelLabel: z.string(),
  phoneLine: z.string().nullable(),
  complainantName: z.string(),
  complainantPhone: z.string().nullable(),
  content: z.string(),
  status: z.enum(COMPLAINT_STATES),
  statusLabel: z.string(),
  days: z.number(),
  registeredAt: z.string(),
  dueDate: z.string().nullable(),
  /** The due date rests on a provisional calendar year (预计). */
  dueProvisional: z.boolean(),
  workingDaysLeft: z.number().nullable(),
  overdue: z.boolean(),
  calendarProblem: z.string().nullable(),
  handlerName: z.string().nullable(),
  processingAt: z.string().nullable(),
  answer: z.string().nullable(),
  answeredAt: z.string().nullable(),
  can: z.object({ take: z.boolean(), answer: z.boolean() }),
});
export type ComplaintOut = z.infer<typeof complaintOut>;
export const complaintListOut = z.object({ items: z.array(complaintOut), total: z.number() });

export const complaintPhonesOut = z.object({
  agencyCode: z.string(),
  agencyName: z.string(),
  /** Complaint phones the agency's guide lists: for the item when one is given, else every one it prints. */
  complaint: z.array(z.object({ phone: z.string(), items: z.array(z.string()) })),
  /** Where the numbers come from, in words. */
  source: z.string(),
  consult: z.array(z.string()),
  offices: z.array(z.object({ id: z.number(), name: z.string(), phones: z.array(z.string()) })),
});
export type ComplaintPhones = z.infer<typeof complaintPhonesOut>;

// ---- settings ----
export const feedbackSettingsIn = z.object({
  rectifyDays: z.number().int().min(1).max(MAX_FEEDBACK_DAYS),
  complaintDays: z.number().int().min(1).max(MAX_FEEDBACK_DAYS),
});
export const feedbackSettingsOut = feedbackSettingsIn.extend({
  isDefault: z.boolean(),
  defaults: feedbackSettingsIn,
  updatedAt: z.string().nullable(),
});
export type FeedbackSettings = z.infer<typeof feedbackSettingsOut>;

export const rectificationListOut = z.object({ items: z.array(rectificationSummaryOut), total: z.number() });
export const appealListOut = z.object({ items: z.array(appealOut), total: z.number() });
export const officeOptionsOut = z.object({ items: z.array(z.object({ id: z.number(), name: z.string() })) });
