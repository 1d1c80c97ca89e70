// Validate data/rules/<agency>.yaml (common/rules/authoring.ts ruleFile) and data/benefits/<agency>.yaml
// (common/benefits.ts benefitFile) against the schemas and the agency's catalogue (item codes, 禁办
// situation codes, and that the items' online forms ask every answer a rule reads), and print a summary. Usage: node scripts/validate-rules.ts
// The server loads the files the same way: parse YAML → ruleFile / benefitFile → check*.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { agencyCatalog, type AgencyCatalog } from '../common/catalog.ts';
import { answerIds, answerProblemAllowed, answerProblems, checkRules, ruleFile, RULE_KIND_LABELS } from '../common/rules/index.ts';
import { benefitFile, checkBenefitParams } from '../common/benefits.ts';

function load(dir: string): string[] {
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.yaml'))
        .sort()
        .map((f) => `${dir}/${f}`)
    : [];
}

function catalogue(agency: string): AgencyCatalog | null {
  const f = `data/${agency}.yaml`;
  if (!existsSync(f)) return null;
  const r = agencyCatalog.safeParse(parse(readFileSync(f, 'utf8')));
  return r.success ? r.data : null;
}

let bad = 0;
const fail = (f: string, lines: string[]) => {
  bad++;
  console.log(`✗ ${f}`);
  for (const l of lines) console.log(`  ${l}`);
};

for (const f of load('data/rules')) {
  const res = ruleFile.safeParse(parse(readFileSync(f, 'utf8')));
  if (!res.success) {
    fail(
      f,
      res.error.issues.slice(0, 40).map((i) => `${i.path.join('.')}: ${i.message}`),
    );
    continue;
  }
  const { agency, rules } = res.data;
  if (!f.endsWith(`/${agency}.yaml`)) {
    fail(f, [`文件名与 agency ${agency} 不符`]);
    continue;
  }
  const cat = catalogue(agency);
  const items = cat ? new Set(cat.items.map((i) => i.code)) : undefined;
  const problems = checkRules(rules, items);
  if (cat) {
    // 禁办 rules named like a catalogue situation must be attached to that situation's items.
    const situations = new Map(cat.prohibitionList.flatMap((p) => p.situations.map((s) => [s.code, p.items] as const)));
    for (const r of rules) {
      const its = situations.get(r.code);
      if (its && r.kind !== 'prohibition') problems.push(`${r.code} 是禁办情形编码，kind 应为 prohibition`);
      if (its) for (const it of r.items) if (!its.includes(it)) problems.push(`${r.code} 挂在 ${it}，但禁办清单中该情形适用于 ${its.join(', ')}`);
    }
    // Every answer a rule reads must be asked by its items' online forms (common/rules/authoring.ts answerProblems).
    for (const r of rules) for (const p of answerProblems(r, cat.items)) if (!answerProblemAllowed(p)) problems.push(p.message);
  }
  if (problems.length) {
    fail(f, problems);
    continue;
  }
  const byKind = rules.reduce<Record<string, number>>((m, r) => ((m[RULE_KIND_LABELS[r.kind]] = (m[RULE_KIND_LABELS[r.kind]] ?? 0) + 1), m), {});
  console.log(
    `✓ ${f}: ${rules.length} rules (${Object.entries(byKind)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')})`,
  );
  for (const r of rules) {
    const ids = answerIds(r);
    console.log(
      `    ${r.code.padEnd(28)} v${r.version} ${RULE_KIND_LABELS[r.kind].padEnd(5)} ${r.items.join(',')}${ids.length ? `  (reads answers: ${ids.join(', ')})` : ''}`,
    );
  }
}

for (const f of load('data/benefits')) {
  const res = benefitFile.safeParse(parse(readFileSync(f, 'utf8')));
  if (!res.success) {
    fail(
      f,
      res.error.issues.slice(0, 40).map((i) => `${i.path.join('.')}: ${i.message}`),
    );
    continue;
  }
  const { agency, params } = res.data;
  const cat = catalogue(agency);
  const problems = checkBenefitParams(params, cat ? new Set(cat.items.map((i) => i.code)) : undefined);
  if (!f.endsWith(`/${agency}.yaml`)) problems.push(`文件名与 agency ${agency} 不符`);
  if (problems.length) {
    fail(f, problems);
    continue;
  }
  console.log(`✓ ${f}: ${params.length} benefit parameter sets`);
  for (const p of params) {
    const flag = p.example
      ? '  [示例参数（种子未载明）]'
      : p.calculator === 'maternity_allowance' && !Object.keys(p.days).length
        ? '  [天数未载明 → 不能计算]'
        : '';
    console.log(`    ${p.benefit.padEnd(20)} ${p.calculator.padEnd(20)} v${p.version} ${p.items.join(',')}${flag}`);
  }
}

process.exit(bad ? 1 : 0);
