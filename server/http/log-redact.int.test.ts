/**
 * No ID number or mobile reaches the server log (issue 17): the real app logs at info into a stream
 * while requests carry both in URLs, paths and bodies, and the dev SMS adapter prints a text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../test/support.ts';
import { Client, registerCitizen, testIdNo, testMobile } from '../../test/client.ts';
import { maskCitizenId, maskMobile } from '../../common/ids.ts';

test('the log carries neither ID numbers nor mobiles from URLs, bodies or texts', async () => {
  const lines: string[] = [];
  const s = await startServer({ config: { LOG_LEVEL: 'info', DEV_TOOLS: 'off' }, logger: { write: (l) => lines.push(l) } });
  const idNo = testIdNo();
  const mobile = testMobile();
  const other = testIdNo('110101', '19850307');
  let cookies: string[] = [];
  try {
    const anon = new Client(s.url);
    await anon.get(`/api/staff/persons?idNo=${idNo}&mobile=${mobile}&name=${encodeURIComponent('张三')}`);
    await anon.get(`/api/staff/persons/${other}?x=${mobile}`);
    await anon.get(`/api/search?q=${other}`);
    // The citizen registers (the SMS code is texted, the body carries ID number and mobile) and signs in.
    const c = await registerCitizen(s, { idNo, mobile });
    cookies = [...c.client.cookies.values()];
    await c.client.get('/api/auth/me');
    await new Client(s.url).post('/api/auth/login', { login: mobile, password: `Wrong-${idNo}` });
    await new Client(s.url).post('/api/auth/sms-code', { mobile, purpose: 'reset' });
    // A body that is not JSON: parsers quote it in their messages.
    await fetch(`${s.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"login":"${mobile}","idNo":${idNo}x`,
    });
    // The outbox sends the texts: with no gateway and DEV_TOOLS off, each is printed in the log.
    await s.runner.runOnce();
  } finally {
    await s.close();
  }
  const log = lines.join('');
  assert.ok(lines.length > 10, 'the app logged');
  assert.ok(log.includes('incoming request'), 'requests are logged');
  assert.ok(log.includes('/api/staff/persons?idNo=_&mobile=_&name=_'), 'the query is logged with its personal values replaced');
  assert.ok(log.includes(`/api/staff/persons/${maskCitizenId(other)}`), 'an ID number in the path is masked');
  assert.ok(log.includes('短信（未配置短信网关，仅在此打印）'), 'the dev SMS text is printed');
  assert.ok(log.includes(maskMobile(mobile)), 'with the number masked');
  for (const secret of [idNo, other, mobile, ...cookies]) assert.ok(!log.includes(secret), `not in the log: ${secret.slice(0, 4)}…`);
});
