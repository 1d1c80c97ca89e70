import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checklist, materialApplies } from './checklist.ts';
import { material, question } from './catalog.ts';

const q = (id: string, values: string[]) => question.parse({ id, label: id, options: values.map((v) => ({ value: v, label: v })) });
const m = (o: Record<string, unknown>) => material.parse(o);

const item = {
  questions: [q('insurance', ['employee', 'resident']), q('age', ['adult', 'minor'])],
  materials: [
    m({ name: '收费票据' }),
    m({ name: '职工复印件', required: false, when: { insurance: ['employee'] } }),
    m({ name: '居民成年人复印件', required: false, when: { insurance: ['resident'], age: ['adult'] } }),
    m({ name: '居民未成年人复印件', required: false, when: { insurance: ['resident'], age: ['minor'] } }),
    m({ name: '死亡证明', required: false, condition: '参保人死亡的' }),
  ],
};

test('unconditional material always applies; free-text condition is "maybe"', () => {
  assert.equal(materialApplies(item.materials[0]!, {}), 'yes');
  assert.equal(materialApplies(item.materials[4]!, { insurance: 'employee' }), 'maybe');
});

test('answers select exactly the matching materials', () => {
  const r = checklist(item, { insurance: 'resident', age: 'minor' });
  assert.deepEqual(
    r.applies.map((x) => x.name),
    ['收费票据', '居民未成年人复印件'],
  );
  assert.deepEqual(
    r.excluded.map((x) => x.name),
    ['职工复印件', '居民成年人复印件'],
  );
  assert.deepEqual(
    r.maybe.map((x) => x.name),
    ['死亡证明'],
  );
  assert.deepEqual(r.unanswered, []);
});

test('a mismatching answer excludes even when another question is unanswered', () => {
  const r = checklist(item, { insurance: 'employee' });
  assert.deepEqual(
    r.applies.map((x) => x.name),
    ['收费票据', '职工复印件'],
  );
  assert.ok(r.excluded.some((x) => x.name === '居民未成年人复印件'));
});

test('unanswered questions are reported in question order', () => {
  const r = checklist(item, { insurance: 'resident' });
  assert.deepEqual(r.unanswered, ['age']);
  assert.deepEqual(
    r.maybe.map((x) => x.name),
    ['居民成年人复印件', '居民未成年人复印件', '死亡证明'],
  );
});
