/**
 * Conditions over facts: the operators, the `condition` schema (a fact with its arguments, an
 * operator and a value, combined by all / any / not; unknown facts and bad arguments are refused
 * at parse), and their evaluation (`Evaluator`), which records every fact it used.
 */
import { z } from 'zod';
import { FACT_NAMES, FACTS, factLabel, type FactContext, type FactDef, type FactName } from './facts.ts';
import { formatValue, type FactValue } from './format.ts';

export const CONDITION_OPS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', 'startsWith', 'contains', 'exists'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

type Scalar = string | number | boolean;
export interface FactCondition {
  fact: FactName;
  args?: Record<string, unknown>;
  op: ConditionOp;
  value?: Scalar | Scalar[];
}
export type Condition = { all: Condition[] } | { any: Condition[] } | { not: Condition } | FactCondition;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

const factCondition = z
  .object({
    fact: z.string(),
    args: z.record(z.string(), z.unknown()).optional(),
    op: z.enum(CONDITION_OPS),
    value: z.union([scalar, z.array(scalar)]).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const f = (FACTS as Record<string, FactDef>)[c.fact];
    if (!f) {
      ctx.addIssue({ code: 'custom', path: ['fact'], message: `未知事实 ${c.fact}（可用：${FACT_NAMES.join(', ')}）` });
      return;
    }
    const a = f.args.safeParse(c.args ?? {});
    if (!a.success)
      for (const i of a.error.issues) ctx.addIssue({ code: 'custom', path: ['args', ...i.path.map(String)], message: `${c.fact}: ${i.message}` });
    if (c.op === 'exists') {
      if (c.value !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'exists 不带 value' });
    } else if (c.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} 需要 value` });
    else if ((c.op === 'in' || c.op === 'notIn') !== Array.isArray(c.value))
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: c.op === 'in' || c.op === 'notIn' ? `${c.op} 的 value 应为数组` : `${c.op} 的 value 不能是数组`,
      });
    else if (['gt', 'gte', 'lt', 'lte'].includes(c.op) && typeof c.value !== 'number')
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} 的 value 应为数字` });
    else if ((c.op === 'startsWith' || c.op === 'contains') && typeof c.value !== 'string')
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.op} 的 value 应为字符串` });
  });

export const condition: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({ all: z.array(condition).min(1) }).strict(),
    z.object({ any: z.array(condition).min(1) }).strict(),
    z.object({ not: condition }).strict(),
    factCondition,
  ]),
) as unknown as z.ZodType<Condition>;

/** The fact conditions of a condition tree, in order. */
export function leaves(c: Condition | undefined, out: FactCondition[] = []): FactCondition[] {
  if (!c) return out;
  if ('all' in c) c.all.forEach((x) => leaves(x, out));
  else if ('any' in c) c.any.forEach((x) => leaves(x, out));
  else if ('not' in c) leaves(c.not, out);
  else out.push(c);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Evaluation

export interface FactUse {
  name: FactName;
  args?: Record<string, unknown>;
  label: string;
  value: FactValue;
  display: string;
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** Form answers arrive as text: an ordering reads '33' (a number field's answer) as 33. */
function asNumber(v: FactValue): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return null;
}

function compare(v: FactValue, op: ConditionOp, want: Scalar | Scalar[] | undefined): boolean {
  const present = v !== null && !(Array.isArray(v) && v.length === 0);
  switch (op) {
    case 'exists':
      return present;
    case 'eq':
      return Array.isArray(v) ? v.includes(String(want)) : v === want;
    case 'ne':
      return !(Array.isArray(v) ? v.includes(String(want)) : v === want);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const n = asNumber(v);
      if (n === null || typeof want !== 'number') return false;
      return op === 'gt' ? n > want : op === 'gte' ? n >= want : op === 'lt' ? n < want : n <= want;
    }
    case 'in':
    case 'notIn': {
      const list = (want as Scalar[]) ?? [];
      const hit = Array.isArray(v) ? v.some((x) => list.map(String).includes(x)) : v !== null && list.includes(v as Scalar);
      return op === 'in' ? hit : !hit;
    }
    case 'startsWith':
      return typeof v === 'string' && typeof want === 'string' && v.startsWith(want);
    case 'contains':
      return typeof want === 'string' && (typeof v === 'string' ? v.includes(want) : Array.isArray(v) && v.some((x) => x.includes(want)));
  }
}

/** Evaluates conditions against one context, computing each fact (with its arguments) once and keeping what it used. */
export class Evaluator {
  readonly ctx: FactContext;
  readonly used = new Map<string, FactUse>();
  constructor(ctx: FactContext) {
    this.ctx = ctx;
  }
  fact(l: FactCondition): FactValue {
    const key = `${l.fact}${canonical(l.args ?? {})}`;
    const hit = this.used.get(key);
    if (hit) return hit.value;
    const d = FACTS[l.fact] as FactDef;
    const args = d.args.parse(l.args ?? {}) as Record<string, unknown>;
    const value = d.compute(this.ctx, args);
    const use: FactUse = { name: l.fact, label: factLabel(l.fact, args), value, display: formatValue(value, d.format) };
    if (l.args && Object.keys(l.args).length) use.args = l.args;
    this.used.set(key, use);
    return value;
  }
  /** Evaluates every leaf (no short-circuit), so the facts list is complete and stable. */
  eval(c: Condition): boolean {
    if ('all' in c) return c.all.map((x) => this.eval(x)).every(Boolean);
    if ('any' in c) return c.any.map((x) => this.eval(x)).some(Boolean);
    if ('not' in c) return !this.eval(c.not);
    return compare(this.fact(c), c.op, c.value);
  }
}
