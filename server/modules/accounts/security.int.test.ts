/**
 * Passwords and sessions (issue 16), over HTTP: weak passwords refused with a reason, changing the
 * password (the current one counted like a login, other sessions revoked), resetting it by SMS with
 * answers that never tell whether a number has an account, the idle timeout, and the session list
 * with "sign out elsewhere".
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { Client, lastSmsCode, registerCitizen, staffClient, testIdNo, testMobile } from '../../../test/client.ts';
import type { MutableClock } from '../../platform/clock.ts';
import { LOCK_AFTER, SMS_ATTEMPTS } from './service.ts';
import { IDLE_MINUTES } from './sessions.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
});
after(async () => {
  await s.close();
});

const clock = () => s.clock as MutableClock;
const NEW_PASSWORD = 'Lan-Yue-37-qiu';

async function login(mobile: string, password: string): Promise<Client> {
  const c = new Client(s.url);
  const r = await c.post('/api/auth/login', { login: mobile, password });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return c;
}
const me = async (c: Client) => (await c.get('/api/auth/me')).body.user;
async function audits(action: string, subjectId: number) {
  return s.dbh.db.selectFrom('audit_log').select(['data']).where('action', '=', action).where('subject_id', '=', String(subjectId)).execute();
}
async function smsCount(mobile: string): Promise<number> {
  const rows = await s.dbh.db.selectFrom('outbox').select('id').where('channel', '=', 'sms').where('recipient', '=', mobile).execute();
  return rows.length;
}

test('registration refuses weak passwords with a reason the page can show', async () => {
  const c = new Client(s.url);
  const cases: [string, string][] = [
    ['password1', 'too_short'],
    ['        1a', 'too_short'],
    ['password123456', 'too_common'],
    ['qwertyuiop', 'too_common'],
    ['aaaaaaaaaaaa', 'too_predictable'],
  ];
  for (const [password, reason] of cases) {
    const mobile = testMobile();
    await c.post('/api/auth/sms-code', { mobile, purpose: 'register' });
    const r = await c.post('/api/auth/register', { mobile, code: await lastSmsCode(s, mobile), password, name: '李四', idNo: testIdNo() });
    assert.equal(r.status, 400, password);
    assert.equal(r.body.error.code, 'WEAK_PASSWORD');
    assert.deepEqual(r.body.error.details, { reason }, password);
    assert.match(r.body.error.message, /[\u4e00-\u9fff]/);
  }
  // The account's own mobile inside the password.
  const mobile = testMobile();
  await c.post('/api/auth/sms-code', { mobile, purpose: 'register' });
  const own = await c.post('/api/auth/register', {
    mobile,
    code: await lastSmsCode(s, mobile),
    password: `${mobile}ab`,
    name: '李四',
    idNo: testIdNo(),
  });
  assert.deepEqual(own.body.error.details, { reason: 'personal_info' });
});

test('changing the password: a wrong current one is refused and counted, the new one must be strong, other sessions end, this one stays', async () => {
  const a = await registerCitizen(s);
  const other = await login(a.mobile, a.password);
  const third = await login(a.mobile, a.password);

  const wrong = await a.client.post('/api/auth/password', { current: 'Not-The-Password-1', next: NEW_PASSWORD });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.body.error.code, 'CURRENT_PASSWORD_WRONG');
  const row = await s.dbh.db.selectFrom('users').select('failed_logins').where('id', '=', a.user.id).executeTakeFirstOrThrow();
  assert.equal(row.failed_logins, 1, 'counted as a failed login');
  assert.equal((await audits('account.password_change_failed', a.user.id)).length, 1);

  const weak = await a.client.post('/api/auth/password', { current: a.password, next: 'password123456' });
  assert.deepEqual([weak.body.error.code, weak.body.error.details], ['WEAK_PASSWORD', { reason: 'too_common' }]);
  const same = await a.client.post('/api/auth/password', { current: a.password, next: a.password });
  assert.deepEqual(same.body.error.details, { reason: 'same_as_current' });
  // Without the CSRF header a write is refused.
  assert.equal((await a.client.post('/api/auth/password', { current: a.password, next: NEW_PASSWORD }, { 'x-csrf-token': 'nope' })).status, 403);

  const ok = await a.client.post('/api/auth/password', { current: a.password, next: NEW_PASSWORD });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.deepEqual(ok.body, { ok: true, revokedSessions: 2 });
  assert.equal((await me(a.client))?.id, a.user.id, 'this session stays');
  assert.equal(await me(other), null, 'the other sessions end');
  assert.equal(await me(third), null);
  assert.equal((await new Client(s.url).post('/api/auth/login', { login: a.mobile, password: a.password })).status, 401, 'the old password is gone');
  await login(a.mobile, NEW_PASSWORD);
  const audit = await audits('account.password_changed', a.user.id);
  assert.deepEqual(
    audit.map((x) => x.data),
    [{ revokedSessions: 2 }],
  );
  assert.equal((await new Client(s.url).post('/api/auth/password', { current: 'x', next: NEW_PASSWORD })).status, 401, 'only when logged in');
});

test('wrong current passwords lock the account like failed logins', async () => {
  const a = await registerCitizen(s);
  const answers = await Promise.all(
    Array.from({ length: LOCK_AFTER }, (_, i) => a.client.post('/api/auth/password', { current: `Wrong-Guess-${i}x`, next: NEW_PASSWORD })),
  );
  assert.ok(answers.every((r) => r.body.error.code === 'CURRENT_PASSWORD_WRONG'));
  const right = await a.client.post('/api/auth/password', { current: a.password, next: NEW_PASSWORD });
  assert.equal(right.status, 429);
  assert.equal(right.body.error.code, 'PASSWORD_CHANGE_LOCKED');
  assert.equal((await new Client(s.url).post('/api/auth/login', { login: a.mobile, password: a.password })).status, 401, 'login is locked too');
});

test('reset by SMS: an unknown number and a staff account get the same answers as a known one, and no text', async () => {
  const known = await registerCitizen(s);
  const unknown = testMobile();
  const c = new Client(s.url);
  const before = await smsCount(known.mobile);
  const k1 = await c.post('/api/auth/sms-code', { mobile: known.mobile, purpose: 'reset' });
  const u1 = await c.post('/api/auth/sms-code', { mobile: unknown, purpose: 'reset' });
  assert.deepEqual([u1.status, u1.body], [k1.status, k1.body]);
  assert.equal(k1.status, 200);
  assert.equal(await smsCount(known.mobile), before + 1, 'the known number gets a text');
  assert.equal(await smsCount(unknown), 0, 'the unknown one none');
  // Within the minute both are refused alike.
  const k2 = await c.post('/api/auth/sms-code', { mobile: known.mobile, purpose: 'reset' });
  const u2 = await c.post('/api/auth/sms-code', { mobile: unknown, purpose: 'reset' });
  assert.deepEqual([u2.status, u2.body.error.code], [k2.status, k2.body.error.code]);
  assert.equal(k2.body.error.code, 'SMS_TOO_FREQUENT');
  // A login code alike.
  const kl = await c.post('/api/auth/sms-code', { mobile: known.mobile, purpose: 'login' });
  const ul = await c.post('/api/auth/sms-code', { mobile: testMobile(), purpose: 'login' });
  assert.deepEqual([ul.status, ul.body], [kl.status, kl.body]);
  // Resetting the unknown number fails as a wrong code does for the known one.
  const ur = await c.post('/api/auth/reset', { mobile: unknown, code: '123456', password: NEW_PASSWORD });
  const kr = await c.post('/api/auth/reset', {
    mobile: known.mobile,
    code: String((Number(await lastSmsCode(s, known.mobile)) + 1) % 1e6).padStart(6, '0'),
    password: NEW_PASSWORD,
  });
  assert.deepEqual([ur.status, ur.body.error.code, ur.body.error.message], [kr.status, kr.body.error.code, kr.body.error.message]);
  assert.equal(kr.body.error.code, 'SMS_CODE_INVALID');
  // Staff have no mobile: a staff login is not a number the form accepts, and no account's number is a staff's.
  const staff = await staffClient(s, { agency: 'daye', roles: ['acceptor'] });
  assert.equal((await c.post('/api/auth/sms-code', { mobile: staff.login, purpose: 'reset' })).status, 400);
});

test('reset by SMS: six wrong codes burn the code; a fresh code sets the password, clears the lock and ends every session', async () => {
  const a = await registerCitizen(s);
  const other = await login(a.mobile, a.password);
  const c = new Client(s.url);
  assert.equal((await c.post('/api/auth/sms-code', { mobile: a.mobile, purpose: 'reset' })).status, 200);
  const code = await lastSmsCode(s, a.mobile);
  const bad = (i: number) => String((Number(code) + 1 + i) % 1e6).padStart(6, '0');
  for (let i = 0; i < SMS_ATTEMPTS + 1; i++) {
    const r = await c.post('/api/auth/reset', { mobile: a.mobile, code: bad(i), password: NEW_PASSWORD });
    assert.equal(r.body.error.code, 'SMS_CODE_INVALID');
  }
  const burnt = await c.post('/api/auth/reset', { mobile: a.mobile, code, password: NEW_PASSWORD });
  assert.equal(burnt.body.error.code, 'SMS_CODE_INVALID', 'the right code is refused once the tries are spent');
  // A weak new password is refused before the code is tried.
  clock().advance(61_000);
  await c.post('/api/auth/sms-code', { mobile: a.mobile, purpose: 'reset' });
  const fresh = await lastSmsCode(s, a.mobile);
  const weak = await c.post('/api/auth/reset', { mobile: a.mobile, code: fresh, password: 'password1' });
  assert.deepEqual(weak.body.error.details, { reason: 'too_short' });
  // The account was locked by guesses; the reset clears the lock.
  await s.dbh.db
    .updateTable('users')
    .set({ failed_logins: LOCK_AFTER, locked_until: new Date(s.clockNow().getTime() + 15 * 60_000) })
    .where('id', '=', a.user.id)
    .execute();
  const ok = await c.post('/api/auth/reset', { mobile: a.mobile, code: fresh, password: NEW_PASSWORD });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(await me(a.client), null, 'every session ends');
  assert.equal(await me(other), null);
  assert.equal(
    (await c.post('/api/auth/reset', { mobile: a.mobile, code: fresh, password: 'Another-Strong-Pass-9' })).body.error.code,
    'SMS_CODE_INVALID',
    'once',
  );
  await login(a.mobile, NEW_PASSWORD);
  assert.deepEqual(
    (await audits('account.password_reset', a.user.id)).map((x) => x.data),
    [{ via: 'sms', revokedSessions: 2 }],
  );
});

test('idle timeout: citizens after 2 hours, staff after 30 minutes; last seen is written at most once a minute', async () => {
  const a = await registerCitizen(s);
  const st = await staffClient(s, { agency: 'daye', roles: ['acceptor'] });
  const seen = async () =>
    (await s.dbh.db.selectFrom('sessions').select('last_seen_at').where('user_id', '=', a.user.id).executeTakeFirstOrThrow()).last_seen_at;
  const first = await seen();
  clock().advance(20_000);
  assert.ok(await me(a.client));
  assert.equal((await seen()).getTime(), new Date(first).getTime(), 'not rewritten within the minute');
  clock().advance(61_000);
  assert.ok(await me(a.client));
  assert.ok(new Date(await seen()).getTime() > new Date(first).getTime(), 'rewritten after a minute');
  assert.ok(await me(st.client));

  clock().advance((IDLE_MINUTES.staff - 1) * 60_000);
  assert.ok(await me(st.client), 'staff: 29 minutes idle is fine');
  assert.ok(await me(a.client));
  clock().advance((IDLE_MINUTES.staff + 1) * 60_000);
  assert.equal(await me(st.client), null, 'staff: 31 minutes idle ends the session');
  assert.ok(await me(a.client), 'a citizen after 31 minutes is still in');
  clock().advance((IDLE_MINUTES.other - 1) * 60_000);
  assert.ok(await me(a.client), 'kept alive by use');
  clock().advance((IDLE_MINUTES.other + 1) * 60_000);
  assert.equal(await me(a.client), null, 'a citizen idle over 2 hours is signed out');
  assert.equal((await a.client.get('/api/cases/mine')).status, 401);
});

test('the session list: live sessions of this account only, the current one marked, no token; sign out elsewhere; another user’s session is 404', async () => {
  const a = await registerCitizen(s);
  const b = await login(a.mobile, a.password);
  const c = await login(a.mobile, a.password);
  const stranger = await registerCitizen(s);

  const list = await a.client.get('/api/auth/sessions');
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 3);
  assert.equal(list.body.idleMinutes, IDLE_MINUTES.other);
  assert.equal(list.body.items.filter((x: { current: boolean }) => x.current).length, 1);
  assert.equal(list.body.items[0].current, true, 'the current one first');
  const text = JSON.stringify(list.body);
  assert.ok(!text.includes(a.client.cookies.get('yb_session')!) && !/id_hash|csrf|token/i.test(text), 'no token, hash or CSRF value');
  for (const x of list.body.items) assert.deepEqual(Object.keys(x).sort(), ['createdAt', 'current', 'device', 'id', 'ip', 'lastSeenAt']);
  assert.equal(list.body.items[0].ip, a.client.ip);

  // One other session by its number.
  const cId = (await c.get('/api/auth/sessions')).body.items.find((x: { current: boolean }) => x.current).id as number;
  const strangerId = (await stranger.client.get('/api/auth/sessions')).body.items[0].id as number;
  const notMine = await a.client.del(`/api/auth/sessions/${strangerId}`);
  assert.equal(notMine.status, 404);
  assert.equal(notMine.body.error.code, 'NOT_FOUND');
  assert.ok(await me(stranger.client), 'the stranger is still signed in');
  assert.equal((await a.client.del(`/api/auth/sessions/${cId}`)).status, 200);
  assert.equal(await me(c), null);
  assert.equal((await a.client.del(`/api/auth/sessions/${cId}`)).status, 404, 'gone already');

  const out = await a.client.post('/api/auth/sessions/revoke-others');
  assert.deepEqual(out.body, { revoked: 1 });
  assert.equal(await me(b), null);
  assert.ok(await me(a.client));
  assert.equal((await a.client.get('/api/auth/sessions')).body.items.length, 1);
  assert.equal((await audits('account.sessions_revoked', a.user.id)).length, 1);
  assert.equal((await audits('account.session_revoked', a.user.id)).length, 1);
  assert.equal((await new Client(s.url).get('/api/auth/sessions')).status, 401);
});
