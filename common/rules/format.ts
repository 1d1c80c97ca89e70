/**
 * Values and formatting of the rules (common/rules/index.ts): the value a fact takes, the answers
 * of an application, the rule kinds, and how a fact's value prints in a reason ('¥1,234.56', '12个月').
 */
import { ENROLMENT_STATUS_LABELS } from '../registry.ts';

export type FactValue = string | number | boolean | string[] | null;
export type Answers = Readonly<Record<string, unknown>>;

export const RULE_KINDS = ['eligibility', 'prohibition', 'tolerance_exclusion'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];
export const RULE_KIND_LABELS: Record<RuleKind, string> = { eligibility: '办理条件', prohibition: '禁办情形', tolerance_exclusion: '不适用容缺' };

/** Yuan → '¥1,234.56' (computed on integer fen). */
export function formatMoney(yuan: number): string {
  const fen = Math.round(yuan * 100);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const int = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${int}.${String(abs % 100).padStart(2, '0')}`;
}

const EMPLOYMENT_LABELS: Record<string, string> = { employed: '在职', flexible: '灵活就业', retired: '退休' };

export type Format =
  'boolean' | 'months' | 'years' | 'money' | 'count' | 'region' | 'text' | 'date' | 'enrolmentStatus' | 'personStatus' | 'sex' | 'employment';

export function formatValue(v: FactValue, f: Format): string {
  if (v === null) return '无记录';
  if (Array.isArray(v)) return v.length ? v.join('、') : '无';
  switch (f) {
    case 'boolean':
      return v === true ? '是' : v === false ? '否' : String(v);
    case 'months':
      return `${v}个月`;
    case 'years':
      return `${v}周岁`;
    case 'count':
      return `${v}种`;
    case 'money':
      return typeof v === 'number' ? formatMoney(v) : String(v);
    case 'enrolmentStatus':
      return v === 'none' ? '未参保' : (ENROLMENT_STATUS_LABELS[v as keyof typeof ENROLMENT_STATUS_LABELS] ?? String(v));
    case 'personStatus':
      return v === 'normal' ? '正常' : v === 'deceased' ? '死亡' : String(v);
    case 'sex':
      return v === 'M' ? '男' : v === 'F' ? '女' : String(v);
    case 'employment':
      return EMPLOYMENT_LABELS[String(v)] ?? String(v);
    default:
      return typeof v === 'boolean' ? (v ? '是' : '否') : String(v);
  }
}
