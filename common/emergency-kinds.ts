/**
 * Emergency mode's labels and pure helpers that the web app uses at run time (no zod, so the
 * browser bundle stays free of schemas; the schemas are in emergency.ts, which re-exports these).
 */
import type { CatalogItem } from './catalog.ts';

export const MEASURE_KINDS = [
  'contactless',
  'deferred',
  'auto_pass',
  'extend_validity',
  'contribution_grace',
  'long_prescription',
  'appointment_only',
  'info',
] as const;
export type MeasureKind = (typeof MEASURE_KINDS)[number];
export const MEASURE_KIND_LABELS: Record<MeasureKind, string> = {
  contactless: '不见面办理',
  deferred: '暂缓办理',
  auto_pass: '先自动通过、事后审核',
  extend_validity: '有效期自动延长',
  contribution_grace: '欠费补缴宽限',
  long_prescription: '长处方',
  appointment_only: '预约办理',
  info: '其他措施',
};

export const VALIDITY_TARGETS = ['institution_agreement', 'remote_filing', 'chronic_cert'] as const;
export type ValidityTarget = (typeof VALIDITY_TARGETS)[number];
export const VALIDITY_TARGET_LABELS: Record<ValidityTarget, string> = {
  institution_agreement: '定点医药机构协议有效期',
  remote_filing: '异地就医备案有效期',
  chronic_cert: '门诊慢特病认定有效期',
};

export type ChannelKind = CatalogItem['channels'][number]['kind'];
/** The catalogue's channel kinds as the regime editor names them. */
export const CHANNEL_KIND_LABELS: Record<ChannelKind, string> = {
  online: '网上办',
  mobile: '掌上办',
  email: '电子邮箱',
  fax: '传真',
  post: '邮寄',
  phone: '电话',
  window: '窗口',
  agent: '代办',
  self_service: '自助',
};

export type PeriodStatus = 'scheduled' | 'active' | 'ended' | 'cancelled';
export const PERIOD_STATUS_LABELS: Record<PeriodStatus, string> = { scheduled: '已安排', active: '生效中', ended: '已结束', cancelled: '已取消' };

/**
 * Channels with the promoted kinds first (in the measure's order), each marked. Stable otherwise,
 * so the guide keeps its own order within each group.
 */
export function promoteChannels<C extends { kind: string }>(
  channels: readonly C[],
  measure: { channels: readonly string[] } | null,
): (C & { promoted: boolean })[] {
  if (!measure) return channels.map((c) => ({ ...c, promoted: false }));
  const rank = (c: C) => {
    const i = measure.channels.indexOf(c.kind);
    return i < 0 ? measure.channels.length : i;
  };
  return channels
    .map((c, i) => ({ c, i }))
    .sort((a, b) => rank(a.c) - rank(b.c) || a.i - b.i)
    .map(({ c }) => ({ ...c, promoted: measure.channels.includes(c.kind) }));
}
