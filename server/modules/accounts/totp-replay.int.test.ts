/**
 * TOTP codes are single-use (issue 16), over HTTP on a real database (PGlite, or PostgreSQL with
 * TEST_DATABASE_URL): the same code twice is refused the second time, and of two parallel logins
 * with one code exactly one gets in.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { Client } from '../../../test/client.ts';
import { totp } from './totp.ts';
import { createStaff } from './service.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
});
after(async () => {
  await s.close();
});

let seq = 0;
async function newStaff() {
  const login = `dy-totp-${++seq}-${Math.random().toString(36).slice(2, 6)}`;
  const { id, totpSecret } = await createStaff(s.dbh.db, {
    login,
    name: '受理员甲',
    agencyCode: 'daye',
    roles: ['acceptor'],
    password: 'Staff-Pass-2026',
  });
  return { id, login, secret: totpSecret };
}

async function failReasons(id: number): Promise<string[]> {
  const rows = await s.dbh.db
    .selectFrom('audit_log')
    .select('data')
    .where('action', '=', 'account.login_failed')
    .where('subject_id', '=', String(id))
    .orderBy('id')
    .execute();
  return rows.map((r) => (r.data as { reason: string }).reason);
}

test('the same code twice: the second login is refused with TOTP_INVALID, audited as totp_replayed', async () => {
  const st = await newStaff();
  const code = totp(st.secret, s.clockNow());
  const first = await new Client(s.url).post('/api/auth/login', { login: st.login, password: 'Staff-Pass-2026', totp: code });
  assert.equal(first.status, 200, JSON.stringify(first.body));
  const again = await new Client(s.url).post('/api/auth/login', { login: st.login, password: 'Staff-Pass-2026', totp: code });
  assert.equal(again.status, 401, JSON.stringify(again.body));
  assert.equal(again.body.error.code, 'TOTP_INVALID');
  assert.deepEqual(await failReasons(st.id), ['totp_replayed']);
  // The next step's code (still within the window) is accepted; the earlier one stays refused.
  const next = await new Client(s.url).post('/api/auth/login', {
    login: st.login,
    password: 'Staff-Pass-2026',
    totp: totp(st.secret, new Date(s.clockNow().getTime() + 30_000)),
  });
  assert.equal(next.status, 200, JSON.stringify(next.body));
  const old = await new Client(s.url).post('/api/auth/login', { login: st.login, password: 'Staff-Pass-2026', totp: code });
  assert.equal(old.body.error.code, 'TOTP_INVALID');
});

test('two parallel logins with the same code: exactly one gets in', async () => {
  for (let round = 0; round < 3; round++) {
    const st = await newStaff();
    const code = totp(st.secret, s.clockNow());
    const answers = await Promise.all(
      [1, 2].map(() => new Client(s.url).post('/api/auth/login', { login: st.login, password: 'Staff-Pass-2026', totp: code })),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 401], JSON.stringify(answers.map((a) => a.body)));
    assert.equal(answers.find((a) => a.status === 401)!.body.error.code, 'TOTP_INVALID');
    assert.deepEqual(await failReasons(st.id), ['totp_replayed']);
  }
});
