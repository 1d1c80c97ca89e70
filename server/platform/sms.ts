/**
 * SMS adapters. There is no real provider yet:
 * - 'outbox' (default, no gateway configured): the text is delivered into the `sms_messages` table,
 *   which stands in for the provider (developers read it through /api/dev/sms when DEV_TOOLS=on);
 *   with DEV_TOOLS off the text is also printed in the server's log, so a demo can read its code there.
 * - 'log': the text is only logged.
 * A real provider adapter implements the same `send` and throws on failure (the outbox retries).
 */
import type { Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { DB } from '../db/types.ts';
import { maskMobile } from '../../common/ids.ts';

export interface Sms {
  readonly kind: 'outbox' | 'log';
  send(phone: string, text: string, at?: Date): Promise<void>;
}

export function createSms(
  config: Pick<Config, 'SMS_ADAPTER' | 'DEV_TOOLS'>,
  db: Kysely<DB>,
  log: (obj: object, msg: string) => void = () => {},
): Sms {
  if (config.SMS_ADAPTER === 'log') {
    return {
      kind: 'log',
      async send(phone, text) {
        // The number is masked (the log is no place for it); the text, with its code, is what a developer reads.
        log({ phone: maskMobile(phone), text }, 'sms not sent (SMS_ADAPTER=log)');
      },
    };
  }
  return {
    kind: 'outbox',
    async send(phone, text, at) {
      await db
        .insertInto('sms_messages')
        .values({ phone, text, ...(at ? { created_at: at } : {}) })
        .execute();
      if (config.DEV_TOOLS !== 'on') log({ phone: maskMobile(phone), text }, `短信（未配置短信网关，仅在此打印）${maskMobile(phone)}：${text}`);
    },
  };
}
