/** Feedback rows to API shapes: whitelisted fields, labels, working days left on the agency's calendar. */
import type { Selectable } from 'kysely';
import type { AppealOut, ComplaintOut, RatingOut, RectificationDetail, RectificationSummary } from '../../../common/api-feedback.ts';
import {
  APPEAL_KIND_LABELS,
  APPEAL_LABELS,
  CALLBACK_LABELS,
  COMPLAINT_CHANNEL_LABELS,
  COMPLAINT_LABELS,
  COMPLAINT_SUBJECT_LABELS,
  OPEN_COMPLAINT,
  OPEN_RECTIFICATION,
  RECTIFICATION_LABELS,
  levelLabel,
  type CallbackChannel,
} from '../../../common/feedback.ts';
import type { WorkCalendar } from '../../../common/calendar.ts';
import { maskPhone } from '../../../common/ids.ts';
import type { RatingsTable, RectificationsTable } from '../../db/types-feedback.ts';
import type { UserActor } from '../../http/actor.ts';
import { daysLeft, isDesk, iso } from './common.ts';
import type { AppealRow, ComplaintRow, RectificationRow } from './repository.ts';

const num = (v: number | string | null) => (v === null ? null : Number(v));
const callbackLabel = (c: string | null) => (c ? (CALLBACK_LABELS[c as CallbackChannel] ?? c) : null);

/** A 整改's or a 投诉's deadline: while it is open, the working days left on the agency's calendar and whether it is overdue. */
function deadline(t: { due_date: string | null; calendar_problem: string | null }, open: boolean, today: string, cal: WorkCalendar | null) {
  return {
    dueDate: t.due_date,
    dueProvisional: open && t.due_date !== null && cal !== null && cal.provisionalBetween(today, t.due_date),
    workingDaysLeft: open ? daysLeft(cal, today, t.due_date) : null,
    overdue: open && t.due_date !== null && today > t.due_date,
    calendarProblem: t.calendar_problem,
  };
}

export function presentRating(
  g: Selectable<RatingsTable>,
  r: Selectable<RectificationsTable> | null,
  today: string,
  cal: WorkCalendar | null,
): RatingOut {
  return {
    id: Number(g.id),
    subjectKind: g.subject_kind,
    caseId: num(g.case_id),
    appointmentId: num(g.appointment_id),
    caseNo: g.case_no,
    itemCode: g.item_code,
    itemName: g.item_name,
    agencyCode: g.agency_code,
    level: g.level,
    levelLabel: levelLabel(g.level),
    bad: g.bad,
    comment: g.comment,
    createdAt: iso(g.created_at)!,
    excluded: g.excluded,
    rectification: r
      ? {
          status: r.status,
          statusLabel: RECTIFICATION_LABELS[r.status],
          dueDate: r.due_date,
          dueProvisional: deadline(r, OPEN_RECTIFICATION.includes(r.status), today, cal).dueProvisional,
          callbackAt: iso(r.callback_at),
          callbackChannel: r.callback_channel,
          callbackChannelLabel: callbackLabel(r.callback_channel),
          callbackNote: r.callback_note,
          result: r.result,
          closedAt: iso(r.closed_at),
        }
      : null,
  };
}

export function rectificationSummary(r: RectificationRow, today: string, cal: WorkCalendar | null): RectificationSummary {
  const open = OPEN_RECTIFICATION.includes(r.status);
  return {
    id: Number(r.id),
    ratingId: Number(r.rating_id),
    subjectKind: r.subject_kind,
    caseId: num(r.case_id),
    caseNo: r.case_no,
    itemCode: r.item_code,
    itemName: r.item_name,
    level: r.level,
    levelLabel: levelLabel(r.level),
    comment: r.comment,
    officeId: num(r.office_id),
    officeName: r.office_name,
    handlerId: num(r.handler_id),
    handlerName: r.handler_name,
    status: r.status,
    statusLabel: RECTIFICATION_LABELS[r.status],
    days: r.days,
    openedAt: iso(r.opened_at)!,
    ...deadline(r, open, today, cal),
    appealStatus: r.appeal_status,
    excluded: r.excluded,
  };
}

export function presentAppeal(ap: AppealRow): AppealOut {
  return {
    id: Number(ap.id),
    ratingId: Number(ap.rating_id),
    rectificationId: num(ap.rectification_id),
    caseNo: ap.case_no,
    itemName: ap.item_name,
    level: ap.level,
    levelLabel: levelLabel(ap.level),
    handlerName: ap.handler_name,
    kind: ap.kind,
    kindLabel: APPEAL_KIND_LABELS[ap.kind],
    reason: ap.reason,
    filedByName: ap.filed_by_name,
    filedAt: iso(ap.filed_at)!,
    status: ap.status,
    statusLabel: APPEAL_LABELS[ap.status],
    decidedByName: ap.decided_by_name,
    decidedAt: iso(ap.decided_at),
    decisionNote: ap.decision_note,
  };
}

export function rectificationDetail(
  actor: UserActor,
  r: RectificationRow,
  extra: {
    today: string;
    cal: WorkCalendar | null;
    applicant: { name: string; phone: string } | null;
    appeal: AppealRow | null;
    callbackByName: string | null;
    resultByName: string | null;
  },
): RectificationDetail {
  const desk = isDesk(actor);
  const open = OPEN_RECTIFICATION.includes(r.status);
  const pending = extra.appeal?.status === 'pending';
  const isHandler = r.handler_id !== null && Number(r.handler_id) === actor.id;
  const supervisor = actor.roles.includes('supervisor');
  return {
    ...rectificationSummary(r, extra.today, extra.cal),
    agencyCode: r.agency_code,
    appointmentId: num(r.appointment_id),
    applicantName: extra.applicant?.name ?? null,
    applicantPhone: extra.applicant?.phone || null,
    ratedAt: iso(r.rated_at)!,
    callbackAt: iso(r.callback_at),
    callbackChannel: r.callback_channel,
    callbackChannelLabel: callbackLabel(r.callback_channel),
    callbackNote: r.callback_note,
    callbackByName: extra.callbackByName,
    result: r.result,
    resultByName: extra.resultByName,
    closedAt: iso(r.closed_at),
    appeal: extra.appeal ? presentAppeal(extra.appeal) : null,
    can: {
      callback: desk && open,
      result: desk && r.status === 'in_progress',
      appeal: desk && extra.appeal === null,
      decide: supervisor && pending && !isHandler,
    },
    decideBlocked: pending && !supervisor ? '申诉须由监督人员裁决。' : pending && isHandler ? '您是被评价的经办人，不能裁决本申诉。' : null,
  };
}

/** `list`: a staff list, where the complainant's phone is masked (opening the complaint shows it, audited). */
export function presentComplaint(
  t: ComplaintRow,
  today: string,
  cal: WorkCalendar | null,
  actor: UserActor | null,
  opts: { list?: boolean } = {},
): ComplaintOut {
  const open = OPEN_COMPLAINT.includes(t.status);
  const desk = actor !== null && isDesk(actor) && actor.agencyCode === t.agency_code;
  return {
    id: Number(t.id),
    complaintNo: t.complaint_no,
    agencyCode: t.agency_code,
    agencyName: t.agency_name,
    subjectKind: t.subject_kind,
    subjectLabel: COMPLAINT_SUBJECT_LABELS[t.subject_kind],
    caseId: num(t.case_id),
    caseNo: t.case_no,
    officeId: num(t.office_id),
    officeName: t.office_name,
    personName: t.person_name ?? t.staff_name ?? null,
    itemCode: t.item_code,
    channel: t.channel,
    channelLabel: COMPLAINT_CHANNEL_LABELS[t.channel],
    phoneLine: t.phone_line,
    complainantName: t.complainant_name,
    complainantPhone: opts.list && t.complainant_phone ? maskPhone(t.complainant_phone) : t.complainant_phone,
    content: t.content,
    status: t.status,
    statusLabel: COMPLAINT_LABELS[t.status],
    days: t.days,
    registeredAt: iso(t.registered_at)!,
    ...deadline(t, open, today, cal),
    handlerName: desk ? t.handler_name : null,
    processingAt: iso(t.processing_at),
    answer: t.answer,
    answeredAt: iso(t.answered_at),
    can: { take: desk && t.status === 'registered', answer: desk && open },
  };
}
