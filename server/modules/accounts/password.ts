/** Password hashing with scrypt from node:crypto (no native add-on). Format: scrypt$N$r$p$salt$hash (base64url). */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { AppError } from '../../../common/errors.ts';
import { PASSWORD_MIN_SCORE, passwordLengthProblem, WEAK_PASSWORD_HINTS, type WeakPasswordReason } from '../../../common/passwords.ts';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function scrypt(pw: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => scryptCb(pw.normalize('NFKC'), salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))));
}

export async function hashPassword(pw: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(pw, salt, KEYLEN, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(pw: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(pw, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * Strength (common/passwords.ts has the rule): a length without the spaces at either end, then
 * zxcvbn's score with the common-password list and keyboard graphs of @zxcvbn-ts/language-common,
 * a short list of passwords common in China, and the account's own mobile, ID number and name
 * (`userInputs`). The dictionaries are built once, on first use; a check then takes milliseconds
 * (Levenshtein matching, ten times slower, is left off).
 */
let zxcvbn: ZxcvbnFactory | null = null;
function estimator(): ZxcvbnFactory {
  zxcvbn ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, 'zh-common': ZH_COMMON },
    graphs: common.adjacencyGraphs,
    useLevenshteinDistance: false,
  });
  return zxcvbn;
}

/** Pinyin and numbers people in China choose (520/1314: "I love you (for life)"), which the English-based lists miss. */
const ZH_COMMON = [
  'woaini',
  'woaini1314',
  'woaini520',
  'aini',
  'aini1314',
  '5201314',
  '1314520',
  '520520',
  'wodemima',
  'mima',
  'mima123',
  'zhongguo',
  'beijing',
  'shanghai',
  'yibao',
  'shebao',
  'yiliao',
  'baoxian',
  'zhangwei',
  'wangwei',
  'wangfang',
  'lina',
  'liuyang',
  'zhangmin',
  'lijing',
  'wangjing',
  'liwei',
  'wangli',
  'zhangli',
  'xiaoming',
  'laopo',
  'laogong',
  'baobao',
  'qq123456',
  'a123456',
  'aa123456',
  'woshishui',
  'nihao',
  'nihao123',
  'iloveyou',
  'qwe123',
  'asd123',
  'zxc123',
];

const COMMON_WARNINGS = new Set(['topTen', 'topHundred', 'common', 'similarToCommon', 'wordByItself', 'namesByThemselves', 'commonNames']);

/** Why a new password is refused, or null when it may be used. `userInputs`: the account's own data (mobile, ID number, name). */
export function passwordProblem(pw: string, userInputs: (string | null | undefined)[] = []): WeakPasswordReason | null {
  const short = passwordLengthProblem(pw);
  if (short) return short;
  const inputs = userInputs.filter((x): x is string => Boolean(x && x.trim())).map((x) => x.trim());
  const lower = pw.toLowerCase();
  if (inputs.some((x) => x.length >= 4 && lower.includes(x.toLowerCase()))) return 'personal_info';
  const r = estimator().check(pw.trim(), inputs);
  if (r.score >= PASSWORD_MIN_SCORE) return null;
  const warning = r.feedback.warning ?? '';
  if (warning === 'userInputs' || r.sequence.some((m) => m.pattern === 'dictionary' && m.dictionaryName === 'userInputs')) return 'personal_info';
  const listed = r.sequence.some((m) => m.pattern === 'dictionary' && (m.dictionaryName === 'zh-common' || m.dictionaryName === 'passwords-common'));
  if (COMMON_WARNINGS.has(warning) || listed) return 'too_common';
  return 'too_predictable';
}

/** Refuse a weak password with WEAK_PASSWORD and details { reason } (the page shows the matching hint). */
export function assertStrongPassword(pw: string, userInputs: (string | null | undefined)[] = []): void {
  const reason = passwordProblem(pw, userInputs);
  if (reason) throw new AppError('WEAK_PASSWORD', WEAK_PASSWORD_HINTS[reason], { reason });
}

/** A hash to compare against when the login does not exist, so timing does not reveal accounts. */
export const DUMMY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
