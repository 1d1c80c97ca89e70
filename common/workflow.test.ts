import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  allowedActions,
  GUARDS,
  TRANSITIONS,
  validateWorkflow,
  whyNot,
  type Guard,
  type GuardFacts,
  type Transition,
  type WorkflowAction,
} from './workflow.ts';

const facts = (on: Guard[]): GuardFacts => Object.fromEntries(GUARDS.map((g) => [g, on.includes(g)])) as GuardFacts;

test('the shipped workflow validates', () => {
  assert.deepEqual(validateWorkflow(), []);
});

test('validation catches broken tables', () => {
  const broken: Transition[] = TRANSITIONS.filter((t) => t.action !== 'submit');
  assert.ok(validateWorkflow(broken).some((p) => p === 'state submitted unreachable'));
  const dup = [...TRANSITIONS, TRANSITIONS[0]!];
  assert.ok(validateWorkflow(dup).some((p) => p.startsWith('duplicate action submit')));
  const fromFinal = [...TRANSITIONS, { ...TRANSITIONS[1]!, action: 'zombie' as WorkflowAction, from: ['approved' as const] }];
  assert.ok(validateWorkflow(fromFinal).some((p) => p.includes('leaves final state approved')));
  const badGuard = [...TRANSITIONS, { ...TRANSITIONS[1]!, action: 'x' as WorkflowAction, guards: ['nope' as Guard] }];
  assert.ok(validateWorkflow(badGuard).some((p) => p.includes('unknown guard nope')));
});

test('an acceptor with complete materials may accept, correct or reject, but not 容缺', () => {
  const acts = allowedActions(
    'submitted',
    ['acceptor'],
    facts(['materials_complete', 'no_prohibition', 'no_bad_credit', 'not_yet_accepted', 'eligible']),
  ).map((t) => t.action);
  assert.deepEqual(acts.sort(), ['accept', 'reject', 'request_correction']);
});

test('容缺 only when the missing materials are tolerable and credit is good', () => {
  const base: Guard[] = ['missing_only_tolerable', 'no_prohibition', 'not_yet_accepted', 'eligible'];
  assert.ok(allowedActions('submitted', ['acceptor'], facts([...base, 'no_bad_credit'])).some((t) => t.action === 'accept_tolerance'));
  assert.ok(!allowedActions('submitted', ['acceptor'], facts(base)).some((t) => t.action === 'accept_tolerance'));
  assert.deepEqual(whyNot('accept_tolerance', 'submitted', ['acceptor'], facts(base)), { code: 'GUARD_FAILED', guard: 'no_bad_credit' });
});

test('an applicant who fails the eligibility rules cannot be accepted, only refused', () => {
  const acts = allowedActions('submitted', ['acceptor'], facts(['materials_complete', 'no_prohibition', 'no_bad_credit', 'not_yet_accepted'])).map(
    (t) => t.action,
  );
  assert.ok(!acts.includes('accept'));
  assert.ok(acts.includes('reject'));
});

test('a 禁办 finding blocks acceptance and offers the coded refusal', () => {
  const acts = allowedActions('submitted', ['acceptor'], facts(['materials_complete', 'prohibition_found', 'not_yet_accepted'])).map((t) => t.action);
  assert.ok(!acts.includes('accept'));
  assert.ok(acts.includes('reject_prohibited'));
});

test('applicants cannot fire staff actions and staff cannot withdraw for them', () => {
  assert.deepEqual(whyNot('accept', 'submitted', ['applicant'], facts(['materials_complete', 'no_prohibition'])), { code: 'FORBIDDEN_ROLE' });
  assert.deepEqual(whyNot('withdraw', 'reviewing', ['reviewer'], facts([])), { code: 'FORBIDDEN_ROLE' });
  assert.equal(whyNot('withdraw', 'reviewing', ['applicant'], facts([])), null);
  assert.deepEqual(whyNot('withdraw', 'approved', ['applicant'], facts([])), { code: 'WRONG_STATE' });
  assert.deepEqual(whyNot('fly', 'approved', ['applicant'], facts([])), { code: 'UNKNOWN_ACTION' });
});

test('补正 returns to 待受理 before acceptance and to 审核中 after it', () => {
  const before = allowedActions('correction', ['applicant'], facts(['not_yet_accepted'])).map((t) => t.to);
  const after = allowedActions('correction', ['applicant'], facts(['was_accepted'])).map((t) => t.to);
  assert.ok(before.includes('submitted') && !before.includes('reviewing'));
  assert.ok(after.includes('reviewing') && !after.includes('submitted'));
});

test('review goes through 复核 only when the item has that step', () => {
  assert.ok(allowedActions('reviewing', ['reviewer'], facts(['has_recheck'])).some((t) => t.action === 'send_recheck'));
  assert.ok(!allowedActions('reviewing', ['reviewer'], facts(['has_recheck'])).some((t) => t.action === 'approve'));
  assert.ok(allowedActions('reviewing', ['reviewer'], facts(['no_recheck'])).some((t) => t.action === 'approve'));
});

test('emergency auto-pass: only the system accepts and completes, and only under the regime', () => {
  const on = facts(['emergency_auto_pass', 'materials_complete', 'no_prohibition', 'eligible', 'not_yet_accepted', 'no_recheck']);
  assert.ok(allowedActions('submitted', ['system'], on).some((t) => t.action === 'auto_accept'));
  assert.ok(allowedActions('accepted', ['system'], on).some((t) => t.action === 'auto_approve'));
  assert.ok(!allowedActions('accepted', ['reviewer', 'agency_admin'], on).some((t) => t.action === 'auto_approve'), 'staff still review');
  const off = facts(['materials_complete', 'no_prohibition', 'eligible', 'not_yet_accepted']);
  assert.deepEqual(whyNot('auto_accept', 'submitted', ['system'], off), { code: 'GUARD_FAILED', guard: 'emergency_auto_pass' });
  assert.deepEqual(whyNot('auto_approve', 'accepted', ['system'], off), { code: 'GUARD_FAILED', guard: 'emergency_auto_pass' });
  const ineligible = facts(['emergency_auto_pass', 'materials_complete', 'no_prohibition']);
  assert.deepEqual(whyNot('auto_accept', 'submitted', ['system'], ineligible), { code: 'GUARD_FAILED', guard: 'eligible' });
});
