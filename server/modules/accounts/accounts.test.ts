import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';
import { base32Decode, base32Encode, hotp, totp, verifyTotp } from './totp.ts';

test('scrypt hashes verify and reject', async () => {
  const h = await hashPassword('abc12345');
  assert.match(h, /^scrypt\$16384\$8\$1\$/);
  assert.ok(await verifyPassword('abc12345', h));
  assert.ok(!(await verifyPassword('abc12346', h)));
  assert.ok(!(await verifyPassword('abc12345', 'garbage')));
  assert.notEqual(await hashPassword('abc12345'), h); // salted
});

test('password strength: length without the spaces at either end, then zxcvbn; a structured reason', () => {
  assert.equal(passwordProblem('password1'), 'too_short');
  assert.equal(passwordProblem('        1a'), 'too_short', 'spaces at either end do not count');
  assert.equal(passwordProblem('short1'), 'too_short');
  assert.equal(passwordProblem('x'.repeat(129)), 'too_long');
  assert.equal(passwordProblem('password123456'), 'too_common');
  assert.equal(passwordProblem('qwertyuiop'), 'too_common');
  assert.equal(passwordProblem('1qaz2wsx3edc'), 'too_common');
  assert.equal(passwordProblem('woaini1314520'), 'too_common', 'pinyin favourites are on the list');
  assert.equal(passwordProblem('aaaaaaaaaaaa'), 'too_predictable');
  assert.equal(passwordProblem('abcdefghijkl'), 'too_predictable');
  assert.equal(passwordProblem('13912345678ab', ['13912345678']), 'personal_info');
  assert.equal(passwordProblem('Lan-Yue-37-qiu'), null);
  assert.equal(passwordProblem('Citizen-Pass-2026'), null);
  assert.equal(passwordProblem('Demo-Yibao-2026'), null);
  // Fast once the dictionaries are loaded.
  const t = performance.now();
  for (let i = 0; i < 20; i++) passwordProblem(`Zq-${i}-lantern-River`);
  assert.ok(performance.now() - t < 2000, `20 checks took ${Math.round(performance.now() - t)} ms`);
});

test('HOTP matches RFC 4226 test vectors', () => {
  const key = Buffer.from('12345678901234567890');
  const want = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  want.forEach((w, i) => assert.equal(hotp(key, i), w));
});

test('TOTP matches RFC 6238 (SHA-1, 8 digits truncated to 6) and tolerates one step of drift', () => {
  const secret = base32Encode(Buffer.from('12345678901234567890'));
  assert.equal(base32Decode(secret).toString(), '12345678901234567890');
  // RFC 6238: T=59 → 94287082 (8 digits) → last 6 digits 287082
  assert.equal(totp(secret, new Date(59_000)), '287082');
  assert.equal(totp(secret, new Date(1111111109_000)), '081804');
  const now = new Date('2026-11-24T10:00:00Z');
  const code = totp(secret, now);
  assert.ok(verifyTotp(secret, code, new Date(now.getTime() + 30_000)));
  assert.ok(!verifyTotp(secret, code, new Date(now.getTime() + 90_000)));
  assert.ok(!verifyTotp(secret, 'abcdef', now));
});
