import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  citizenIdCheckChar,
  citizenIdFacts,
  citizenIdProblem,
  isInstitutionCode,
  isMobile,
  isUscc,
  maskCitizenId,
  usccCheckChar,
  usccProblem,
} from './ids.ts';

test('公民身份号码: the GB 11643 example and computed check digits', () => {
  assert.equal(citizenIdProblem('11010519491231002X'), null); // the standard's own example
  assert.equal(citizenIdProblem('440524188001010014'), 'birthdate'); // before 1900
  assert.equal(citizenIdProblem('110105194912310021'), 'checksum');
  assert.equal(citizenIdProblem('11010519491331002X'), 'birthdate'); // month 13
  assert.equal(citizenIdProblem('110105190002290020'), 'birthdate'); // 1900 not a leap year
  assert.equal(citizenIdProblem('12345'), 'format');
  const base = '42028119900101123';
  assert.equal(citizenIdProblem(base + citizenIdCheckChar(base)), null);
  assert.equal(citizenIdProblem('420281209901011230', '2026-11-24'), 'birthdate'); // future birth date
  assert.equal(citizenIdProblem(' 11010519491231002x '), null); // trimmed, lower-case x accepted
});

test('公民身份号码 facts and masking', () => {
  assert.deepEqual(citizenIdFacts('11010519491231002X'), { birthDate: '1949-12-31', sex: 'F', region: '110105' });
  assert.equal(maskCitizenId('11010519491231002X'), '1101**********002X');
});

test('统一社会信用代码: GB 32100 check character', () => {
  assert.equal(usccProblem('91350100M000100Y43'), null);
  assert.equal(usccProblem('91350100M000100Y44'), 'checksum');
  assert.equal(usccProblem('91350100M000100I43'), 'format'); // I is not in the alphabet
  const body = '91420281MA4' + '9ABCD0';
  assert.ok(isUscc(body + usccCheckChar(body)));
  assert.equal(usccProblem('short'), 'format');
});

test('mobile numbers and institution codes', () => {
  assert.ok(isMobile('13800138000'));
  assert.ok(!isMobile('12800138000'));
  assert.ok(!isMobile('1380013800'));
  assert.ok(isInstitutionCode('H21020200123'));
  assert.ok(isInstitutionCode('P420281001'));
  assert.ok(!isInstitutionCode('X21020200123'));
});
