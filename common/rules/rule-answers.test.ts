/**
 * Every rule must be able to see the answers it reads: each answer a rule in data/rules/ reads is a
 * field of the online form of every item the rule is attached to, with the values the rule compares
 * among the field's options. Same check as `node scripts/validate-rules.ts` (common/rules/authoring.ts
 * answerProblems), so a rule or a form edited on its own fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { agencyCatalog, type AgencyCatalog, type CatalogItem } from '../catalog.ts';
import { checkForm } from '../forms.ts';
import { answerIds, answerProblemAllowed, answerProblems, rule, ruleFile, UNASKED_ANSWERS_ALLOWED, type Rule, type RuleInput } from './index.ts';

const RULE_FILES = readdirSync('data/rules')
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => ruleFile.parse(parse(readFileSync(`data/rules/${f}`, 'utf8'))));
const CATALOGS = new Map<string, AgencyCatalog>(
  RULE_FILES.map((f) => [f.agency, agencyCatalog.parse(parse(readFileSync(`data/${f.agency}.yaml`, 'utf8')))]),
);
const ALL = RULE_FILES.flatMap((f) => f.rules.flatMap((r) => answerProblems(r, CATALOGS.get(f.agency)!.items)));

test('every answer a rule reads is asked by the online form of each item it is attached to', () => {
  assert.equal(RULE_FILES.length, 5);
  const unexplained = ALL.filter((p) => !answerProblemAllowed(p)).map((p) => p.message);
  assert.deepEqual(unexplained, [], `rules read answers their items do not ask:\n${unexplained.join('\n')}`);
});

test('the allow-list names only problems that exist (a stale entry fails)', () => {
  const found = new Set(ALL.filter((p) => p.kind === 'not_asked').map((p) => `${p.rule}/${p.item}/${p.answer}`));
  for (const key of Object.keys(UNASKED_ANSWERS_ALLOWED))
    assert.ok(found.has(key), `${key} is allowed but the item asks it now (or the rule no longer reads it)`);
});

test('the check has something to check: at least 25 rules read application answers', () => {
  const reading = RULE_FILES.flatMap((f) => f.rules.filter((r) => answerIds(r).length > 0));
  assert.ok(reading.length >= 25, `${reading.length} rules read answers`);
});

test('every item form is consistent: unique field ids, select options, `when` naming an earlier choice and its values', () => {
  const problems = [...CATALOGS.values()].flatMap((c) => c.items.flatMap((it) => checkForm(it)));
  assert.deepEqual(problems, []);
});

// ---------------------------------------------------------------------------------------------
// The check itself can fail.

const item = (over: Partial<CatalogItem> & { code: string }): Pick<CatalogItem, 'code' | 'questions' | 'form'> => ({
  questions: [],
  form: { fields: [], recheck: false },
  ...over,
});
const mk = (over: Partial<RuleInput>): Rule =>
  rule.parse({
    code: 'T-R-1',
    agency: 'daye',
    items: ['DY-01'],
    kind: 'eligibility',
    version: 1,
    effectiveFrom: '2020-01-01',
    source: '测试',
    require: { fact: 'person.exists', op: 'eq', value: true },
    reason: '不通过',
    ...over,
  });
const yesNo = [
  { value: 'yes', label: '是' },
  { value: 'no', label: '否' },
];

test('check: an answer no form asks is reported once per item, and only for the items the rule is attached to', () => {
  const r = mk({
    items: ['DY-01', 'DY-02'],
    when: { fact: 'answer', args: { id: 'origin' }, op: 'eq', value: 'out' },
    require: { fact: 'answer', args: { id: 'origin' }, op: 'ne', value: 'abroad' },
  });
  const asks = item({
    code: 'DY-02',
    form: {
      fields: [
        {
          id: 'origin',
          label: '来源',
          type: 'select',
          required: true,
          options: [
            { value: 'out', label: '省外' },
            { value: 'abroad', label: '境外' },
          ],
        },
      ],
      recheck: false,
    },
  });
  const p = answerProblems(r, [item({ code: 'DY-01' }), asks, item({ code: 'DY-03' })]);
  assert.deepEqual(
    p.map((x) => [x.item, x.answer, x.kind]),
    [['DY-01', 'origin', 'not_asked']],
  );
  assert.match(p[0]!.message, /T-R-1（DY-01）.*origin/);
});

test('check: a checklist question counts as asked; a compared value that is not an option is reported', () => {
  const q = item({ code: 'DY-01', questions: [{ id: 'certificate', label: '有参保凭证吗？', options: yesNo }] });
  assert.deepEqual(answerProblems(mk({ require: { fact: 'answer', args: { id: 'certificate' }, op: 'eq', value: 'yes' } }), [q]), []);
  const typo = answerProblems(mk({ require: { fact: 'answer', args: { id: 'certificate' }, op: 'in', value: ['yes', 'Yes'] } }), [q]);
  assert.deepEqual(
    typo.map((x) => x.kind),
    ['value'],
  );
  assert.match(typo[0]!.message, /Yes.*yes、no/);
  const bool = answerProblems(mk({ require: { fact: 'answer', args: { id: 'certificate' }, op: 'eq', value: true } }), [q]);
  assert.match(bool[0]!.message, /文字/);
});

test('check: an ordering needs a number field; startsWith must match some option', () => {
  const f = item({
    code: 'DY-01',
    form: {
      fields: [
        { id: 'weeks', label: '孕周', type: 'text', required: true },
        { id: 'months', label: '月数', type: 'number', required: true },
        { id: 'region', label: '地区', type: 'select', required: true, options: [{ value: '420200', label: '黄石市' }] },
      ],
      recheck: false,
    },
  });
  const one = (require: RuleInput['require']) => answerProblems(mk({ require }), [f]).map((x) => x.kind);
  assert.deepEqual(one({ fact: 'answer', args: { id: 'weeks' }, op: 'gte', value: 32 }), ['value']);
  assert.deepEqual(one({ fact: 'answer', args: { id: 'months' }, op: 'gte', value: 6 }), []);
  assert.deepEqual(one({ fact: 'answer', args: { id: 'region' }, op: 'startsWith', value: '4202' }), []);
  assert.deepEqual(one({ fact: 'answer', args: { id: 'region' }, op: 'startsWith', value: '4402' }), ['value']);
  assert.deepEqual(one({ fact: 'answer', args: { id: 'weeks' }, op: 'exists' }), []);
});

test('check: person.employment needs an `employment` field with the compared category; a * rule needs it on every item', () => {
  const r = mk({ items: ['*'], require: { fact: 'person.employment', op: 'eq', value: 'retired' } });
  const withField = item({
    code: 'DY-01',
    form: {
      fields: [
        {
          id: 'employment',
          label: '人员类别',
          type: 'select',
          required: false,
          options: [
            { value: 'employed', label: '在职' },
            { value: 'retired', label: '退休' },
          ],
        },
      ],
      recheck: false,
    },
  });
  assert.deepEqual(
    answerProblems(r, [withField, item({ code: 'DY-02' })]).map((x) => [x.item, x.answer]),
    [['DY-02', 'employment']],
  );
  const flexible = mk({ require: { fact: 'person.employment', op: 'eq', value: 'flexible' } });
  assert.deepEqual(
    answerProblems(flexible, [withField]).map((x) => x.kind),
    ['value'],
  );
  assert.deepEqual(answerProblems(mk({}), [item({ code: 'DY-01' })]), [], 'a rule that reads no answer has nothing to ask');
});

test('check: the allow-list only excuses an unasked answer on the listed item', () => {
  assert.equal(answerProblemAllowed({ rule: 'FS-JB-01', item: 'FS-03', answer: 'employment', kind: 'not_asked', message: '' }), true);
  assert.equal(answerProblemAllowed({ rule: 'FS-JB-01', item: 'FS-02', answer: 'employment', kind: 'not_asked', message: '' }), false);
  assert.equal(answerProblemAllowed({ rule: 'FS-JB-01', item: 'FS-03', answer: 'employment', kind: 'value', message: '' }), false);
});
