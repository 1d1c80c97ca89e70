/** Catalogue use cases: import a data file as a draft, publish, diff, seed, read. */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { parse as parseYaml } from 'yaml';
import { agencyCatalog, crossCheck, type AgencyCatalog, type CatalogItem } from '../../../common/catalog.ts';
import { AppError } from '../../../common/errors.ts';
import type { Database } from '../../db/index.ts';
import * as repo from './repository.ts';

/** Parse and validate a catalogue document (YAML or JSON text). Throws CATALOG_INVALID with every problem. */
export function parseCatalog(textContent: string, name = 'catalog'): AgencyCatalog {
  let raw: unknown;
  try {
    raw = parseYaml(textContent);
  } catch (e) {
    throw new AppError('CATALOG_INVALID', `${name}: YAML 解析失败：${(e as Error).message}`);
  }
  const res = agencyCatalog.safeParse(raw);
  if (!res.success) {
    throw new AppError(
      'CATALOG_INVALID',
      `${name}: 数据不符合格式要求`,
      res.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  const problems = crossCheck(res.data);
  if (problems.length)
    throw new AppError(
      'CATALOG_INVALID',
      `${name}: 数据前后不一致`,
      problems.map((message) => ({ path: '', message })),
    );
  return res.data;
}

/** Canonical hash of a catalogue: the same content always hashes the same. */
export function catalogHash(cat: AgencyCatalog): string {
  return createHash('sha256').update(JSON.stringify(cat)).digest('hex');
}

/** Text the substring search runs over. */
export function searchText(it: CatalogItem): string {
  const parts: string[] = [it.name, it.serviceObject ?? '', ...it.conditions, it.materialsText ?? '', it.timeLimit.text, ...it.levels];
  for (const m of it.materials) parts.push(m.name, m.source ?? '', m.condition ?? '', m.note ?? '');
  for (const c of it.channels)
    parts.push(c.label, c.detail ?? '', c.app ?? '', c.url ?? '', c.email ?? '', c.fax ?? '', c.phone ?? '', c.address ?? '');
  parts.push(...it.prohibitions.map((p) => p.text), ...it.steps, ...it.results, ...it.notes, it.tips ?? '');
  parts.push(...it.consultPhones, ...it.complaintPhones);
  return parts.filter(Boolean).join('\n').toLowerCase();
}

export interface ImportResult {
  agency: string;
  version: number;
  versionId: number;
  status: 'draft';
  unchanged: boolean;
}

/** Import a catalogue as a new draft version. Identical content to the latest version is not imported again. */
export async function importDraft(db: Database, cat: AgencyCatalog, sourceName: string, note?: string): Promise<ImportResult> {
  const hash = catalogHash(cat);
  const code = cat.agency.code;
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${'catalog:' + code}))`.execute(trx);
    const r = cat.agency.region;
    if (r.parentCode && r.parentName) {
      await trx
        .insertInto('regions')
        .values({ code: r.parentCode, name: r.parentName, parent_code: null, province: r.province })
        .onConflict((oc) => oc.column('code').doNothing())
        .execute();
    }
    await trx
      .insertInto('regions')
      .values({ code: r.code, name: r.name, parent_code: r.parentCode ?? null, province: r.province })
      .onConflict((oc) => oc.column('code').doUpdateSet({ name: r.name, parent_code: r.parentCode ?? null, province: r.province }))
      .execute();
    await trx
      .insertInto('agencies')
      .values({ code, name: cat.agency.name, short_name: cat.agency.shortName, region_code: r.code })
      .onConflict((oc) => oc.column('code').doNothing())
      .execute();

    const latest = await trx
      .selectFrom('catalog_versions')
      .select(['id', 'version', 'source_hash'])
      .where('agency_code', '=', code)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest && latest.source_hash === hash) {
      return { agency: code, version: latest.version, versionId: latest.id, status: 'draft' as const, unchanged: true };
    }
    const version = (latest?.version ?? 0) + 1;
    const cv = await trx
      .insertInto('catalog_versions')
      .values({
        agency_code: code,
        version,
        status: 'draft',
        source_hash: hash,
        source_name: sourceName,
        note: note ?? null,
        doc: JSON.stringify(cat),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const catNames = new Map(cat.categories.map((c) => [c.code, c]));
    for (const it of cat.items) {
      const item = await trx
        .insertInto('items')
        .values({ agency_code: code, code: it.code })
        .onConflict((oc) => oc.columns(['agency_code', 'code']).doUpdateSet({ code: it.code }))
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('item_versions')
        .values({
          item_id: item.id,
          catalog_version_id: cv.id,
          agency_code: code,
          seq: it.seq,
          code: it.code,
          name: it.name,
          category_code: it.category,
          national: it.national ?? catNames.get(it.category)?.national ?? null,
          time_limit_kind: it.timeLimit.kind,
          time_limit_value: it.timeLimit.value ?? null,
          time_limit_unit: it.timeLimit.unit ?? null,
          time_limit_text: it.timeLimit.text,
          search_text: searchText(it),
          doc: JSON.stringify(it),
        })
        .execute();
    }
    return { agency: code, version, versionId: cv.id, status: 'draft' as const, unchanged: false };
  });
}

/** Publish a draft with an effective date; offices and departments follow the published data. */
export async function publish(db: Database, agency: string, version: number, effectiveFrom: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${'catalog:' + agency}))`.execute(trx);
    const row = await repo.versionRow(trx, agency, version);
    if (!row) throw new AppError('VERSION_NOT_FOUND');
    if (row.status !== 'draft') throw new AppError('VERSION_NOT_DRAFT', `版本 ${version} 的状态是 ${row.status}，只有草稿可以发布。`);
    const cat = row.doc as unknown as AgencyCatalog;
    await trx
      .updateTable('catalog_versions')
      .set({ status: 'published', effective_from: effectiveFrom, published_at: new Date() })
      .where('id', '=', row.id)
      .execute();
    await trx.updateTable('agencies').set({ name: cat.agency.name, short_name: cat.agency.shortName }).where('code', '=', agency).execute();
    await trx.updateTable('offices').set({ active: false }).where('agency_code', '=', agency).execute();
    for (const [i, o] of cat.offices.entries()) {
      await trx
        .insertInto('offices')
        .values({ agency_code: agency, code: o.code, seq: o.seq ?? i + 1, name: o.name, kind: o.kind, doc: JSON.stringify(o) })
        .onConflict((oc) =>
          oc.columns(['agency_code', 'code']).doUpdateSet({ seq: o.seq ?? i + 1, name: o.name, kind: o.kind, doc: JSON.stringify(o), active: true }),
        )
        .execute();
    }
    await trx.updateTable('departments').set({ active: false }).where('agency_code', '=', agency).execute();
    for (const [i, d] of cat.departments.entries()) {
      await trx
        .insertInto('departments')
        .values({ agency_code: agency, code: d.code, seq: i + 1, name: d.name, doc: JSON.stringify(d) })
        .onConflict((oc) => oc.columns(['agency_code', 'code']).doUpdateSet({ seq: i + 1, name: d.name, doc: JSON.stringify(d), active: true }))
        .execute();
    }
  });
}

export interface SeedReport {
  loaded: string[];
  skipped: string[];
}

/**
 * Load every data file into an agency that has no catalogue yet, and publish it. Idempotent:
 * an agency with any version is left alone (later data changes go through the catalogue CLI).
 */
export async function seedFromDir(db: Database, dir: string, today: string): Promise<SeedReport> {
  const report: SeedReport = { loaded: [], skipped: [] };
  if (!existsSync(dir)) return report;
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  for (const f of files) {
    const file = path.join(dir, f);
    const cat = parseCatalog(readFileSync(file, 'utf8'), f);
    const exists = await db.selectFrom('catalog_versions').select('id').where('agency_code', '=', cat.agency.code).executeTakeFirst();
    if (exists) {
      report.skipped.push(cat.agency.code);
      continue;
    }
    const res = await importDraft(db, cat, `data/${f}`, '初始数据');
    const stillDraft = await repo.versionRow(db, cat.agency.code, res.version);
    if (stillDraft?.status === 'draft') await publish(db, cat.agency.code, res.version, today);
    report.loaded.push(cat.agency.code);
  }
  return report;
}

export interface ItemDiff {
  code: string;
  name: string;
  change: 'added' | 'removed' | 'changed';
  fields: string[];
}
export interface CatalogDiff {
  agency: string;
  from: number;
  to: number;
  items: ItemDiff[];
  sections: { section: string; change: 'changed' }[];
}

/** Compare two versions item by item and section by section. */
export async function diffVersions(db: Database, agency: string, from: number, to: number): Promise<CatalogDiff> {
  const [a, b] = await Promise.all([repo.versionRow(db, agency, from), repo.versionRow(db, agency, to)]);
  if (!a || !b) throw new AppError('VERSION_NOT_FOUND');
  const ca = a.doc as unknown as AgencyCatalog;
  const cb = b.doc as unknown as AgencyCatalog;
  const items: ItemDiff[] = [];
  const ia = new Map(ca.items.map((i) => [i.code, i]));
  const ib = new Map(cb.items.map((i) => [i.code, i]));
  for (const [code, it] of ia) if (!ib.has(code)) items.push({ code, name: it.name, change: 'removed', fields: [] });
  for (const [code, it] of ib) {
    const old = ia.get(code);
    if (!old) {
      items.push({ code, name: it.name, change: 'added', fields: [] });
      continue;
    }
    const keys = new Set([...Object.keys(old), ...Object.keys(it)]) as Set<keyof CatalogItem>;
    const fields = [...keys].filter((k) => JSON.stringify(old[k]) !== JSON.stringify(it[k]));
    if (fields.length) items.push({ code, name: it.name, change: 'changed', fields });
  }
  const sections: CatalogDiff['sections'] = [];
  for (const k of Object.keys(cb) as (keyof AgencyCatalog)[]) {
    if (k === 'items') continue;
    if (JSON.stringify(ca[k]) !== JSON.stringify(cb[k])) sections.push({ section: k, change: 'changed' });
  }
  return { agency, from, to, items, sections };
}
