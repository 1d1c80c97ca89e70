/**
 * Rule documents and the checks on what authors write: the `rule` / `ruleFile` schemas of
 * `data/rules/<agency>.yaml`, cross-rule checks (`checkRules`), and whether the items' online forms
 * ask every answer a rule reads (`answerProblems`, with its allow-list `UNASKED_ANSWERS_ALLOWED`).
 */
import { z } from 'zod';
import { calendarDate } from '../date-schema.ts';
import { AGENCY_CODES, type CatalogItem } from '../catalog.ts';
import { formFieldsOf } from '../forms.ts';
import { condition, leaves, type FactCondition } from './conditions.ts';
import { FACTS, type FactDef } from './facts.ts';
import { RULE_KINDS } from './format.ts';

const isoDate = calendarDate;

export const RULE_CODE = /^[A-Z0-9]+(-[A-Z0-9]+)*$/;
/** In a rule's `items`: every item of the agency. */
export const ALL_ITEMS = '*';

export const rule = z
  .object({
    /** Stable code (A-Z0-9-). 禁办 rules reuse the catalogue's situation codes (e.g. FS-JB-01). */
    code: z.string().regex(RULE_CODE, '规则编码只能由大写字母、数字和连字符组成'),
    agency: z.enum(AGENCY_CODES),
    /** Item codes the rule is attached to; '*' = every item of the agency. */
    items: z.array(z.string().regex(/^(\*|[A-Z0-9-]+)$/)).min(1),
    kind: z.enum(RULE_KINDS),
    version: z.number().int().positive(),
    effectiveFrom: isoDate,
    effectiveTo: isoDate.optional(),
    /** The seed's own wording, verbatim. */
    source: z.string().min(1),
    /** 'seed' = stated by the agency's guide; 'platform' = platform policy (the guide is silent). */
    basis: z.enum(['seed', 'platform']).default('seed'),
    note: z.string().min(1).optional(),
    when: condition.optional(),
    require: condition,
    /** Plain Chinese shown when the rule fails; {fact.name} placeholders name facts the rule uses. */
    reason: z.string().min(1),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.effectiveTo && r.effectiveTo < r.effectiveFrom)
      ctx.addIssue({ code: 'custom', path: ['effectiveTo'], message: 'effectiveTo 早于 effectiveFrom' });
    const used = new Set<string>(leaves(r.when, leaves(r.require)).map((l) => l.fact));
    for (const m of r.reason.matchAll(/\{([^}]*)\}/g)) {
      const name = m[1]!;
      const f = (FACTS as Record<string, FactDef>)[name];
      // A placeholder names a fact the rule uses, or a fact that needs no arguments (computed for the reason).
      if (!used.has(name) && !(f && f.args.safeParse({}).success))
        ctx.addIssue({ code: 'custom', path: ['reason'], message: `理由中的 {${name}} 不是本规则使用的事实，也不是无参数的事实` });
    }
  });

export type Rule = z.infer<typeof rule>;
export type RuleInput = z.input<typeof rule>;

/** A rules file: one agency's rules. */
export const ruleFile = z
  .object({ agency: z.enum(AGENCY_CODES), rules: z.array(rule) })
  .strict()
  .superRefine((f, ctx) => {
    f.rules.forEach((r, i) => {
      if (r.agency !== f.agency)
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'agency'], message: `规则 ${r.code} 的机构 ${r.agency} 与文件 ${f.agency} 不符` });
    });
  });
export type RuleFile = z.infer<typeof ruleFile>;

/** Cross-rule checks: duplicate code+version, a code changing kind, overlapping versions. */
export function checkRules(rules: readonly Rule[], itemCodes?: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, Rule>();
  for (const r of rules) {
    const key = `${r.agency}/${r.code}@${r.version}`;
    if (seen.has(key)) problems.push(`规则重复: ${key}`);
    seen.set(key, r);
    const other = rules.find((o) => o.agency === r.agency && o.code === r.code && o.kind !== r.kind);
    if (other) problems.push(`规则 ${r.code} 各版本的 kind 不一致`);
    if (itemCodes) for (const it of r.items) if (it !== ALL_ITEMS && !itemCodes.has(it)) problems.push(`规则 ${r.code} 引用未知事项 ${it}`);
  }
  return [...new Set(problems)];
}

/** The answers a rule reads: `compared` when the condition compares the answer itself (not a count made from it). */
function answerReads(r: Rule): { id: string; leaf: FactCondition; compared: boolean }[] {
  return leaves(r.when, leaves(r.require)).flatMap((l): { id: string; leaf: FactCondition; compared: boolean }[] => {
    if (l.fact === 'answer') return [{ id: String(l.args?.id), leaf: l, compared: true }];
    // person.employment: the registry's category first, the application's `employment` answer when it has none.
    if (l.fact === 'person.employment') return [{ id: 'employment', leaf: l, compared: true }];
    if (l.fact === 'chronic.countWithRequested') return [{ id: String(l.args?.answer ?? 'diseases'), leaf: l, compared: false }];
    return [];
  });
}

/** Answer ids a rule reads (the item's form or checklist must ask them; see answerProblems). */
export function answerIds(r: Rule): string[] {
  return [...new Set(answerReads(r).map((a) => a.id))];
}

export interface AnswerProblem {
  rule: string;
  item: string;
  answer: string;
  kind: 'not_asked' | 'value';
  message: string;
}

/**
 * Answers a rule may read although an item's form does not ask them, keyed `RULE/ITEM/answerId`,
 * each with the reason it cannot or must not be asked there. Only for answers that genuinely cannot
 * be a field of that item; where the registry should know a fact, add a registry fact instead.
 */
export const UNASKED_ANSWERS_ALLOWED: Readonly<Record<string, string>> = {
  // FS-JB-01 (个体参保人员是外地户口，并且没有抚顺居住证) covers 职工参保登记 FS-02 and 城乡居民参保登记 FS-03.
  // `employment ne employed` only exempts a unit employee on FS-02 (which asks it); a 城乡居民 on FS-03
  // has no 人员类别 to give, and the missing answer is exactly what makes the rule apply to them.
  'FS-JB-01/FS-03/employment': '城乡居民参保登记没有人员类别；未填报即按个体参保人员判断',
};

/** Whether an answer problem is on the allow-list above. */
export function answerProblemAllowed(p: AnswerProblem): boolean {
  return p.kind === 'not_asked' && `${p.rule}/${p.item}/${p.answer}` in UNASKED_ANSWERS_ALLOWED;
}

const NUMERIC_FIELD_TYPES = new Set(['number', 'money']);

/**
 * Can every item a rule is attached to ('*' = every item given) see the answers it reads? Each answer
 * must be a field of the item's online form (common/forms.ts formFieldsOf: applicant block, checklist
 * questions, the item's extra fields), a compared value must be one of the field's options, and an
 * ordering (gt/gte/lt/lte) needs a number field. Unknown item codes are checkRules's business.
 */
export function answerProblems(r: Rule, items: readonly Pick<CatalogItem, 'code' | 'questions' | 'form'>[]): AnswerProblem[] {
  const reads = answerReads(r);
  if (!reads.length) return [];
  const out: AnswerProblem[] = [];
  const targets = r.items.includes(ALL_ITEMS) ? items : items.filter((i) => r.items.includes(i.code));
  for (const it of targets) {
    const fields = new Map(formFieldsOf(it).map((f) => [f.id, f]));
    const add = (answer: string, kind: AnswerProblem['kind'], message: string) =>
      out.push({ rule: r.code, item: it.code, answer, kind, message: `${r.code}（${it.code}）：${message}` });
    for (const { id, leaf, compared } of reads) {
      const f = fields.get(id);
      if (!f) {
        if (!out.some((p) => p.item === it.code && p.answer === id && p.kind === 'not_asked'))
          add(id, 'not_asked', `读取申请填报 ${id}，但事项的申请表没有询问`);
        continue;
      }
      if (!compared) continue;
      const values = leaf.value === undefined ? [] : Array.isArray(leaf.value) ? leaf.value : [leaf.value];
      const options = f.options?.map((o) => o.value);
      switch (leaf.op) {
        case 'eq':
        case 'ne':
        case 'in':
        case 'notIn':
          for (const v of values) {
            if (typeof v !== 'string') add(id, 'value', `把 ${id} 与 ${JSON.stringify(v)} 比较，但申请填报是文字`);
            else if (options && !options.includes(v)) add(id, 'value', `把 ${id} 与 ${v} 比较，但该字段的选项只有 ${options.join('、')}`);
          }
          break;
        case 'gt':
        case 'gte':
        case 'lt':
        case 'lte':
          if (!NUMERIC_FIELD_TYPES.has(f.type)) add(id, 'value', `对 ${id} 做数值比较，但该字段不是数字（${f.type}）`);
          break;
        case 'startsWith':
        case 'contains':
          if (options && !options.some((o) => (leaf.op === 'startsWith' ? o.startsWith(String(leaf.value)) : o.includes(String(leaf.value)))))
            add(id, 'value', `${id} ${leaf.op} ${String(leaf.value)} 在该字段的任何选项上都不成立`);
          break;
        case 'exists':
          break;
      }
    }
  }
  return out;
}
