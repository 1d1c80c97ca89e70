/**
 * Which account a login or reset code by SMS reaches. The number is the account's login mobile,
 * which registration proved with an SMS code; staff accounts have no mobile (they sign in with a
 * login name and TOTP, and an administrator resets them), and disabled accounts get no code. When
 * identities verified against the registry carry their own number, this is the one place to change.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.ts';

export async function codeAccount(
  db: Kysely<DB>,
  mobile: string,
): Promise<{ id: number; kind: string; name: string; agencyCode: string | null } | null> {
  const u = await db
    .selectFrom('users')
    .select(['id', 'kind', 'name', 'agency_code'])
    .where('login', '=', mobile)
    .where('mobile', '=', mobile)
    .where('kind', '<>', 'staff')
    .where('disabled', '=', false)
    .executeTakeFirst();
  return u ? { id: Number(u.id), kind: u.kind, name: u.name, agencyCode: u.agency_code } : null;
}

export async function hasCodeAccount(db: Kysely<DB>, mobile: string): Promise<boolean> {
  return (await codeAccount(db, mobile)) !== null;
}
