/**
 * Compare two RECORD_RESPONSES runs (test/record.ts): per test file, the multiset of
 * (method, url, status, body) after masking values that differ between runs of the same code —
 * uuids, random tokens and codes, timestamps. Lines are sorted, so concurrent requests inside a
 * test may come in any order. Prints the differing lines and exits 1 when any differ.
 *
 *   node scripts/response-diff.ts var/responses-before var/responses-after [--shapes] [--added=k1,k2]
 *
 * `--added=…` names fields a change added on purpose: they are dropped from the after-run's answers
 * (at any depth) before comparing, so what remains is what changed by accident.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';

const [before, after] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (!before || !after) {
  console.error('usage: node scripts/response-diff.ts <before-dir> <after-dir>');
  process.exit(2);
}

function mask(s: string): string {
  return s
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<uuid>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?/g, '<ts>')
    .replace(/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{16,}\b/g, '<tok>');
}

/** A JSON value's shape: its keys and the types of its leaves (arrays as the union of their items' shapes). */
function shape(v: unknown): unknown {
  if (v === null) return 'null';
  if (Array.isArray(v)) return [...new Set(v.map((x) => JSON.stringify(shape(x))))].sort().map((x) => JSON.parse(x) as unknown);
  if (typeof v === 'object')
    return Object.fromEntries(
      Object.keys(v as object)
        .sort()
        .map((k) => [k, shape((v as Record<string, unknown>)[k])]),
    );
  return typeof v;
}

/**
 * Tests draw some data at random (mobiles, names, ids), so two runs' values differ even on the same
 * code. `--shapes` compares each answer's route, status and JSON shape instead of its values.
 */
const shapes = process.argv.includes('--shapes');
const added = new Set(
  process.argv
    .filter((a) => a.startsWith('--added='))
    .flatMap((a) => a.slice('--added='.length).split(','))
    .filter(Boolean),
);

function dropAdded(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropAdded);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v as Record<string, unknown>)
        .filter(([k]) => !added.has(k))
        .map(([k, x]) => [k, dropAdded(x)]),
    );
  return v;
}

function load(dir: string, file: string, isAfter = false): string[] {
  const p = path.join(dir, file);
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => {
      const r = JSON.parse(l) as { method: string; url: string; route: string | null; status: number; body: string };
      if (isAfter && added.size) {
        try {
          r.body = JSON.stringify(dropAdded(JSON.parse(r.body)));
        } catch {
          // not JSON
        }
      }
      if (!shapes) return mask(`${r.method} ${r.url} ${r.status} ${r.body}`);
      let body: unknown = r.body;
      try {
        body = shape(JSON.parse(r.body));
      } catch {
        // not JSON (a PDF, a CSV): its content type is the body
      }
      return `${r.method} ${r.route ?? r.url} ${r.status} ${JSON.stringify(body)}`;
    })
    .sort();
}

const files = [...new Set([...readdirSync(before), ...readdirSync(after)])].filter((f) => f.endsWith('.jsonl')).sort();
let differing = 0;
let total = 0;
for (const f of files) {
  const a = load(before, f);
  const b = load(after, f, true);
  total += a.length;
  const count = (xs: string[]) => xs.reduce((m, x) => m.set(x, (m.get(x) ?? 0) + 1), new Map<string, number>());
  const ca = count(a);
  const cb = count(b);
  const gone: string[] = [];
  const more: string[] = [];
  for (const [k, n] of ca) for (let i = 0; i < n - (cb.get(k) ?? 0); i++) gone.push(k);
  for (const [k, n] of cb) for (let i = 0; i < n - (ca.get(k) ?? 0); i++) more.push(k);
  if (!gone.length && !more.length) continue;
  differing += gone.length + more.length;
  console.log(`\n## ${f}: ${a.length} before, ${b.length} after`);
  for (const g of gone) console.log(`- ${g.slice(0, 400)}`);
  for (const g of more) console.log(`+ ${g.slice(0, 400)}`);
}
console.log(`\n${files.length} files, ${total} responses before; ${differing} differing lines`);
process.exit(differing ? 1 : 0);
