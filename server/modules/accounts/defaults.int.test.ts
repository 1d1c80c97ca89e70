/**
 * Safe defaults (issue 16): no dev viewer unless DEV_TOOLS=on is set; without an SMS gateway the
 * text is printed in the server log instead; the session cookie is Secure whenever PUBLIC_URL is
 * https (COOKIE_SECURE overrides).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../config.ts';
import { createSms } from '../../platform/sms.ts';
import { startServer } from '../../../test/support.ts';
import { Client, lastSmsCode, testIdNo, testMobile } from '../../../test/client.ts';

test('DEV_TOOLS is off unless set; the session cookie is Secure when PUBLIC_URL is https', () => {
  assert.equal(loadConfig({}).DEV_TOOLS, 'off');
  assert.equal(loadConfig({}).cookieSecure, false);
  assert.equal(loadConfig({ PUBLIC_URL: 'https://yibao.example' }).cookieSecure, true);
  assert.equal(loadConfig({ PUBLIC_URL: 'https://yibao.example', COOKIE_SECURE: 'off' }).cookieSecure, false);
  assert.equal(loadConfig({ COOKIE_SECURE: 'on' }).cookieSecure, true);
});

async function registerAndCookies(s: Awaited<ReturnType<typeof startServer>>) {
  const c = new Client(s.url);
  const mobile = testMobile();
  const sent = await c.post('/api/auth/sms-code', { mobile, purpose: 'register' });
  assert.equal(sent.status, 200);
  const r = await c.post('/api/auth/register', {
    mobile,
    code: await lastSmsCode(s, mobile),
    password: 'Citizen-Pass-2026',
    name: '李四',
    idNo: testIdNo(),
  });
  assert.equal(r.status, 201);
  return { devViewer: sent.body.devViewer as boolean, cookies: r.headers.getSetCookie(), c };
}

test('on an https PUBLIC_URL with DEV_TOOLS off: Secure cookies, no /api/dev/sms, the page is told not to link it', async () => {
  const s = await startServer({ config: { DEV_TOOLS: 'off', PUBLIC_URL: 'https://yibao.example', SEED: 'off' } });
  try {
    const { devViewer, cookies, c } = await registerAndCookies(s);
    assert.equal(devViewer, false);
    const session = cookies.find((x) => x.startsWith('yb_session='))!;
    assert.match(session, /;\s*Secure/i);
    assert.match(session, /HttpOnly/i);
    assert.match(
      cookies.find((x) => x.startsWith('yb_csrf='))!,
      /;\s*Secure/i,
    );
    const dev = await c.get('/api/dev/sms');
    assert.equal(dev.status, 404);
    assert.ok(!JSON.stringify(dev.body).includes('验证码'));
  } finally {
    await s.close();
  }
});

test('on an http PUBLIC_URL the cookie is not Secure (a local demo over http keeps working); DEV_TOOLS=on shows the viewer', async () => {
  const s = await startServer({ config: { DEV_TOOLS: 'on', SEED: 'off' } });
  try {
    const { devViewer, cookies, c } = await registerAndCookies(s);
    assert.equal(devViewer, true);
    assert.doesNotMatch(
      cookies.find((x) => x.startsWith('yb_session='))!,
      /Secure/i,
    );
    assert.equal((await c.get('/api/dev/sms')).status, 200);
  } finally {
    await s.close();
  }
});

test('without an SMS gateway and with DEV_TOOLS off the text is printed in the server log, the number masked', async () => {
  const s = await startServer({ config: { SEED: 'off' } });
  try {
    const lines: string[] = [];
    const text = '【医保经办】您的注册验证码是123456，10分钟内有效。请勿告诉他人。';
    await createSms({ SMS_ADAPTER: 'outbox', DEV_TOOLS: 'off' }, s.dbh.db, (_o, m) => lines.push(m)).send('13900000001', text, s.clockNow());
    assert.equal(lines.length, 1);
    assert.ok(lines[0]!.includes('139****0001') && lines[0]!.includes('123456'));
    assert.ok(!lines[0]!.includes('13900000001'), 'the whole number is not logged');
    const quiet: string[] = [];
    await createSms({ SMS_ADAPTER: 'outbox', DEV_TOOLS: 'on' }, s.dbh.db, (_o, m) => quiet.push(m)).send('13900000002', text, s.clockNow());
    assert.equal(quiet.length, 0, 'with the viewer on, the text is read there');
  } finally {
    await s.close();
  }
});
