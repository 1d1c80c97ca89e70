/** Request/response schemas of the public catalogue API, shared by server routes and the web app. */
import { z } from 'zod';
import {
  AGENCY_CODES,
  category,
  channel,
  contact,
  material,
  measure,
  question,
  timeLimit,
  appointmentPhoneGroup,
  OFFICE_KINDS,
  itemForm,
} from './catalog.ts';

export const agencyCodeParam = z.object({ code: z.enum(AGENCY_CODES, { message: '机构代码应为 dalian、shandong、haicheng、fushun、daye 之一' }) });

export const regionOut = z.object({ code: z.string(), name: z.string(), province: z.string(), parentCode: z.string().nullable() });
export const versionInfo = z.object({ version: z.number(), effectiveFrom: z.string().nullable(), status: z.string() });

export const agencySummary = z.object({
  code: z.string(),
  name: z.string(),
  shortName: z.string(),
  region: regionOut,
  itemCount: z.number(),
  officeCount: z.number(),
  version: versionInfo,
});
export type AgencySummary = z.infer<typeof agencySummary>;

export const prohibitionOut = z.object({ code: z.string(), text: z.string(), matter: z.string().optional(), note: z.string().optional() });
export const toleranceOut = z.object({
  material: z.string(),
  source: z.string().optional(),
  deadlineText: z.string().optional(),
  deadlineDays: z.number().optional(),
});

export const itemOut = z.object({
  id: z.number(),
  versionId: z.number(),
  agency: z.string(),
  code: z.string(),
  seq: z.number(),
  name: z.string(),
  category: z.object({ code: z.string(), name: z.string(), national: z.number().optional() }),
  national: z.number().optional(),
  local: z.boolean(),
  serviceObject: z.string().optional(),
  conditions: z.array(z.string()),
  questions: z.array(question),
  materials: z.array(material),
  materialsText: z.string().optional(),
  timeLimit: timeLimit.extend({ short: z.string() }),
  levels: z.array(z.string()),
  channels: z.array(channel),
  prohibitions: z.array(prohibitionOut),
  tolerances: z.array(toleranceOut),
  steps: z.array(z.string()),
  results: z.array(z.string()),
  notes: z.array(z.string()),
  tips: z.string().optional(),
  consultPhones: z.array(z.string()),
  complaintPhones: z.array(z.string()),
  department: z.string().optional(),
  ambiguities: z.array(z.string()),
  /** The online application form's extra fields (platform data). */
  form: itemForm.optional(),
});
export type ItemOut = z.infer<typeof itemOut>;

export const officeOut = contact.extend({
  id: z.number(),
  code: z.string(),
  seq: z.number(),
  name: z.string(),
  kind: z.enum(OFFICE_KINDS),
  regionCode: z.string().optional(),
  appointmentPhones: z.array(z.object({ business: z.string(), phone: z.string() })),
  note: z.string().optional(),
});
export type OfficeOut = z.infer<typeof officeOut>;
export const departmentOut = contact.extend({ code: z.string(), name: z.string(), duties: z.array(z.string()), note: z.string().optional() });

export const agencyDetail = agencySummary.extend({
  source: z.object({
    file: z.string(),
    title: z.string(),
    docNumber: z.string().optional(),
    issuer: z.string().optional(),
    date: z.string().optional(),
    preface: z.array(z.string()),
    closing: z.array(z.string()),
    toc: z.array(z.string()),
  }),
  consultPhones: z.array(z.string()),
  complaintPhones: z.array(z.string()),
  notes: z.array(z.string()),
  categories: z.array(category.extend({ itemCount: z.number() })),
  departments: z.array(departmentOut),
  prohibitionList: z.array(
    z.object({
      matter: z.string(),
      situations: z.array(z.object({ code: z.string(), text: z.string() })),
      items: z.array(z.object({ code: z.string(), name: z.string() })),
      note: z.string().optional(),
    }),
  ),
  toleranceList: z.array(
    z.object({
      seq: z.number(),
      item: z.string(),
      itemName: z.string(),
      material: z.string(),
      source: z.string().optional(),
      deadlineText: z.string().optional(),
      deadlineDays: z.number().optional(),
    }),
  ),
  measures: z.array(measure),
  appointmentPhones: z.array(appointmentPhoneGroup),
  notices: z.array(z.object({ title: z.string(), text: z.string() })),
});
export type AgencyDetail = z.infer<typeof agencyDetail>;

export const itemParams = agencyCodeParam.extend({ item: z.string().regex(/^[A-Za-z0-9-]{1,32}$/, '事项编码格式不正确') });
export const versionQuery = z.object({ version: z.coerce.number().int().positive().optional() });
export const itemsQuery = versionQuery.extend({ category: z.string().max(32).optional() });

export const searchQuery = z.object({
  q: z.string().max(200, '搜索词不能超过200个字').default(''),
  agency: z.enum(AGENCY_CODES, { message: '机构代码应为 dalian、shandong、haicheng、fushun、daye 之一' }).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export const searchHit = z.object({
  agency: z.string(),
  agencyName: z.string(),
  id: z.number(),
  code: z.string(),
  name: z.string(),
  categoryName: z.string(),
  timeLimit: z.string(),
  /** Where the query matched, with the match marked by 【】 boundaries via `highlight` offsets. */
  snippet: z.string(),
  matchedIn: z.enum(['name', 'content']),
});
export const searchOut = z.object({
  q: z.string(),
  agency: z.string().nullable(),
  total: z.number(),
  results: z.array(searchHit),
  /** Hits per agency over all agencies, so an empty agency result can point elsewhere. */
  byAgency: z.array(z.object({ agency: z.string(), name: z.string(), count: z.number() })),
  /** When nothing matched: what to try instead. */
  suggestions: z.array(z.object({ kind: z.enum(['category', 'item', 'phone', 'hint']), text: z.string(), href: z.string().optional() })),
});
export type SearchOut = z.infer<typeof searchOut>;

export const checklistBody = z.object({ answers: z.record(z.string(), z.string().max(32)).default({}) });
export const checklistOut = z.object({
  item: z.object({ code: z.string(), name: z.string() }),
  answers: z.record(z.string(), z.string()),
  applies: z.array(material),
  maybe: z.array(material),
  excluded: z.array(material),
  unanswered: z.array(z.string()),
});

export const versionsOut = z.array(
  z.object({
    version: z.number(),
    status: z.string(),
    effectiveFrom: z.string().nullable(),
    sourceName: z.string(),
    note: z.string().nullable(),
    createdAt: z.string(),
    publishedAt: z.string().nullable(),
    current: z.boolean(),
  }),
);

export const healthOut = z.object({ status: z.enum(['ok', 'degraded']), db: z.object({ kind: z.string(), ok: z.boolean() }), version: z.string() });
