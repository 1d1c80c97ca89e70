/**
 * 参保人档案 over HTTP on a real database: who finds whom (an enrolment or a submitted case at the
 * staff member's agency; any person for a system admin; anyone else "not found"), the record as
 * the registry holds it, households and guardians with their checks (stable codes, Chinese field
 * problems), the registry history and audit entries each change writes, and 大连 DL-12 reading a
 * registered parent.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { Client, staffClient, testIdNo } from '../../../test/client.ts';
import { seedPerson } from '../../../test/registry.ts';
import { monthsAgo, testClockFrom, testToday } from '../../../test/clock.ts';
import { sealAudit, verifyAudit } from '../audit/audit.ts';
import { evaluateFor } from '../rules/service.ts';

let s: TestServer;
let dlClerk: Client;
let dlSupervisor: Client;
let fsClerk: Client;
let sysadmin: Client;
let today: string;

// 大连 persons: an insured adult with arrears and an account; an outside-户籍 child enrolled as a
// resident; a person known to 大连 only by a case; and a 抚顺-only person.
const ADULT = testIdNo('210202', '19850315');
const CHILD = testIdNo('110101', '20200501');
const CASE_ONLY = testIdNo('210203', '19700707');
const FUSHUN_ONLY = testIdNo('210402', '19800808');
const FATHER = testIdNo('110101', '19880808', 'M');
const MOTHER = testIdNo('210202', '19900909', 'F');
let adultId: number;
let childId: number;
let fushunOnlyId: number;

before(async () => {
  // DL-12's rule version 2 (it reads registered parents) is in force from 2026-11-24 (data/rules/dalian.yaml).
  s = await startServer({ clock: testClockFrom('2026-11-24T10:00:00+08:00') });
  dlClerk = (await staffClient(s, { agency: 'dalian', roles: ['acceptor'], name: '大连受理员甲' })).client;
  dlSupervisor = (await staffClient(s, { agency: 'dalian', roles: ['supervisor'] })).client;
  fsClerk = (await staffClient(s, { agency: 'fushun', roles: ['acceptor'] })).client;
  sysadmin = (await staffClient(s, { agency: 'fushun', roles: ['sysadmin'] })).client;
  today = testToday(s.clock);
  const db = s.dbh.db;
  adultId = await seedPerson(db, {
    idNo: ADULT,
    name: '周大海',
    agency: 'dalian',
    enrol: [{ type: 'employee', start: '2018-01-01', employment: 'employed' }],
    // 24 months up to last month, two of them unpaid (the older one breaks the run).
    contributions: [{ type: 'employee', lastMonths: 24, clock: s.clock, baseYuan: 6000, unpaid: [monthsAgo(10, s.clock), monthsAgo(20, s.clock)] }],
    accountYuan: 1234.5,
  });
  await db
    .insertInto('account_ledger')
    .values({
      person_id: adultId,
      agency_code: 'dalian',
      at: s.clockNow(),
      amount_fen: 12345,
      balance_after_fen: 123450,
      kind: 'credit',
      case_id: null,
      note: '划入',
    })
    .execute();
  childId = await seedPerson(db, { idNo: CHILD, name: '周小雨', agency: 'dalian', enrol: [{ type: 'resident', start: '2021-01-01' }] });
  await seedPerson(db, { idNo: CASE_ONLY, name: '刘某', agency: 'dalian' });
  fushunOnlyId = await seedPerson(db, { idNo: FUSHUN_ONLY, name: '韩冰', agency: 'fushun', enrol: [{ type: 'employee', start: '2015-01-01' }] });
  // 刘某 has no enrolment anywhere; 大连 staff registered a mailed-in case for him.
  const reg = await dlClerk.post('/api/staff/cases', {
    itemCode: 'DL-13',
    channel: 'post',
    answers: { applicantName: '刘某', applicantIdNo: CASE_ONLY, applicantPhone: '13912345678', employment: 'flexible' },
  });
  assert.equal(reg.status, 201, JSON.stringify(reg.body));
});
after(async () => {
  await s.close();
});

const paths = (body: { error: { details?: { path: string }[] } }) => (body.error.details ?? []).map((d) => d.path);
const auditRows = (action: string) =>
  s.dbh.db.selectFrom('audit_log').select(['subject_id', 'actor_label', 'agency_code', 'data']).where('action', '=', action).orderBy('id').execute();
const historyOf = (personId: number) => s.dbh.db.selectFrom('registry_history').selectAll().where('person_id', '=', personId).orderBy('id').execute();

test('search: by 公民身份号码 or by name (+ birth date), only persons with an enrolment or a case at the agency; every search audited', async () => {
  const byId = await dlClerk.get(`/api/staff/persons?idNo=${ADULT.toLowerCase()}`);
  assert.equal(byId.status, 200, JSON.stringify(byId.body));
  assert.equal(byId.body.by, 'idNo');
  assert.deepEqual(
    byId.body.items.map((h: { id: number; name: string; idNoMasked: string; enrolledHere: boolean }) => [h.id, h.name, h.idNoMasked, h.enrolledHere]),
    [[adultId, '周大海', `${ADULT.slice(0, 4)}**********${ADULT.slice(-4)}`, true]],
  );
  // Known by a case only (no enrolment anywhere).
  const caseOnly = await dlClerk.get(`/api/staff/persons?name=${encodeURIComponent('刘某')}`);
  assert.deepEqual(
    caseOnly.body.items.map((h: { name: string; enrolledHere: boolean }) => [h.name, h.enrolledHere]),
    [['刘某', false]],
  );
  const byBirth = await dlClerk.get(`/api/staff/persons?name=${encodeURIComponent('周大海')}&birthDate=1985-03-15`);
  assert.equal(byBirth.body.items.length, 1);
  assert.equal((await dlClerk.get(`/api/staff/persons?name=${encodeURIComponent('周大海')}&birthDate=1985-03-16`)).body.items.length, 0);

  // Another agency's staff cannot find a person only known to 大连 — by number, by name, or by opening the record.
  assert.deepEqual((await fsClerk.get(`/api/staff/persons?idNo=${ADULT}`)).body.items, []);
  assert.deepEqual((await fsClerk.get(`/api/staff/persons?name=${encodeURIComponent('周大海')}`)).body.items, []);
  assert.deepEqual((await dlClerk.get(`/api/staff/persons?idNo=${FUSHUN_ONLY}`)).body.items, []);
  const hidden = await fsClerk.get(`/api/staff/persons/${adultId}`);
  assert.equal(hidden.status, 404);
  assert.equal(hidden.body.error.code, 'PERSON_NOT_FOUND');
  assert.equal((await fsClerk.get(`/api/staff/persons/${fushunOnlyId}`)).status, 200);
  // A 抚顺 clerk may not act for 大连; a system admin finds anyone and may act for any agency.
  assert.equal((await fsClerk.get(`/api/staff/persons?idNo=${ADULT}&agency=dalian`)).body.error.code, 'FORBIDDEN');
  assert.equal((await sysadmin.get(`/api/staff/persons?idNo=${ADULT}`)).body.items.length, 1);
  const asDalian = await sysadmin.get(`/api/staff/persons/${adultId}?agency=dalian`);
  assert.equal(asDalian.status, 200);
  assert.equal(asDalian.body.account.balance, 1234.5);

  // Validation: a checked 公民身份号码, and something to search by — stable codes, Chinese field problems.
  const badId = await dlClerk.get(`/api/staff/persons?idNo=${ADULT.slice(0, 17)}${ADULT.endsWith('1') ? '2' : '1'}`);
  assert.equal(badId.status, 400);
  assert.equal(badId.body.error.code, 'ID_NO_INVALID');
  assert.deepEqual(paths(badId.body), ['idNo']);
  assert.match(badId.body.error.message, /校验位/);
  const none = await dlClerk.get('/api/staff/persons');
  assert.equal(none.status, 400);
  assert.equal(none.body.error.code, 'VALIDATION_FAILED');
  assert.deepEqual(paths(none.body), ['idNo']);
  assert.equal((await dlClerk.get('/api/staff/persons?name=x&birthDate=2020-02-30')).body.error.code, 'VALIDATION_FAILED');
  // Citizens and anonymous callers get nothing.
  assert.equal((await new Client(s.url).get(`/api/staff/persons?idNo=${ADULT}`)).status, 401);

  const audits = await auditRows('person.search');
  assert.ok(audits.length >= 8);
  const first = audits[0]!;
  assert.equal(first.agency_code, 'dalian');
  assert.equal(first.subject_id, String(adultId));
  assert.deepEqual(first.data, { by: 'idNo', idNo: `${ADULT.slice(0, 4)}**********${ADULT.slice(-4)}`, found: 1 });
});

test('the record: identity in full for staff, enrolments, contributions (continuous months, arrears), account with ledger lines; every view audited', async () => {
  const before = (await auditRows('person.view')).length;
  const r = await dlSupervisor.get(`/api/staff/persons/${adultId}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const rec = r.body;
  assert.equal(rec.canEdit, false, 'a supervisor reads but does not change');
  assert.equal(rec.person.idNo, ADULT);
  assert.equal(rec.person.birthDate, '1985-03-15');
  assert.equal(rec.person.hukouRegion, '210202');
  assert.deepEqual(
    rec.enrolments.map((e: { type: string; agencyCode: string; status: string; employment: string }) => [
      e.type,
      e.agencyCode,
      e.status,
      e.employment,
    ]),
    [['employee', 'dalian', 'active', 'employed']],
  );
  const c = rec.contributions[0];
  assert.equal(c.type, 'employee');
  assert.equal(c.continuousMonths, 9, 'the run since the last unpaid month');
  assert.equal(c.arrears.length, 2);
  assert.equal(c.paidMonths, 22);
  assert.equal(c.lastBase, 6000);
  assert.equal(rec.account.balance, 1234.5);
  assert.deepEqual(
    rec.account.ledger.map((l: { amount: number; balanceAfter: number; note: string }) => [l.amount, l.balanceAfter, l.note]),
    [[123.45, 1234.5, '划入']],
  );
  assert.equal(rec.household, null);
  assert.deepEqual(rec.guardians, []);
  const views = await auditRows('person.view');
  assert.equal(views.length, before + 1);
  assert.equal(views.at(-1)!.subject_id, String(adultId));
  assert.equal((await dlSupervisor.get('/api/staff/persons/999999')).body.error.code, 'PERSON_NOT_FOUND');
});

test('households: record one, add and remove members (registering a new person from the ID), change the address — each with history and audit', async () => {
  const created = await dlClerk.post(`/api/staff/persons/${childId}/household`, { address: '大连市中山区人民路1号' });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.household.address, '大连市中山区人民路1号');
  assert.deepEqual(
    created.body.household.members.map((m: { id: number; self: boolean }) => [m.id, m.self]),
    [[childId, true]],
  );
  const again = await dlClerk.post(`/api/staff/persons/${childId}/household`, { address: '另一个地址' });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'PERSON_IN_HOUSEHOLD');
  const empty = await dlClerk.post(`/api/staff/persons/${adultId}/household`, { address: '  ' });
  assert.equal(empty.body.error.code, 'VALIDATION_FAILED');
  assert.deepEqual(paths(empty.body), ['address']);

  // The father is not in the registry yet: registered from his number, with the 户籍 and 居住证 given.
  const add = await dlClerk.post(`/api/staff/persons/${childId}/household/members`, {
    idNo: FATHER,
    name: '周建国',
    hukouRegion: '110101',
    residencePermitRegion: '210202',
  });
  assert.equal(add.status, 201, JSON.stringify(add.body));
  const father = add.body.household.members.find((m: { name: string }) => m.name === '周建国');
  assert.equal(father.viewable, false, 'known to 大连 by no enrolment or case: named, not opened');
  assert.equal(father.idNo, `${FATHER.slice(0, 4)}**********${FATHER.slice(-4)}`);
  assert.equal(father.residencePermitRegion, '210202');
  // The adult (in scope) joins too, and is opened from the household.
  const adult = await dlClerk.post(`/api/staff/persons/${childId}/household/members`, { idNo: ADULT, name: '周大海' });
  assert.equal(adult.status, 201);
  assert.equal(adult.body.household.members.find((m: { id: number }) => m.id === adultId).viewable, true);
  const dup = await dlClerk.post(`/api/staff/persons/${childId}/household/members`, { idNo: ADULT, name: '周大海' });
  assert.equal(dup.body.error.code, 'PERSON_IN_HOUSEHOLD');
  const wrongName = await dlClerk.post(`/api/staff/persons/${childId}/household/members`, { idNo: FUSHUN_ONLY, name: '韩雪' });
  assert.equal(wrongName.status, 422);
  assert.equal(wrongName.body.error.code, 'PERSON_NAME_MISMATCH');
  assert.deepEqual(paths(wrongName.body), ['name']);
  const differs = await dlClerk.post(`/api/staff/persons/${childId}/household/members`, {
    idNo: FUSHUN_ONLY,
    name: '韩冰',
    residencePermitRegion: '210202',
  });
  assert.equal(differs.body.error.code, 'PERSON_RECORD_DIFFERS');
  assert.deepEqual(paths(differs.body), ['residencePermitRegion']);

  const moved = await dlClerk.put(`/api/staff/persons/${adultId}/household`, { address: '大连市中山区人民路2号' });
  assert.equal(moved.status, 200);
  const out = await dlClerk.post(`/api/staff/persons/${childId}/household/members/${adultId}/remove`, { reason: '分户' });
  assert.equal(out.status, 200, JSON.stringify(out.body));
  assert.deepEqual(
    out.body.household.members.map((m: { name: string }) => m.name),
    ['周建国', '周小雨'],
  );
  assert.equal(
    (await dlClerk.post(`/api/staff/persons/${childId}/household/members/${adultId}/remove`, { reason: '分户' })).body.error.code,
    'HOUSEHOLD_MEMBER_NOT_FOUND',
  );
  assert.deepEqual(paths((await dlClerk.post(`/api/staff/persons/${childId}/household/members/${adultId}/remove`, {})).body), ['reason']);
  assert.equal((await dlClerk.put(`/api/staff/persons/${adultId}/household`, { address: 'x' })).body.error.code, 'HOUSEHOLD_NOT_FOUND');

  // Read-only roles and other agencies change nothing.
  const ro = await dlSupervisor.post(`/api/staff/persons/${adultId}/household`, { address: '大连市' });
  assert.equal(ro.status, 403);
  assert.equal(ro.body.error.code, 'FORBIDDEN');
  assert.equal(
    (await fsClerk.post(`/api/staff/persons/${childId}/household/members`, { idNo: FUSHUN_ONLY, name: '韩冰' })).body.error.code,
    'PERSON_NOT_FOUND',
  );

  // The adult's history: joined, the address changed, left with the reason — by whom.
  const h = await historyOf(adultId);
  assert.deepEqual(
    h.filter((x) => x.entity === 'household').map((x) => x.change),
    [
      { before: { household: null }, after: { household: created.body.household.id, address: '大连市中山区人民路1号' } },
      { before: { address: '大连市中山区人民路1号' }, after: { address: '大连市中山区人民路2号' } },
      { before: { household: created.body.household.id, address: '大连市中山区人民路2号' }, after: { removed: true, reason: '分户' } },
    ],
  );
  assert.match(h.at(-1)!.actor_label, /大连受理员甲（dalian-acceptor-/);
  const fatherRow = await s.dbh.db.selectFrom('persons').selectAll().where('id_no', '=', FATHER).executeTakeFirstOrThrow();
  assert.equal(fatherRow.birth_date, '1988-08-08');
  assert.equal(fatherRow.sex, 'M');
  assert.equal((await historyOf(Number(fatherRow.id)))[0]!.entity, 'person', 'registering him is in his history');
  assert.deepEqual(
    (await auditRows('household.member_add')).map((a) => (a.data as { registered: boolean }).registered),
    [true, false],
  );
  assert.equal((await auditRows('household.create')).length, 1);
  assert.equal((await auditRows('household.update')).length, 1);
  assert.equal((await auditRows('household.member_remove')).length, 1);
});

test('guardians: checks with stable codes; a parent for a minor, a guardian for an adult declared 无民事行为能力; removal; history on both persons', async () => {
  const url = `/api/staff/persons/${childId}/guardians`;
  const ok = await dlClerk.post(url, { idNo: FATHER, name: '周建国', relation: 'parent' });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.deepEqual(
    ok.body.guardians.map((g: { name: string; relation: string; basis: string; viewable: boolean }) => [g.name, g.relation, g.basis, g.viewable]),
    [['周建国', 'parent', 'minor', false]],
  );
  const dup = await dlClerk.post(url, { idNo: FATHER, name: '周建国', relation: 'other' });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.error.code, 'GUARDIAN_EXISTS');
  const self = await dlClerk.post(url, { idNo: CHILD, name: '周小雨', relation: 'parent' });
  assert.equal(self.status, 422);
  assert.equal(self.body.error.code, 'GUARDIAN_SELF');
  assert.deepEqual(paths(self.body), ['idNo']);
  const minorGuardian = await dlClerk.post(url, { idNo: testIdNo('210202', '20150101'), name: '周小哥', relation: 'other' });
  assert.equal(minorGuardian.body.error.code, 'GUARDIAN_NOT_ELIGIBLE');
  assert.equal((await dlClerk.post(url, { idNo: 'ABC', name: '某', relation: 'parent' })).body.error.code, 'ID_NO_INVALID');
  const noRelation = await dlClerk.post(url, { idNo: MOTHER, name: '李芳' });
  assert.equal(noRelation.body.error.code, 'VALIDATION_FAILED');
  assert.deepEqual(paths(noRelation.body), ['relation']);
  assert.equal((await dlClerk.post(url, { idNo: MOTHER, name: '李芳', relation: 'parent' })).status, 201);
  const third = await dlClerk.post(url, { idNo: testIdNo('210202', '19700101'), name: '周某', relation: 'parent' });
  assert.equal(third.body.error.code, 'PARENTS_LIMIT');
  assert.deepEqual(paths(third.body), ['relation']);

  // An adult ward: only when marked 无民事行为能力, with the reason.
  const adultUrl = `/api/staff/persons/${adultId}/guardians`;
  const notMinor = await dlClerk.post(adultUrl, { idNo: MOTHER, name: '李芳', relation: 'other' });
  assert.equal(notMinor.status, 422);
  assert.equal(notMinor.body.error.code, 'WARD_NOT_MINOR');
  assert.deepEqual(paths(notMinor.body), ['incapacity']);
  const noReason = await dlClerk.post(adultUrl, { idNo: MOTHER, name: '李芳', relation: 'other', incapacity: true });
  assert.equal(noReason.body.error.code, 'VALIDATION_FAILED');
  assert.deepEqual(paths(noReason.body), ['incapacityReason']);
  const declared = await dlClerk.post(adultUrl, {
    idNo: MOTHER,
    name: '李芳',
    relation: 'other',
    incapacity: true,
    incapacityReason: '（2025）辽0202民特12号判决',
  });
  assert.equal(declared.status, 201, JSON.stringify(declared.body));
  assert.deepEqual(
    declared.body.guardians.map((g: { basis: string; basisReason: string }) => [g.basis, g.basisReason]),
    [['incapacity', '（2025）辽0202民特12号判决']],
  );
  // Read-only roles and other agencies change nothing.
  assert.equal((await dlSupervisor.post(adultUrl, { idNo: FATHER, name: '周建国', relation: 'other' })).status, 403);
  assert.equal((await fsClerk.post(url, { idNo: FUSHUN_ONLY, name: '韩冰', relation: 'other' })).body.error.code, 'PERSON_NOT_FOUND');

  // Removal needs a reason; the record and both histories show it.
  const removed = await dlClerk.post(`/api/staff/persons/${adultId}/guardians/${declared.body.guardians[0].id}/remove`, { reason: '判决撤销' });
  assert.equal(removed.status, 200, JSON.stringify(removed.body));
  assert.deepEqual(removed.body.guardians, []);
  assert.equal(
    (await dlClerk.post(`/api/staff/persons/${adultId}/guardians/${declared.body.guardians[0].id}/remove`, { reason: '再次' })).body.error.code,
    'GUARDIAN_NOT_FOUND',
  );
  const view = await dlClerk.get(`/api/staff/persons/${adultId}`);
  const lines = view.body.history.filter((h: { entity: string }) => h.entity === 'guardian');
  assert.deepEqual(
    lines.map((h: { entityLabel: string; summary: string }) => [h.entityLabel, h.summary.slice(0, 3)]),
    [
      ['监护关系', '解除：'],
      ['监护关系', '新增：'],
    ],
  );
  assert.match(lines[0].summary, /原因 判决撤销/);
  assert.match(lines[1].summary, /依据说明 （2025）辽0202民特12号判决/);
  assert.match(lines[0].actor, /大连受理员甲/);
  const motherRow = await s.dbh.db.selectFrom('persons').select('id').where('id_no', '=', MOTHER).executeTakeFirstOrThrow();
  const motherHistory = (await historyOf(Number(motherRow.id))).map((x) => x.entity);
  assert.deepEqual(motherHistory, ['person', 'guardian', 'guardian', 'guardian'], 'registered, guardian of the child, of the adult, released');
  // The child's record lists both parents; the mother's record (in scope? no enrolment or case) is not opened.
  const child = await dlClerk.get(`/api/staff/persons/${childId}`);
  assert.deepEqual(
    child.body.guardians.map((g: { name: string; relation: string }) => [g.name, g.relation]),
    [
      ['周建国', 'parent'],
      ['李芳', 'parent'],
    ],
  );
  assert.equal((await dlClerk.get(`/api/staff/persons/${motherRow.id}`)).body.error.code, 'PERSON_NOT_FOUND');
  assert.deepEqual(
    (await auditRows('guardian.add')).map((a) => a.subject_id),
    [String(childId), String(childId), String(adultId)],
  );
  assert.equal((await auditRows('guardian.remove')).length, 1);
  await sealAudit(s.dbh.db);
  assert.deepEqual(await verifyAudit(s.dbh.db).then((v) => [v.ok, v.pending]), [true, undefined], 'the audit chain still verifies');
});

test('大连 DL-12: a registered parent with a 大连 居住证 makes the outside-户籍 child eligible without the applicant’s answer', async () => {
  // The father (registered above) holds a 大连 residence permit.
  const e = await evaluateFor(s.dbh.db, { agency: 'dalian', itemCode: 'DL-12', idNo: CHILD, answers: { parentQualifies: 'no' }, asOf: today });
  const r = e.results.find((x) => x.code === 'DL-R-RESIDENT-NEW')!;
  assert.equal(r.version, 2);
  assert.equal(r.passed, true, r.reason);
  assert.equal(r.facts.find((f) => f.name === 'guardians.parentInRegion')?.value, true);
  // Without registered parents the answer decides.
  const other = testIdNo('110101', '20210101');
  await seedPerson(s.dbh.db, { idNo: other, name: '无父母登记', agency: 'dalian' });
  const e2 = await evaluateFor(s.dbh.db, { agency: 'dalian', itemCode: 'DL-12', idNo: other, answers: { parentQualifies: 'no' }, asOf: today });
  assert.equal(e2.results.find((x) => x.code === 'DL-R-RESIDENT-NEW')!.passed, false);
});
