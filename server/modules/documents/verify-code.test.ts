import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CROCKFORD, newVerifyCode, normaliseVerifyCode } from './verify-code.ts';

const FORMAT = /^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

test('the alphabet is Crockford base32: 32 symbols, no I L O U', () => {
  assert.equal(CROCKFORD.length, 32);
  assert.equal(new Set(CROCKFORD).size, 32);
  for (const c of 'ILOU') assert.ok(!CROCKFORD.includes(c));
});

test('new codes are grouped XXXX-XXXX-XXXX, valid and different', () => {
  const seen = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const c = newVerifyCode();
    assert.match(c, FORMAT);
    assert.equal(normaliseVerifyCode(c), c);
    seen.add(c);
  }
  assert.equal(seen.size, 2000);
});

test('every alphabet symbol shows up in random positions', () => {
  const chars = new Set<string>();
  for (let i = 0; i < 400; i++) for (const ch of newVerifyCode().replace(/-/g, '').slice(0, 11)) chars.add(ch);
  assert.equal(chars.size, 32);
});

test('normalising: case, spaces, dashes and the look-alike letters', () => {
  const c = newVerifyCode();
  const raw = c.replace(/-/g, '');
  assert.equal(normaliseVerifyCode(raw), c);
  assert.equal(normaliseVerifyCode(raw.toLowerCase()), c);
  assert.equal(normaliseVerifyCode(` ${raw.slice(0, 4)} ${raw.slice(4, 8)}\t${raw.slice(8)} `), c);
  assert.equal(normaliseVerifyCode(`${raw.slice(0, 6)}－${raw.slice(6)}`), c, 'full-width dash');
  // Full-width characters as typed with a Chinese IME.
  const wide = raw.replace(/[0-9A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
  assert.equal(normaliseVerifyCode(wide), c);
});

test('O reads as 0, I and L as 1', () => {
  // Find codes containing 0 and 1 and type them with the letters instead.
  let with0: string | undefined;
  let with1: string | undefined;
  for (let i = 0; i < 5000 && (!with0 || !with1); i++) {
    const c = newVerifyCode();
    if (!with0 && c.includes('0')) with0 = c;
    if (!with1 && c.includes('1')) with1 = c;
  }
  assert.ok(with0 && with1);
  assert.equal(normaliseVerifyCode(with0.replace(/0/g, 'O')), with0);
  assert.equal(normaliseVerifyCode(with0.replace(/0/g, 'o')), with0);
  assert.equal(normaliseVerifyCode(with1.replace(/1/g, 'I')), with1);
  assert.equal(normaliseVerifyCode(with1.replace(/1/g, 'l')), with1);
});

test('malformed input is null', () => {
  for (const bad of ['', '   ', 'ABCD-EFGH-JKM', 'ABCD-EFGH-JKMNP', 'ABCD-EFGH-JKU0', '验证码ABCDEFGHJK', 'ABCD_EFGH_JKMN', 'x'.repeat(100)])
    assert.equal(normaliseVerifyCode(bad), null, bad);
  assert.equal(normaliseVerifyCode(undefined as unknown as string), null);
});

test('the check character catches every single-character change', () => {
  for (let n = 0; n < 30; n++) {
    const raw = newVerifyCode().replace(/-/g, '');
    for (let i = 0; i < 12; i++)
      for (const ch of CROCKFORD) {
        if (ch === raw[i]) continue;
        const typo = raw.slice(0, i) + ch + raw.slice(i + 1);
        assert.equal(normaliseVerifyCode(typo), null, `${raw} → ${typo}`);
      }
  }
});

test('the check character catches most swaps of neighbours', () => {
  let swaps = 0;
  let caught = 0;
  for (let n = 0; n < 300; n++) {
    const raw = newVerifyCode().replace(/-/g, '');
    for (let i = 0; i < 10; i++) {
      if (raw[i] === raw[i + 1]) continue;
      const swapped = raw.slice(0, i) + raw[i + 1] + raw[i] + raw.slice(i + 2);
      swaps++;
      const diff = Math.abs(CROCKFORD.indexOf(raw[i]!) - CROCKFORD.indexOf(raw[i + 1]!));
      if (normaliseVerifyCode(swapped) === null) caught++;
      else assert.equal(diff, 16, `only symbols 16 apart may slip through: ${raw} → ${swapped}`);
    }
  }
  assert.ok(caught / swaps > 0.95);
});
