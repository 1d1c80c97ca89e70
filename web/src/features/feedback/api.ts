/** 好差评与投诉 API calls (types from common/api-feedback.ts; type-only imports, no zod in the bundle). */
import { send } from '../../lib/api.ts';
import type {
  AppealIn,
  AppealOut,
  CallbackIn,
  CaseRatingOut,
  ComplaintIn,
  ComplaintOut,
  ComplaintPhones,
  DecisionIn,
  FeedbackSettings,
  RateIn,
  RectificationDetail,
  RectificationSummary,
  StaffComplaintIn,
} from '../../../../common/api-feedback.ts';

export type { AppealOut, CaseRatingOut, ComplaintOut, ComplaintPhones, FeedbackSettings, RectificationDetail, RectificationSummary };

const qs = (q: Record<string, string | undefined>) => {
  const sp = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) sp.set(k, v);
  const s = sp.toString();
  return s ? `?${s}` : '';
};

export const feedbackApi = {
  caseRating: (caseId: number) => send<CaseRatingOut>('GET', `/api/cases/${caseId}/rating`),
  rate: (caseId: number, body: RateIn) => send<CaseRatingOut>('POST', `/api/cases/${caseId}/rating`, body),
  visitRating: (appointmentId: number) => send<CaseRatingOut>('GET', `/api/appointments/${appointmentId}/rating`),
  rateVisit: (appointmentId: number, body: RateIn) => send<CaseRatingOut>('POST', `/api/appointments/${appointmentId}/rating`, body),

  complaintPhones: (agency: string, item?: string) =>
    send<ComplaintPhones>('GET', `/api/agencies/${encodeURIComponent(agency)}/complaint-phones${qs({ item })}`),
  myComplaints: () => send<{ items: ComplaintOut[]; total: number }>('GET', '/api/complaints/mine'),
  complaint: (id: number) => send<ComplaintOut>('GET', `/api/complaints/${id}`),
  createComplaint: (body: ComplaintIn) => send<ComplaintOut>('POST', '/api/complaints', body),

  rectifications: (q: Record<string, string | undefined>) =>
    send<{ items: RectificationSummary[]; total: number }>('GET', `/api/staff/feedback/rectifications${qs(q)}`),
  rectification: (id: number) => send<RectificationDetail>('GET', `/api/staff/feedback/rectifications/${id}`),
  callback: (id: number, body: CallbackIn) => send<RectificationDetail>('POST', `/api/staff/feedback/rectifications/${id}/callback`, body),
  result: (id: number, result: string) => send<RectificationDetail>('POST', `/api/staff/feedback/rectifications/${id}/result`, { result }),
  appeal: (ratingId: number, body: AppealIn) => send<{ id: number }>('POST', `/api/staff/feedback/ratings/${ratingId}/appeal`, body),
  appeals: (q: Record<string, string | undefined>) => send<{ items: AppealOut[]; total: number }>('GET', `/api/staff/feedback/appeals${qs(q)}`),
  decide: (appealId: number, body: DecisionIn) => send<{ ok: boolean }>('POST', `/api/staff/feedback/appeals/${appealId}/decision`, body),
  complaints: (q: Record<string, string | undefined>) =>
    send<{ items: ComplaintOut[]; total: number }>('GET', `/api/staff/feedback/complaints${qs(q)}`),
  registerComplaint: (body: StaffComplaintIn & { staffId?: number }) => send<ComplaintOut>('POST', '/api/staff/feedback/complaints', body),
  takeComplaint: (id: number) => send<ComplaintOut>('POST', `/api/staff/feedback/complaints/${id}/take`),
  answerComplaint: (id: number, answer: string) => send<ComplaintOut>('POST', `/api/staff/feedback/complaints/${id}/answer`, { answer }),
  offices: () => send<{ items: { id: number; name: string }[] }>('GET', '/api/staff/feedback/offices'),
  settings: () => send<FeedbackSettings>('GET', '/api/staff/feedback/settings'),
  saveSettings: (body: { rectifyDays: number; complaintDays: number }) => send<FeedbackSettings>('PUT', '/api/staff/feedback/settings', body),
};

/** "剩余 N 个工作日" / "今天到期" / "已超期" for a task's deadline. */
export function dueText(t: { dueDate: string | null; workingDaysLeft: number | null; overdue: boolean; calendarProblem: string | null }): string {
  if (!t.dueDate) return t.calendarProblem ? '期限待定（工作日历未录入）' : '—';
  if (t.overdue) return `已超期（${t.dueDate}）`;
  if (t.workingDaysLeft === null) return `${t.dueDate} 前`;
  return t.workingDaysLeft === 0 ? `今天到期（${t.dueDate}）` : `剩余 ${t.workingDaysLeft} 个工作日（${t.dueDate}）`;
}
export function dueClass(t: { overdue: boolean; workingDaysLeft: number | null }): string {
  if (t.overdue) return 'deadline overdue';
  return t.workingDaysLeft !== null && t.workingDaysLeft <= 1 ? 'deadline soon' : 'deadline';
}

/** The value of a datetime-local input for `d` in China time. */
export function chinaLocalInput(d: Date): string {
  return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);
}
/** A datetime-local value read as China time, as an ISO string with offset. */
export function fromChinaLocal(v: string): string {
  return `${v}:00+08:00`;
}
