// Validate data/<agency>.yaml files against the catalogue schema. Usage: node scripts/validate-data.ts [files…]
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { agencyCatalog, crossCheck } from '../common/catalog.ts';

const files = process.argv.slice(2).length
  ? process.argv.slice(2)
  : readdirSync('data')
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => `data/${f}`);
let bad = 0;
for (const f of files) {
  const res = agencyCatalog.safeParse(parse(readFileSync(f, 'utf8')));
  if (!res.success) {
    bad++;
    console.log(`✗ ${f}`);
    for (const i of res.error.issues.slice(0, 40)) console.log(`  ${i.path.join('.')}: ${i.message}`);
    continue;
  }
  const problems = crossCheck(res.data);
  if (problems.length) {
    bad++;
    console.log(`✗ ${f}`);
    for (const p of problems) console.log(`  ${p}`);
    continue;
  }
  const c = res.data;
  console.log(
    `✓ ${f}: ${c.items.length} items, ${c.offices.length} offices, ${c.departments.length} departments, ` +
      `${c.prohibitionList.reduce((n, p) => n + p.situations.length, 0) + c.items.reduce((n, i) => n + i.prohibitions.length, 0)} 禁办 situations, ` +
      `${c.toleranceList.length} 容缺 entries, ${c.measures.length} measures`,
  );
}
process.exit(bad ? 1 : 0);
