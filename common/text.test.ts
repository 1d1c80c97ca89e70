import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normaliseQuery, shortTimeLimit } from './text.ts';

test('shortTimeLimit renders each kind', () => {
  assert.equal(shortTimeLimit({ text: '即时办结', kind: 'immediate' }), '即时办结');
  assert.equal(shortTimeLimit({ text: '15 个工作日', kind: 'working_days', value: 15, unit: 'working_day' }), '15个工作日');
  assert.equal(shortTimeLimit({ text: '网办2到3个工作日', kind: 'working_days', value: 3, min: 2, unit: 'working_day' }), '2–3个工作日');
  assert.equal(shortTimeLimit({ text: '3个月内完成', kind: 'months', value: 3, unit: 'month' }), '3个月');
  assert.equal(shortTimeLimit({ text: '大厅即时办理；网办2到3个工作日', kind: 'per_channel' }), '大厅即时办理；网办2到3个工作日');
});

test('normaliseQuery trims, collapses spaces and folds full-width forms', () => {
  assert.equal(normaliseQuery('  生育　津贴  '), '生育 津贴');
  assert.equal(normaliseQuery('ＡＢＣ１２３'), 'ABC123');
});
