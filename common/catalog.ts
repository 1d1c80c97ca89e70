/**
 * The catalogue data model (事项清单). One agency's data file under `data/<code>.yaml` parses
 * into `AgencyCatalog`. The same schema validates admin imports and is the shape the API and
 * UI read. Chinese text is kept verbatim from the source guides.
 */
import { z } from 'zod';

export const AGENCY_CODES = ['dalian', 'shandong', 'haicheng', 'fushun', 'daye'] as const;

/** GB/T 2260 administrative division code: six digits. */
export const regionCode = z.string().regex(/^\d{6}$/, 'GB/T 2260 区划代码应为6位数字');

const text = z.string().min(1);
const texts = z.array(text);

/** Contact block shared by departments, offices and channels. Every field is a list because
 * the seeds often give two numbers. Phones are kept as printed (e.g. "0412-3163120"). */
export const contact = z.object({
  phones: texts.default([]),
  faxes: texts.default([]),
  emails: texts.default([]),
  address: text.optional(),
  postalAddress: text.optional(),
  postcode: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
  hours: text.optional(),
  urls: texts.default([]),
});

export const department = contact.extend({
  code: z.string().regex(/^[a-z0-9-]+$/),
  name: text,
  /** What the department handles, as the seed says it (e.g. 异地安置备案). */
  duties: texts.default([]),
  note: text.optional(),
});

export const OFFICE_KINDS = ['center', 'hall', 'district_office', 'county_center', 'agent_point'] as const;
export const office = contact.extend({
  code: z.string().regex(/^[a-z0-9-]+$/),
  name: text,
  kind: z.enum(OFFICE_KINDS),
  /** Order in the seed's table, when it has one. */
  seq: z.number().int().positive().optional(),
  regionCode: regionCode.optional(),
  /** Appointment phones by business, e.g. { business: '异地就医报销', phone: '0411-83709182' }. */
  appointmentPhones: z.array(z.object({ business: text, phone: text })).default([]),
  note: text.optional(),
});

/** The 10 main items of the 2020 national list (全国医疗保障经办政务服务事项清单). */
export const NATIONAL_CATEGORIES = [
  { no: 1, name: '基本医疗保险参保和变更登记' },
  { no: 2, name: '基本医疗保险参保信息查询和个人账户一次性支取' },
  { no: 3, name: '基本医疗保险关系转移接续' },
  { no: 4, name: '基本医疗保险参保人员异地就医备案' },
  { no: 5, name: '基本医疗保险参保人员医疗费用手工（零星）报销' },
  { no: 6, name: '生育保险待遇核准支付' },
  { no: 7, name: '医疗救助对象待遇核准支付' },
  { no: 8, name: '定点医疗机构、定点零售药店申请确定' },
  { no: 9, name: '定点医药机构费用结算' },
  { no: 10, name: '门诊慢特病病种待遇认定' },
] as const;

export const category = z.object({
  code: z.string().min(1),
  /** Heading as printed in the seed (e.g. "一、基本医疗保险参保和变更登记"). */
  name: text,
  /** 1..10 when it matches a main item of the national list; absent for local categories. */
  national: z.number().int().min(1).max(10).optional(),
});

/** Checklist questions: an item asks a few and materials apply by the answers. */
export const question = z.object({
  id: z.string().regex(/^[a-z][a-zA-Z0-9]*$/),
  label: text,
  options: z.array(z.object({ value: z.string().regex(/^[a-z][a-zA-Z0-9]*$/), label: text })).min(2),
});

/** A material applies when every listed question's answer is one of the listed values. */
export const materialWhen = z.record(z.string(), z.array(z.string()).min(1));

export const MATERIAL_FORMS = ['original', 'copy', 'original_and_copy', 'original_or_copy', 'electronic', 'photo', 'form'] as const;

export const material = z.object({
  name: text,
  /** 资料来源 as printed: 办理人 / 办理单位 / 申请人提供 / 政府部门核发 … */
  source: text.optional(),
  form: z.enum(MATERIAL_FORMS).optional(),
  count: z.number().int().positive().optional(),
  required: z.boolean().default(true),
  /** Plain-text condition when the material is conditional (e.g. "外地户籍成年人"). */
  condition: text.optional(),
  /** Machine-checkable form of `condition`, keyed by the item's question ids. */
  when: materialWhen.optional(),
  /** 容缺: may arrive after acceptance. Deadline in working days after acceptance. */
  tolerable: z.boolean().default(false),
  toleranceDays: z.number().int().positive().optional(),
  /** A blank form or template the agency provides (e.g. 《基本医疗保险单位参保信息登记表》). */
  template: text.optional(),
  note: text.optional(),
});

export const TIME_LIMIT_KINDS = ['immediate', 'working_days', 'natural_days', 'months', 'per_channel', 'unspecified'] as const;
export const timeLimit = z.object({
  /** The original wording, verbatim. */
  text: text,
  kind: z.enum(TIME_LIMIT_KINDS),
  /** Upper bound in `unit` (the promised maximum), absent for immediate/unspecified. */
  value: z.number().int().positive().optional(),
  /** Lower bound when the text gives a range ("2到3个工作日"). */
  min: z.number().int().positive().optional(),
  unit: z.enum(['working_day', 'natural_day', 'month']).optional(),
  /** Counting rule, e.g. "不含资料邮寄时间", "自受理之日起". */
  rule: text.optional(),
  /** For per_channel: each channel's own limit. */
  perChannel: z
    .array(
      z.object({
        channel: text,
        text: text,
        kind: z.enum(['immediate', 'working_days', 'natural_days', 'months']),
        value: z.number().int().positive().optional(),
        min: z.number().int().positive().optional(),
        unit: z.enum(['working_day', 'natural_day', 'month']).optional(),
      }),
    )
    .optional(),
});

export const CHANNEL_KINDS = ['window', 'online', 'mobile', 'email', 'fax', 'post', 'phone', 'agent', 'self_service'] as const;
export const channel = z.object({
  kind: z.enum(CHANNEL_KINDS),
  /** Label as printed: 窗口办 / 网上办 / 掌上办 / 线上 / 线下 … */
  label: text,
  /** Where or how, verbatim (e.g. "鞍山市医疗保障事务服务中心窗口、各县（含县级市）医保经办窗口"). */
  detail: text.optional(),
  url: text.optional(),
  app: text.optional(),
  email: text.optional(),
  fax: text.optional(),
  phone: text.optional(),
  address: text.optional(),
  /** Department or office code that receives it (Dalian, Shandong). */
  handledBy: z.string().optional(),
});

export const itemProhibition = z.object({
  /** Stable code, e.g. "FS-JB-03". Rules (issue 4) refer to it. */
  code: z.string().regex(/^[A-Z0-9-]+$/),
  text: text,
});

/** One extra field of an item's online application form (the applicant block and the item's questions are added by common/forms.ts). */
export const FORM_FIELD_TYPES = ['text', 'textarea', 'date', 'number', 'money', 'select', 'citizen_id', 'mobile', 'bank_account'] as const;
export const formField = z.object({
  id: z.string().regex(/^[a-z][a-zA-Z0-9]*$/),
  label: text,
  type: z.enum(FORM_FIELD_TYPES),
  required: z.boolean().default(true),
  options: z.array(z.object({ value: z.string().min(1), label: text })).optional(),
  /** Shown only when the answers match (question id → allowed values), like material `when`. */
  when: materialWhen.optional(),
  help: text.optional(),
  max: z.number().positive().optional(),
});
/** The item's online form: extra fields and whether review has a second 复核 step. */
export const itemForm = z.object({
  fields: z.array(formField).default([]),
  recheck: z.boolean().default(false),
});

export const item = z.object({
  /** Opaque item code, stable across versions, unique in the agency (e.g. "HC-01"). */
  code: z.string().regex(/^[A-Z0-9-]+$/),
  /** Number in the seed (序号). */
  seq: z.number().int().positive(),
  name: text,
  category: z.string().min(1),
  /** 1..10 for the national main item it belongs to; absent for extra local items. */
  national: z.number().int().min(1).max(10).optional(),
  local: z.boolean().default(false),
  /** 服务对象 / 适用对象 / 申请条件 as printed. */
  serviceObject: text.optional(),
  conditions: texts.default([]),
  questions: z.array(question).default([]),
  materials: z.array(material).default([]),
  /** Text that introduces materials when the seed gives them as prose (Dalian, Shandong). */
  materialsText: text.optional(),
  timeLimit: timeLimit,
  levels: texts.default([]),
  channels: z.array(channel).default([]),
  prohibitions: z.array(itemProhibition).default([]),
  steps: texts.default([]),
  /** Result documents (e.g. 《参保凭证》(电子版)). */
  results: texts.default([]),
  notes: texts.default([]),
  /** 温馨提示 verbatim. */
  tips: text.optional(),
  consultPhones: texts.default([]),
  complaintPhones: texts.default([]),
  /** Department/office code responsible (Dalian's 审核部 …). */
  department: z.string().optional(),
  /** Where the seed is ambiguous: what was kept and why. */
  ambiguities: texts.default([]),
  /** The online application form (platform data, not printed in the seeds). */
  form: itemForm.optional(),
});

/** One row of the seed's 违规禁办事项清单. */
export const prohibitionEntry = z.object({
  /** 禁办事项 heading as printed. */
  matter: text,
  situations: z.array(z.object({ code: z.string().regex(/^[A-Z0-9-]+$/), text: text })).min(1),
  /** Item codes this row applies to. */
  items: z.array(z.string()).default([]),
  note: text.optional(),
});

/** One row of the seed's 容缺办理事项清单. */
export const toleranceEntry = z.object({
  seq: z.number().int().positive(),
  item: z.string(),
  /** The item name as printed in the list. */
  itemName: text,
  material: text,
  source: text.optional(),
  /** 补正时间 as printed, and its working days. */
  deadlineText: text.optional(),
  deadlineDays: z.number().int().positive().optional(),
});

/** Dalian/Shandong measures (放宽 relaxed, 延期 deferred, other). */
export const measure = z.object({
  kind: z.enum(['relaxed', 'deferred', 'extension', 'other']),
  seq: z.number().int().positive(),
  title: text,
  text: text,
  items: z.array(z.string()).default([]),
});

export const appointmentPhoneGroup = z.object({
  business: text,
  areaCode: z.string().optional(),
  entries: z.array(z.object({ place: text, phone: text })),
  note: text.optional(),
});

export const agencyCatalog = z.object({
  agency: z.object({
    code: z.enum(AGENCY_CODES),
    name: text,
    shortName: text,
    region: z.object({ code: regionCode, name: text, parentCode: regionCode.optional(), parentName: text.optional(), province: text }),
    /** The source document. */
    source: z.object({
      file: text,
      title: text,
      docNumber: text.optional(),
      issuer: text.optional(),
      date: text.optional(),
      /** Opening paragraphs / slogans, verbatim. */
      preface: texts.default([]),
      /** Closing paragraphs, verbatim. */
      closing: texts.default([]),
      /** The seed's table of contents, for the booklet. */
      toc: texts.default([]),
    }),
    consultPhones: texts.default([]),
    complaintPhones: texts.default([]),
    notes: texts.default([]),
  }),
  departments: z.array(department).default([]),
  offices: z.array(office).default([]),
  categories: z.array(category).min(1),
  items: z.array(item).min(1),
  prohibitionList: z.array(prohibitionEntry).default([]),
  toleranceList: z.array(toleranceEntry).default([]),
  measures: z.array(measure).default([]),
  appointmentPhones: z.array(appointmentPhoneGroup).default([]),
  /** Free notices from the seed that fit nowhere else, verbatim with their heading. */
  notices: z.array(z.object({ title: text, text: text })).default([]),
});

export type AgencyCatalog = z.infer<typeof agencyCatalog>;
export type CatalogItem = z.infer<typeof item>;
export type Material = z.infer<typeof material>;
export type Office = z.infer<typeof office>;
export type Department = z.infer<typeof department>;
export type TimeLimit = z.infer<typeof timeLimit>;
export type Question = z.infer<typeof question>;

/** Cross-field checks a schema can't express. Returns a list of problems (empty = valid). */
export function crossCheck(cat: AgencyCatalog): string[] {
  const problems: string[] = [];
  const codes = new Set<string>();
  const cats = new Set(cat.categories.map((c) => c.code));
  const deptCodes = new Set([...cat.departments.map((d) => d.code), ...cat.offices.map((o) => o.code)]);
  for (const it of cat.items) {
    if (codes.has(it.code)) problems.push(`事项编码重复: ${it.code}`);
    codes.add(it.code);
    if (!cats.has(it.category)) problems.push(`${it.code}: 未知分类 ${it.category}`);
    if (it.department && !deptCodes.has(it.department)) problems.push(`${it.code}: 未知部门 ${it.department}`);
    for (const ch of it.channels) {
      if (ch.handledBy && !deptCodes.has(ch.handledBy)) problems.push(`${it.code}: 渠道未知部门 ${ch.handledBy}`);
    }
    const qs = new Map(it.questions.map((q) => [q.id, new Set(q.options.map((o) => o.value))]));
    for (const m of it.materials) {
      for (const [qid, values] of Object.entries(m.when ?? {})) {
        const opts = qs.get(qid);
        if (!opts) problems.push(`${it.code}: 材料「${m.name}」引用未知问题 ${qid}`);
        else for (const v of values) if (!opts.has(v)) problems.push(`${it.code}: 材料「${m.name}」问题 ${qid} 无选项 ${v}`);
      }
      if (m.when && m.required) problems.push(`${it.code}: 材料「${m.name}」有适用条件，required 应为 false`);
      if (m.toleranceDays && !m.tolerable) problems.push(`${it.code}: 材料「${m.name}」有补正期限但未标记容缺`);
    }
    const tl = it.timeLimit;
    if ((tl.kind === 'working_days' || tl.kind === 'natural_days' || tl.kind === 'months') && (!tl.value || !tl.unit))
      problems.push(`${it.code}: 时限 ${tl.kind} 需要 value 和 unit`);
    if (tl.kind === 'per_channel' && !tl.perChannel?.length) problems.push(`${it.code}: per_channel 时限需要 perChannel`);
  }
  const sitCodes = new Set<string>();
  for (const p of cat.prohibitionList) {
    for (const s of p.situations) {
      if (sitCodes.has(s.code)) problems.push(`禁办情形编码重复: ${s.code}`);
      sitCodes.add(s.code);
    }
    for (const c of p.items) if (!codes.has(c)) problems.push(`禁办清单引用未知事项 ${c}`);
  }
  for (const t of cat.toleranceList) {
    const it = cat.items.find((i) => i.code === t.item);
    if (!it) problems.push(`容缺清单引用未知事项 ${t.item}`);
    else if (!it.materials.some((m) => m.tolerable)) problems.push(`容缺清单事项 ${t.item} 没有标记为容缺的材料`);
  }
  for (const m of cat.measures) for (const c of m.items) if (!codes.has(c)) problems.push(`措施引用未知事项 ${c}`);
  return problems;
}
export type FormField = z.infer<typeof formField>;
export type ItemForm = z.infer<typeof itemForm>;
