/** Catalogue tables: plain Kysely functions taking `db` (or a transaction) first. */
import { sql } from 'kysely';
import type { Db } from '../../db/index.ts';

export function listAgencyRows(db: Db) {
  return db
    .selectFrom('agencies as a')
    .innerJoin('regions as r', 'r.code', 'a.region_code')
    .select(['a.code', 'a.name', 'a.short_name', 'a.region_code', 'r.name as region_name', 'r.province', 'r.parent_code'])
    .orderBy('a.created_at')
    .orderBy('a.code')
    .execute();
}

export function getAgencyRow(db: Db, code: string) {
  return db
    .selectFrom('agencies as a')
    .innerJoin('regions as r', 'r.code', 'a.region_code')
    .select(['a.code', 'a.name', 'a.short_name', 'a.region_code', 'r.name as region_name', 'r.province', 'r.parent_code'])
    .where('a.code', '=', code)
    .executeTakeFirst();
}

/**
 * The version in force on `day`: the latest published one whose effective date has come (a query
 * to select from, or to join).
 */
export function inForce(db: Db, agency: string, day: string) {
  return db
    .selectFrom('catalog_versions')
    .where('agency_code', '=', agency)
    .where('status', '=', 'published')
    .where('effective_from', '<=', day)
    .orderBy('effective_from', 'desc')
    .orderBy('version', 'desc')
    .limit(1);
}

const HEAD = [
  'id',
  'agency_code',
  'version',
  'status',
  'effective_from',
  'source_hash',
  'source_name',
  'note',
  'created_at',
  'published_at',
] as const;

/** The version in force without its catalogue document (for callers that need only its id or dates). */
export function currentVersionHead(db: Db, agency: string, day: string) {
  return inForce(db, agency, day).select(HEAD).executeTakeFirst();
}

export function versionHead(db: Db, agency: string, version: number) {
  return db.selectFrom('catalog_versions').select(HEAD).where('agency_code', '=', agency).where('version', '=', version).executeTakeFirst();
}

// A catalogue document is the whole agency's guide (hundreds of kB of JSON): reading and parsing it
// for every guide page was most of that page's cost (npm run bench, scenario 7). A version's
// document is fixed by its source hash, so it is kept per (id, source hash). Shared: read-only.
const docs = new Map<string, Promise<unknown>>();
export function versionDoc(db: Db, head: { id: number; source_hash: string }): Promise<unknown> {
  const key = `${head.id}:${head.source_hash}`;
  let hit = docs.get(key);
  if (!hit) {
    if (docs.size > 200) docs.clear();
    hit = db
      .selectFrom('catalog_versions')
      .select('doc')
      .where('id', '=', head.id)
      .executeTakeFirstOrThrow()
      .then((r) => r.doc);
    hit.catch(() => docs.delete(key));
    docs.set(key, hit);
  }
  return hit;
}

async function withDoc<H extends { id: number; source_hash: string }>(db: Db, head: H | undefined) {
  return head && { ...head, doc: await versionDoc(db, head) };
}

/** The version in force on `day`, its document from the cache. */
export async function currentVersionRow(db: Db, agency: string, day: string) {
  return withDoc(db, await currentVersionHead(db, agency, day));
}

/** A version by number, its document from the cache. */
export async function versionRow(db: Db, agency: string, version: number) {
  return withDoc(db, await versionHead(db, agency, version));
}

export function listVersionRows(db: Db, agency: string) {
  return db
    .selectFrom('catalog_versions')
    .select(['id', 'version', 'status', 'effective_from', 'source_name', 'source_hash', 'note', 'created_at', 'published_at'])
    .where('agency_code', '=', agency)
    .orderBy('version', 'desc')
    .execute();
}

export function itemVersionRows(db: Db, catalogVersionId: number) {
  return db
    .selectFrom('item_versions')
    .select(['id', 'item_id', 'code', 'seq', 'name', 'category_code', 'doc'])
    .where('catalog_version_id', '=', catalogVersionId)
    .orderBy('seq')
    .orderBy('code')
    .execute();
}

export function itemVersionRow(db: Db, catalogVersionId: number, code: string) {
  return db
    .selectFrom('item_versions')
    .select(['id', 'item_id', 'code', 'seq', 'name', 'category_code', 'doc'])
    .where('catalog_version_id', '=', catalogVersionId)
    .where('code', '=', code)
    .executeTakeFirst();
}

/** Substring search (Chinese has no word breaks): every term must occur; name hits rank first. */
export function searchItemRows(db: Db, versionIds: number[], terms: string[], limit: number) {
  const escape = (t: string) => t.replace(/[\\%_]/g, (m) => `\\${m}`);
  let q = db
    .selectFrom('item_versions as iv')
    .innerJoin('catalog_versions as cv', 'cv.id', 'iv.catalog_version_id')
    .select(['iv.id', 'iv.item_id', 'iv.agency_code', 'iv.code', 'iv.seq', 'iv.name', 'iv.category_code', 'iv.search_text', 'iv.doc'])
    .select(
      sql<number>`(case when ${sql.join(
        terms.map((t) => sql`position(${t.toLowerCase()} in lower(iv.name)) > 0`),
        sql` and `,
      )} then 2 else 1 end)`.as('score'),
    )
    .where('iv.catalog_version_id', 'in', versionIds.length ? versionIds : [-1]);
  for (const t of terms) q = q.where(sql<boolean>`iv.search_text ilike ${'%' + escape(t) + '%'}`);
  return q.orderBy('score', 'desc').orderBy('iv.agency_code').orderBy('iv.seq').limit(limit).execute();
}

export function officeRows(db: Db, agency: string) {
  return db.selectFrom('offices').selectAll().where('agency_code', '=', agency).where('active', '=', true).orderBy('seq').orderBy('id').execute();
}

export function departmentRows(db: Db, agency: string) {
  return db.selectFrom('departments').selectAll().where('agency_code', '=', agency).where('active', '=', true).orderBy('seq').execute();
}
