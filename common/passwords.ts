/**
 * The password rule, shared by the server (which decides) and the pages (which explain). A password
 * is kept exactly as typed; its length is counted in characters without the spaces at either end,
 * so eight spaces and "1a" are two characters. Strength is judged on the server by zxcvbn
 * (server/modules/accounts/password.ts): a score below PASSWORD_MIN_SCORE (0–4 scale; 3 = "safely
 * unguessable", about 10^8 guesses) is refused. A refusal is WEAK_PASSWORD with
 * details { reason }, so a page shows the matching hint without reading the message.
 */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;
export const PASSWORD_MIN_SCORE = 3;

export const WEAK_PASSWORD_REASONS = ['too_short', 'too_long', 'too_common', 'personal_info', 'too_predictable', 'same_as_current'] as const;
export type WeakPasswordReason = (typeof WEAK_PASSWORD_REASONS)[number];

/** The rule in one sentence, shown beside every new-password field. */
export const PASSWORD_RULE_ZH = `至少${PASSWORD_MIN_LENGTH}个字符（首尾空格不计）；不要使用常见密码、手机号、身份证号或“abc123”“qwerty”这类有规律的组合。建议用几个不相关的词加数字或符号组成。`;

export const WEAK_PASSWORD_HINTS: Record<WeakPasswordReason, string> = {
  too_short: `密码太短：至少需要${PASSWORD_MIN_LENGTH}个字符（首尾空格不计）。`,
  too_long: `密码太长：最多${PASSWORD_MAX_LENGTH}个字符。`,
  too_common: '这是常见密码或与常见密码相近，很容易被猜中，请换一个。',
  personal_info: '密码里有您的手机号、身份证号或姓名等个人信息，容易被猜中，请换一个。',
  too_predictable: '密码规律性太强（如连续或重复的字符、键盘排列、年份日期），请加入更多不相关的词、数字或符号。',
  same_as_current: '新密码不能与原密码相同。',
};

/** Characters counted for the length rule: code points, without the spaces at either end. */
export function passwordLength(pw: string): number {
  return [...pw.trim()].length;
}

/** The checks a page can make before asking the server (length only; the strength is the server's). */
export function passwordLengthProblem(pw: string): WeakPasswordReason | null {
  if (passwordLength(pw) < PASSWORD_MIN_LENGTH) return 'too_short';
  if ([...pw].length > PASSWORD_MAX_LENGTH) return 'too_long';
  return null;
}

/** The hint for a WEAK_PASSWORD error's details, or null when the details carry no known reason. */
export function weakPasswordHint(details: unknown): string | null {
  const reason = details && typeof details === 'object' ? (details as { reason?: unknown }).reason : undefined;
  return typeof reason === 'string' && (WEAK_PASSWORD_REASONS as readonly string[]).includes(reason)
    ? WEAK_PASSWORD_HINTS[reason as WeakPasswordReason]
    : null;
}
