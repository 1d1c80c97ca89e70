/**
 * /api/admin/* over HTTP on a real database: benefit-parameter and rule versions, 定点医药机构 with
 * 科室/医师, 待遇封锁期 — who may read and change them, Chinese field problems with stable codes,
 * and the registry history and audit entries each change writes.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { registerCitizen, staffClient, testIdNo, type Client } from '../../../test/client.ts';
import { seedPerson } from '../../../test/registry.ts';
import { sealAudit, verifyAudit } from '../audit/audit.ts';

let s: TestServer;
let fsAdmin: Client;
let fsReviewer: Client;
let dlAdmin: Client;
let today: string;

before(async () => {
  s = await startServer();
  fsAdmin = (await staffClient(s, { agency: 'fushun', roles: ['agency_admin'], name: '抚顺管理员' })).client;
  fsReviewer = (await staffClient(s, { agency: 'fushun', roles: ['reviewer'] })).client;
  dlAdmin = (await staffClient(s, { agency: 'dalian', roles: ['agency_admin'] })).client;
  today = (await fsAdmin.get('/api/admin/rules')).body.today;
});
after(async () => {
  await s.close();
});

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);
const paths = (body: { error: { details?: { path: string }[] } }) => (body.error.details ?? []).map((d) => d.path);
async function auditCount(action: string): Promise<number> {
  return (await s.dbh.db.selectFrom('audit_log').select('id').where('action', '=', action).execute()).length;
}

test('待遇参数: the version in force and its history; publishing is for the agency admin, dated today or later, with field problems in Chinese', async () => {
  const list = await fsAdmin.get('/api/admin/benefit-params');
  assert.equal(list.status, 200, JSON.stringify(list.body));
  assert.equal(list.body.agency, 'fushun');
  assert.equal(list.body.canPublish, true);
  const ma = list.body.benefits.find((b: { benefit: string }) => b.benefit === 'maternity_allowance');
  assert.equal(ma.inForce, 1);
  assert.equal(ma.versions[0].origin, 'file');
  assert.equal(ma.versions[0].publishedBy, null);
  assert.equal(ma.versions[0].state, 'in_force');
  const reimb = list.body.benefits.find((b: { benefit: string }) => b.benefit === 'reimbursement');
  assert.equal(reimb.versions[0].example, true, 'the example parameters say so');

  // A reviewer reads them (they check cases against them) but cannot publish; an acceptor cannot read;
  // another agency's admin cannot see them.
  const reviewerView = await fsReviewer.get('/api/admin/benefit-params');
  assert.equal(reviewerView.status, 200);
  assert.equal(reviewerView.body.canPublish, false);
  const body = {
    ...ma.versions[0].params,
    version: 2,
    effectiveFrom: today,
    source: '抚顺市医疗保障局生育津贴计发天数通知（测试）',
    days: { natural: 98, caesarean: 113 },
  };
  const refused = await fsReviewer.post('/api/admin/benefit-params', body);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error.code, 'FORBIDDEN');
  const acceptor = (await staffClient(s, { agency: 'fushun', roles: ['acceptor'] })).client;
  assert.equal((await acceptor.get('/api/admin/benefit-params')).status, 403);
  const other = await dlAdmin.get('/api/admin/benefit-params?agency=fushun');
  assert.equal(other.status, 403);
  assert.equal(other.body.error.code, 'FORBIDDEN');

  // Field problems with stable codes.
  const past = await fsAdmin.post('/api/admin/benefit-params', { ...body, effectiveFrom: addDays(today, -1) });
  assert.equal(past.status, 400);
  assert.equal(past.body.error.code, 'EFFECTIVE_DATE_PAST');
  assert.deepEqual(paths(past.body), ['effectiveFrom']);
  const bad = await fsAdmin.post('/api/admin/benefit-params', { ...body, days: { natural: -1 } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'VALIDATION_FAILED');
  assert.deepEqual(paths(bad.body), ['days.natural']);
  assert.match(bad.body.error.details[0].message, /[\u4e00-\u9fa5]/, 'the message is Chinese');
  const stale = await fsAdmin.post('/api/admin/benefit-params', { ...body, version: 1 });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.code, 'VERSION_NOT_NEWER');
  const example = await fsAdmin.post('/api/admin/benefit-params', { ...body, example: true });
  assert.deepEqual(paths(example.body), ['example']);

  // A version from tomorrow waits; today's is in force at once, and says who published it.
  const later = await fsAdmin.post('/api/admin/benefit-params', { ...body, effectiveFrom: addDays(today, 30) });
  assert.equal(later.status, 201, JSON.stringify(later.body));
  let ma2 = (await fsAdmin.get('/api/admin/benefit-params')).body.benefits.find((b: { benefit: string }) => b.benefit === 'maternity_allowance');
  assert.equal(ma2.inForce, 1);
  assert.equal(ma2.versions[0].state, 'scheduled');
  const now = await fsAdmin.post('/api/admin/benefit-params', { ...body, version: 3 });
  assert.equal(now.status, 201, JSON.stringify(now.body));
  ma2 = (await fsAdmin.get('/api/admin/benefit-params')).body.benefits.find((b: { benefit: string }) => b.benefit === 'maternity_allowance');
  assert.equal(ma2.inForce, 3);
  assert.deepEqual(
    ma2.versions.map((x: { version: number; state: string }) => `${x.version}:${x.state}`),
    ['3:in_force', '2:scheduled', '1:superseded'],
  );
  assert.match(ma2.versions[0].publishedBy, /抚顺管理员/);
  assert.equal(ma2.versions[0].origin, 'admin');
  assert.equal(await auditCount('benefit_params.publish'), 2);

  // A system admin acts for any agency.
  const sys = (await staffClient(s, { agency: 'dalian', roles: ['sysadmin'] })).client;
  const sysView = await sys.get('/api/admin/benefit-params?agency=fushun');
  assert.equal(sysView.status, 200);
  assert.equal(sysView.body.agency, 'fushun');
  assert.equal(sysView.body.canPublish, true);
});

test('规则版本: list and versions; a new version is checked like the data files, dated today or later, audited, and used by the next evaluation', async () => {
  const list = await fsAdmin.get('/api/admin/rules');
  assert.equal(list.status, 200);
  const jb08 = list.body.items.find((r: { code: string }) => r.code === 'FS-JB-08');
  assert.equal(jb08.inForce, 1);
  assert.equal(jb08.kind, 'prohibition');
  assert.deepEqual(jb08.items, ['FS-18']);
  const detail = await fsAdmin.get('/api/admin/rules/FS-JB-08');
  assert.equal(detail.status, 200);
  assert.equal(detail.body.versions.length, 1);
  assert.equal(detail.body.versions[0].sourceFile, 'data/rules/fushun.yaml');
  assert.match(detail.body.versions[0].yaml, /^code: FS-JB-08$/m);

  // Permissions: another agency has no such rule and may not look at 抚顺's; a reviewer cannot publish.
  assert.equal((await dlAdmin.get('/api/admin/rules/FS-JB-08')).body.error.code, 'RULE_NOT_FOUND');
  assert.equal((await dlAdmin.get('/api/admin/rules?agency=fushun')).status, 403);
  const v2 = detail.body.versions[0].yaml
    .replace(/^version: 1$/m, 'version: 2')
    .replace(/^effectiveFrom: .*$/m, `effectiveFrom: "${today}"`)
    .replace(/^reason: .*$/m, 'reason: 您处于医保待遇封锁期（至{lockout.until}），封锁期内不能办理住院费用报销（第2版）。');
  assert.equal((await fsReviewer.post('/api/admin/rules/FS-JB-08/versions', { text: v2 })).status, 403);

  // Invalid input, each with its stable code and the field or line it concerns.
  const syntax = await fsAdmin.post('/api/admin/rules/FS-JB-08/versions', { text: 'code: FS-JB-08\nversion: 2\nversion: 3\n' });
  assert.equal(syntax.status, 400);
  assert.equal(syntax.body.error.code, 'RULE_TEXT_INVALID');
  assert.match(syntax.body.error.message, /第 3 行/);
  assert.match(syntax.body.error.message, /键名重复/);
  const fact = await fsAdmin.post('/api/admin/rules/FS-JB-08/versions', { text: v2.replace('fact: lockout.active', 'fact: lockout.activ') });
  assert.equal(fact.body.error.code, 'VALIDATION_FAILED');
  assert.ok(
    paths(fact.body).some((p) => p.startsWith('require')),
    JSON.stringify(fact.body),
  );
  assert.match(fact.body.error.message, /未知事实 lockout\.activ/);
  const stale = await fsAdmin.post('/api/admin/rules/FS-JB-08/versions', { text: v2.replace('version: 2', 'version: 1') });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.code, 'VERSION_NOT_NEWER');
  const past = await fsAdmin.post('/api/admin/rules/FS-JB-08/versions', { text: v2.replace(today, addDays(today, -1)) });
  assert.equal(past.body.error.code, 'EFFECTIVE_DATE_PAST');
  const wrongCode = await fsAdmin.post('/api/admin/rules/FS-JB-08/versions', { text: v2.replace('code: FS-JB-08', 'code: FS-JB-09') });
  assert.deepEqual(paths(wrongCode.body), ['code']);
  const unknownItem = await fsAdmin.post('/api/admin/rules/FS-JB-08/versions', { text: v2.replace(/- FS-18/, '- FS-99') });
  assert.equal(unknownItem.body.error.code, 'VALIDATION_FAILED');
  assert.match(unknownItem.body.error.message, /未知事项 FS-99/);
  const kind = await fsAdmin.post('/api/admin/rules/FS-JB-08/versions', { text: v2.replace('kind: prohibition', 'kind: eligibility') });
  assert.match(kind.body.error.message, /kind 不一致/);
  const notObject = await fsAdmin.post('/api/admin/rules/FS-JB-08/versions', { text: '- a\n- b\n' });
  assert.equal(notObject.body.error.code, 'RULE_TEXT_INVALID');
  const empty = await fsAdmin.post('/api/admin/rules/FS-JB-08/versions', { text: '' });
  assert.equal(empty.body.error.code, 'VALIDATION_FAILED');
  assert.deepEqual(paths(empty.body), ['text']);

  // A dry run checks and saves nothing; JSON is accepted as well as YAML.
  const dry = await fsAdmin.post('/api/admin/rules/FS-JB-08/versions', { text: v2, dryRun: true });
  assert.equal(dry.status, 200, JSON.stringify(dry.body));
  assert.equal(dry.body.dryRun, true);
  assert.equal((await fsAdmin.get('/api/admin/rules/FS-JB-08')).body.versions.length, 1);

  // A person in a lock-out, evaluated before and after the new version.
  const c = await registerCitizen(s, { name: '孟涛', idNo: testIdNo('210402', '19750505') });
  const pid = await seedPerson(s.dbh.db, { idNo: c.idNo, name: '孟涛', agency: 'fushun', enrol: [{ type: 'employee', start: '2018-01-01' }] });
  await s.dbh.db
    .insertInto('lockouts')
    .values({ person_id: pid, agency_code: 'fushun', from_date: addDays(today, -5), to_date: addDays(today, 60), reason: '测试' })
    .execute();
  const before1 = (await c.client.post('/api/agencies/fushun/items/FS-18/precheck', { answers: {} })).body.results.find(
    (r: { code: string }) => r.code === 'FS-JB-08',
  );
  assert.equal(before1.passed, false);
  assert.doesNotMatch(before1.reason, /第2版/);

  const docJson = JSON.stringify({
    ...detail.body.versions[0].doc,
    version: 2,
    effectiveFrom: today,
    reason: '您处于医保待遇封锁期（至{lockout.until}），封锁期内不能办理住院费用报销（第2版）。',
  });
  const ok = await fsAdmin.post('/api/admin/rules/FS-JB-08/versions', { text: docJson });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.deepEqual(ok.body, { code: 'FS-JB-08', version: 2, effectiveFrom: today, dryRun: false });
  const after2 = await fsAdmin.get('/api/admin/rules/FS-JB-08');
  assert.deepEqual(
    after2.body.versions.map((x: { version: number; state: string; origin: string }) => `${x.version}:${x.state}:${x.origin}`),
    ['2:in_force:admin', '1:superseded:file'],
  );
  assert.match(after2.body.versions[0].publishedBy, /抚顺管理员/);
  assert.equal(await auditCount('rule.publish'), 1);
  // Evaluations use the version in force on their day (cases do not pin rule versions): no deploy, no restart.
  const now2 = (await c.client.post('/api/agencies/fushun/items/FS-18/precheck', { answers: {} })).body.results.find(
    (r: { code: string }) => r.code === 'FS-JB-08',
  );
  assert.equal(now2.passed, false);
  assert.match(now2.reason, /第2版/);
  assert.match(now2.reason, new RegExp(addDays(today, 60)));
});

test('定点医药机构: codes checked against the type and the agency’s region; 科室/医师 备案 and 终止; history and audit', async () => {
  const code = 'H21040200123';
  const base = { code, name: '抚顺市测试医院', kind: 'hospital', agreementFrom: today, agreementTo: addDays(today, 365) };
  const badCode = await fsAdmin.post('/api/admin/institutions', { ...base, code: 'X123' });
  assert.equal(badCode.status, 400);
  assert.equal(badCode.body.error.code, 'INSTITUTION_CODE_INVALID');
  assert.deepEqual(paths(badCode.body), ['code']);
  const elsewhere = await fsAdmin.post('/api/admin/institutions', { ...base, code: 'H42028100123' });
  assert.equal(elsewhere.body.error.code, 'INSTITUTION_CODE_INVALID');
  assert.match(elsewhere.body.error.message, /不在本机构辖区/);
  const pharmacyAsHospital = await fsAdmin.post('/api/admin/institutions', { ...base, code: 'P21040200123' });
  assert.equal(pharmacyAsHospital.body.error.code, 'VALIDATION_FAILED');
  assert.deepEqual(paths(pharmacyAsHospital.body), ['kind']);
  const range = await fsAdmin.post('/api/admin/institutions', { ...base, agreementTo: addDays(today, -1) });
  assert.deepEqual(paths(range.body), ['agreementTo']);
  const missing = await fsAdmin.post('/api/admin/institutions', { ...base, name: ' ', agreementFrom: '2026-02-30' });
  assert.equal(missing.body.error.code, 'VALIDATION_FAILED');
  assert.deepEqual(paths(missing.body).sort(), ['agreementFrom', 'name']);
  assert.match(missing.body.error.message, /请填写机构名称/);
  assert.equal((await fsReviewer.post('/api/admin/institutions', base)).status, 403);

  const created = await fsAdmin.post('/api/admin/institutions', { ...base, code: code.toLowerCase() });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.code, code);
  assert.equal(created.body.agreementValid, true);
  assert.equal((await fsAdmin.post('/api/admin/institutions', base)).body.error.code, 'INSTITUTION_EXISTS');

  // Reviewers read the list; another agency neither lists nor opens it.
  const seen = await fsReviewer.get('/api/admin/institutions');
  assert.ok(seen.body.items.some((i: { code: string }) => i.code === code));
  assert.equal(seen.body.canEdit, false);
  assert.ok(!(await dlAdmin.get('/api/admin/institutions')).body.items.some((i: { code: string }) => i.code === code));
  assert.equal((await dlAdmin.get(`/api/admin/institutions/${code}`)).body.error.code, 'INSTITUTION_NOT_FOUND');
  assert.equal((await dlAdmin.put(`/api/admin/institutions/${code}`, { ...base, status: 'suspended' })).status, 404);

  const dept = await fsAdmin.post(`/api/admin/institutions/${code}/staff`, {
    kind: 'department',
    name: '心血管内科',
    code: 'A03.01',
    validFrom: today,
  });
  assert.equal(dept.status, 201, JSON.stringify(dept.body));
  const doc = await fsAdmin.post(`/api/admin/institutions/${code}/staff`, {
    kind: 'physician',
    name: '王医生',
    code: 'D210402000001',
    department: '心血管内科',
    title: '主治医师',
    validFrom: today,
  });
  assert.equal(doc.body.physicians, 1);
  assert.equal(doc.body.departments, 1);
  const physician = doc.body.staff.find((x: { kind: string }) => x.kind === 'physician');
  assert.equal(physician.title, '主治医师');
  const endPast = await fsAdmin.post(`/api/admin/institutions/${code}/staff/${physician.id}/end`, { validTo: addDays(today, -1) });
  assert.deepEqual(paths(endPast.body), ['validTo']);
  const ended = await fsAdmin.post(`/api/admin/institutions/${code}/staff/${physician.id}/end`, { validTo: today });
  assert.equal(ended.status, 200, JSON.stringify(ended.body));
  assert.equal(ended.body.staff.find((x: { id: number }) => x.id === physician.id).validTo, today);

  const suspended = await fsAdmin.put(`/api/admin/institutions/${code}`, { ...base, status: 'suspended' });
  assert.equal(suspended.status, 200, JSON.stringify(suspended.body));
  assert.equal(suspended.body.agreementValid, false);

  const hist = await s.dbh.db
    .selectFrom('registry_history')
    .selectAll()
    .where('entity', 'in', ['institution', 'institution_staff'])
    .orderBy('id')
    .execute();
  assert.deepEqual(
    hist.map((h) => h.entity),
    ['institution', 'institution_staff', 'institution_staff', 'institution_staff', 'institution'],
  );
  const last = hist.at(-1)!.change as { before: { status: string }; after: { status: string } };
  assert.equal(last.before.status, 'active');
  assert.equal(last.after.status, 'suspended');
  assert.match(hist[0]!.actor_label, /抚顺管理员/);
  for (const a of ['institution.create', 'institution.update', 'institution_staff.add', 'institution_staff.end'])
    assert.ok((await auditCount(a)) >= 1, `${a} audited`);

  // A system admin registers one for another agency.
  const sys = (await staffClient(s, { agency: 'dalian', roles: ['sysadmin'] })).client;
  const dy = await sys.post('/api/admin/institutions?agency=daye', { ...base, code: 'P42028100007', name: '大冶测试药房', kind: 'pharmacy' });
  assert.equal(dy.status, 201, JSON.stringify(dy.body));
  assert.equal(dy.body.agency, 'daye');
});

test('待遇封锁期: entered and lifted only by the agency admin; 住院费用报销 is 禁办 while it runs; history and audit', async () => {
  const c = await registerCitizen(s, { name: '韩梅', idNo: testIdNo('210404', '19820202', 'F') });
  await seedPerson(s.dbh.db, { idNo: c.idNo, name: '韩梅', agency: 'fushun', enrol: [{ type: 'employee', start: '2019-01-01' }] });
  const fs18 = async () =>
    (await c.client.post('/api/agencies/fushun/items/FS-18/precheck', { answers: {} })).body.results.find(
      (r: { code: string }) => r.code === 'FS-JB-08',
    );
  assert.equal((await fs18()).passed, true);

  const to = addDays(today, 90);
  const body = { idNo: c.idNo, from: today, to, reason: '骗取医保基金，暂停结算' };
  assert.equal((await fsReviewer.post('/api/admin/lockouts', body)).status, 403);
  const badId = await fsAdmin.post('/api/admin/lockouts', { ...body, idNo: '210404198202020000' });
  assert.equal(badId.body.error.code, 'ID_NO_INVALID');
  assert.deepEqual(paths(badId.body), ['idNo']);
  const stranger = await fsAdmin.post('/api/admin/lockouts', { ...body, idNo: testIdNo('210404', '19900101') });
  assert.equal(stranger.status, 422);
  assert.equal(stranger.body.error.code, 'PERSON_NOT_IN_REGISTRY');
  const notHere = await dlAdmin.post('/api/admin/lockouts', body);
  assert.equal(notHere.body.error.code, 'PERSON_NOT_IN_REGISTRY', 'not enrolled with 大连');
  const backwards = await fsAdmin.post('/api/admin/lockouts', { ...body, to: addDays(today, -3), from: addDays(today, -1) });
  assert.deepEqual(paths(backwards.body), ['to']);
  const noReason = await fsAdmin.post('/api/admin/lockouts', { ...body, reason: '' });
  assert.deepEqual(paths(noReason.body), ['reason']);
  assert.match(noReason.body.error.details[0].message, /请填写封锁原因/);

  const made = await fsAdmin.post('/api/admin/lockouts', body);
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(made.body.status, 'active');
  assert.equal(made.body.canLift, true);
  assert.match(made.body.createdBy, /抚顺管理员/);
  assert.ok(!made.body.idNoMasked.includes(c.idNo.slice(6, 14)), 'the 公民身份号码 is masked');
  const overlap = await fsAdmin.post('/api/admin/lockouts', { ...body, from: addDays(today, 30), to: addDays(today, 120) });
  assert.equal(overlap.status, 409);
  assert.equal(overlap.body.error.code, 'LOCKOUT_OVERLAP');

  const refused = await fs18();
  assert.equal(refused.passed, false);
  assert.match(refused.reason, /封锁期/);
  assert.match(refused.reason, new RegExp(to));

  // Reading: the agency's staff see it; another agency's admin neither sees nor lifts it.
  const listed = await fsReviewer.get(`/api/admin/lockouts?idNo=${c.idNo}`);
  assert.equal(listed.body.items.length, 1);
  assert.equal(listed.body.items[0].canLift, false);
  assert.equal((await dlAdmin.get('/api/admin/lockouts')).body.items.filter((l: { id: number }) => l.id === made.body.id).length, 0);
  assert.equal((await dlAdmin.get('/api/admin/lockouts?agency=fushun')).status, 403);
  assert.equal((await dlAdmin.post(`/api/admin/lockouts/${made.body.id}/lift`, { on: today, reason: '误登' })).body.error.code, 'LOCKOUT_NOT_FOUND');
  assert.equal((await c.client.get('/api/admin/lockouts')).status, 403, 'citizens have no admin pages');

  // Lifting early: not in the past; from today the rule passes again; the original end is kept.
  const liftPast = await fsAdmin.post(`/api/admin/lockouts/${made.body.id}/lift`, { on: addDays(today, -1), reason: '复核撤销' });
  assert.deepEqual(paths(liftPast.body), ['on']);
  const lifted = await fsAdmin.post(`/api/admin/lockouts/${made.body.id}/lift`, { on: today, reason: '复核撤销' });
  assert.equal(lifted.status, 200, JSON.stringify(lifted.body));
  assert.equal(lifted.body.status, 'lifted');
  assert.equal(lifted.body.to, to);
  assert.equal(lifted.body.lastDay, null, 'lifted on its first day: it never applied');
  assert.equal((await fs18()).passed, true);
  const again = await fsAdmin.post(`/api/admin/lockouts/${made.body.id}/lift`, { on: today, reason: '再次' });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'LOCKOUT_NOT_LIFTABLE');
  assert.equal((await fsAdmin.get('/api/admin/lockouts?status=lifted')).body.items.filter((l: { id: number }) => l.id === made.body.id).length, 1);

  const hist = await s.dbh.db
    .selectFrom('registry_history')
    .selectAll()
    .where('entity', '=', 'lockout')
    .where('entity_id', '=', String(made.body.id))
    .orderBy('id')
    .execute();
  assert.equal(hist.length, 2);
  assert.equal(hist[0]!.change.before, null);
  assert.deepEqual(hist[1]!.change.after, { from: today, to, liftedOn: today, liftReason: '复核撤销' });
  assert.ok(hist.every((h) => h.person_id !== null));
  assert.equal(await auditCount('lockout.create'), 1);
  assert.equal(await auditCount('lockout.lift'), 1);
  await sealAudit(s.dbh.db);
  assert.deepEqual(await verifyAudit(s.dbh.db).then((v) => [v.ok, v.pending]), [true, undefined], 'the audit chain still verifies');
});
