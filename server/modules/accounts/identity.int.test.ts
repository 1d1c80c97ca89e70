/**
 * A verified identity (issue 16), over HTTP on a real database: an ID number is a claim until a code
 * sent to the registry's number for that person (预留手机号) or a window check binds it; until then
 * no registry fact, no pre-check and no submission; answers may not name another applicant; staff
 * intake links only a verified account; 代办 needs the principal's confirmation; registration
 * answers do not tell whether a number or an ID is taken.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { Client, lastSmsCode, registerCitizen, staffClient, testIdNo, testMobile } from '../../../test/client.ts';
import { seedPerson } from '../../../test/registry.ts';
import type { MutableClock } from '../../platform/clock.ts';
import { SMS_ATTEMPTS } from './service.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
});
after(async () => {
  await s.close();
});

const clock = () => s.clock as MutableClock;

async function smsTo(mobile: string) {
  return s.dbh.db
    .selectFrom('outbox')
    .select(['body', 'recipient'])
    .where('channel', '=', 'sms')
    .where('recipient', '=', mobile)
    .orderBy('id')
    .execute();
}

async function inRegistry(idNo: string, name: string, phone: string | null) {
  return seedPerson(s.dbh.db, {
    idNo,
    name,
    agency: 'fushun',
    phone,
    enrol: [{ type: 'employee', start: '2020-01-01', employment: 'employed' }],
    contributions: [{ type: 'employee', lastMonths: 12, clock: s.clock, baseYuan: 4000 }],
  });
}

async function auditCount(action: string, subjectId: number) {
  const r = await s.dbh.db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('action', '=', action)
    .where('subject_id', '=', String(subjectId))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

test('registration answers the same for a taken number; an ID number already claimed is no obstacle', async () => {
  const a = await registerCitizen(s, { verified: false });
  clock().advance(61_000);
  const c = new Client(s.url);
  const fresh = testMobile();
  const taken = await c.post('/api/auth/sms-code', { mobile: a.mobile, purpose: 'register' });
  const free = await c.post('/api/auth/sms-code', { mobile: fresh, purpose: 'register' });
  assert.equal(taken.status, 200);
  assert.deepEqual(taken.body, free.body, 'the same answer for a registered and an unregistered number');
  // The owner of the taken number is told by text (and only the owner, holding its code, hears MOBILE_TAKEN).
  const texts = await smsTo(a.mobile);
  assert.match(texts.at(-1)!.body, /已注册/);
  const again = await c.post('/api/auth/register', {
    mobile: a.mobile,
    code: await lastSmsCode(s, a.mobile),
    password: 'Citizen-Pass-2026',
    name: '王五',
    idNo: testIdNo(),
  });
  assert.equal(again.body.error.code, 'MOBILE_TAKEN');
  // Someone else claiming a's ID number registers (unverified): squatting gains nothing, blocks nobody.
  const r2 = await c.post('/api/auth/register', {
    mobile: fresh,
    code: await lastSmsCode(s, fresh),
    password: 'Citizen-Pass-2026',
    name: '王五',
    idNo: a.idNo,
  });
  assert.equal(r2.status, 201, JSON.stringify(r2.body));
  assert.equal(r2.body.user.idVerified, false);
});

test('an unverified account keeps drafts but gets no registry fact, no pre-check and no submission', async () => {
  const idNo = testIdNo('210402', '19800101');
  await inRegistry(idNo, '孙立', testMobile());
  const u = await registerCitizen(s, { idNo, name: '孙立', verified: false });
  assert.equal(u.user.idVerified, false);
  const pre = await u.client.post('/api/agencies/fushun/items/FS-11/precheck', { answers: {} });
  assert.equal(pre.status, 403);
  assert.equal(pre.body.error.code, 'IDENTITY_UNVERIFIED');
  const draft = await u.client.post('/api/cases', { agencyCode: 'fushun', itemCode: 'FS-11', answers: {} });
  assert.equal(draft.status, 201, JSON.stringify(draft.body));
  const sub = await u.client.post(`/api/cases/${draft.body.id}/submit`);
  assert.equal(sub.status, 403);
  assert.equal(sub.body.error.code, 'IDENTITY_UNVERIFIED');
  const view = await u.client.get(`/api/cases/${draft.body.id}`);
  assert.equal(view.body.evaluation, null);
  assert.equal(view.body.benefit, null);
});

test('the code goes to the registry number, not the registration one; wrong tries burn it; the right one binds the account', async () => {
  const idNo = testIdNo('210402', '19810202', 'F');
  const registryPhone = testMobile();
  await inRegistry(idNo, '周敏', registryPhone);
  const u = await registerCitizen(s, { idNo, name: '周敏敏', verified: false });
  const sent = await u.client.post('/api/auth/identity/code');
  assert.equal(sent.status, 200, JSON.stringify(sent.body));
  assert.equal((await smsTo(u.mobile)).filter((m) => /核验/.test(m.body)).length, 0, 'nothing to the number the account typed');
  const code = await lastSmsCode(s, registryPhone);
  const wrong = code === '000000' ? '111111' : '000000';
  // 30 wrong tries at once: only SMS_ATTEMPTS are counted, then the code is dead even for the right value.
  const tries = await Promise.all(Array.from({ length: 30 }, () => u.client.post('/api/auth/identity/verify', { code: wrong })));
  for (const t of tries) assert.equal(t.body.error.code, 'SMS_CODE_INVALID');
  const row = await s.dbh.db
    .selectFrom('sms_codes')
    .select('attempts')
    .where('mobile', '=', registryPhone)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  assert.equal(row.attempts, SMS_ATTEMPTS);
  assert.equal((await u.client.post('/api/auth/identity/verify', { code })).body.error.code, 'SMS_CODE_INVALID');

  clock().advance(61_000);
  await u.client.post('/api/auth/identity/code');
  const ok = await u.client.post('/api/auth/identity/verify', { code: await lastSmsCode(s, registryPhone) });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.user.idVerified, true);
  assert.equal(ok.body.user.name, '周敏', 'the name becomes the registry’s');
  assert.equal(await auditCount('account.identity_verified', u.user.id), 1);
  const pre = await u.client.post('/api/agencies/fushun/items/FS-11/precheck', { answers: {} });
  assert.equal(pre.status, 200);
  assert.equal(pre.body.known, true);
  assert.equal((await u.client.post('/api/auth/identity/code')).body.error.code, 'IDENTITY_ALREADY_VERIFIED');
});

test('a code request for a person the registry does not know answers the same and texts nobody', async () => {
  const known = await registerCitizen(s, { verified: false, idNo: testIdNo('210402', '19820303') });
  await inRegistry(known.idNo, '张三', testMobile());
  const unknown = await registerCitizen(s, { verified: false, idNo: testIdNo('210402', '19830404') });
  const before = await s.dbh.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const a = await known.client.post('/api/auth/identity/code');
  const mid = await s.dbh.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  const b = await unknown.client.post('/api/auth/identity/code');
  const end = await s.dbh.db
    .selectFrom('outbox')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(a.status, b.status);
  assert.deepEqual(a.body, b.body);
  assert.equal(Number(mid.n) - Number(before.n), 1);
  assert.equal(Number(end.n) - Number(mid.n), 0);
});

test('registering with the registry’s own number verifies at once', async () => {
  const idNo = testIdNo('210402', '19840505');
  const phone = testMobile();
  await inRegistry(idNo, '钱芳', phone);
  const u = await registerCitizen(s, { idNo, mobile: phone, name: '钱芳', verified: false });
  assert.equal(u.user.idVerified, true);
});

test('answers may not name another applicant: a coded refusal on create and on autosave', async () => {
  const me = await registerCitizen(s);
  const other = testIdNo('210402', '19700101');
  const r = await me.client.post('/api/cases', { agencyCode: 'fushun', itemCode: 'FS-11', answers: { applicantIdNo: other } });
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'APPLICANT_MISMATCH');
  const d = await me.client.post('/api/cases', { agencyCode: 'fushun', itemCode: 'FS-11', answers: { applicantIdNo: me.idNo.toLowerCase() } });
  assert.equal(d.status, 201, 'the own number, in any case, is fine');
  const save = await me.client.put(`/api/cases/${d.body.id}/draft`, { answers: { applicantIdNo: other } });
  assert.equal(save.status, 422);
  assert.equal(save.body.error.code, 'APPLICANT_MISMATCH');
  assert.equal((await me.client.get(`/api/cases/${d.body.id}`)).body.answers.applicantIdNo, me.idNo, 'nothing saved is lost or changed');
});

test('staff intake links a case only to an account verified for the ID number', async () => {
  const victimId = testIdNo('210202', '19880808');
  const squatter = await registerCitizen(s, { idNo: victimId, verified: false });
  const clerk = (await staffClient(s, { agency: 'dalian', roles: ['acceptor'] })).client;
  const answers = { applicantName: '刘某', applicantIdNo: victimId, applicantPhone: '13912345678', employment: 'flexible' };
  const r = await clerk.post('/api/staff/cases', { itemCode: 'DL-13', channel: 'window', answers });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal((await squatter.client.get(`/api/cases/${r.body.id}`)).status, 404);
  assert.equal((await squatter.client.get('/api/cases/mine')).body.items.length, 0);

  // The real person is checked at the window; the next intake is linked to her account.
  const victim = await registerCitizen(s, { idNo: victimId, verified: false });
  const admin = (await staffClient(s, { agency: 'dalian', roles: ['acceptor'] })).client;
  const mismatch = await admin.post('/api/staff/identity-checks', { login: victim.mobile, idNo: testIdNo('210202', '19880809'), cardChecked: true });
  assert.equal(mismatch.status, 404);
  assert.equal(mismatch.body.error.code, 'ACCOUNT_NOT_FOUND');
  const unchecked = await admin.post('/api/staff/identity-checks', { login: victim.mobile, idNo: victimId, cardChecked: false });
  assert.equal(unchecked.status, 400);
  const ok = await admin.post('/api/staff/identity-checks', { login: victim.mobile, idNo: victimId, cardChecked: true });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(await auditCount('account.identity_window_check', victim.user.id), 1);
  const r2 = await clerk.post('/api/staff/cases', { itemCode: 'DL-13', channel: 'window', answers });
  assert.equal((await victim.client.get(`/api/cases/${r2.body.id}`)).status, 200);
  assert.equal((await squatter.client.get(`/api/cases/${r2.body.id}`)).status, 404);
  // A citizen cannot use the window endpoint.
  assert.equal((await victim.client.post('/api/staff/identity-checks', { login: squatter.mobile, idNo: victimId, cardChecked: true })).status, 403);
});

test('a newer proof moves the binding: the older account of the same person loses it', async () => {
  const idNo = testIdNo('210202', '19890909');
  const first = await registerCitizen(s, { idNo });
  const second = await registerCitizen(s, { idNo, verified: false });
  const clerk = (await staffClient(s, { agency: 'dalian', roles: ['acceptor'] })).client;
  assert.equal((await clerk.post('/api/staff/identity-checks', { login: second.mobile, idNo, cardChecked: true })).status, 200);
  assert.equal((await first.client.get('/api/auth/me')).body.user.idVerified, false);
  assert.equal((await second.client.get('/api/auth/me')).body.user.idVerified, true);
  assert.equal(await auditCount('account.identity_moved', first.user.id), 1);
});

test('代办 needs the principal’s confirmation by a code sent to the principal’s registry number', async () => {
  const agent = await registerCitizen(s, { kind: 'agent', name: '代办人赵' });
  const principalId = testIdNo('210381', '19550505');
  const principalPhone = testMobile();
  await inRegistry(principalId, '王秀兰', principalPhone);
  const auth = await agent.client.post('/api/authorisations', {
    principalName: '王秀兰',
    principalIdNo: principalId,
    relation: '子女',
    scope: '医保业务',
    validUntil: '2099-12-31',
  });
  assert.equal(auth.status, 201);
  const id = auth.body.id as number;
  const draft = await agent.client.post('/api/cases', { agencyCode: 'fushun', itemCode: 'FS-11', authorisationId: id, answers: {} });
  assert.equal(draft.status, 409);
  assert.equal(draft.body.error.code, 'AUTHORISATION_UNCONFIRMED');
  const pre = await agent.client.post('/api/agencies/fushun/items/FS-11/precheck', { answers: {}, authorisationId: id });
  assert.equal(pre.body.error.code, 'AUTHORISATION_UNCONFIRMED');

  // Someone else's authorisation: not found, nothing texted.
  const stranger = await registerCitizen(s, { kind: 'agent' });
  assert.equal((await stranger.client.post(`/api/authorisations/${id}/code`)).body.error.code, 'AUTHORISATION_INVALID');

  assert.equal((await agent.client.post(`/api/authorisations/${id}/code`)).status, 200);
  const text = (await smsTo(principalPhone)).at(-1)!.body;
  assert.match(text, /代办人赵/);
  const ok = await agent.client.post(`/api/authorisations/${id}/confirm`, { code: await lastSmsCode(s, principalPhone) });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  const list = await agent.client.get('/api/authorisations');
  assert.equal(list.body.items[0].confirmed, true);
  const d2 = await agent.client.post('/api/cases', { agencyCode: 'fushun', itemCode: 'FS-11', authorisationId: id, answers: {} });
  assert.equal(d2.status, 201, JSON.stringify(d2.body));
  assert.equal(d2.body.answers.applicantIdNo, principalId);
  const pre2 = await agent.client.post('/api/agencies/fushun/items/FS-11/precheck', { answers: {}, authorisationId: id });
  assert.equal(pre2.status, 200);
});
