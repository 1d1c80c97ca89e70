/**
 * The online application form of an item, derived from data: the applicant block, the item's
 * questions (as choices), the item's own extra fields, and its materials to upload with their
 * conditions. Pure; the web page renders it and the server validates submissions with it.
 */
import type { CatalogItem, FormField, Material } from './catalog.ts';
import { materialApplies, type Answers } from './checklist.ts';
import { citizenIdProblem, isMobile } from './ids.ts';

/** Upload limits, shown to the user and enforced by the server. */
export const UPLOAD_LIMITS = {
  maxFileBytes: 10 * 1024 * 1024,
  maxCaseBytes: 50 * 1024 * 1024,
  maxFilesPerCase: 30,
  /** What one account may upload in a day, all cases together (config UPLOAD_DAILY_BYTES). */
  maxAccountBytesPerDay: 200 * 1024 * 1024,
  mimeTypes: ['application/pdf', 'image/jpeg', 'image/png'] as const,
  extensions: ['.pdf', '.jpg', '.jpeg', '.png'] as const,
};

export interface FormMaterial {
  /** Index in item.materials: stable within an item version. */
  index: number;
  name: string;
  form?: string;
  note?: string;
  condition?: string;
  tolerable: boolean;
  toleranceDays?: number;
  template?: string;
  /** 'yes' required for these answers, 'maybe' conditional, 'no' not needed. */
  applies: 'yes' | 'maybe' | 'no';
}

export interface ResolvedForm {
  fields: FormField[];
  materials: FormMaterial[];
  recheck: boolean;
}

const APPLICANT_FIELDS: FormField[] = [
  { id: 'applicantName', label: '申请人姓名', type: 'text', required: true, max: 50 },
  { id: 'applicantIdNo', label: '公民身份号码', type: 'citizen_id', required: true },
  { id: 'applicantPhone', label: '联系电话（手机）', type: 'mobile', required: true },
];
const NOTE_FIELD: FormField = { id: 'note', label: '补充说明', type: 'textarea', required: false, max: 1000 };

export function fieldVisible(f: Pick<FormField, 'when'>, answers: Answers): boolean {
  if (!f.when) return true;
  return Object.entries(f.when).every(([k, allowed]) => allowed.includes(answers[k] ?? ''));
}

/** Every field the item's form can ask, in order, whatever the answers (`when` not applied). */
export function formFieldsOf(item: Pick<CatalogItem, 'questions' | 'form'>): FormField[] {
  const questionFields: FormField[] = item.questions.map((q) => ({
    id: q.id,
    label: q.label,
    type: 'select',
    required: true,
    options: q.options.map((o) => ({ value: o.value, label: o.label })),
  }));
  return [...APPLICANT_FIELDS, ...questionFields, ...(item.form?.fields ?? []), NOTE_FIELD];
}

/**
 * Problems in an item's form: duplicate field ids, a select without options, and a `when` that names
 * no earlier choice field or a value it does not offer (the field would never show).
 */
export function checkForm(item: Pick<CatalogItem, 'code' | 'questions' | 'form'>): string[] {
  const problems: string[] = [];
  const seen = new Map<string, FormField>();
  for (const f of formFieldsOf(item)) {
    if (seen.has(f.id)) problems.push(`${item.code}: 表单字段 ${f.id} 重复`);
    if (f.type === 'select' && !f.options?.length) problems.push(`${item.code}: 选择字段 ${f.id} 没有选项`);
    for (const [k, values] of Object.entries(f.when ?? {})) {
      const by = seen.get(k);
      if (!by?.options) problems.push(`${item.code}: 字段 ${f.id} 的 when 引用 ${k}，它不是前面的选择字段`);
      else
        for (const v of values) if (!by.options.some((o) => o.value === v)) problems.push(`${item.code}: 字段 ${f.id} 的 when 中 ${k} 没有选项 ${v}`);
    }
    seen.set(f.id, f);
  }
  return problems;
}

/** Whether a material is needed: tolerable ones still count as required; the server decides 容缺 at acceptance. */
export function resolveForm(item: Pick<CatalogItem, 'questions' | 'materials' | 'form'>, answers: Answers): ResolvedForm {
  const fields = formFieldsOf(item).filter((f) => fieldVisible(f, answers));
  const materials = item.materials.map((m: Material, index): FormMaterial => ({
    index,
    name: m.name,
    form: m.form,
    note: m.note,
    condition: m.condition,
    tolerable: m.tolerable,
    toleranceDays: m.toleranceDays,
    template: m.template,
    applies: materialApplies(m, answers),
  }));
  return { fields, materials, recheck: item.form?.recheck ?? false };
}

export interface FieldError {
  field: string;
  message: string;
}

/** Validate submitted answers against the form. Returns every problem at once (一次性告知). */
export function validateAnswers(item: Pick<CatalogItem, 'questions' | 'materials' | 'form'>, answers: Answers, today?: string): FieldError[] {
  const errors: FieldError[] = [];
  const { fields } = resolveForm(item, answers);
  for (const f of fields) {
    const v = (answers[f.id] ?? '').trim();
    if (!v) {
      if (f.required) errors.push({ field: f.id, message: `请填写“${f.label}”。` });
      continue;
    }
    switch (f.type) {
      case 'citizen_id': {
        const p = citizenIdProblem(v, today);
        if (p)
          errors.push({
            field: f.id,
            message:
              p === 'format'
                ? '公民身份号码应为18位（最后一位可为X）。'
                : p === 'birthdate'
                  ? '公民身份号码中的出生日期无效。'
                  : '公民身份号码校验位不正确，请核对。',
          });
        break;
      }
      case 'mobile':
        if (!isMobile(v)) errors.push({ field: f.id, message: '手机号码应为11位，以13–19开头。' });
        break;
      case 'date':
        if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v)))
          errors.push({ field: f.id, message: `“${f.label}”应为有效日期（年-月-日）。` });
        break;
      case 'number':
      case 'money': {
        const n = Number(v);
        if (!Number.isFinite(n) || n < 0 || (f.type === 'money' && !/^\d+(\.\d{1,2})?$/.test(v)))
          errors.push({ field: f.id, message: `“${f.label}”应为${f.type === 'money' ? '金额（最多两位小数）' : '非负数字'}。` });
        else if (f.max !== undefined && n > f.max) errors.push({ field: f.id, message: `“${f.label}”不能超过 ${f.max}。` });
        break;
      }
      case 'select':
        if (!f.options?.some((o) => o.value === v)) errors.push({ field: f.id, message: `请从选项中选择“${f.label}”。` });
        break;
      case 'bank_account':
        if (!/^\d{12,30}$/.test(v)) errors.push({ field: f.id, message: '银行账号应为12–30位数字。' });
        break;
      default:
        if (f.max !== undefined && v.length > f.max) errors.push({ field: f.id, message: `“${f.label}”不能超过 ${f.max} 个字。` });
    }
  }
  return errors;
}

/** Indices of the materials that are needed (applies 'yes') but have no upload. */
export function missingMaterials(form: ResolvedForm, uploaded: ReadonlySet<number>): FormMaterial[] {
  return form.materials.filter((m) => m.applies === 'yes' && !uploaded.has(m.index));
}

/** Recognise PDF, JPEG and PNG by their first bytes, not by the file name. */
export function sniffMime(head: Uint8Array): (typeof UPLOAD_LIMITS.mimeTypes)[number] | null {
  if (head.length >= 5 && head[0] === 0x25 && head[1] === 0x50 && head[2] === 0x44 && head[3] === 0x46 && head[4] === 0x2d) return 'application/pdf';
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'image/jpeg';
  if (head.length >= 8 && [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => head[i] === b)) return 'image/png';
  return null;
}
