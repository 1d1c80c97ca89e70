/**
 * Abuse limits that hold under concurrency (issue 16), over HTTP on a real database: parallel
 * password guesses lock the account, one address is rate-limited across accounts, wrong SMS codes
 * burn the code, SMS sending and registration are limited per address and per number, and login
 * answers the same for an unknown login, a wrong password and a locked account.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { Client, lastSmsCode, registerCitizen, testIdNo, testMobile } from '../../../test/client.ts';
import type { MutableClock } from '../../platform/clock.ts';
import { LIMITS, LOCK_AFTER, SMS_ATTEMPTS } from './service.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
});
after(async () => {
  await s.close();
});

const clock = () => s.clock as MutableClock;
let ipSeq = 0;
/** A fresh address (one per test block, so their per-address windows do not meet). */
const freshIp = () => `192.0.2.${++ipSeq}`;

async function userRow(login: string) {
  return s.dbh.db.selectFrom('users').select(['id', 'failed_logins', 'locked_until']).where('login', '=', login).executeTakeFirstOrThrow();
}

test('60 parallel guesses from 10 addresses, one right: the account ends locked and the right one is refused once 5 failures are in', async () => {
  const victim = await registerCitizen(s);
  const ips = Array.from({ length: 10 }, freshIp);
  const guesses = Array.from({ length: 60 }, (_, i) => ({ ip: ips[i % 10]!, password: i === 37 ? victim.password : `wrong${i}pass` }));
  const answers = await Promise.all(
    guesses.map((g) => new Client(s.url, { ip: g.ip }).post('/api/auth/login', { login: victim.mobile, password: g.password })),
  );

  for (const a of answers) assert.ok([200, 401, 429].includes(a.status), `never a 500: ${a.status}`);
  for (const a of answers.filter((x) => x.status === 401)) assert.equal(a.body.error.code, 'BAD_CREDENTIALS');
  for (const a of answers.filter((x) => x.status === 429)) assert.equal(a.body.error.code, 'RATE_LIMITED');
  // The per-login window lets LIMITS.loginFailuresPerLogin attempts through; every other one is refused unchecked.
  assert.equal(answers.filter((x) => x.status === 429).length, 60 - LIMITS.loginFailuresPerLogin.max);

  const u = await userRow(victim.mobile);
  assert.ok(u.locked_until && new Date(u.locked_until) > s.clockNow(), 'the account is locked');
  assert.ok(u.failed_logins >= LOCK_AFTER, `failures counted: ${u.failed_logins}`);

  // The right guess got in only if it was let in before the 5th failure was committed.
  const audits = await s.dbh.db
    .selectFrom('audit_log')
    .select(['id', 'action', 'data'])
    .where('subject_kind', '=', 'user')
    .where('subject_id', '=', String(u.id))
    .where('action', 'in', ['account.login', 'account.login_failed'])
    .orderBy('id')
    .execute();
  const success = audits.findIndex((a) => a.action === 'account.login');
  const right = answers[37]!;
  if (right.status === 200) {
    assert.ok(success >= 0);
    const failuresBefore = audits.slice(0, success).filter((a) => (a.data as { reason: string }).reason === 'bad_password').length;
    assert.ok(failuresBefore < LOCK_AFTER, `the right guess came after ${failuresBefore} failures`);
  } else {
    assert.equal(success, -1, 'no login was recorded');
  }
  const checkedFailures = audits.filter((a) => (a.data as { reason?: string } | null)?.reason === 'bad_password').length;
  if (right.status !== 200) assert.equal(u.failed_logins, checkedFailures, 'every checked failure was counted (no lost update)');

  // After the burst, the right password is refused as well (the lock and the per-login window hold).
  const again = await new Client(s.url, { ip: freshIp() }).post('/api/auth/login', { login: victim.mobile, password: victim.password });
  assert.notEqual(again.status, 200);
});

test('after 5 failures the right password gets the same answer as a wrong one and an unknown login; the lock ends after 15 minutes', async () => {
  const victim = await registerCitizen(s);
  const ips = Array.from({ length: 5 }, freshIp);
  const fails = await Promise.all(
    ips.map((ip) => new Client(s.url, { ip }).post('/api/auth/login', { login: victim.mobile, password: 'wrong123x' })),
  );
  assert.ok(fails.every((f) => f.status === 401));
  assert.equal((await userRow(victim.mobile)).failed_logins, LOCK_AFTER);

  const c = new Client(s.url, { ip: freshIp() });
  const locked = await c.post('/api/auth/login', { login: victim.mobile, password: victim.password });
  const wrong = await c.post('/api/auth/login', { login: victim.mobile, password: 'wrong123y' });
  const unknown = await c.post('/api/auth/login', { login: testMobile(), password: 'whatever1' });
  for (const r of [locked, wrong, unknown]) {
    assert.equal(r.status, 401);
    assert.deepEqual({ code: r.body.error.code, message: r.body.error.message }, { code: 'BAD_CREDENTIALS', message: unknown.body.error.message });
  }
  const reasons = await s.dbh.db
    .selectFrom('audit_log')
    .select('data')
    .where('action', '=', 'account.login_failed')
    .where('actor_label', '=', victim.mobile)
    .orderBy('id')
    .execute();
  assert.deepEqual(
    reasons.map((r) => (r.data as { reason: string }).reason),
    ['bad_password', 'bad_password', 'bad_password', 'bad_password', 'bad_password', 'locked', 'bad_password'],
    'the audit says what really happened',
  );

  clock().advance(16 * 60_000);
  const later = await c.post('/api/auth/login', { login: victim.mobile, password: victim.password });
  assert.equal(later.status, 200, JSON.stringify(later.body));
  assert.equal((await userRow(victim.mobile)).failed_logins, 0);
});

test('80 parallel failures from one address: only the first 30 are checked, the rest are rate-limited', async () => {
  const ip = freshIp();
  const answers = await Promise.all(
    Array.from({ length: 80 }, (_, i) => new Client(s.url, { ip }).post('/api/auth/login', { login: `nobody-${ip}-${i}`, password: 'whatever1' })),
  );
  assert.equal(answers.filter((a) => a.status === 401).length, LIMITS.loginFailuresPerIp.max);
  const limited = answers.filter((a) => a.status === 429);
  assert.equal(limited.length, 80 - LIMITS.loginFailuresPerIp.max);
  assert.ok(limited.every((a) => a.body.error.code === 'RATE_LIMITED' && /[\u4e00-\u9fff]/.test(a.body.error.message)));
  // Another address is not affected.
  const other = await registerCitizen(s);
  assert.equal((await new Client(s.url, { ip: freshIp() }).post('/api/auth/login', { login: other.mobile, password: other.password })).status, 200);
});

test('30 wrong SMS codes in parallel burn the code: the right one is refused afterwards', async () => {
  const mobile = testMobile();
  const c = new Client(s.url, { ip: freshIp() });
  assert.equal((await c.post('/api/auth/sms-code', { mobile, purpose: 'register' })).status, 200);
  const code = await lastSmsCode(s, mobile);
  const wrong = (i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
  const idNo = testIdNo();
  const tries = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      new Client(s.url, { ip: freshIp() }).post('/api/auth/register', { mobile, code: wrong(i), password: 'Citizen-Pass-2026', name: '王五', idNo }),
    ),
  );
  assert.ok(tries.every((t) => t.status === 400 && t.body.error.code === 'SMS_CODE_INVALID'));
  const row = await s.dbh.db.selectFrom('sms_codes').select(['attempts', 'used_at']).where('mobile', '=', mobile).executeTakeFirstOrThrow();
  assert.equal(row.attempts, SMS_ATTEMPTS, 'the tries were counted although every request failed');
  const right = await c.post('/api/auth/register', { mobile, code, password: 'Citizen-Pass-2026', name: '王五', idNo });
  assert.equal(right.status, 400);
  assert.equal(right.body.error.code, 'SMS_CODE_INVALID');
  assert.equal((await s.dbh.db.selectFrom('users').select('id').where('login', '=', mobile).executeTakeFirst()) ?? null, null);
});

test('a wrong SMS code burns a try even though the request fails; the right one within the tries still works', async () => {
  const mobile = testMobile();
  const c = new Client(s.url, { ip: freshIp() });
  await c.post('/api/auth/sms-code', { mobile, purpose: 'register' });
  const code = await lastSmsCode(s, mobile);
  const bad = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
  for (let i = 0; i < SMS_ATTEMPTS - 1; i++)
    assert.equal(
      (await c.post('/api/auth/register', { mobile, code: bad, password: 'Citizen-Pass-2026', name: '王五', idNo: testIdNo() })).status,
      400,
    );
  const row = await s.dbh.db.selectFrom('sms_codes').select('attempts').where('mobile', '=', mobile).executeTakeFirstOrThrow();
  assert.equal(row.attempts, SMS_ATTEMPTS - 1);
  assert.equal((await c.post('/api/auth/register', { mobile, code, password: 'Citizen-Pass-2026', name: '王五', idNo: testIdNo() })).status, 201);
});

test('SMS sending is limited per address and per number; registration per address', async () => {
  // Per address: LIMITS.smsPerIp sends in an hour, to any numbers.
  const ip = freshIp();
  const sends = await Promise.all(
    Array.from({ length: LIMITS.smsPerIp.max + 5 }, () =>
      new Client(s.url, { ip }).post('/api/auth/sms-code', { mobile: testMobile(), purpose: 'register' }),
    ),
  );
  assert.equal(sends.filter((r) => r.status === 200).length, LIMITS.smsPerIp.max);
  assert.ok(sends.filter((r) => r.status !== 200).every((r) => r.status === 429 && r.body.error.code === 'RATE_LIMITED'));

  // Per number: LIMITS.smsPerMobile in an hour from any addresses (a minute apart, past SMS_TOO_FREQUENT).
  const mobile = testMobile();
  const perMobile = [];
  for (let i = 0; i <= LIMITS.smsPerMobile.max; i++) {
    perMobile.push(await new Client(s.url, { ip: freshIp() }).post('/api/auth/sms-code', { mobile, purpose: 'register' }));
    clock().advance(61_000);
  }
  assert.deepEqual(
    perMobile.map((r) => r.status),
    [...Array.from({ length: LIMITS.smsPerMobile.max }, () => 200), 429],
  );
  assert.equal(perMobile.at(-1)!.body.error.code, 'RATE_LIMITED');

  // Registration: LIMITS.registerPerIp tries an hour from one address, whatever they carry.
  const rip = freshIp();
  const regs = await Promise.all(
    Array.from({ length: LIMITS.registerPerIp.max + 3 }, () =>
      new Client(s.url, { ip: rip }).post('/api/auth/register', {
        mobile: testMobile(),
        code: '123456',
        password: 'Citizen-Pass-2026',
        name: '王五',
        idNo: testIdNo(),
      }),
    ),
  );
  assert.equal(regs.filter((r) => r.status === 400 && r.body.error.code === 'SMS_CODE_INVALID').length, LIMITS.registerPerIp.max);
  assert.equal(regs.filter((r) => r.status === 429 && r.body.error.code === 'RATE_LIMITED').length, 3);
  const audited = await s.dbh.db.selectFrom('audit_log').select('id').where('action', '=', 'account.rate_limited').where('ip', '=', rip).execute();
  assert.equal(audited.length, 3);
});

test('the job runner drops counter windows that have ended, and keeps the live ones', async () => {
  await new Client(s.url, { ip: freshIp() }).post('/api/auth/sms-code', { mobile: testMobile(), purpose: 'register' });
  const count = async (live: boolean) =>
    Number(
      (
        await s.dbh.db
          .selectFrom('rate_counters')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('expires_at', live ? '>=' : '<', s.clockNow())
          .executeTakeFirstOrThrow()
      ).n,
    );
  const live = await count(true);
  assert.ok(live > 0);
  clock().advance(2 * 60 * 60_000); // every window above (at most an hour) has ended
  assert.ok((await count(false)) > 0);
  await s.runner.runOnce();
  assert.equal(await count(false), 0);
  await new Client(s.url, { ip: freshIp() }).post('/api/auth/sms-code', { mobile: testMobile(), purpose: 'register' });
  clock().advance(11 * 60_000);
  await s.runner.runOnce();
  assert.ok((await count(true)) > 0, 'a window still running is kept');
});
