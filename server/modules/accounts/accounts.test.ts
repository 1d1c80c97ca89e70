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

test('password policy', () => {
  assert.equal(passwordProblem('short1'), 'WEAK_PASSWORD');
  assert.equal(passwordProblem('lettersonly'), 'WEAK_PASSWORD');
  assert.equal(passwordProblem('12345678'), 'WEAK_PASSWORD');
  assert.equal(passwordProblem('abc12345'), null);
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
