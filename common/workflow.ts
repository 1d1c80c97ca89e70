/**
 * The case workflow (办件流程) as a transitions table with guards (DESIGN.md convention 8).
 * Pure: the server validates it at start-up and runs it; the browser reads labels from it.
 * Each transition names who may fire it, the guards that must hold, and what happens to the
 * SLA clock. Guards are named here and evaluated by the server against the case's facts.
 */

export const CASE_STATES = [
  'draft',
  'submitted',
  'accepted',
  'tolerance_accepted',
  'correction',
  'rejected',
  'reviewing',
  'rechecking',
  'approved',
  'denied',
  'withdrawn',
  'suspended',
  'terminated',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const STATE_LABELS: Record<CaseState, string> = {
  draft: '草稿',
  submitted: '待受理',
  accepted: '已受理',
  tolerance_accepted: '容缺受理',
  correction: '待补正',
  rejected: '不予受理',
  reviewing: '审核中',
  rechecking: '复核中',
  approved: '办结-准予',
  denied: '办结-不予',
  withdrawn: '已撤回',
  suspended: '中止',
  terminated: '终止',
};

export const FINAL_STATES: readonly CaseState[] = ['rejected', 'approved', 'denied', 'withdrawn', 'terminated'];

/** Who acts. Applicant covers the citizen, an authorised agent and a unit clerk acting for the case. */
export const ACTOR_ROLES = ['applicant', 'acceptor', 'reviewer', 'rechecker', 'agency_admin', 'supervisor', 'system'] as const;
export type ActorRole = (typeof ACTOR_ROLES)[number];

export const STAFF_ROLES = ['acceptor', 'reviewer', 'rechecker', 'agency_admin', 'supervisor', 'sysadmin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
export const STAFF_ROLE_LABELS: Record<StaffRole, string> = {
  acceptor: '受理',
  reviewer: '审核',
  rechecker: '复核',
  agency_admin: '机构管理员',
  supervisor: '监督',
  sysadmin: '系统管理员',
};

export const GUARDS = [
  /** All required materials for the answers are attached. */
  'materials_complete',
  /** Some required materials are missing, and every missing one is 容缺-tolerable for this item. */
  'missing_only_tolerable',
  /** The applicant has no bad-credit record (no 容缺 for bad credit). */
  'no_bad_credit',
  /** None of the item's 禁办 situations was found by the acceptor. */
  'no_prohibition',
  /** At least one of the item's 禁办 situations was found. */
  'prohibition_found',
  /** The item has a 复核 step. */
  'has_recheck',
  'no_recheck',
  /** The case was accepted before (the clock has started), so 补正 now pauses the clock. */
  'was_accepted',
  'not_yet_accepted',
  /** The 容缺 materials are all supplied. */
  'tolerance_supplied',
  /** The 容缺 补正 deadline has passed without the materials. */
  'tolerance_overdue',
  /** Five working days since the materials arrived and nobody asked for 补正 (行政许可法 §32). */
  'correction_window_passed',
  /** The item's eligibility rules pass on the applicant's registry record. */
  'eligible',
  /** The agency's emergency regime in force today makes this item 先自动通过、事后审核 (common/emergency.ts). */
  'emergency_auto_pass',
] as const;
export type Guard = (typeof GUARDS)[number];

/** What a transition does to the SLA clock. */
export type ClockEffect = 'start' | 'pause' | 'resume' | 'stop' | 'none';

/** Inputs a transition requires from the actor. */
export type Requirement = 'reasons' | 'materials_list' | 'pledge' | 'note' | 'facts';

/** The written notices (文书) a transition issues; the result document (办理结果) is issued apart from the transitions. */
/** Every transition's name (the table below has exactly these). */
export type WorkflowAction =
  | 'submit'
  | 'accept'
  | 'deem_accepted'
  | 'accept_tolerance'
  | 'request_correction'
  | 'request_more'
  | 'resubmit'
  | 'resubmit_review'
  | 'reject'
  | 'reject_prohibited'
  | 'supply'
  | 'start_review'
  | 'approve'
  | 'send_recheck'
  | 'deny'
  | 'recheck_approve'
  | 'recheck_deny'
  | 'recheck_return'
  | 'withdraw'
  | 'suspend'
  | 'resume'
  | 'terminate'
  | 'auto_accept'
  | 'auto_approve'
  | 'terminate_suspended';

export type NoticeKind = 'receipt' | 'correction' | 'tolerance' | 'refusal' | 'completion';

export interface Transition {
  action: WorkflowAction;
  label: string;
  from: readonly CaseState[];
  /** `previous` returns to the state before 中止. */
  to: CaseState | 'previous';
  by: readonly ActorRole[];
  guards: readonly Guard[];
  clock: ClockEffect;
  requires: readonly Requirement[];
  /** The notice issued on this transition, if any. */
  notice?: NoticeKind;
  /** Staff actions that let a person see personal data must be audited anyway; this marks the step kind. */
  staff: boolean;
}

/** Accepted and being worked on: what 中止 can pause, and the cases whose running clock the deadline sweep watches. */
export const ACTIVE_STATES: readonly CaseState[] = ['accepted', 'tolerance_accepted', 'reviewing', 'rechecking'];

export const TRANSITIONS: readonly Transition[] = [
  { action: 'submit', label: '提交申请', from: ['draft'], to: 'submitted', by: ['applicant'], guards: [], clock: 'none', requires: [], staff: false },
  {
    action: 'accept',
    label: '受理',
    from: ['submitted'],
    to: 'accepted',
    by: ['acceptor', 'agency_admin'],
    guards: ['materials_complete', 'no_prohibition', 'eligible'],
    clock: 'start',
    requires: ['facts'],
    notice: 'receipt',
    staff: true,
  },
  {
    // 行政许可法 §32: not told what to correct within 5 working days → accepted from the day the materials arrived.
    action: 'deem_accepted',
    label: '逾期未告知补正，依法视为受理',
    from: ['submitted'],
    to: 'accepted',
    by: ['system'],
    guards: ['correction_window_passed'],
    clock: 'start',
    requires: [],
    notice: 'receipt',
    staff: false,
  },
  {
    action: 'accept_tolerance',
    label: '容缺受理',
    from: ['submitted'],
    to: 'tolerance_accepted',
    by: ['acceptor', 'agency_admin'],
    guards: ['missing_only_tolerable', 'no_bad_credit', 'no_prohibition', 'eligible'],
    clock: 'start',
    requires: ['facts', 'pledge'],
    notice: 'tolerance',
    staff: true,
  },
  {
    action: 'request_correction',
    label: '一次性告知补正',
    from: ['submitted'],
    to: 'correction',
    by: ['acceptor', 'agency_admin'],
    guards: ['not_yet_accepted'],
    clock: 'none',
    requires: ['materials_list'],
    notice: 'correction',
    staff: true,
  },
  {
    action: 'request_more',
    label: '审核中要求补正',
    from: ['reviewing'],
    to: 'correction',
    by: ['reviewer', 'agency_admin'],
    guards: ['was_accepted'],
    clock: 'pause',
    requires: ['materials_list'],
    notice: 'correction',
    staff: true,
  },
  {
    action: 'resubmit',
    label: '提交补正材料',
    from: ['correction'],
    to: 'submitted',
    by: ['applicant'],
    guards: ['not_yet_accepted'],
    clock: 'none',
    requires: [],
    staff: false,
  },
  {
    action: 'resubmit_review',
    label: '提交补正材料',
    from: ['correction'],
    to: 'reviewing',
    by: ['applicant'],
    guards: ['was_accepted'],
    clock: 'resume',
    requires: [],
    staff: false,
  },
  {
    action: 'reject',
    label: '不予受理',
    from: ['submitted'],
    to: 'rejected',
    by: ['acceptor', 'agency_admin'],
    guards: [],
    clock: 'none',
    requires: ['reasons'],
    notice: 'refusal',
    staff: true,
  },
  {
    action: 'reject_prohibited',
    label: '禁办不予受理',
    from: ['submitted'],
    to: 'rejected',
    by: ['acceptor', 'agency_admin'],
    guards: ['prohibition_found'],
    clock: 'none',
    requires: ['facts'],
    notice: 'refusal',
    staff: true,
  },
  {
    action: 'supply',
    label: '补交容缺材料',
    from: ['tolerance_accepted'],
    to: 'accepted',
    by: ['applicant'],
    guards: ['tolerance_supplied'],
    clock: 'none',
    requires: [],
    staff: false,
  },
  {
    action: 'start_review',
    label: '开始审核',
    from: ['accepted'],
    to: 'reviewing',
    by: ['reviewer', 'agency_admin'],
    guards: [],
    clock: 'none',
    requires: [],
    staff: true,
  },
  {
    action: 'approve',
    label: '审核通过，办结（准予）',
    from: ['reviewing'],
    to: 'approved',
    by: ['reviewer', 'agency_admin'],
    guards: ['no_recheck'],
    clock: 'stop',
    requires: [],
    notice: 'completion',
    staff: true,
  },
  {
    action: 'send_recheck',
    label: '审核通过，送复核',
    from: ['reviewing'],
    to: 'rechecking',
    by: ['reviewer', 'agency_admin'],
    guards: ['has_recheck'],
    clock: 'none',
    requires: [],
    staff: true,
  },
  {
    action: 'deny',
    label: '办结（不予）',
    from: ['reviewing'],
    to: 'denied',
    by: ['reviewer', 'agency_admin'],
    guards: [],
    clock: 'stop',
    requires: ['reasons'],
    notice: 'completion',
    staff: true,
  },
  {
    action: 'recheck_approve',
    label: '复核通过，办结（准予）',
    from: ['rechecking'],
    to: 'approved',
    by: ['rechecker', 'agency_admin'],
    guards: [],
    clock: 'stop',
    requires: [],
    notice: 'completion',
    staff: true,
  },
  {
    action: 'recheck_deny',
    label: '复核不通过，办结（不予）',
    from: ['rechecking'],
    to: 'denied',
    by: ['rechecker', 'agency_admin'],
    guards: [],
    clock: 'stop',
    requires: ['reasons'],
    notice: 'completion',
    staff: true,
  },
  {
    action: 'recheck_return',
    label: '复核退回重审',
    from: ['rechecking'],
    to: 'reviewing',
    by: ['rechecker', 'agency_admin'],
    guards: [],
    clock: 'none',
    requires: ['note'],
    staff: true,
  },
  {
    action: 'withdraw',
    label: '撤回申请',
    from: ['submitted', 'correction', 'accepted', 'tolerance_accepted', 'reviewing', 'rechecking', 'suspended'],
    to: 'withdrawn',
    by: ['applicant'],
    guards: [],
    clock: 'stop',
    requires: [],
    staff: false,
  },
  {
    action: 'suspend',
    label: '中止',
    from: ACTIVE_STATES,
    to: 'suspended',
    by: ['acceptor', 'reviewer', 'agency_admin'],
    guards: [],
    clock: 'pause',
    requires: ['note'],
    staff: true,
  },
  {
    action: 'resume',
    label: '恢复',
    from: ['suspended'],
    to: 'previous',
    by: ['acceptor', 'reviewer', 'agency_admin'],
    guards: [],
    clock: 'resume',
    requires: ['note'],
    staff: true,
  },
  {
    action: 'terminate',
    label: '终止（容缺材料逾期未补）',
    from: ['tolerance_accepted'],
    to: 'terminated',
    by: ['acceptor', 'agency_admin', 'system'],
    guards: ['tolerance_overdue'],
    clock: 'stop',
    requires: ['note'],
    notice: 'completion',
    staff: true,
  },
  {
    // Emergency mode (大连: 透析审核先自动通过，疫情结束后再审核): accepted at once by the system,
    // with the same material, 禁办 and eligibility checks as a clerk's acceptance …
    action: 'auto_accept',
    label: '应急期间自动受理',
    from: ['submitted'],
    to: 'accepted',
    by: ['system'],
    guards: ['emergency_auto_pass', 'materials_complete', 'no_prohibition', 'eligible'],
    clock: 'start',
    requires: [],
    notice: 'receipt',
    staff: false,
  },
  {
    // … and completed without review; the case then waits in the post-audit (事后审核) queue.
    action: 'auto_approve',
    label: '应急期间自动通过，办结（准予），待事后审核',
    from: ['accepted'],
    to: 'approved',
    by: ['system'],
    guards: ['emergency_auto_pass'],
    clock: 'stop',
    requires: [],
    notice: 'completion',
    staff: false,
  },
  {
    action: 'terminate_suspended',
    label: '终止',
    from: ['suspended'],
    to: 'terminated',
    by: ['acceptor', 'reviewer', 'agency_admin'],
    guards: [],
    clock: 'stop',
    requires: ['note'],
    notice: 'completion',
    staff: true,
  },
];

export type GuardFacts = Record<Guard, boolean>;

/** Start-up validation: every state reachable from draft, every non-final state has a way out, actions unique. */
export function validateWorkflow(transitions: readonly Transition[] = TRANSITIONS): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const t of transitions) {
    if (seen.has(t.action)) problems.push(`duplicate action ${t.action}`);
    seen.add(t.action);
    if (t.from.length === 0) problems.push(`${t.action}: no source state`);
    for (const s of t.from) if (!CASE_STATES.includes(s)) problems.push(`${t.action}: unknown state ${s}`);
    if (t.to !== 'previous' && !CASE_STATES.includes(t.to)) problems.push(`${t.action}: unknown target ${t.to}`);
    for (const g of t.guards) if (!GUARDS.includes(g)) problems.push(`${t.action}: unknown guard ${g}`);
    for (const s of t.from) if (FINAL_STATES.includes(s)) problems.push(`${t.action}: leaves final state ${s}`);
    if (t.by.length === 0) problems.push(`${t.action}: nobody may fire it`);
    if (t.to === 'previous' && !t.from.every((s) => s === 'suspended')) problems.push(`${t.action}: 'previous' only from suspended`);
  }
  const reachable = new Set<CaseState>(['draft']);
  let grew = true;
  while (grew) {
    grew = false;
    for (const t of transitions) {
      if (t.from.some((s) => reachable.has(s))) {
        // 'previous' only returns to a state the case was already in, so it reaches nothing new.
        const targets: CaseState[] = t.to === 'previous' ? [] : [t.to];
        for (const s of targets)
          if (!reachable.has(s)) {
            reachable.add(s);
            grew = true;
          }
      }
    }
  }
  for (const s of CASE_STATES) if (!reachable.has(s)) problems.push(`state ${s} unreachable`);
  for (const s of CASE_STATES) {
    if (FINAL_STATES.includes(s)) continue;
    if (!transitions.some((t) => t.from.includes(s))) problems.push(`state ${s} is a dead end`);
  }
  return problems;
}

export function findTransition(action: string): Transition | undefined {
  return TRANSITIONS.find((t) => t.action === action);
}

/** The actions `roles` may fire from `state` given the guard facts: this is what the UI shows. */
export function allowedActions(state: CaseState, roles: readonly ActorRole[], facts: GuardFacts): Transition[] {
  return TRANSITIONS.filter((t) => t.from.includes(state) && t.by.some((r) => roles.includes(r)) && t.guards.every((g) => facts[g]));
}

/** Explain why an action cannot be fired (for the error message), or null when it can. */
export function whyNot(
  action: string,
  state: CaseState,
  roles: readonly ActorRole[],
  facts: GuardFacts,
): { code: 'UNKNOWN_ACTION' | 'WRONG_STATE' | 'FORBIDDEN_ROLE' | 'GUARD_FAILED'; guard?: Guard } | null {
  const t = findTransition(action);
  if (!t) return { code: 'UNKNOWN_ACTION' };
  if (!t.from.includes(state)) return { code: 'WRONG_STATE' };
  if (!t.by.some((r) => roles.includes(r))) return { code: 'FORBIDDEN_ROLE' };
  const g = t.guards.find((x) => !facts[x]);
  return g ? { code: 'GUARD_FAILED', guard: g } : null;
}

export const GUARD_MESSAGES: Record<Guard, string> = {
  materials_complete: '申请材料不齐全，不能直接受理；可一次性告知补正，或在可容缺时容缺受理。',
  missing_only_tolerable: '缺少的材料不在本事项容缺清单内（或没有缺少材料），不能容缺受理。',
  no_bad_credit: '申请人有失信记录，不适用容缺受理。',
  no_prohibition: '存在违规禁办情形，不能受理。',
  prohibition_found: '未勾选任何禁办情形，不能按禁办不予受理。',
  has_recheck: '本事项没有复核环节。',
  no_recheck: '本事项需要复核，请送复核。',
  was_accepted: '该办件尚未受理。',
  not_yet_accepted: '该办件已受理。',
  tolerance_supplied: '容缺材料尚未全部补交。',
  tolerance_overdue: '容缺补正期限尚未届满，不能终止。',
  correction_window_passed: '收到申请材料未满5个工作日。',
  eligible: '申请人不符合本事项的办理条件（见规则核验结果），不能受理；请说明理由后不予受理。',
  emergency_auto_pass: '本事项当前不在应急状态“先自动通过、事后审核”的范围内。',
};

/** Working days the agency has to tell an applicant everything to correct (行政许可法 §32). */
export const CORRECTION_WINDOW_DAYS = 5;
