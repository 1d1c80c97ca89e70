/**
 * The channels a case comes in by and their labels (no zod, so the browser bundle can import them;
 * api-cases.ts re-exports them beside its schemas).
 */
export const CASE_CHANNELS = ['online', 'mobile', 'window', 'email', 'fax', 'post'] as const;
export type CaseChannel = (typeof CASE_CHANNELS)[number];
export const CHANNEL_LABELS: Record<CaseChannel, string> = {
  online: '网上办',
  mobile: '掌上办',
  window: '窗口收件',
  email: '电子邮件',
  fax: '传真',
  post: '邮寄',
};
