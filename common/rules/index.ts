/**
 * Declarative eligibility / 禁办 / 容缺-exclusion rules (issue 4). Rules are data
 * (`data/rules/<agency>.yaml`), versioned and effective-dated, attached to item codes, and
 * evaluated against a registry snapshot (common/registry.ts) plus the application's answers.
 *
 * A rule applies when its `when` condition holds (or has none); it then PASSES when `require`
 * holds, else it FAILS and its `reason` template is rendered with the facts it used. Facts come
 * from a closed registry (`FACTS`): an unknown fact name or bad arguments are rejected when the
 * rule document is parsed, so a typo fails at load, never at evaluation.
 *
 * Pure and deterministic: no clock (the date is `asOf`), no I/O, no packages except zod.
 * `answerProblems` checks that the items' online forms ask every answer a rule reads.
 *
 * The public door of common/rules/; importers use this file only. Its parts, each using only
 * those above it: format.ts (values, rule kinds, how a value prints), facts.ts (the `FACTS`
 * registry), conditions.ts (condition schema and evaluation), authoring.ts (the rule document
 * schemas and the authoring checks), evaluator.ts (evaluating an item's rules in force).
 */
export { formatMoney, RULE_KIND_LABELS, RULE_KINDS, type Answers, type FactValue, type RuleKind } from './format.ts';
export { BENEFIT_LABELS, FACT_NAMES, FACTS, type FactContext, type FactName } from './facts.ts';
export { condition, CONDITION_OPS, type Condition, type ConditionOp, type FactCondition, type FactUse } from './conditions.ts';
export {
  answerIds,
  answerProblemAllowed,
  answerProblems,
  checkRules,
  rule,
  RULE_CODE,
  ruleFile,
  UNASKED_ANSWERS_ALLOWED,
  type AnswerProblem,
  type Rule,
  type RuleFile,
  type RuleInput,
} from './authoring.ts';
export { evaluateRule, evaluateRules, inForce, summarise, type RuleResult } from './evaluator.ts';
