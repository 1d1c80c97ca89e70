import { test } from 'node:test';
import assert from 'node:assert/strict';
import { citizenIdCheckChar } from './ids.ts';
import { ageByIdNo, ageOn, describeChange, guardianProblem, type GuardianCheckInput } from './persons.ts';

const id = (region: string, birth: string, seq = '011') => {
  const first = `${region}${birth}${seq}`;
  return first + citizenIdCheckChar(first);
};
const CHILD = id('110101', '20200501');
const ADULT = id('210202', '19900101');
const MOTHER = id('210202', '19920202', '022');
const TEEN = id('210202', '20100101', '033');

const input = (over: Partial<GuardianCheckInput> = {}): GuardianCheckInput => ({
  ward: { id: 1, idNo: CHILD, name: '小明' },
  guardian: { id: 2, idNo: MOTHER, name: '李芳', status: 'normal' },
  relation: 'parent',
  incapacityReason: null,
  asOf: '2026-11-24',
  existing: [],
  reverse: false,
  ...over,
});
const code = (over: Partial<GuardianCheckInput>) => guardianProblem(input(over))?.code ?? null;

test('ages count whole years to the birthday, from the 公民身份号码 itself', () => {
  assert.equal(ageOn('2008-11-25', '2026-11-24'), 17);
  assert.equal(ageOn('2008-11-24', '2026-11-24'), 18);
  assert.equal(ageByIdNo(CHILD, '2026-11-24'), 6);
});

test('a guardian for a minor passes; the guardian is not the ward, and the relation is not recorded twice', () => {
  assert.equal(guardianProblem(input()), null);
  assert.equal(code({ guardian: { id: 1, idNo: CHILD, name: '小明', status: 'normal' } }), 'GUARDIAN_SELF');
  assert.equal(code({ existing: [{ guardianId: 2, relation: 'parent' }] }), 'GUARDIAN_EXISTS');
});

test('an adult ward needs 无民事行为能力 with a reason; the age is read from the ID’s birth date on the day', () => {
  const adultWard = { ward: { id: 1, idNo: ADULT, name: '王强' } };
  const p = guardianProblem(input(adultWard));
  assert.equal(p?.code, 'WARD_NOT_MINOR');
  assert.equal(p?.problem.path, 'incapacity');
  assert.match(p!.problem.message, /36周岁/);
  assert.equal(code({ ...adultWard, incapacityReason: '   ' }), 'WARD_NOT_MINOR');
  assert.equal(code({ ...adultWard, incapacityReason: '（2025）辽0202民特12号判决' }), null);
  // The day before the 18th birthday the ward is still a minor; on it, an adult.
  const turning = { ward: { id: 1, idNo: id('210202', '20081124'), name: '赵一' } };
  assert.equal(code({ ...turning, asOf: '2026-11-23' }), null);
  assert.equal(code({ ...turning, asOf: '2026-11-24' }), 'WARD_NOT_MINOR');
});

test('the guardian is a living adult, not the ward’s own ward, and there are at most two parents', () => {
  assert.equal(code({ guardian: { id: 2, idNo: TEEN, name: '少年', status: 'normal' } }), 'GUARDIAN_NOT_ELIGIBLE');
  assert.equal(code({ guardian: { id: 2, idNo: MOTHER, name: '李芳', status: 'deceased' } }), 'GUARDIAN_NOT_ELIGIBLE');
  assert.equal(code({ reverse: true }), 'GUARDIAN_NOT_ELIGIBLE');
  const two = [
    { guardianId: 7, relation: 'parent' },
    { guardianId: 8, relation: 'parent' },
  ];
  assert.equal(code({ existing: two }), 'PARENTS_LIMIT');
  assert.equal(code({ existing: two, relation: 'other' }), null, 'another guardian may still be recorded');
});

test('a history entry in words: new, changed and removed records', () => {
  assert.equal(describeChange({ before: null, after: { name: '李芳', hukou: '210202' } }), '新增：姓名 李芳；户籍地 210202');
  assert.equal(describeChange({ before: { address: '甲路1号', x: 1 }, after: { address: '乙路2号', x: 1 } }), '地址：甲路1号 → 乙路2号');
  assert.equal(
    describeChange({ before: { guardian: '李芳', relation: '父母' }, after: { removed: true, reason: '判决变更' } }),
    '解除：监护人 李芳；关系 父母；原因 判决变更',
  );
  assert.equal(describeChange({ before: { a: 1 }, after: { a: 1 } }), '无变化');
});
