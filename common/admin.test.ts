import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDays,
  effectiveFromProblem,
  institutionCodeProblems,
  isIsoDate,
  liftProblems,
  lockoutLastDay,
  lockoutProblems,
  lockoutStatus,
  rangeProblem,
  regionPrefix,
} from './admin.ts';
import { institutionIn, lockoutIn, parseZh } from './api-admin.ts';

test('regionPrefix keeps the digits that name the region', () => {
  assert.equal(regionPrefix('210400'), '2104');
  assert.equal(regionPrefix('370000'), '37');
  assert.equal(regionPrefix('420281'), '420281');
  assert.equal(regionPrefix('210381'), '210381');
});

test('定点机构编码: H/P + 6位区划 + 顺序号, of the right type and inside the agency’s region', () => {
  assert.deepEqual(institutionCodeProblems('H21040200123', 'hospital', '210400'), []);
  assert.deepEqual(institutionCodeProblems('p21042100007', 'pharmacy', '210400'), [], 'lower case is accepted');
  assert.deepEqual(institutionCodeProblems('H37010200001', 'primary', '370000'), [], '山东省直 covers the province');
  assert.deepEqual(
    institutionCodeProblems('X123', 'hospital', '210400').map((p) => p.path),
    ['code'],
  );
  assert.deepEqual(
    institutionCodeProblems('H2104020012', 'hospital', '210400').map((p) => p.path),
    [],
    'a 3-digit sequence is enough',
  );
  assert.deepEqual(
    institutionCodeProblems('H21040', 'hospital', '210400').map((p) => p.path),
    ['code'],
  );
  const wrongType = institutionCodeProblems('P21040200123', 'hospital', '210400');
  assert.deepEqual(
    wrongType.map((p) => p.path),
    ['kind'],
  );
  assert.match(wrongType[0]!.message, /零售药店/);
  assert.deepEqual(
    institutionCodeProblems('H21040200123', 'pharmacy', '210400').map((p) => p.path),
    ['kind'],
  );
  const outside = institutionCodeProblems('H21020200123', 'hospital', '210400');
  assert.match(outside[0]!.message, /210202 不在本机构辖区（210400）内/);
  assert.equal(institutionCodeProblems('H42028100001', 'hospital', '420281').length, 0);
  assert.equal(institutionCodeProblems('H42020200001', 'hospital', '420281').length, 1, '黄石 is not 大冶');
});

test('dates: valid ISO days, ranges, and effective dates not in the past', () => {
  assert.equal(isIsoDate('2026-02-28'), true);
  assert.equal(isIsoDate('2026-02-29'), false);
  assert.equal(isIsoDate('2026-2-1'), false);
  assert.equal(addDays('2026-12-31', 1), '2027-01-01');
  assert.equal(addDays('2028-03-01', -1), '2028-02-29');
  assert.equal(rangeProblem('2026-01-02', '2026-01-01', 'agreementTo')?.path, 'agreementTo');
  assert.equal(rangeProblem('2026-01-02', '2026-01-02', 'agreementTo'), null);
  assert.equal(rangeProblem('2026-01-02', null, 'agreementTo'), null);
  assert.equal(effectiveFromProblem('2026-11-24', '2026-11-24'), null);
  assert.equal(effectiveFromProblem('2027-01-01', '2026-11-24'), null);
  assert.match(effectiveFromProblem('2026-11-23', '2026-11-24')!, /不能早于今天（2026-11-24）/);
});

test('待遇封锁期: status, the last day it applies when lifted early, and what may be entered or lifted', () => {
  const l = { from: '2026-11-01', to: '2026-12-31' };
  assert.equal(lockoutStatus(l, '2026-10-31'), 'scheduled');
  assert.equal(lockoutStatus(l, '2026-11-01'), 'active');
  assert.equal(lockoutStatus(l, '2026-12-31'), 'active');
  assert.equal(lockoutStatus(l, '2027-01-01'), 'ended');
  assert.equal(lockoutLastDay(l), '2026-12-31');
  const lifted = { ...l, liftedOn: '2026-11-24' };
  assert.equal(lockoutLastDay(lifted), '2026-11-23', 'lifted on the 24th: the 23rd is its last day');
  assert.equal(lockoutStatus(lifted, '2026-11-23'), 'active', 'a lift set for a later day leaves it running until then');
  assert.equal(lockoutStatus(lifted, '2026-11-24'), 'lifted');
  assert.equal(lockoutLastDay({ ...l, liftedOn: '2026-11-01' }), null, 'lifted on its first day: it never applied');
  assert.equal(lockoutLastDay({ ...l, liftedOn: '2026-10-01' }), null);

  assert.deepEqual(lockoutProblems(l, '2026-11-24'), []);
  assert.deepEqual(
    lockoutProblems({ from: '2026-12-01', to: '2026-11-30' }, '2026-11-24').map((p) => p.path),
    ['to'],
  );
  assert.match(lockoutProblems({ from: '2026-01-01', to: '2026-02-01' }, '2026-11-24')[0]!.message, /结束日期已过/);

  assert.deepEqual(liftProblems(l, '2026-11-24', '2026-11-24'), []);
  assert.deepEqual(
    liftProblems(l, '2026-11-23', '2026-11-24').map((p) => p.path),
    ['on'],
  );
  assert.match(liftProblems(l, '2027-01-05', '2026-11-24')[0]!.message, /自然结束/);
  assert.match(liftProblems(lifted, '2026-11-25', '2026-11-24')[0]!.message, /已于 2026-11-24 提前解除/);
});

test('request schemas answer in Chinese, field by field', () => {
  const r = parseZh(lockoutIn, { idNo: '', from: '2026-02-30', to: '2026-03-01', reason: '  ' });
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(r.problems, [
    { path: 'idNo', message: '请填写公民身份号码。' },
    { path: 'from', message: '开始日期应为有效日期（YYYY-MM-DD）。' },
    { path: 'reason', message: '请填写封锁原因。' },
  ]);
  const emptyDate = parseZh(lockoutIn, { idNo: '210402197808080011', from: '', to: '2026-03-01', reason: '测试' });
  assert.ok(!emptyDate.ok && emptyDate.problems.length === 1, 'an empty date is one problem, not two');
  const missingKind = parseZh(institutionIn, { code: 'h21040200123', name: '测试医院', agreementFrom: '2026-01-01' });
  assert.equal(missingKind.ok, false);
  if (!missingKind.ok) assert.deepEqual(missingKind.problems, [{ path: 'kind', message: '请选择机构类型。' }]);
  const ok = parseZh(institutionIn, { code: 'h21040200123', name: '测试医院', kind: 'hospital', agreementFrom: '2026-01-01', agreementTo: '' });
  assert.ok(ok.ok);
  if (ok.ok) {
    assert.equal(ok.data.code, 'H21040200123');
    assert.equal(ok.data.agreementTo, null, 'an empty end date means open-ended');
  }
  const unknownType = parseZh(institutionIn, 'x');
  assert.equal(unknownType.ok, false);
  if (!unknownType.ok) assert.match(unknownType.problems[0]!.message, /[\u4e00-\u9fa5]/, 'zod’s own messages in Chinese too');
});
