import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dutyConflict, RECHECK_ACTIONS, REVIEW_ACTIONS } from './duties.ts';
import { TRANSITIONS } from './workflow.ts';

const on = { separated: true, acceptedBy: 1, reviewedBy: 2 };

test('the acceptor may not review; another reviewer may', () => {
  for (const a of REVIEW_ACTIONS) {
    assert.equal(dutyConflict(a, 1, on), 'acceptor_reviews', a);
    assert.equal(dutyConflict(a, 2, on), null, a);
    assert.equal(dutyConflict(a, 3, on), null, a);
  }
});

test('复核 needs a third person: neither the acceptor nor the reviewer', () => {
  for (const a of RECHECK_ACTIONS) {
    assert.equal(dutyConflict(a, 1, on), 'acceptor_rechecks', a);
    assert.equal(dutyConflict(a, 2, on), 'reviewer_rechecks', a);
    assert.equal(dutyConflict(a, 3, on), null, a);
  }
});

test('other steps, the system, and an agency with the setting off are not affected', () => {
  for (const a of ['accept', 'suspend', 'resume', 'withdraw', 'terminate']) assert.equal(dutyConflict(a, 1, on), null, a);
  assert.equal(dutyConflict('approve', null, on), null);
  assert.equal(dutyConflict('approve', 1, { ...on, separated: false }), null);
  assert.equal(dutyConflict('recheck_approve', 2, { ...on, separated: false }), null);
  // Deemed or automatic acceptance has no person: anyone may review.
  assert.equal(dutyConflict('approve', 1, { separated: true, acceptedBy: null, reviewedBy: null }), null);
});

test('every named action is a workflow action', () => {
  const names = new Set(TRANSITIONS.map((t) => t.action));
  for (const a of [...REVIEW_ACTIONS, ...RECHECK_ACTIONS]) assert.ok(names.has(a), a);
});
