/** The catalogue as cases see it: the item version a case is pinned to, with its agency's lists. */
import type { Db } from '../../db/index.ts';
import type { AgencyCatalog, CatalogItem } from '../../../common/catalog.ts';
import { AppError } from '../../../common/errors.ts';
import { inForce } from '../catalog/index.ts';

export interface CaseItem {
  itemVersionId: number;
  itemId: number;
  code: string;
  name: string;
  item: CatalogItem;
  agencyCode: string;
  agencyName: string;
  regionCode: string;
  /** Case-number prefix: the item codes' prefix (DY, HC, FS, DL, SD). */
  prefix: string;
  /** The item's own 禁办 situations plus the agency list's rows that name the item. */
  prohibitions: { code: string; text: string; matter?: string }[];
  /** Agency-level 容缺 rows for this item (the materials carry the same facts). */
  tolerance: AgencyCatalog['toleranceList'];
}

// Item versions never change once published, so they can be cached by id.
const cache = new Map<number, CaseItem>();

function build(
  ivId: number,
  itemId: number,
  doc: CatalogItem,
  cat: AgencyCatalog,
  agencyRow: { code: string; name: string; region_code: string },
): CaseItem {
  const prohibitions = [
    ...doc.prohibitions.map((p) => ({ code: p.code, text: p.text })),
    ...(cat.prohibitionList ?? [])
      .filter((row) => row.items.includes(doc.code))
      .flatMap((row) => row.situations.map((s) => ({ code: s.code, text: s.text, matter: row.matter }))),
  ];
  return {
    itemVersionId: ivId,
    itemId,
    code: doc.code,
    name: doc.name,
    item: doc,
    agencyCode: agencyRow.code,
    agencyName: agencyRow.name,
    regionCode: agencyRow.region_code,
    prefix: doc.code.split('-')[0]!.replace(/[^A-Z]/g, '') || agencyRow.code.slice(0, 2).toUpperCase(),
    prohibitions,
    tolerance: (cat.toleranceList ?? []).filter((t) => t.item === doc.code),
  };
}

/**
 * The item as published today, in one round trip: the agency, its version in force and the item's
 * version id (each a separate question before; the pre-check and drafts ask it on every request).
 * itemOfVersion then answers from its cache, reading the documents only on a miss.
 */
export async function currentItem(db: Db, agencyCode: string, itemCode: string, today: string): Promise<CaseItem> {
  const r = await db
    .selectFrom('agencies as a')
    .leftJoin(inForce(db, agencyCode, today).select(['id', 'agency_code']).as('v'), (j) => j.onRef('v.agency_code', '=', 'a.code'))
    .leftJoin('item_versions as iv', (j) => j.onRef('iv.catalog_version_id', '=', 'v.id').on('iv.code', '=', itemCode.toUpperCase()))
    .select(['v.id as version_id', 'iv.id as item_version_id'])
    .where('a.code', '=', agencyCode)
    .executeTakeFirst();
  if (!r) throw new AppError('AGENCY_NOT_FOUND');
  if (r.version_id === null) throw new AppError('NO_PUBLISHED_VERSION');
  if (r.item_version_id === null) throw new AppError('ITEM_NOT_FOUND', `该机构没有编码为「${itemCode}」的服务事项。`);
  return itemOfVersion(db, Number(r.item_version_id));
}

export async function itemOfVersion(db: Db, itemVersionId: number): Promise<CaseItem> {
  const hit = cache.get(itemVersionId);
  if (hit) return hit;
  const r = await db
    .selectFrom('item_versions as iv')
    .innerJoin('catalog_versions as cv', 'cv.id', 'iv.catalog_version_id')
    .innerJoin('agencies as a', 'a.code', 'cv.agency_code')
    .select(['iv.id', 'iv.item_id', 'iv.doc', 'cv.doc as cat', 'a.code', 'a.name', 'a.region_code'])
    .where('iv.id', '=', itemVersionId)
    .executeTakeFirst();
  if (!r) throw new AppError('ITEM_NOT_FOUND');
  const ci = build(Number(r.id), Number(r.item_id), r.doc as unknown as CatalogItem, r.cat as unknown as AgencyCatalog, r);
  if (cache.size > 2000) cache.clear();
  cache.set(itemVersionId, ci);
  return ci;
}
