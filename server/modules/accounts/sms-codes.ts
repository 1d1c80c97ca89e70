/**
 * One-time SMS codes: issued through the outbox (one per minute per number and purpose), checked
 * with every try counted in its own statement, used once. `purpose` names what a code is for:
 * register, login, reset, identity:<user id> (verification at the registry's number),
 * authorise:<authorisation id> (the principal's confirmation).
 */
import { createHash, randomInt } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/types.ts';
import type { Db } from '../../db/index.ts';
import { AppError } from '../../../common/errors.ts';
import { queueMessage } from '../../platform/outbox.ts';
import { SMS_ATTEMPTS } from './limits.ts';

export const SMS_TTL_MINUTES = 10;

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * Store a new 6-digit code for (mobile, purpose) and queue the text `body(code)` (none when it is
 * null: the code exists, nothing is sent); SMS_TOO_FREQUENT within a minute of the last.
 */
export async function issueCode(
  trx: Transaction<DB>,
  now: Date,
  mobile: string,
  purpose: string,
  body: (code: string) => string | null,
): Promise<void> {
  const recent = await trx
    .selectFrom('sms_codes')
    .select('id')
    .where('mobile', '=', mobile)
    .where('purpose', '=', purpose)
    .where('created_at', '>', new Date(now.getTime() - 60_000))
    .executeTakeFirst();
  if (recent) throw new AppError('SMS_TOO_FREQUENT');
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  await trx
    .insertInto('sms_codes')
    .values({
      mobile,
      purpose,
      code_hash: sha256(`${mobile}:${purpose}:${code}`),
      expires_at: new Date(now.getTime() + SMS_TTL_MINUTES * 60_000),
      created_at: now,
    })
    .execute();
  const text = body(code);
  if (text !== null)
    await queueMessage(trx, { channel: 'sms', recipient: mobile, subject: '验证码', body: text, meta: { purpose: purpose.split(':')[0] } });
}

/**
 * Check an SMS code. The try is counted first, in one committed statement on the newest unused
 * code (so a wrong code burns a try even though the request then fails, and parallel tries each
 * count); after SMS_ATTEMPTS tries the code is dead, even for the right value. Returns the code's
 * id, to be marked used by `useSmsCode` inside the transaction that acts on it.
 */
export async function checkSmsCode(db: Db, now: Date, mobile: string, purpose: string, code: string): Promise<number> {
  const r = await sql<{ id: number; code_hash: string }>`
    update sms_codes set attempts = attempts + 1
    where id = (select max(id) from sms_codes where mobile = ${mobile} and purpose = ${purpose} and used_at is null)
      and used_at is null and attempts < ${SMS_ATTEMPTS} and expires_at > ${now}
    returning id, code_hash`.execute(db);
  const row = r.rows[0];
  if (!row || row.code_hash !== sha256(`${mobile}:${purpose}:${code}`)) throw new AppError('SMS_CODE_INVALID');
  return Number(row.id);
}

/** Mark a checked code used, once: a second request with the same code finds it gone. */
export async function useSmsCode(trx: Transaction<DB>, id: number, now: Date): Promise<void> {
  const r = await trx.updateTable('sms_codes').set({ used_at: now }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new AppError('SMS_CODE_INVALID');
}
