import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { plainZh } from './zod-zh.ts';

const messages = (schema: z.ZodType, data: unknown) => {
  const r = schema.safeParse(data, { error: plainZh });
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}=${i.message}`);
};

test('plainZh: empty, too long, out of range, wrong format and unknown fields in plain Chinese', () => {
  const s = z
    .object({
      source: z.string().min(1),
      name: z.string().min(2).max(4),
      days: z.number().int().positive().max(365),
      items: z.array(z.string().regex(/^[A-Z0-9-]+$/)).min(1),
      kind: z.enum(['natural', 'caesarean']),
    })
    .strict();
  assert.deepEqual(messages(s, { source: '', name: '长名字太长了', days: 0, items: [], kind: 'x', extra: 1 }), [
    'source=请填写此项。',
    'name=不能超过 4 个字。',
    'days=应大于 0。',
    'items=至少要有 1 项。',
    'kind=不是可选的值。',
    '=不认识的字段：extra。',
  ]);
  assert.deepEqual(messages(s, { name: '甲', days: 400, items: ['hc-1'], kind: 'natural' }), [
    'source=请填写此项。',
    'name=至少 2 个字。',
    'days=不能大于 365。',
    'items.0=格式不正确。',
  ]);
  assert.deepEqual(messages(z.object({ n: z.number() }), { n: '3' }), ['n=应填写数字。']);
  assert.deepEqual(messages(z.string().min(1, '请填写依据。'), ''), ['=请填写依据。'], 'a schema’s own message wins');
  for (const m of [...messages(s, {}), ...messages(s, { source: 1, name: 2, days: 'x', items: 'y', kind: 3 })])
    assert.doesNotMatch(m.split('=')[1]!, /[A-Za-z]{4,}|>=|<=/, `no type names or operators: ${m}`);
});
