/**
 * The data directory's fingerprint: sha-256 over the relative path and bytes of every file under it.
 * boot.ts compares it with the one stored at the last complete seeding and skips the seeders (which
 * only insert what is missing) when nothing changed; a changed or new file runs them all again.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Database } from './index.ts';

export function dataFingerprint(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const h = createHash('sha256');
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else if (e.isFile())
        h.update(`${r}\0`)
          .update(readFileSync(path.join(dir, r)))
          .update('\0');
    }
  };
  walk('');
  return h.digest('hex');
}

export async function seededWith(db: Database, dir: string): Promise<string | null> {
  const row = await db.selectFrom('seed_state').select('fingerprint').where('data_dir', '=', path.resolve(dir)).executeTakeFirst();
  return row?.fingerprint ?? null;
}

export async function rememberSeed(db: Database, dir: string, fingerprint: string): Promise<void> {
  await db
    .insertInto('seed_state')
    .values({ data_dir: path.resolve(dir), fingerprint })
    .onConflict((oc) => oc.column('data_dir').doUpdateSet({ fingerprint, seeded_at: new Date() }))
    .execute();
}
