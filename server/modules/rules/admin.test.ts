import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from '../../../common/errors.ts';
import { parseRuleText } from './admin.ts';

function problem(text: string): AppError {
  try {
    parseRuleText(text);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a RULE_TEXT_INVALID error');
}

test('rule text: YAML and JSON both parse to one rule document', () => {
  assert.deepEqual(parseRuleText('code: FS-JB-08\nversion: 2\n'), { code: 'FS-JB-08', version: 2 });
  assert.deepEqual(parseRuleText('{"code": "FS-JB-08", "version": 2}'), { code: 'FS-JB-08', version: 2 });
});

test('rule text: syntax errors name the line and column in Chinese', () => {
  const dup = problem('code: A\nversion: 1\nversion: 2\n');
  assert.equal(dup.code, 'RULE_TEXT_INVALID');
  assert.match(dup.message, /第 3 行第 1 列/);
  assert.match(dup.message, /键名重复/);
  assert.deepEqual(dup.details, [{ path: 'text', message: dup.message, line: 3, col: 1 }]);
  assert.match(problem('reason: a: b\n').message, /值里含冒号时请加引号/);
  assert.match(problem('code: A\n---\ncode: B\n').message, /只能包含一条规则/);
  assert.match(problem('{"code": "A"').message, /第 1 行/);
  assert.match(problem('code: A\nitems: [HC-19,\nversion: 2\n').message, /方括号或花括号没有闭合/);
});

test('rule text: a list or a single value is not a rule', () => {
  assert.equal(problem('- a\n- b\n').code, 'RULE_TEXT_INVALID');
  assert.match(problem('42').message, /不能是列表或单个值/);
  assert.match(problem('# only a comment\n').message, /应为一条规则/);
});
