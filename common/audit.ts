/**
 * What the audit log records: every action is one of these names, every subject one of these kinds.
 * Adding an audited action means adding its name here, so the log's vocabulary is one list that a
 * reader (or an export) can rely on. Names are `<subject>.<verb>`.
 */

import type { WorkflowAction } from './workflow.ts';

/** A deadline threshold of the SLA sweep: three-quarters of the time gone, the last day, overdue. */
type SlaThreshold = 'warn75' | 'last_day' | 'breach';
type TransferLeg = 'origin' | 'dest';

export type AuditAction =
  // accounts
  | 'account.register'
  | 'account.login'
  | 'account.login_failed'
  | 'account.rate_limited'
  | 'account.identity_verified'
  | 'account.identity_moved'
  | 'account.identity_window_check'
  | 'account.password_changed'
  | 'account.password_change_failed'
  | 'account.password_reset'
  | 'account.sessions_revoked'
  | 'account.session_revoked'
  | 'authorisation.create'
  | 'authorisation.confirm'
  // 单位经办人 requests (issue 16)
  | `unit_clerk.${'requested' | 'letter_uploaded' | 'approved' | 'rejected' | 'revoked'}`
  // cases
  | 'case.view'
  | 'case.material_download'
  | 'case.bill'
  | 'case.claim'
  | 'case.assign'
  | 'case.deadline_moved'
  | `case.${WorkflowAction}`
  | 'case.register'
  | `case.sla_${SlaThreshold}`
  // 转移接续
  | 'transfer.issue_info'
  | 'transfer.deadline_moved'
  | `transfer.${Exclude<SlaThreshold, 'breach'>}_${TransferLeg}`
  | `transfer.overdue_${TransferLeg}`
  // registry (staff and admins)
  | 'person.search'
  | 'person.view'
  | 'household.create'
  | 'household.update'
  | 'household.member_add'
  | 'household.member_remove'
  | 'guardian.add'
  | 'guardian.remove'
  | 'institution.create'
  | 'institution.update'
  | 'institution_staff.add'
  | 'institution_staff.end'
  | 'lockout.create'
  | 'lockout.lift'
  | 'roster.apply'
  // rules and benefits
  | 'rule.publish'
  | 'benefit_params.publish'
  | 'agency.duties'
  // calendar
  | 'calendar.put_year'
  | 'calendar.recompute'
  | 'calendar.warn'
  // appointments
  | 'appointment.settings'
  | 'appointment.office'
  | 'appointment.close_day'
  | 'appointment.reopen_day'
  | 'appointment.check_in'
  | 'appointment.serve'
  | 'appointment.no_show'
  | 'appointment.moved_holiday'
  | 'appointment.cancelled_holiday'
  // 好差评, 整改, 申诉, 投诉
  | 'rating.create'
  | 'rectification.open'
  | 'rectification.view'
  | 'rectification.result'
  | 'rectification.callback'
  | 'rectification.deadline_moved'
  | 'appeal.file'
  | 'appeal.decide'
  | 'complaint.create'
  | 'complaint.register'
  | 'complaint.view'
  | 'complaint.take'
  | 'complaint.answer'
  | 'complaint.deadline_moved'
  | `${'rectification' | 'complaint'}.deadline_${'set' | 'before' | 'due' | 'overdue'}`
  | 'feedback.settings'
  // emergency
  | 'emergency.on'
  | 'emergency.off'
  | 'emergency.extend'
  | 'emergency.revise'
  | 'emergency.auto_pass'
  | `emergency.post_audit_${'confirm' | 'flag'}`
  // dashboard
  | 'dashboard.export';

export type AuditSubjectKind =
  | 'user'
  | 'authorisation'
  | 'unit_clerk_request'
  | 'case'
  | 'transfer'
  | 'person'
  | 'household'
  | 'institution'
  | 'institution_staff'
  | 'lockout'
  | 'unit'
  | 'rule'
  | 'benefit'
  | 'calendar'
  | 'appointment'
  | 'appointment_config'
  | 'rating'
  | 'rectification'
  | 'appeal'
  | 'complaint'
  | 'feedback_settings'
  | 'emergency_period'
  | 'emergency_regime'
  | 'agency'
  | 'dashboard';
