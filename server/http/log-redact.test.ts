import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactText, redactUrl, redactingSink } from './log-redact.ts';

test('ID numbers and mobiles are masked anywhere in a text', () => {
  assert.equal(redactText('身份证 42028119900101001X，手机 13912345678。'), '身份证 4202**********001X，手机 139****5678。');
  assert.equal(redactText('{"idNo":"420281199001010011","mobile":"13800000000"}'), '{"idNo":"4202**********0011","mobile":"138****0000"}');
  assert.equal(redactText('11010119900307663x'), '1101**********663x');
});

test('longer runs, hashes, UUIDs and timestamps are left as they are', () => {
  for (const s of [
    '"time":1765147120000',
    '4202811990010100112',
    'sha 9a13912345678b',
    'reqId 0c1f2e3d-4b5a-4c6d-8e9f-139123456780',
    '12912345678',
    'case 2026000123',
  ])
    assert.equal(redactText(s), s);
});

test('personal query values are replaced, the rest of the URL masked', () => {
  assert.equal(redactUrl('/api/staff/persons?idNo=420281199001010011&page=2'), '/api/staff/persons?idNo=_&page=2');
  assert.equal(redactUrl('/api/x?mobile=13912345678&phone=0411-1234567&name=%E5%BC%A0%E4%B8%89&q=abc'), '/api/x?mobile=_&phone=_&name=_&q=_');
  assert.equal(redactUrl('/api/x?id_no=1&ID-NO=2&Mobile=3'), '/api/x?id_no=_&ID-NO=_&Mobile=_');
  // Under another key, or in the path: masked by pattern.
  assert.equal(redactUrl('/api/staff/persons/420281199001010011?who=13912345678'), '/api/staff/persons/4202**********0011?who=139****5678');
  assert.equal(redactUrl('/api/agencies/daye/items?category=a&version=2'), '/api/agencies/daye/items?category=a&version=2');
  assert.equal(redactUrl('/healthz'), '/healthz');
  assert.equal(redactUrl('/api/x?%E0%A4%A=1&flag'), '/api/x?%E0%A4%A=1&flag');
});

test('the sink masks each line before writing it', () => {
  const out: string[] = [];
  redactingSink({ write: (l) => out.push(l) }).write('{"msg":"短信 13912345678：验证码 123456"}\n');
  assert.deepEqual(out, ['{"msg":"短信 139****5678：验证码 123456"}\n']);
});
