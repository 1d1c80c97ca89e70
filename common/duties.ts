/**
 * Separation of duties (职责分离) on a case, a per-agency setting (agencies.separation_of_duties,
 * on unless the agency admin turns it off): the staff member who accepted (受理) a case does not
 * review it (审核: start, ask for more, pass, send to 复核, deny), and where the item has a 复核
 * step it is done by a third person, neither the acceptor nor the reviewer who sent it to 复核.
 * Pure: the server gives who did what (from the case's timeline) and filters the permitted actions
 * and refuses a direct request with DUTIES_SEPARATED.
 */
import type { WorkflowAction } from './workflow.ts';

/** 审核 steps: never by the acceptor. */
export const REVIEW_ACTIONS: readonly WorkflowAction[] = ['start_review', 'request_more', 'approve', 'send_recheck', 'deny'];
/** 复核 steps: neither by the acceptor nor by the reviewer who sent the case to 复核. */
export const RECHECK_ACTIONS: readonly WorkflowAction[] = ['recheck_approve', 'recheck_deny', 'recheck_return'];
/** The actions that accept a case (a person's 受理; deemed and automatic acceptance have no person). */
export const ACCEPT_ACTIONS: readonly WorkflowAction[] = ['accept', 'accept_tolerance'];

export interface CaseDuties {
  /** The setting is on for the case's agency. */
  separated: boolean;
  /** Who accepted the case (the last 受理), if a person did. */
  acceptedBy: number | null;
  /** Who last sent it to 复核. */
  reviewedBy: number | null;
}

export type DutyConflict = 'acceptor_reviews' | 'acceptor_rechecks' | 'reviewer_rechecks';

export const DUTY_MESSAGES: Record<DutyConflict, string> = {
  acceptor_reviews: '本机构实行职责分离：受理本件的工作人员不能审核本件，请由其他审核人员办理。',
  acceptor_rechecks: '本机构实行职责分离：受理本件的工作人员不能复核本件，请由其他复核人员办理。',
  reviewer_rechecks: '本机构实行职责分离：审核本件的工作人员不能复核本件，请由其他复核人员办理。',
};

/** Why `actorId` may not take `action` on a case with these duties, or null when nothing stands in the way. */
export function dutyConflict(action: string, actorId: number | null, d: CaseDuties): DutyConflict | null {
  if (!d.separated || actorId === null) return null;
  if (REVIEW_ACTIONS.includes(action as WorkflowAction)) return d.acceptedBy === actorId ? 'acceptor_reviews' : null;
  if (RECHECK_ACTIONS.includes(action as WorkflowAction)) {
    if (d.acceptedBy === actorId) return 'acceptor_rechecks';
    if (d.reviewedBy === actorId) return 'reviewer_rechecks';
  }
  return null;
}
