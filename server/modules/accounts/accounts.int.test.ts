import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { Client, lastSmsCode, registerCitizen, staffClient, testIdNo, testMobile } from '../../../test/client.ts';
import { totp } from './totp.ts';
import { staffTotp } from '../../../test/totp.ts';
import { createStaff } from './service.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
});
after(async () => {
  await s.close();
});

test('a citizen registers with an SMS code and a checked 公民身份号码, then logs in', async () => {
  const c = new Client(s.url);
  const mobile = testMobile();
  assert.equal((await c.post('/api/auth/sms-code', { mobile, purpose: 'register' })).status, 200);
  const again = await c.post('/api/auth/sms-code', { mobile, purpose: 'register' });
  assert.equal(again.status, 429);
  assert.equal(again.body.error.code, 'SMS_TOO_FREQUENT');
  const code = await lastSmsCode(s, mobile);

  const badId = await c.post('/api/auth/register', { mobile, code, password: 'Citizen-Pass-2026', name: '李四', idNo: '110105194912310021' });
  assert.equal(badId.status, 400);
  assert.equal(badId.body.error.code, 'ID_NO_INVALID');
  const wrongCode = await c.post('/api/auth/register', {
    mobile,
    code: code === '000000' ? '111111' : '000000',
    password: 'Citizen-Pass-2026',
    name: '李四',
    idNo: testIdNo(),
  });
  assert.equal(wrongCode.body.error.code, 'SMS_CODE_INVALID');
  const weak = await c.post('/api/auth/register', { mobile, code, password: 'abcdefgh', name: '李四', idNo: testIdNo() });
  assert.equal(weak.body.error.code, 'WEAK_PASSWORD');

  const idNo = testIdNo();
  const ok = await c.post('/api/auth/register', { mobile, code, password: 'Citizen-Pass-2026', name: '李四', idNo });
  assert.equal(ok.status, 201);
  assert.equal(ok.body.user.name, '李四');
  assert.match(ok.body.user.idNoMasked, /^\d{4}\*+\w{4}$/);
  assert.ok(!JSON.stringify(ok.body).includes(idNo), 'the full ID number is never echoed');
  const cookie = (await c.get('/api/auth/me')).body;
  assert.equal(cookie.user.name, '李四');

  const d = new Client(s.url);
  assert.equal((await d.post('/api/auth/login', { login: mobile, password: 'wrong123' })).body.error.code, 'BAD_CREDENTIALS');
  const li = await d.post('/api/auth/login', { login: mobile, password: 'Citizen-Pass-2026' });
  assert.equal(li.status, 200);
  assert.equal((await d.get('/api/auth/me')).body.user.kind, 'citizen');
  await d.post('/api/auth/logout');
  assert.equal((await d.get('/api/auth/me')).body.user, null);
});

test('unit accounts need a valid 统一社会信用代码', async () => {
  const c = new Client(s.url);
  const m = testMobile();
  await c.post('/api/auth/sms-code', { mobile: m, purpose: 'register' });
  const bad = await c.post('/api/auth/register', {
    kind: 'unit',
    mobile: m,
    code: await lastSmsCode(s, m),
    password: 'Citizen-Pass-2026',
    name: '经办员',
    idNo: testIdNo(),
    uscc: '91350100M000100Y44',
  });
  assert.equal(bad.body.error.code, 'USCC_INVALID');
  const u = await registerCitizen(s, { kind: 'unit', uscc: '91350100M000100Y43', unitName: '大冶测试有限公司' });
  assert.equal(u.user.kind, 'unit');
});

test('staff need a TOTP code; five failures lock the account; every attempt is audited', async () => {
  const { totpSecret } = await createStaff(s.dbh.db, {
    login: 'dy-lock',
    name: '测试员',
    agencyCode: 'daye',
    roles: ['acceptor'],
    password: 'Staff-Pass-2026',
  });
  const c = new Client(s.url);
  assert.equal((await c.post('/api/auth/login', { login: 'dy-lock', password: 'Staff-Pass-2026' })).body.error.code, 'TOTP_REQUIRED');
  assert.equal(
    (
      await c.post('/api/auth/login', {
        login: 'dy-lock',
        password: 'Staff-Pass-2026',
        totp: '000000' === totp(totpSecret, s.clockNow()) ? '111111' : '000000',
      })
    ).body.error.code,
    'TOTP_INVALID',
  );
  for (let i = 0; i < 4; i++) await c.post('/api/auth/login', { login: 'dy-lock', password: 'bad-pass1' });
  const locked = await c.post('/api/auth/login', { login: 'dy-lock', password: 'Staff-Pass-2026', totp: await staffTotp(s, totpSecret) });
  // Locked, but the answer is the one a wrong password gets (the audit says what happened).
  assert.equal(locked.status, 401);
  assert.equal(locked.body.error.code, 'BAD_CREDENTIALS');
  const audits = await s.dbh.db.selectFrom('audit_log').select(['action']).where('actor_label', '=', 'dy-lock').execute();
  assert.ok(audits.filter((a) => a.action === 'account.login_failed').length >= 6);
});

test('writes with a session need the CSRF token', async () => {
  const { client } = await registerCitizen(s);
  const r = await client.request('POST', '/api/cases', { agencyCode: 'haicheng', itemCode: 'HC-24' }, { 'x-csrf-token': 'forged' });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'CSRF_FAILED');
  const ok = await client.post('/api/cases', { agencyCode: 'haicheng', itemCode: 'HC-24' });
  assert.equal(ok.status, 201);
});

test('staff login works end to end and /me shows roles', async () => {
  const st = await staffClient(s, { agency: 'daye', roles: ['acceptor', 'reviewer'] });
  const me = await st.client.get('/api/auth/me');
  assert.deepEqual(me.body.user.roles, ['acceptor', 'reviewer']);
  assert.equal(me.body.user.agencyCode, 'daye');
});

test('institution accounts need a valid 定点医药机构编码', async () => {
  const c = new Client(s.url);
  const m = testMobile();
  await c.post('/api/auth/sms-code', { mobile: m, purpose: 'register' });
  const code = await lastSmsCode(s, m);
  const bad = await c.post('/api/auth/register', {
    kind: 'institution',
    mobile: m,
    code,
    password: 'Citizen-Pass-2026',
    name: '药房经办',
    idNo: testIdNo(),
    institutionCode: 'X123',
  });
  assert.equal(bad.body.error.code, 'VALIDATION_FAILED');
  assert.match(bad.body.error.message, /定点医药机构编码/);
  const ok = await c.post('/api/auth/register', {
    kind: 'institution',
    mobile: m,
    code,
    password: 'Citizen-Pass-2026',
    name: '药房经办',
    idNo: testIdNo(),
    institutionCode: 'P42028100012',
  });
  assert.equal(ok.status, 201);
});
