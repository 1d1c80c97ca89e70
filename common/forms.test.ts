import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkForm, formFieldsOf, missingMaterials, resolveForm, sniffMime, validateAnswers } from './forms.ts';
import type { CatalogItem, FormField } from './catalog.ts';

const item: Pick<CatalogItem, 'questions' | 'materials' | 'form'> = {
  questions: [
    {
      id: 'delivery',
      label: '分娩方式',
      options: [
        { value: 'natural', label: '顺产' },
        { value: 'caesarean', label: '剖宫产' },
      ],
    },
  ],
  materials: [
    { name: '身份证件', required: true, tolerable: true, toleranceDays: 10 },
    { name: '病历资料', required: true, tolerable: false },
    { name: '手术记录', required: true, tolerable: false, when: { delivery: ['caesarean'] } },
  ],
  form: {
    fields: [
      { id: 'deliveryDate', label: '分娩日期', type: 'date', required: true },
      { id: 'amount', label: '金额', type: 'money', required: false, max: 500 },
    ],
    recheck: false,
  },
};
const good = {
  applicantName: '张三',
  applicantIdNo: '11010519491231002X',
  applicantPhone: '13800138000',
  delivery: 'natural',
  deliveryDate: '2026-10-01',
};

test('the form has the applicant block, the questions, the extra fields and a note', () => {
  const f = resolveForm(item, {});
  assert.deepEqual(
    f.fields.map((x) => x.id),
    ['applicantName', 'applicantIdNo', 'applicantPhone', 'delivery', 'deliveryDate', 'amount', 'note'],
  );
});

test('valid answers pass; every problem is reported at once', () => {
  assert.deepEqual(validateAnswers(item, good), []);
  const errs = validateAnswers(item, {
    ...good,
    applicantIdNo: '110105194912310021',
    applicantPhone: '123',
    delivery: 'x',
    deliveryDate: '2026-13-01',
    amount: '600',
  });
  assert.deepEqual(
    errs.map((e) => e.field),
    ['applicantIdNo', 'applicantPhone', 'delivery', 'deliveryDate', 'amount'],
  );
  assert.match(errs[0]!.message, /校验位/);
  assert.deepEqual(
    validateAnswers(item, { ...good, applicantName: ' ' }).map((e) => e.field),
    ['applicantName'],
  );
});

test('conditional materials follow the answers', () => {
  assert.deepEqual(
    missingMaterials(resolveForm(item, good), new Set([1])).map((m) => m.name),
    ['身份证件'],
  );
  assert.deepEqual(
    missingMaterials(resolveForm(item, { ...good, delivery: 'caesarean' }), new Set([1])).map((m) => m.name),
    ['身份证件', '手术记录'],
  );
});

test('files are recognised by content', () => {
  assert.equal(sniffMime(new TextEncoder().encode('%PDF-1.7')), 'application/pdf');
  assert.equal(sniffMime(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0])), 'image/jpeg');
  assert.equal(sniffMime(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'image/png');
  assert.equal(sniffMime(new TextEncoder().encode('MZ\x90\x00')), null);
  assert.equal(sniffMime(new TextEncoder().encode('%PD')), null);
});

test('formFieldsOf lists every field whatever the answers; checkForm finds a `when` that can never show its field', () => {
  const visit: FormField = { id: 'visit', label: '门诊类型', type: 'select', required: true, options: [{ value: 'emergency', label: '急诊' }] };
  const rescue: FormField = {
    id: 'rescue',
    label: '是否抢救',
    type: 'select',
    required: true,
    options: [{ value: 'yes', label: '是' }],
    when: { visit: ['emergency'] },
  };
  const f = { code: 'T-01', questions: item.questions, form: { fields: [visit, rescue], recheck: false } };
  assert.deepEqual(
    formFieldsOf(f).map((x) => x.id),
    ['applicantName', 'applicantIdNo', 'applicantPhone', 'delivery', 'visit', 'rescue', 'note'],
  );
  assert.deepEqual(
    resolveForm({ ...f, materials: [] }, {}).fields.map((x) => x.id),
    ['applicantName', 'applicantIdNo', 'applicantPhone', 'delivery', 'visit', 'note'],
    'a `when` field is hidden until its answer is given',
  );
  assert.deepEqual(checkForm(f), []);
  const kind: FormField = { id: 'kind', label: '类别', type: 'select', required: true, when: { delivery: ['breech'] } };
  const dup: FormField = { id: 'delivery', label: '重复', type: 'text', required: true };
  const p = checkForm({ ...f, form: { fields: [rescue, visit, kind, dup], recheck: false } });
  assert.ok(
    p.some((x) => /rescue 的 when 引用 visit/.test(x)),
    'a `when` on a later field',
  );
  assert.ok(p.some((x) => /kind 的 when 中 delivery 没有选项 breech/.test(x)));
  assert.ok(p.some((x) => /选择字段 kind 没有选项/.test(x)));
  assert.ok(p.some((x) => /delivery 重复/.test(x)));
});
