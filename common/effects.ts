/**
 * What completing an item does to the registry. Inferred from the national list's item and the
 * item name (the five guides name them consistently), or set explicitly by an item's `effect`.
 */
import type { CatalogItem } from './catalog.ts';

export const ITEM_EFFECTS = [
  'enrol_unit',
  'enrol_person',
  'change_unit',
  'change_person',
  'certificate',
  'account_payout',
  'remote_filing',
  'chronic_cert',
  'reimbursement',
  'maternity_allowance',
  'maternity_medical',
  'transfer',
] as const;
export type ItemEffect = (typeof ITEM_EFFECTS)[number];

export function itemEffect(item: Pick<CatalogItem, 'name' | 'national'> & { effect?: string }): ItemEffect | null {
  if (item.effect && (ITEM_EFFECTS as readonly string[]).includes(item.effect)) return item.effect as ItemEffect;
  const n = item.name;
  if (/单位参保信息变更/.test(n)) return 'change_unit';
  if (/参保信息变更/.test(n)) return 'change_person';
  if (/单位参保登记/.test(n)) return 'enrol_unit';
  if (/参保登记|新参保建档/.test(n)) return 'enrol_person';
  if (/参保凭证/.test(n)) return 'certificate';
  if (/一次性支取/.test(n)) return 'account_payout';
  if (/转移接续|关系转移/.test(n)) return 'transfer';
  // National list numbers (common/catalog.ts NATIONAL_CATEGORIES): 4 异地就医备案, 5 手工报销, 6 生育, 10 门诊慢特病.
  if (item.national === 4 || /异地.*备案|备案.*异地|异地就医备案/.test(n)) return 'remote_filing';
  if (item.national === 10 || /慢特病|门诊大病/.test(n)) return 'chronic_cert';
  if (/生育津贴/.test(n)) return 'maternity_allowance';
  if (/产前检查|生育医疗费|计划生育/.test(n)) return 'maternity_medical';
  if (item.national === 5 || /报销/.test(n)) return 'reimbursement';
  return null;
}

/** 城乡居民 vs 职工 from the item name (参保登记 items are per type). */
export function enrolmentTypeOf(itemName: string): 'employee' | 'resident' {
  return /城乡居民/.test(itemName) ? 'resident' : 'employee';
}

/** The remote-care filing kind from the item name. */
export function remoteFilingKind(itemName: string): 'resettled' | 'long_term' | 'work' | 'referral' | 'emergency' | 'other_temporary' {
  if (/安置/.test(itemName)) return 'resettled';
  if (/长期居住/.test(itemName)) return 'long_term';
  if (/工作/.test(itemName)) return 'work';
  if (/转诊/.test(itemName)) return 'referral';
  if (/急诊/.test(itemName)) return 'emergency';
  return 'other_temporary';
}
