/** Helpers the feedback use cases share: who is acting, deadlines on the agency's calendar, audit and messages. */
import { CalendarNotCovered, type WorkCalendar } from '../../../common/calendar.ts';
import { AppError } from '../../../common/errors.ts';
import { planFeedbackDeadline, feedbackDaysLeft } from '../../../common/feedback.ts';
import { isMobile } from '../../../common/ids.ts';
import type { StaffRole } from '../../../common/workflow.ts';
import { queueMessage } from '../../platform/outbox.ts';
import type { Ctx, UserActor } from '../../http/actor.ts';
import type { AuditAction, AuditSubjectKind } from '../../../common/audit.ts';
import { audit } from '../audit/index.ts';
import { loadCalendar } from '../calendar/index.ts';
import { regionOf, supervisorsOf } from './repository.ts';
import type { Db } from '../../db/index.ts';

/** The roles that work the supervisor desk (整改, 申诉, 投诉). */
export const DESK_ROLES: readonly StaffRole[] = ['supervisor', 'agency_admin'];

export function staffActor(ctx: Ctx, roles?: readonly StaffRole[]): UserActor {
  const a = ctx.actor;
  if (a.kind !== 'user' || a.userKind !== 'staff' || !a.agencyCode) throw new AppError('FORBIDDEN');
  if (roles && !a.roles.some((r) => roles.includes(r))) throw new AppError('FORBIDDEN');
  return a;
}
export function isDesk(a: UserActor): boolean {
  return a.userKind === 'staff' && a.roles.some((r) => DESK_ROLES.includes(r));
}

export async function feedbackAudit(
  ctx: Ctx,
  action: AuditAction,
  subjectKind: AuditSubjectKind,
  subjectId: number | string,
  agencyCode: string,
  data?: unknown,
): Promise<void> {
  await audit(ctx, action, { kind: subjectKind, id: subjectId, agency: agencyCode }, data);
}

export async function agencyCalendar(db: Db, agency: string): Promise<WorkCalendar | null> {
  const region = await regionOf(db, agency);
  if (!region) return null;
  try {
    return await loadCalendar(db, region);
  } catch {
    return null;
  }
}

export interface PlannedDeadline {
  due: string | null;
  warn: string | null;
  /** Set when the calendar does not cover the deadline's year: the date is left open, not guessed. */
  problem: string | null;
}

/** `days` working days from `from` on the agency's calendar; an uncovered year leaves the date open. */
export async function planDeadline(db: Db, agency: string, from: string, days: number): Promise<PlannedDeadline> {
  const cal = await agencyCalendar(db, agency);
  if (!cal) return { due: null, warn: null, problem: '该机构的工作日历不可用，期限待补录后计算。' };
  try {
    return { ...planFeedbackDeadline(cal, from, days), problem: null };
  } catch (e) {
    if (e instanceof CalendarNotCovered) return { due: null, warn: null, problem: `${e.year} 年的工作日历尚未录入，期限将在管理员补录后自动计算。` };
    throw e;
  }
}

export function daysLeft(cal: WorkCalendar | null, today: string, due: string | null): number | null {
  if (!cal || !due) return null;
  try {
    return feedbackDaysLeft(cal, today, due);
  } catch {
    return null;
  }
}

/** In-app (and SMS where a mobile is on file) to the agency's supervisors. */
export async function tellSupervisors(
  db: Db,
  agency: string,
  m: { subject: string; body: string; caseId?: number | null },
  extra: number[] = [],
): Promise<number> {
  const sups = await supervisorsOf(db, agency);
  const ids = new Set(sups.map((s) => s.id));
  for (const x of extra) ids.add(x);
  const mobiles = new Map(sups.map((s) => [s.id, s.mobile]));
  if (extra.length) {
    const more = await db.selectFrom('users').select(['id', 'mobile']).where('id', 'in', extra).execute();
    for (const u of more) mobiles.set(Number(u.id), u.mobile);
  }
  for (const uid of ids) {
    await queueMessage(db, {
      channel: 'inapp',
      recipient: String(uid),
      userId: uid,
      subject: m.subject,
      body: m.body,
      agencyCode: agency,
      caseId: m.caseId ?? null,
    });
    const mobile = mobiles.get(uid);
    if (mobile && isMobile(mobile))
      await queueMessage(db, { channel: 'sms', recipient: mobile, body: `【医保经办】${m.body}`, agencyCode: agency, caseId: m.caseId ?? null });
  }
  return ids.size;
}

/** In-app to the person's account (when there is one) and SMS to a mobile number (when it is one). */
export async function tellPerson(
  db: Db,
  agency: string,
  to: { userId: number | null; phone: string | null },
  m: { subject: string; body: string; caseId?: number | null },
): Promise<void> {
  if (to.userId !== null)
    await queueMessage(db, {
      channel: 'inapp',
      recipient: String(to.userId),
      userId: to.userId,
      subject: m.subject,
      body: m.body,
      agencyCode: agency,
      caseId: m.caseId ?? null,
    });
  if (to.phone && isMobile(to.phone))
    await queueMessage(db, { channel: 'sms', recipient: to.phone, body: `【医保经办】${m.body}`, agencyCode: agency, caseId: m.caseId ?? null });
}

export const iso = (d: Date | string | null | undefined) => (d === null || d === undefined ? null : new Date(d).toISOString());
