import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkRows } from './roster.ts';
import { citizenIdCheckChar } from './ids.ts';

const id = (seq: string) => {
  const f = `42028119900101${seq}`;
  return f + citizenIdCheckChar(f);
};
const H = ['操作', '公民身份号码', '姓名', '日期', '缴费基数（元）'];

test('valid rows pass; every bad row is reported with its line and column', () => {
  const { rows, errors } = checkRows(
    [
      H,
      ['增员', id('001'), '甲', '2026-11-01', '6,000'],
      ['减员', id('003'), '乙', '2026-10-31', ''],
      ['加员', id('005'), '丙', '2026-11-01', '5000'],
      ['增员', '420281199001010071', '丁', '2026-13-01', ''],
      ['增员', id('001'), '甲', '2026-11-01', '6000'],
      ['', '', '', '', ''],
    ],
    '2026-11-24',
  );
  assert.deepEqual(
    rows.map((r) => [r.line, r.action, r.baseFen]),
    [
      [2, 'add', 600000],
      [3, 'remove', null],
    ],
  );
  assert.deepEqual(
    errors.map((e) => [e.line, e.column]),
    [
      [4, '操作'],
      [5, '公民身份号码'],
      [5, '日期'],
      [5, '缴费基数'],
      [6, '公民身份号码'],
    ],
  );
  assert.match(errors[4]!.message, /与第 2 行是同一人/);
});

test('a wrong header is reported once, before any row', () => {
  const { rows, errors } = checkRows([['操作', '身份证', '姓名']], '2026-11-24');
  assert.equal(rows.length, 0);
  assert.deepEqual(
    errors.map((e) => e.column),
    ['公民身份号码', '日期', '缴费基数'],
  );
});
