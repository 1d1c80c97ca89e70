import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentDisposition, csvField, safeText, toCsv } from './export.ts';
import type { TableExport } from './service.ts';

test('CSV fields: RFC 4180 quoting, numbers as they are, empty for null', () => {
  assert.equal(csvField('大冶'), '大冶');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField(8.25), '8.25');
  assert.equal(csvField(-3), '-3');
  assert.equal(csvField(null), '');
});

test('text a spreadsheet would run as a formula is defused', () => {
  assert.equal(safeText('=HYPERLINK("x")'), `'=HYPERLINK("x")`);
  assert.equal(safeText('+1'), "'+1");
  assert.equal(safeText('@SUM(A1)'), "'@SUM(A1)");
  assert.equal(safeText('DY-24'), 'DY-24');
});

const t: TableExport = {
  agencyName: '大冶市医疗保障局',
  agencyCode: 'daye',
  panel: { key: 'volume', title: '办件量', description: '', kpis: [], tables: [] },
  table: {
    key: 'volume-item',
    title: '按事项',
    columns: [
      { key: 'itemCode', label: '事项编码', type: 'text' },
      { key: 'count', label: '件数', type: 'int' },
    ],
    rows: [{ itemCode: 'DY-24', count: 6 }],
    totals: { itemCode: '合计', count: 6 },
  },
  filters: { from: '2025-10-01', to: '2025-10-31', officeName: null, asOf: '2025-10-27' },
};

test('a table as CSV: BOM, header labels, rows, the 合计 row, CRLF', () => {
  assert.equal(toCsv(t), '\uFEFF事项编码,件数\r\nDY-24,6\r\n合计,6\r\n');
});

test('the download name: ASCII fallback and the Chinese name', () => {
  const h = contentDisposition(t, 'xlsx');
  assert.match(h, /^attachment; filename="daye-volume-item-2025-10-01_2025-10-31\.xlsx"; filename\*=UTF-8''/);
  assert.equal(decodeURIComponent(h.split("''")[1]!), '大冶市医疗保障局-办件量-按事项-2025-10-01至2025-10-31.xlsx');
});
