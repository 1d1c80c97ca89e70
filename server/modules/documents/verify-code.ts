/**
 * Verification codes printed on notices (验证码): 12 characters of Crockford's base32 alphabet
 * (digits and capitals without I, L, O, U) shown as XXXX-XXXX-XXXX. The first 11 characters are
 * random (55 bits from node:crypto); the 12th is a check character, the sum of the values
 * weighted 1, 3, 5, … 21 modulo 32. Odd weights are units modulo 32, so every single mistyped
 * character is caught, and so is a swap of two neighbours unless they differ by 16.
 */
import { randomBytes } from 'node:crypto';

export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

const PAYLOAD = 11;

function checkChar(values: number[]): string {
  let sum = 0;
  for (let i = 0; i < PAYLOAD; i++) sum += (2 * i + 1) * values[i]!;
  return CROCKFORD[sum % 32]!;
}

function group(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}`;
}

/** A fresh code, e.g. "7K2M-9QXD-4T0B" (the last character is the check character). */
export function newVerifyCode(): string {
  // 256 is a multiple of 32, so the low five bits of a random byte are uniform.
  const values = Array.from(randomBytes(PAYLOAD), (b) => b & 31);
  return group(values.map((v) => CROCKFORD[v]).join('') + checkChar(values));
}

/**
 * What a person typed, as the canonical XXXX-XXXX-XXXX, or null when it is not a code: wrong
 * length, a character outside the alphabet, or a failed check. Case, spaces and dashes
 * (including full-width ones) are ignored; O reads as 0 and I or L as 1, as Crockford intends.
 */
export function normaliseVerifyCode(input: string): string | null {
  if (typeof input !== 'string' || input.length > 64) return null;
  const s = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—―－]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (s.length !== PAYLOAD + 1) return null;
  const values: number[] = [];
  for (const ch of s) {
    const v = CROCKFORD.indexOf(ch);
    if (v < 0) return null;
    values.push(v);
  }
  if (checkChar(values) !== s[PAYLOAD]) return null;
  return group(s);
}
