/**
 * Rules as data: data/rules/<agency>.yaml is loaded into `rule_versions` (new code+version pairs
 * only, so admin-added versions are never overwritten), validated by common/rules/. Evaluation
 * reads the person's registry snapshot and the application's answers.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Db } from '../../db/index.ts';
import {
  checkRules,
  evaluateRules,
  rule as ruleSchema,
  ruleFile,
  summarise,
  type Answers,
  type Rule,
  type RuleResult,
} from '../../../common/rules/index.ts';
import type { PersonSnapshot } from '../../../common/registry.ts';
import { ttlCache } from '../../platform/ttl-cache.ts';
import { appendOnlyStamp } from '../../db/stamp.ts';

export async function seedRules(db: Kysely<DB>, dataDir: string): Promise<{ inserted: number }> {
  const dir = path.join(dataDir, 'rules');
  if (!existsSync(dir)) return { inserted: 0 };
  let inserted = 0;
  for (const f of readdirSync(dir)
    .filter((x) => x.endsWith('.yaml'))
    .sort()) {
    const file = ruleFile.parse(parse(readFileSync(path.join(dir, f), 'utf8')));
    const problems = checkRules(file.rules);
    if (problems.length) throw new Error(`${f}: ${problems.join('; ')}`);
    const rows = file.rules.map((r) => ({
      agency_code: r.agency,
      code: r.code,
      version: r.version,
      doc: JSON.stringify(r),
      source: `data/rules/${f}`,
    }));
    if (!rows.length) continue;
    const res = await db
      .insertInto('rule_versions')
      .values(rows)
      .onConflict((oc) => oc.columns(['agency_code', 'code', 'version']).doNothing())
      .executeTakeFirst();
    inserted += Number(res.numInsertedOrUpdatedRows ?? 0);
  }
  cache.forget();
  return { inserted };
}

// Other instances see an admin's new rule version within a minute.
const cache = ttlCache<Rule[]>(60_000);

/** Forget the cached rules (after an admin publishes a version; other instances pick it up within a minute). */
export function forgetRules(agency?: string): void {
  cache.forget(agency);
}

export function agencyRules(db: Db, agency: string): Promise<Rule[]> {
  return cache.get(
    agency,
    async () => {
      const rows = await db.selectFrom('rule_versions').select('doc').where('agency_code', '=', agency).execute();
      return rows.map((r) => ruleSchema.parse(r.doc));
    },
    () => appendOnlyStamp(db, { table: 'rule_versions', column: 'agency_code' }, [agency]),
  );
}

export interface Evaluation {
  asOf: string;
  known: boolean;
  results: RuleResult[];
  eligible: boolean;
  prohibited: boolean;
  toleranceAllowed: boolean;
  /** The registry record the rules read (never sent as is: presenters pick from it). */
  snapshot: PersonSnapshot;
}

/**
 * Where the rules read a person's registry record. The registry plugs its snapshot in from boot.ts
 * (registry depends on rules and cases, never the other way round).
 */
export type SnapshotSource = (db: Db, idNo: string, agencyCode: string, asOf: string) => Promise<PersonSnapshot>;
let snapshotSource: SnapshotSource | null = null;

export function readSnapshotsFrom(source: SnapshotSource): void {
  snapshotSource = source;
}

function snapshot(db: Db, idNo: string, agencyCode: string, asOf: string): Promise<PersonSnapshot> {
  if (!snapshotSource) throw new Error('rules: no registry snapshot source is plugged in (boot.ts)');
  return snapshotSource(db, idNo, agencyCode, asOf);
}

export async function evaluateFor(
  db: Db,
  p: { agency: string; itemCode: string; idNo: string; answers: Answers; asOf: string },
): Promise<Evaluation> {
  const [rules, snap] = await Promise.all([agencyRules(db, p.agency), snapshot(db, p.idNo, p.agency, p.asOf)]);
  const results = evaluateRules(rules, p.itemCode, snap, p.answers, p.asOf);
  const s = summarise(results);
  return {
    asOf: p.asOf,
    known: snap.person !== null,
    results,
    eligible: s.eligible,
    prohibited: s.prohibited,
    toleranceAllowed: s.toleranceAllowed,
    snapshot: snap,
  };
}
