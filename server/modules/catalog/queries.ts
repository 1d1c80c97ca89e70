/** Read side of the catalogue: what the public guides and API show. */
import type { AgencyCatalog, CatalogItem, Office } from '../../../common/catalog.ts';
import type { AgencyDetail, AgencySummary, ItemOut, SearchOut } from '../../../common/api.ts';
import { AppError } from '../../../common/errors.ts';
import { normaliseQuery, shortTimeLimit } from '../../../common/text.ts';
import * as repo from './repository.ts';
import { presentAgencyDetail, presentItem, presentOffice } from './presenter.ts';

import type { ReadCtx } from '../../http/deps.ts';

export type { ReadCtx };

async function agencyOr404(ctx: ReadCtx, code: string) {
  const a = await repo.getAgencyRow(ctx.db, code);
  if (!a) throw new AppError('AGENCY_NOT_FOUND', `没有代码为「${code}」的经办机构。`);
  return a;
}

/** The catalogue version to read: a given version number, or the one in force today. */
export async function resolveVersion(ctx: ReadCtx, agency: string, version?: number) {
  const agencyRow = await agencyOr404(ctx, agency);
  const row = version ? await repo.versionRow(ctx.db, agency, version) : await repo.currentVersionRow(ctx.db, agency, ctx.today);
  if (!row) throw new AppError(version ? 'VERSION_NOT_FOUND' : 'NO_PUBLISHED_VERSION');
  return { agencyRow, row, cat: row.doc as AgencyCatalog };
}

export async function listAgencies(ctx: ReadCtx): Promise<AgencySummary[]> {
  const rows = await repo.listAgencyRows(ctx.db);
  const out: AgencySummary[] = [];
  for (const a of rows) {
    const v = await repo.currentVersionRow(ctx.db, a.code, ctx.today);
    if (!v) continue;
    const cat = v.doc as unknown as AgencyCatalog;
    out.push({
      code: a.code,
      name: a.name,
      shortName: a.short_name,
      region: { code: a.region_code, name: a.region_name, province: a.province, parentCode: a.parent_code },
      itemCount: cat.items.length,
      officeCount: cat.offices.length,
      version: { version: v.version, effectiveFrom: v.effective_from, status: v.status },
    });
  }
  return out;
}

export async function getAgency(ctx: ReadCtx, code: string, version?: number): Promise<AgencyDetail> {
  const { agencyRow: a, row, cat } = await resolveVersion(ctx, code, version);
  return presentAgencyDetail(
    {
      code: a.code,
      name: cat.agency.name,
      shortName: cat.agency.shortName,
      region: { code: a.region_code, name: a.region_name, province: a.province, parentCode: a.parent_code },
      itemCount: cat.items.length,
      officeCount: cat.offices.length,
      version: { version: row.version, effectiveFrom: row.effective_from, status: row.status },
    },
    cat,
  );
}

export async function listItems(ctx: ReadCtx, agency: string, opts: { version?: number; category?: string } = {}): Promise<ItemOut[]> {
  const { row, cat } = await resolveVersion(ctx, agency, opts.version);
  const rows = await repo.itemVersionRows(ctx.db, row.id);
  return rows
    .filter((r) => !opts.category || r.category_code === opts.category)
    .map((r) => presentItem(r, agency, r.doc as unknown as CatalogItem, cat));
}

export async function getItem(ctx: ReadCtx, agency: string, code: string, version?: number): Promise<ItemOut> {
  const { row, cat } = await resolveVersion(ctx, agency, version);
  const r = await repo.itemVersionRow(ctx.db, row.id, code.toUpperCase());
  if (!r) throw new AppError('ITEM_NOT_FOUND', `该机构没有编码为「${code}」的服务事项。`);
  return presentItem(r, agency, r.doc as unknown as CatalogItem, cat);
}

export async function listOffices(ctx: ReadCtx, agency: string) {
  await resolveVersion(ctx, agency);
  const rows = await repo.officeRows(ctx.db, agency);
  return rows.map((r) => presentOffice(r, r.doc as unknown as Office));
}

/** Everything the guide booklet prints, from one catalogue version. */
export async function bookletData(ctx: ReadCtx, agency: string, version?: number) {
  const [detail, items, offices] = await Promise.all([
    getAgency(ctx, agency, version),
    listItems(ctx, agency, { version }),
    listOffices(ctx, agency),
  ]);
  return { agency: detail, items, offices };
}

export async function listVersions(ctx: ReadCtx, agency: string) {
  await agencyOr404(ctx, agency);
  const rows = await repo.listVersionRows(ctx.db, agency);
  const current = await repo.currentVersionHead(ctx.db, agency, ctx.today);
  return rows.map((r) => ({
    version: r.version,
    status: r.status,
    effectiveFrom: r.effective_from,
    sourceName: r.source_name,
    note: r.note,
    createdAt: new Date(r.created_at).toISOString(),
    publishedAt: r.published_at ? new Date(r.published_at).toISOString() : null,
    current: current?.id === r.id,
  }));
}

function snippetAround(textContent: string, term: string, width = 36): string {
  const flat = textContent.replace(/\s+/g, ' ');
  const i = flat.toLowerCase().indexOf(term.toLowerCase());
  if (i < 0) return flat.slice(0, width * 2);
  const start = Math.max(0, i - width);
  const end = Math.min(flat.length, i + term.length + width);
  return (start > 0 ? '…' : '') + flat.slice(start, end) + (end < flat.length ? '…' : '');
}

/** Chinese substring search over the items in force. Never a dead end: empty results carry suggestions. */
export async function search(ctx: ReadCtx, rawQ: string, agency: string | undefined, limit: number): Promise<SearchOut> {
  const q = normaliseQuery(rawQ);
  if (!q) throw new AppError('QUERY_TOO_SHORT');
  const terms = q.split(' ').filter(Boolean).slice(0, 8);
  const agencies = await repo.listAgencyRows(ctx.db);
  const versions = new Map<string, { id: number; cat: AgencyCatalog; name: string }>();
  for (const a of agencies) {
    const v = await repo.currentVersionRow(ctx.db, a.code, ctx.today);
    if (v) versions.set(a.code, { id: v.id, cat: v.doc as unknown as AgencyCatalog, name: a.short_name });
  }
  if (agency && !versions.has(agency)) throw new AppError('AGENCY_NOT_FOUND');
  const all = await repo.searchItemRows(
    ctx.db,
    [...versions.values()].map((v) => v.id),
    terms,
    1000,
  );
  const byAgency = [...versions.entries()].map(([code, v]) => ({
    agency: code,
    name: v.name,
    count: all.filter((r) => r.agency_code === code).length,
  }));
  const rows = agency ? all.filter((r) => r.agency_code === agency) : all;
  const results = rows.slice(0, limit).map((r) => {
    const v = versions.get(r.agency_code)!;
    const it = r.doc as unknown as CatalogItem;
    const inName = terms.every((t) => r.name.toLowerCase().includes(t.toLowerCase()));
    const firstContentTerm = terms.find((t) => !r.name.toLowerCase().includes(t.toLowerCase())) ?? terms[0]!;
    return {
      agency: r.agency_code,
      agencyName: v.name,
      id: r.item_id,
      code: r.code,
      name: r.name,
      categoryName: v.cat.categories.find((c) => c.code === r.category_code)?.name ?? r.category_code,
      timeLimit: shortTimeLimit(it.timeLimit),
      snippet: inName
        ? (it.serviceObject ?? it.materials.map((m) => m.name).join('；')).slice(0, 80)
        : snippetAround(r.search_text, firstContentTerm),
      matchedIn: inName ? ('name' as const) : ('content' as const),
    };
  });
  const suggestions: SearchOut['suggestions'] = [];
  if (results.length === 0) {
    for (const b of byAgency) {
      if (b.count > 0)
        suggestions.push({ kind: 'hint', text: `${b.name}有 ${b.count} 个相关事项`, href: `/search?q=${encodeURIComponent(q)}&agency=${b.agency}` });
    }
    if (terms.length > 1)
      suggestions.push({
        kind: 'hint',
        text: `试试只搜「${terms[0]}」`,
        href: `/search?q=${encodeURIComponent(terms[0]!)}${agency ? `&agency=${agency}` : ''}`,
      });
    const scope = agency ? [agency] : [...versions.keys()];
    for (const code of scope) {
      const v = versions.get(code)!;
      // Near matches: items sharing any character pair with the query.
      const pairs = new Set<string>();
      for (let i = 0; i + 1 < q.length; i++) pairs.add(q.slice(i, i + 2));
      for (const it of v.cat.items) {
        if ([...pairs].some((p) => it.name.includes(p)) && suggestions.filter((s) => s.kind === 'item').length < 6) {
          suggestions.push({ kind: 'item', text: `${v.name}：${it.name}`, href: `/a/${code}/items/${it.code}` });
        }
      }
      if (!agency) suggestions.push({ kind: 'hint', text: `浏览${v.name}全部 ${v.cat.items.length} 个事项`, href: `/a/${code}` });
      if (agency) {
        for (const c of v.cat.categories) suggestions.push({ kind: 'category', text: c.name, href: `/a/${code}#cat-${c.code}` });
        const phones = [...new Set([...v.cat.agency.consultPhones, ...v.cat.items.flatMap((i) => [...i.consultPhones, ...i.complaintPhones])])].slice(
          0,
          3,
        );
        if (phones.length) suggestions.push({ kind: 'phone', text: `咨询电话：${phones.join('、')}` });
        else if (v.cat.offices[0]?.phones[0])
          suggestions.push({ kind: 'phone', text: `${v.cat.offices[0].name}：${v.cat.offices[0].phones.join('、')}` });
      }
    }
  }
  return { q, agency: agency ?? null, total: rows.length, results, byAgency, suggestions };
}
