/**
 * Identifier checks from the national standards. Pure; runs in the browser and on the server.
 * - 公民身份号码 GB 11643-1999: 6-digit region, 8-digit birth date, 3-digit sequence, ISO 7064 MOD 11-2 check.
 * - 统一社会信用代码 GB 32100-2015: 18 chars over 0-9A-Z without I O S V Z, weighted mod 31 check.
 * - Mobile numbers: 1[3-9] followed by 9 digits.
 */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export type IdProblem = 'format' | 'birthdate' | 'checksum';

/** Why a 公民身份号码 is invalid, or null when it is valid. `today` bounds the birth date. */
export function citizenIdProblem(raw: string, today = '2100-01-01'): IdProblem | null {
  const id = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return 'format';
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  const iso = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (y < 1900 || birth.getUTCFullYear() !== y || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d || iso > today) return 'birthdate';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === id[17] ? null : 'checksum';
}

export function isCitizenId(raw: string, today?: string): boolean {
  return citizenIdProblem(raw, today) === null;
}

/** Birth date (YYYY-MM-DD) and sex from a valid 公民身份号码. */
export function citizenIdFacts(id: string): { birthDate: string; sex: 'M' | 'F'; region: string } {
  const s = id.trim().toUpperCase();
  return { birthDate: `${s.slice(6, 10)}-${s.slice(10, 12)}-${s.slice(12, 14)}`, sex: Number(s[16]) % 2 === 1 ? 'M' : 'F', region: s.slice(0, 6) };
}

/** Compute the check character for the first 17 digits (used by tests and fixtures). */
export function citizenIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

/** Mask for display: keep the first 4 and last 4 characters (e.g. 4202************12). */
export function maskCitizenId(id: string): string {
  return id.length < 8 ? '****' : `${id.slice(0, 4)}${'*'.repeat(id.length - 8)}${id.slice(-4)}`;
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

export function usccCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_CHARS.indexOf(first17[i]!);
    if (v < 0) return null;
    sum += v * USCC_WEIGHTS[i]!;
  }
  return USCC_CHARS[(31 - (sum % 31)) % 31]!;
}

/** Why a 统一社会信用代码 is invalid, or null when it is valid. */
export function usccProblem(raw: string): 'format' | 'checksum' | null {
  const s = raw.trim().toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/.test(s)) return 'format';
  return usccCheckChar(s.slice(0, 17)) === s[17] ? null : 'checksum';
}

export function isUscc(raw: string): boolean {
  return usccProblem(raw) === null;
}

export const MOBILE_RE = /^1[3-9]\d{9}$/;
export function isMobile(raw: string): boolean {
  return MOBILE_RE.test(raw.trim());
}
export function maskMobile(m: string): string {
  return m.length === 11 ? `${m.slice(0, 3)}****${m.slice(7)}` : m;
}

/** Any phone number (mobile or 座机) for a list: the first 3 and the last 4 characters kept, the rest starred. */
export function maskPhone(p: string): string {
  return p.length <= 7 ? `${'*'.repeat(Math.max(0, p.length - 4))}${p.slice(-4)}` : `${p.slice(0, 3)}${'*'.repeat(p.length - 7)}${p.slice(-4)}`;
}

/** 定点医药机构编码: H (hospital) or P (pharmacy) + 6-digit region + a sequence of digits. */
export function isInstitutionCode(raw: string): boolean {
  return /^[HP]\d{6}\d{3,8}$/.test(raw.trim().toUpperCase());
}
