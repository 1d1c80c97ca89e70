/** Whitelist catalogue data for the API: never a raw row. */
import type { AgencyCatalog, CatalogItem, Department, Office } from '../../../common/catalog.ts';
import type { AgencyDetail, ItemOut } from '../../../common/api.ts';
import { shortTimeLimit } from '../../../common/text.ts';

export function presentItem(row: { id: number; item_id: number }, agency: string, it: CatalogItem, cat: AgencyCatalog): ItemOut {
  const category = cat.categories.find((c) => c.code === it.category);
  const listed = cat.prohibitionList
    .filter((p) => p.items.includes(it.code))
    .flatMap((p) => p.situations.map((s) => ({ code: s.code, text: s.text, matter: p.matter, ...(p.note ? { note: p.note } : {}) })));
  const fromList = cat.toleranceList
    .filter((t) => t.item === it.code)
    .map((t) => ({ material: t.material, source: t.source, deadlineText: t.deadlineText, deadlineDays: t.deadlineDays }));
  const fromMaterials = it.materials
    .filter((m) => m.tolerable && !fromList.some((t) => t.material === m.name))
    .map((m) => ({
      material: m.name,
      source: m.source,
      deadlineText: m.toleranceDays ? `受理后${m.toleranceDays}个工作日内` : undefined,
      deadlineDays: m.toleranceDays,
    }));
  return {
    id: row.item_id,
    versionId: row.id,
    agency,
    code: it.code,
    seq: it.seq,
    name: it.name,
    category: { code: it.category, name: category?.name ?? it.category, national: category?.national },
    national: it.national ?? category?.national,
    local: it.local,
    serviceObject: it.serviceObject,
    conditions: it.conditions,
    questions: it.questions,
    materials: it.materials,
    materialsText: it.materialsText,
    form: it.form,
    timeLimit: { ...it.timeLimit, short: shortTimeLimit(it.timeLimit) },
    levels: it.levels,
    channels: it.channels,
    prohibitions: [...it.prohibitions, ...listed],
    tolerances: [...fromList, ...fromMaterials],
    steps: it.steps,
    results: it.results,
    notes: it.notes,
    tips: it.tips,
    consultPhones: it.consultPhones,
    complaintPhones: it.complaintPhones,
    department: it.department,
    ambiguities: it.ambiguities,
  };
}

export function presentOffice(row: { id: number; seq: number }, o: Office) {
  return { ...o, id: row.id, seq: row.seq };
}

export function presentDepartment(d: Department) {
  return d;
}

export function presentAgencyDetail(
  base: Omit<
    AgencyDetail,
    | 'source'
    | 'consultPhones'
    | 'complaintPhones'
    | 'notes'
    | 'categories'
    | 'departments'
    | 'prohibitionList'
    | 'toleranceList'
    | 'measures'
    | 'appointmentPhones'
    | 'notices'
  >,
  cat: AgencyCatalog,
): AgencyDetail {
  const names = new Map(cat.items.map((i) => [i.code, i.name]));
  return {
    ...base,
    source: cat.agency.source,
    consultPhones: cat.agency.consultPhones,
    complaintPhones: cat.agency.complaintPhones,
    notes: cat.agency.notes,
    categories: cat.categories.map((c) => ({ ...c, itemCount: cat.items.filter((i) => i.category === c.code).length })),
    departments: cat.departments,
    prohibitionList: cat.prohibitionList.map((p) => ({ ...p, items: p.items.map((code) => ({ code, name: names.get(code) ?? code })) })),
    toleranceList: cat.toleranceList,
    measures: cat.measures,
    appointmentPhones: cat.appointmentPhones,
    notices: cat.notices,
  };
}
