/**
 * Evaluating rules: one rule against a snapshot and answers (`evaluateRule`, its reason rendered
 * with the facts it used), the versions in force on a date (`inForce`), an item's rules
 * (`evaluateRules`) and what the workflow needs from the results (`summarise`).
 */
import type { PersonSnapshot } from '../registry.ts';
import { ALL_ITEMS, type Rule } from './authoring.ts';
import { Evaluator, type FactUse } from './conditions.ts';
import { FACTS, type FactName } from './facts.ts';
import type { Answers, RuleKind } from './format.ts';

export interface RuleResult {
  code: string;
  kind: RuleKind;
  version: number;
  applies: boolean;
  passed: boolean;
  /** Rendered Chinese reason; empty when the rule passed or did not apply. */
  reason: string;
  source: string;
  facts: FactUse[];
}

function render(reason: string, facts: FactUse[]): string {
  return reason.replace(/\{([^}]*)\}/g, (_, name: string) => facts.find((f) => f.name === name)?.display ?? '无记录');
}

/** Facts a reason cites that the conditions did not use (no-argument facts), computed for the trace. */
function citeExtra(ev: Evaluator, reason: string): void {
  for (const m of reason.matchAll(/\{([^}]*)\}/g)) {
    const name = m[1] as FactName;
    if (FACTS[name] && ![...ev.used.values()].some((u) => u.name === name)) ev.fact({ fact: name, op: 'exists' });
  }
}

/** Evaluates one rule. `asOf` defaults to the snapshot's date. */
export function evaluateRule(r: Rule, snapshot: PersonSnapshot, answers: Answers = {}, asOf: string = snapshot.asOf): RuleResult {
  const ev = new Evaluator({ snapshot, answers, asOf });
  const applies = r.when ? ev.eval(r.when) : true;
  // The require facts are computed even when the rule does not apply, so the trace is the same shape.
  const holds = ev.eval(r.require);
  const passed = !applies || holds;
  citeExtra(ev, r.reason);
  const facts = [...ev.used.values()];
  return { code: r.code, kind: r.kind, version: r.version, applies, passed, reason: passed ? '' : render(r.reason, facts), source: r.source, facts };
}

/** Is the rule version in force on `asOf`? */
export function inForce(r: Pick<Rule, 'effectiveFrom' | 'effectiveTo'>, asOf: string): boolean {
  return r.effectiveFrom <= asOf && (!r.effectiveTo || r.effectiveTo >= asOf);
}

/**
 * The rules in force for an item on `asOf` (per code, the highest version in force), evaluated.
 * Rules of other agencies than the snapshot's are ignored. Results are ordered by code.
 */
export function evaluateRules(
  rules: readonly Rule[],
  itemCode: string,
  snapshot: PersonSnapshot,
  answers: Answers = {},
  asOf: string = snapshot.asOf,
): RuleResult[] {
  const chosen = new Map<string, Rule>();
  for (const r of rules) {
    if (r.agency !== snapshot.agencyCode) continue;
    if (!r.items.includes(itemCode) && !r.items.includes(ALL_ITEMS)) continue;
    if (!inForce(r, asOf)) continue;
    const cur = chosen.get(r.code);
    if (!cur || r.version > cur.version) chosen.set(r.code, r);
  }
  return [...chosen.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)).map((r) => evaluateRule(r, snapshot, answers, asOf));
}

/** What the workflow needs from a set of results (guard facts: 禁办 found, 容缺 allowed). */
export function summarise(results: readonly RuleResult[]): {
  eligible: boolean;
  prohibited: boolean;
  toleranceAllowed: boolean;
  failed: RuleResult[];
} {
  const failed = results.filter((r) => !r.passed);
  return {
    eligible: !failed.some((r) => r.kind === 'eligibility'),
    prohibited: failed.some((r) => r.kind === 'prohibition'),
    toleranceAllowed: !failed.some((r) => r.kind === 'tolerance_exclusion'),
    failed,
  };
}
