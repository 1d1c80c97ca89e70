/** New check-in codes (预约码): 7 random Crockford characters and a check character (common/appointments.ts). */
import { randomBytes } from 'node:crypto';
import { CODE_ALPHABET, CODE_PAYLOAD, codeCheckChar, groupCode } from '../../../common/appointments.ts';

export function newApptCode(): string {
  // 256 is a multiple of 32, so the low five bits of a random byte are uniform.
  const values = Array.from(randomBytes(CODE_PAYLOAD), (b) => b & 31);
  return groupCode(values.map((v) => CODE_ALPHABET[v]).join('') + codeCheckChar(values));
}
