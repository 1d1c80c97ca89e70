/**
 * A stamp of an append-only table's rows (versions are added, never changed or removed): their
 * count and highest id where `column` is one of `values`. A cache built from those rows revalidates
 * with it (platform/ttl-cache.ts) instead of reading and parsing them all again.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from './types.ts';

type Versioned = { table: 'rule_versions' | 'benefit_params'; column: 'agency_code' } | { table: 'calendar_years'; column: 'region_code' };

export async function appendOnlyStamp(db: Kysely<DB> | Transaction<DB>, { table, column }: Versioned, values: readonly string[]): Promise<string> {
  if (values.length === 0) return '0/0';
  const { rows } = await sql<{
    n: string;
    top: string | null;
  }>`select count(*) as n, max(id) as top from ${sql.table(table)} where ${sql.ref(column)} in (${sql.join(values)})`.execute(db);
  return `${rows[0]!.n}/${rows[0]!.top ?? 0}`;
}
