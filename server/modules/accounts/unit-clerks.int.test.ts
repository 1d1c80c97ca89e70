/**
 * 单位经办人 are approved (issue 16). The attack: registering with an existing unit's 统一社会信用代码
 * joined it at once — roster, case materials, withdrawal, base declaration, 减员. Now the account
 * gets coded refusals until the unit's clerk (or, for a unit with no clerk, agency staff after the
 * 授权委托书) approves; a revocation ends access on the next request; every step is audited.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import {
  PDF_BYTES,
  PNG_BYTES,
  registerCitizen,
  registerUnitClerk,
  staffClient,
  testIdNo,
  uploadClerkLetter,
  type Client,
} from '../../../test/client.ts';
import { submittedCase } from '../../../test/factories.ts';
import { seedUnit } from '../../../test/registry.ts';
import { usccCheckChar } from '../../../common/ids.ts';
import { monthStart } from '../../../test/clock.ts';

let s: TestServer;
let dyStaff: Client;
let hcStaff: Client;
let n = 0;
/** A fresh valid 统一社会信用代码 (大冶 region). */
function newUscc(): string {
  n++;
  const u17 = `91420281MA4UC${String(n).padStart(3, '0')}X`;
  return u17 + usccCheckChar(u17);
}

before(async () => {
  s = await startServer();
  dyStaff = (await staffClient(s, { agency: 'daye', roles: ['acceptor'] })).client;
  hcStaff = (await staffClient(s, { agency: 'haicheng', roles: ['acceptor'] })).client;
});
after(async () => {
  await s.close();
});

async function myRequest(c: Client) {
  const r = await c.get('/api/unit/clerk-request');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}

async function auditActions(requestId: number): Promise<string[]> {
  const rows = await s.dbh.db
    .selectFrom('audit_log')
    .select('action')
    .where('subject_kind', '=', 'unit_clerk_request')
    .where('subject_id', '=', String(requestId))
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

test('the attack: a second registration for an existing unit gets nothing until the unit’s clerk approves; revocation ends it at once', async () => {
  const uscc = newUscc();
  const unitId = await seedUnit(s.dbh.db, { uscc, name: '大冶防冒用测试有限公司', agency: 'daye', avgWageFen: 500000 });
  const first = await registerUnitClerk(s, { uscc, name: '真经办' });
  const employee = testIdNo('420281', '19850505');
  const add = await first.client.post('/api/unit/employees', {
    action: 'add',
    idNo: employee,
    name: '职工甲',
    date: monthStart(0, s.clock),
    base: 5000,
  });
  assert.equal(add.status, 200, JSON.stringify(add.body));
  const kase = await submittedCase({ server: s, citizen: first, item: 'DY-08' });
  const caseRow = await s.dbh.db.selectFrom('cases').select('unit_id').where('id', '=', kase.id).executeTakeFirstOrThrow();
  assert.equal(Number(caseRow.unit_id), unitId, 'a case of the unit');
  const mat = kase.body.materials[0].id as number;

  // The attacker registers with the same code: the account exists, but holds no unit.
  const attacker = await registerCitizen(s, { kind: 'unit', uscc, name: '冒用者' });
  assert.equal(attacker.user.kind, 'unit');
  const row = await s.dbh.db.selectFrom('users').select('unit_id').where('id', '=', attacker.user.id).executeTakeFirstOrThrow();
  assert.equal(row.unit_id, null);
  const a = attacker.client;
  const refusals: [string, Promise<{ status: number; body: any }>, number, string][] = [
    ['roster', a.get('/api/unit/employees'), 403, 'UNIT_CLERK_NOT_APPROVED'],
    ['clerks', a.get('/api/unit/clerks'), 403, 'UNIT_CLERK_NOT_APPROVED'],
    ['case', a.get(`/api/cases/${kase.id}`), 404, 'CASE_NOT_FOUND'],
    ['material', a.get(`/api/cases/${kase.id}/materials/${mat}/file`), 404, 'CASE_NOT_FOUND'],
    ['withdraw', a.post(`/api/cases/${kase.id}/actions/withdraw`, {}), 404, 'CASE_NOT_FOUND'],
    ['base', a.post('/api/unit/base-declaration', { year: 2030, rows: [{ idNo: employee, base: 1 }] }), 403, 'UNIT_CLERK_NOT_APPROVED'],
    [
      'remove',
      a.post('/api/unit/employees', { action: 'remove', idNo: employee, name: '职工甲', date: monthStart(0, s.clock) }),
      403,
      'UNIT_CLERK_NOT_APPROVED',
    ],
    ['apply', a.post('/api/cases', { agencyCode: 'daye', itemCode: 'DY-08' }), 403, 'UNIT_CLERK_NOT_APPROVED'],
  ];
  for (const [what, p, status, code] of refusals) {
    const r = await p;
    assert.equal(r.status, status, `${what}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.error.code, code, what);
  }
  const fd = new FormData();
  fd.set('file', new Blob([Buffer.from('操作,公民身份号码\n')]), 'r.csv');
  assert.equal((await a.request('POST', '/api/unit/roster', fd)).body.error.code, 'UNIT_CLERK_NOT_APPROVED');
  assert.equal((await a.get('/api/cases/mine')).body.items.length, 0, 'the unit’s cases are not listed');
  // Nothing changed: the case is still submitted, the employee still active, no base declared.
  assert.equal((await first.client.get(`/api/cases/${kase.id}`)).body.status, 'submitted');
  const emps = (await first.client.get('/api/unit/employees')).body.items;
  assert.deepEqual(
    emps.map((e: { status: string }) => e.status),
    ['active'],
  );

  // The waiting page: the unit's clerk decides, no letter needed.
  const mine = await myRequest(a);
  assert.equal(mine.status, 'pending');
  assert.equal(mine.request.unitName, '大冶防冒用测试有限公司');
  assert.equal(mine.request.reviewer, 'clerk');
  assert.equal(mine.request.needsLetter, false);
  const id = mine.request.id as number;
  // The applicant cannot approve themselves, by either door.
  assert.equal((await a.post(`/api/unit/clerk-requests/${id}/approve`, {})).body.error.code, 'UNIT_CLERK_NOT_APPROVED');
  assert.equal((await a.post(`/api/staff/unit-clerk-requests/${id}/approve`, {})).body.error.code, 'FORBIDDEN');

  // The first clerk sees the request and approves it.
  const list = await first.client.get('/api/unit/clerks');
  assert.equal(list.status, 200);
  const req = list.body.requests.find((r: { id: number }) => r.id === id);
  assert.ok(req, JSON.stringify(list.body));
  assert.equal(req.name, '冒用者');
  assert.equal(req.canApprove, true);
  assert.match(req.mobileMasked, /\*/);
  assert.deepEqual(
    list.body.clerks.map((c: { name: string; isMe: boolean; canRevoke: boolean }) => [c.name, c.isMe, c.canRevoke]),
    [['真经办', true, false]],
  );
  const ok = await first.client.post(`/api/unit/clerk-requests/${id}/approve`, {});
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal((await first.client.post(`/api/unit/clerk-requests/${id}/approve`, {})).body.error.code, 'UNIT_CLERK_REQUEST_DECIDED');
  assert.equal((await first.client.post(`/api/unit/clerk-requests/${id}/reject`, {})).status, 409);
  assert.equal((await a.get('/api/unit/employees')).status, 200);
  assert.equal((await a.get(`/api/cases/${kase.id}`)).status, 200);
  // Told: the unit's clerk of the request, the applicant of the decision (in-app and SMS).
  const told = async (userId: number) =>
    (await s.dbh.db.selectFrom('outbox').select('body').where('channel', '=', 'inapp').where('user_id', '=', userId).execute()).map((m) => m.body);
  assert.ok((await told(first.user.id)).some((b) => /冒用者申请成为本单位经办人/.test(b)));
  assert.ok((await told(attacker.user.id)).some((b) => /已通过/.test(b)));
  const sms = await s.dbh.db.selectFrom('outbox').select('body').where('channel', '=', 'sms').where('recipient', '=', attacker.mobile).execute();
  assert.ok(sms.some((m) => /单位经办人申请已通过/.test(m.body)));
  assert.equal((await myRequest(a)).status, 'approved');

  // Revoked: access ends with the next request; a clerk cannot revoke themselves.
  const clerks = (await first.client.get('/api/unit/clerks')).body.clerks;
  const firstId = clerks.find((c: { isMe: boolean }) => c.isMe).id as number;
  assert.equal((await first.client.post(`/api/unit/clerk-requests/${firstId}/revoke`, {})).body.error.code, 'UNIT_CLERK_SELF');
  const rv = await first.client.post(`/api/unit/clerk-requests/${id}/revoke`, { reason: '已离职' });
  assert.equal(rv.status, 200, JSON.stringify(rv.body));
  assert.equal((await a.get('/api/unit/employees')).body.error.code, 'UNIT_CLERK_NOT_APPROVED');
  assert.equal((await a.get(`/api/cases/${kase.id}`)).status, 404);
  assert.equal((await a.post(`/api/cases/${kase.id}/actions/withdraw`, {})).status, 404);
  const after = await myRequest(a);
  assert.equal(after.status, 'revoked');
  assert.equal(after.request.reason, '已离职');
  assert.equal((await first.client.post(`/api/unit/clerk-requests/${id}/revoke`, {})).status, 409);

  assert.deepEqual(await auditActions(id), ['unit_clerk.requested', 'unit_clerk.approved', 'unit_clerk.revoked']);
});

test('a unit with no clerk: the registrant waits for the agency, which approves only with the uploaded 授权委托书', async () => {
  const uscc = newUscc();
  // A new unit needs the agency that decides.
  const noAgency = await registerCitizen(s, { kind: 'unit', uscc, unitName: '大冶新设有限公司', agencyCode: '' }).catch((e: Error) => e);
  assert.ok(noAgency instanceof Error && /UNIT_AGENCY_REQUIRED/.test(noAgency.message), String(noAgency));
  const unknown = await registerCitizen(s, { kind: 'unit', uscc, unitName: '大冶新设有限公司', agencyCode: 'nowhere' }).catch((e: Error) => e);
  assert.ok(unknown instanceof Error && /AGENCY_NOT_FOUND/.test(unknown.message), String(unknown));

  const reg = await registerCitizen(s, { kind: 'unit', uscc, unitName: '大冶新设有限公司', name: '首位经办', agencyCode: 'daye' });
  const c = reg.client;
  assert.equal((await c.get('/api/unit/employees')).body.error.code, 'UNIT_CLERK_NOT_APPROVED', 'registering first gains nothing');
  const mine = await myRequest(c);
  assert.equal(mine.request.reviewer, 'agency');
  assert.equal(mine.request.needsLetter, true);
  const id = mine.request.id as number;

  // Another agency's staff do not see it; its ids answer 404.
  assert.ok(!(await hcStaff.get('/api/staff/unit-clerk-requests')).body.items.some((r: { id: number }) => r.id === id));
  assert.equal((await hcStaff.post(`/api/staff/unit-clerk-requests/${id}/approve`, {})).body.error.code, 'UNIT_CLERK_REQUEST_NOT_FOUND');
  assert.equal((await hcStaff.get(`/api/unit-clerk-requests/${id}/letter`)).status, 404);
  // A reviewer is not the role for it.
  const reviewer = (await staffClient(s, { agency: 'daye', roles: ['reviewer'] })).client;
  assert.equal((await reviewer.get('/api/staff/unit-clerk-requests')).body.error.code, 'FORBIDDEN');

  // No letter yet: cannot be approved.
  let q = (await dyStaff.get('/api/staff/unit-clerk-requests')).body.items.find((r: { id: number }) => r.id === id);
  assert.deepEqual([q.hasLetter, q.canApprove, q.canReject, q.unitHasClerk], [false, false, true, false]);
  assert.equal((await dyStaff.post(`/api/staff/unit-clerk-requests/${id}/approve`, {})).body.error.code, 'UNIT_CLERK_LETTER_REQUIRED');

  // Bad files are refused with codes; a PNG then a PDF are taken (the last one counts).
  assert.equal((await uploadClerkLetter(c, 'x.pdf', Buffer.from('not a pdf'))).body.error.code, 'FILE_TYPE_NOT_ALLOWED');
  assert.equal((await uploadClerkLetter(c, 'x.pdf', Buffer.alloc(0))).status, 400);
  const big = Buffer.concat([PDF_BYTES, Buffer.alloc(10 * 1024 * 1024)]);
  const tooBig = await uploadClerkLetter(c, 'big.pdf', big);
  assert.equal(tooBig.status, 413);
  assert.equal(tooBig.body.error.code, 'FILE_TOO_LARGE');
  const notMultipart = await c.post('/api/unit/clerk-request/letter', {});
  assert.equal(notMultipart.body.error.code, 'UNSUPPORTED_MEDIA_TYPE');
  assert.equal((await uploadClerkLetter(c, '委托书.png', PNG_BYTES)).status, 201);
  assert.equal((await uploadClerkLetter(c, '授权委托书.pdf', PDF_BYTES)).status, 201);
  assert.equal((await myRequest(c)).request.letterName, '授权委托书.pdf');

  q = (await dyStaff.get('/api/staff/unit-clerk-requests')).body.items.find((r: { id: number }) => r.id === id);
  assert.deepEqual([q.hasLetter, q.canApprove, q.unitName], [true, true, '大冶新设有限公司']);
  const letter = await dyStaff.get(`/api/unit-clerk-requests/${id}/letter`);
  assert.equal(letter.status, 200);
  assert.equal(letter.headers.get('content-type'), 'application/pdf');
  assert.deepEqual(Buffer.from(letter.body), PDF_BYTES);
  const stranger = await registerCitizen(s);
  assert.equal((await stranger.client.get(`/api/unit-clerk-requests/${id}/letter`)).status, 404);

  const ok = await dyStaff.post(`/api/staff/unit-clerk-requests/${id}/approve`, {});
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal((await c.get('/api/unit/employees')).status, 200);
  assert.equal((await uploadClerkLetter(c)).body.error.code, 'UNIT_CLERK_REQUEST_NOT_FOUND', 'no pending request any more');
  const approved = (await dyStaff.get('/api/staff/unit-clerk-requests?status=approved')).body.items.find((r: { id: number }) => r.id === id);
  assert.equal(approved.canRevoke, true);
  assert.equal(approved.unitHasClerk, true);

  // A second registrant for the now-clerked unit, rejected by the agency with a reason.
  const second = await registerCitizen(s, { kind: 'unit', uscc, name: '第二位' });
  const sid = (await myRequest(second.client)).request.id as number;
  assert.equal((await dyStaff.post(`/api/staff/unit-clerk-requests/${sid}/reject`, {})).status, 400, 'a reason is required');
  const rj = await dyStaff.post(`/api/staff/unit-clerk-requests/${sid}/reject`, { reason: '授权委托书未盖章' });
  assert.equal(rj.status, 200, JSON.stringify(rj.body));
  const seen = await myRequest(second.client);
  assert.deepEqual([seen.status, seen.request.reason, seen.request.decidedBy], ['rejected', '授权委托书未盖章', 'agency']);
  assert.equal((await second.client.get('/api/unit/employees')).body.error.code, 'UNIT_CLERK_NOT_APPROVED');
  // Rejected: may ask again (a new pending request for the same unit), once.
  assert.equal(seen.request.canReapply, true);
  const again = await second.client.post('/api/unit/clerk-request', {});
  assert.equal(again.status, 201, JSON.stringify(again.body));
  assert.equal((await second.client.post('/api/unit/clerk-request', {})).body.error.code, 'UNIT_CLERK_REQUEST_DECIDED');
  const anew = await myRequest(second.client);
  assert.deepEqual([anew.status, anew.request.id, anew.request.reviewer, anew.request.canReapply], ['pending', again.body.id, 'clerk', false]);
  assert.equal((await second.client.get('/api/unit/employees')).body.error.code, 'UNIT_CLERK_NOT_APPROVED');

  // Agency staff may revoke even the last clerk (with a reason); the unit then has no clerk.
  assert.equal((await dyStaff.post(`/api/staff/unit-clerk-requests/${id}/revoke`, {})).status, 400);
  assert.equal((await dyStaff.post(`/api/staff/unit-clerk-requests/${id}/revoke`, { reason: '单位申请注销' })).status, 200);
  assert.equal((await c.get('/api/unit/employees')).body.error.code, 'UNIT_CLERK_NOT_APPROVED');

  assert.deepEqual(await auditActions(id), [
    'unit_clerk.requested',
    'unit_clerk.letter_uploaded',
    'unit_clerk.letter_uploaded',
    'unit_clerk.approved',
    'unit_clerk.revoked',
  ]);
  assert.deepEqual(await auditActions(sid), ['unit_clerk.requested', 'unit_clerk.rejected']);
});

test('ids of another unit answer 404; two approvals at the same instant: one wins', async () => {
  const ua = newUscc();
  const ub = newUscc();
  await seedUnit(s.dbh.db, { uscc: ua, name: '甲单位', agency: 'daye', avgWageFen: 500000 });
  await seedUnit(s.dbh.db, { uscc: ub, name: '乙单位', agency: 'daye', avgWageFen: 500000 });
  const clerkA = await registerUnitClerk(s, { uscc: ua });
  const clerkB = await registerUnitClerk(s, { uscc: ub });
  const clerkA2 = await registerUnitClerk(s, { uscc: ua, approver: clerkA.client });
  const wantsB = await registerCitizen(s, { kind: 'unit', uscc: ub });
  const idB = (await myRequest(wantsB.client)).request.id as number;
  for (const op of ['approve', 'reject', 'revoke'])
    assert.equal((await clerkA.client.post(`/api/unit/clerk-requests/${idB}/${op}`, {})).body.error.code, 'UNIT_CLERK_REQUEST_NOT_FOUND', op);
  assert.equal((await clerkA.client.post(`/api/unit/clerk-requests/${clerkB.requestId}/revoke`, {})).status, 404);
  assert.equal((await clerkA.client.get(`/api/unit-clerk-requests/${idB}/letter`)).body.error.code, 'UNIT_CLERK_REQUEST_NOT_FOUND');
  assert.equal((await clerkA.client.post('/api/unit/clerk-requests/999999/approve', {})).status, 404);

  // Two clerks of A and the agency approve the same request at once: exactly one wins.
  const wantsA = await registerCitizen(s, { kind: 'unit', uscc: ua });
  const idA = (await myRequest(wantsA.client)).request.id as number;
  assert.equal((await uploadClerkLetter(wantsA.client)).status, 201);
  const results = await Promise.all([
    clerkA.client.post(`/api/unit/clerk-requests/${idA}/approve`, {}),
    clerkA2.client.post(`/api/unit/clerk-requests/${idA}/approve`, {}),
    dyStaff.post(`/api/staff/unit-clerk-requests/${idA}/approve`, {}),
    clerkA2.client.post(`/api/unit/clerk-requests/${idA}/reject`, {}),
  ]);
  assert.deepEqual(results.map((r) => r.status).sort(), [200, 409, 409, 409], JSON.stringify(results.map((r) => r.body)));
  assert.ok(results.filter((r) => r.status === 409).every((r) => r.body.error.code === 'UNIT_CLERK_REQUEST_DECIDED'));
  const decided = (await auditActions(idA)).filter((x) => x !== 'unit_clerk.requested' && x !== 'unit_clerk.letter_uploaded');
  assert.equal(decided.length, 1, 'one decision recorded');
});
