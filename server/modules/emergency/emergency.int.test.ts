/**
 * Emergency mode over HTTP on a real database: the example regime is loaded inactive; an admin
 * revises it and switches it on (validities extended with history), deferred items refuse new
 * applications, auto-pass items are completed at once and wait in the post-audit queue, the
 * contribution grace reaches the registry snapshot, and switching off stops it all.
 * The tests in this file run in order and share one server.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { PNG_BYTES, registerCitizen, staffClient, testIdNo, type Client } from '../../../test/client.ts';
import { seedPerson } from '../../../test/registry.ts';
import { addMonthsYm, arrearsMonths, continuousPaidMonths } from '../../../common/registry.ts';
import { chinaDate } from '../../platform/clock.ts';
import { snapshot } from '../registry/repository.ts';
import { addMonthsDate } from '../../../common/emergency.ts';
import { bookingRestrictions } from './regime.ts';
import { handlePeriodStart } from './service.ts';

let s: TestServer;
let admin: Client;
let supervisor: Client;
let reviewer: Client;
let clerk: Client;
let sdReviewer: Client;
let today: string;

const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

before(async () => {
  s = await startServer();
  today = chinaDate(s.clockNow());
  admin = (await staffClient(s, { agency: 'dalian', roles: ['agency_admin'], name: '大连管理员' })).client;
  supervisor = (await staffClient(s, { agency: 'dalian', roles: ['supervisor'] })).client;
  reviewer = (await staffClient(s, { agency: 'dalian', roles: ['reviewer'], name: '大连审核员' })).client;
  clerk = (await staffClient(s, { agency: 'dalian', roles: ['acceptor'] })).client;
  sdReviewer = (await staffClient(s, { agency: 'shandong', roles: ['reviewer', 'agency_admin'] })).client;
});
after(async () => {
  await s?.close();
});

async function auditActions(prefix: string): Promise<string[]> {
  const rows = await s.dbh.db.selectFrom('audit_log').select('action').where('action', 'like', `${prefix}%`).orderBy('id').execute();
  return rows.map((r) => r.action);
}

/** A 大连 retired employee (eligible for 异地安置) with a citizen account. */
async function retiree(name: string, employment: 'retired' | 'employed' = 'retired') {
  const c = await registerCitizen(s, { name, idNo: testIdNo('210202', '19560101') });
  const pid = await seedPerson(s.dbh.db, { idNo: c.idNo, name, agency: 'dalian', enrol: [{ type: 'employee', start: '2000-01-01' }] });
  // seedPerson does not write the enrolment's 人员类别; the registry holds it.
  await s.dbh.db.updateTable('enrolments').set({ employment }).where('person_id', '=', pid).execute();
  return c;
}

/** A DL-01 application with every needed material, submitted; returns the case after submission. */
async function applyResettle(c: Client) {
  const d = await c.post('/api/cases', { agencyCode: 'dalian', itemCode: 'DL-01', answers: { applicantType: 'insured', student: 'no' } });
  assert.equal(d.status, 201, JSON.stringify(d.body));
  for (const m of d.body.form.materials.filter((x: { applies: string }) => x.applies === 'yes'))
    assert.equal((await c.upload(d.body.id, m.index, `m${m.index}.png`, PNG_BYTES)).status, 201);
  const sub = await c.post(`/api/cases/${d.body.id}/submit`);
  assert.equal(sub.status, 200, JSON.stringify(sub.body));
  return sub.body;
}

let draftBefore: number;
let regime: any;

test('the example regimes are loaded inactive: the site shows nothing, the admin sees 大连’s 2020 measures', async () => {
  const pub = await s.get<any>('/api/agencies/dalian/emergency');
  assert.equal(pub.status, 200);
  assert.deepEqual([pub.body.active, pub.body.regime], [false, null]);
  assert.equal((await s.get<any>('/api/agencies/beijing/emergency')).status, 400);
  const docs = await s.get<any>('/api/docs/json');
  for (const path of ['/api/agencies/{code}/emergency', '/api/admin/emergency', '/api/admin/emergency/on', '/api/staff/post-audits'])
    assert.ok(docs.body.paths[path], `${path} is in the OpenAPI document`);
  const v = await admin.get('/api/admin/emergency');
  assert.equal(v.status, 200, JSON.stringify(v.body));
  assert.equal(v.body.current, null);
  assert.equal(v.body.regimes.length, 1);
  regime = v.body.regimes[0].doc;
  assert.deepEqual([regime.code, v.body.regimes[0].version], ['covid-2020', 1]);
  assert.equal(v.body.regimes[0].versions[0].source, 'data/emergency/dalian.yaml');
  assert.ok(regime.measures.some((m: any) => m.kind === 'auto_pass' && /透析/.test(m.title)));
  assert.equal(v.body.items.length, 14);
  assert.equal(v.body.can.manage, true);
  // 山东's admin sees 山东's regime only.
  const sd = await sdReviewer.get('/api/admin/emergency');
  assert.deepEqual(
    sd.body.regimes.map((r: any) => r.doc.source.docNo),
    ['鲁医保中心函〔2020〕3号'],
  );
  // A draft started before the regime: its submission will be refused once DL-13 is deferred.
  const early = await registerCitizen(s, { name: '早申请', idNo: testIdNo('210202', '19700101') });
  const d = await early.client.post('/api/cases', { agencyCode: 'dalian', itemCode: 'DL-13', answers: { employment: 'flexible' } });
  assert.equal(d.status, 201);
  draftBefore = d.body.id;
  for (const m of d.body.form.materials.filter((x: { applies: string }) => x.applies === 'yes'))
    await early.client.upload(d.body.id, m.index, `m${m.index}.png`, PNG_BYTES);
  (globalThis as any).early = early;
});

test('permissions: only the agency admin manages; supervisors look; others are refused', async () => {
  const citizen = await registerCitizen(s, { name: '路人' });
  assert.equal((await citizen.client.get('/api/admin/emergency')).status, 403);
  assert.equal((await s.get<any>('/api/admin/emergency')).status, 401);
  assert.equal((await reviewer.get('/api/admin/emergency')).status, 403);
  const sup = await supervisor.get('/api/admin/emergency');
  assert.equal(sup.status, 200);
  assert.equal(sup.body.can.manage, false);
  const on = await supervisor.post('/api/admin/emergency/on', { regimeCode: 'covid-2020', startDate: today });
  assert.equal(on.status, 403);
  assert.equal(on.body.error.code, 'FORBIDDEN');
  assert.equal((await clerk.post('/api/admin/emergency/off', { note: 'x' })).status, 403);
  assert.equal((await reviewer.post('/api/admin/emergency/regimes/covid-2020/versions', { baseVersion: 1, note: 'x', doc: regime })).status, 403);
  assert.equal((await citizen.client.get('/api/staff/post-audits')).status, 403);
  assert.deepEqual(await auditActions('emergency.'), [], 'nothing happened');
});

test('the 2020 document cannot be switched on as it is: its extension date lies before the start', async () => {
  const on = await admin.post('/api/admin/emergency/on', { regimeCode: 'covid-2020', startDate: today });
  assert.equal(on.status, 422);
  assert.equal(on.body.error.code, 'EMERGENCY_REGIME_INVALID');
  assert.match(on.body.error.message, /延长截止日 2020-03-31 不晚于开始日期/);
  const bad = await admin.post('/api/admin/emergency/on', { regimeCode: 'covid-2020', startDate: '2026-02-30' });
  assert.equal(bad.status, 400);
  const none = await admin.post('/api/admin/emergency/on', { regimeCode: 'nope', startDate: today });
  assert.equal(none.status, 404);
  assert.equal(none.body.error.code, 'EMERGENCY_REGIME_NOT_FOUND');
});

const until = () => addDays(today, 90);

test('revisions: validated field by field, against the catalogue, based on the latest version, audited', async () => {
  const url = '/api/admin/emergency/regimes/covid-2020/versions';
  const edit = structuredClone(regime);
  const m = (id: string) => edit.measures.find((x: any) => x.id === id);
  m('agreement').until = '2026-13-01';
  m('deferred').items = ['DL-13', 'DL-99'];
  const bad = await admin.post(url, { baseVersion: 1, note: '修订', doc: edit });
  assert.equal(bad.status, 422);
  assert.equal(bad.body.error.code, 'EMERGENCY_REGIME_INVALID');
  assert.ok(
    bad.body.error.details.some((d: any) => d.path === 'measures.2.until'),
    JSON.stringify(bad.body.error.details),
  );
  m('agreement').until = until();
  const unknown = await admin.post(url, { baseVersion: 1, note: '修订', doc: edit });
  assert.equal(unknown.status, 422);
  assert.match(unknown.body.error.message, /DL-99 不在本机构现行事项清单中/);
  m('deferred').items = ['DL-13'];
  m('dialysis').items = ['DL-01'];
  const both = structuredClone(edit);
  both.measures.find((x: any) => x.id === 'dialysis').items = ['DL-13'];
  assert.match((await admin.post(url, { baseVersion: 1, note: '修订', doc: both })).body.error.message, /不能既暂缓办理又自动通过/);
  const moved = await admin.post(url, { baseVersion: 1, note: '修订', doc: { ...edit, agency: 'shandong' } });
  assert.equal(moved.status, 422);
  assert.equal((await admin.post(url, { baseVersion: 1, note: '', doc: edit })).status, 400, 'a note is required');
  const ok = await admin.post(url, { baseVersion: 1, note: '指定暂缓与自动通过的事项，协议延至三个月后', doc: edit });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
  assert.deepEqual(ok.body, { code: 'covid-2020', version: 2, appliedToPeriod: null, extended: 0 });
  const stale = await admin.post(url, { baseVersion: 1, note: '另一人的修改', doc: edit });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.code, 'EMERGENCY_REGIME_STALE');
  assert.deepEqual(await auditActions('emergency.'), ['emergency.revise']);
  const v = await admin.get('/api/admin/emergency');
  assert.deepEqual(
    v.body.regimes[0].versions.map((x: any) => [x.version, x.source]),
    [
      [2, 'admin'],
      [1, 'data/emergency/dalian.yaml'],
    ],
  );
});

let periodStart: string;

test('switching on: validity extensions with registry history, the public regime, one regime at a time', async () => {
  const db = s.dbh.db;
  // The regime is declared from the first day of last month (its arrears fall inside the period).
  periodStart = `${addMonthsYm(today.slice(0, 7), -1)}-01`;
  await db
    .insertInto('institutions')
    .values([
      {
        code: 'H21020200001',
        agency_code: 'dalian',
        name: '大连市测试医院',
        kind: 'hospital',
        agreement_from: '2024-01-01',
        agreement_to: addDays(today, 10),
      },
      {
        code: 'P21020200002',
        agency_code: 'dalian',
        name: '大连市测试药店',
        kind: 'pharmacy',
        agreement_from: '2024-01-01',
        agreement_to: addDays(today, -3),
      },
      {
        code: 'H21020200003',
        agency_code: 'dalian',
        name: '大连市已到期医院',
        kind: 'hospital',
        agreement_from: '2020-01-01',
        agreement_to: addDays(periodStart, -1),
      },
      {
        code: 'H21020200004',
        agency_code: 'dalian',
        name: '大连市长期医院',
        kind: 'hospital',
        agreement_from: '2024-01-01',
        agreement_to: addDays(today, 400),
      },
      {
        code: 'H42028100005',
        agency_code: 'daye',
        name: '大冶市测试医院',
        kind: 'hospital',
        agreement_from: '2024-01-01',
        agreement_to: addDays(today, 10),
      },
    ])
    .execute();
  assert.equal(
    (await admin.post('/api/admin/emergency/on', { regimeCode: 'covid-2020', startDate: '2020-01-24' })).status,
    400,
    'not more than a year back',
  );
  const on = await admin.post('/api/admin/emergency/on', { regimeCode: 'covid-2020', startDate: periodStart, note: '疫情防控' });
  assert.equal(on.status, 201, JSON.stringify(on.body));
  assert.equal(on.body.extended, 2);
  assert.deepEqual([on.body.period.status, on.body.period.version, on.body.period.startDate], ['active', 2, periodStart]);

  const agreements = Object.fromEntries(
    (await db.selectFrom('institutions').select(['code', 'agreement_to']).execute()).map((r) => [r.code, r.agreement_to]),
  );
  assert.equal(agreements.H21020200001, until(), 'ending in the period: extended');
  assert.equal(agreements.P21020200002, until(), 'lapsed during the period: extended');
  assert.equal(agreements.H21020200003, addDays(periodStart, -1), 'lapsed before the period: not extended');
  assert.equal(agreements.H21020200004, addDays(today, 400), 'ending after the new date: unchanged');
  assert.equal(agreements.H42028100005, addDays(today, 10), 'another agency: unchanged');
  const hist = await db.selectFrom('registry_history').selectAll().where('entity', '=', 'institution').orderBy('entity_id').execute();
  assert.deepEqual(
    hist.map((h) => [h.entity_id, (h.change as any).before.agreementTo, (h.change as any).after.agreementTo]),
    [
      ['H21020200001', addDays(today, 10), until()],
      ['P21020200002', addDays(today, -3), until()],
    ],
  );
  assert.match(hist[0]!.actor_label, /应急状态：延长定点医药机构协议有效期（大连管理员/);
  const v = await admin.get('/api/admin/emergency');
  assert.equal(v.body.current.status, 'active');
  assert.deepEqual(v.body.extensions.map((e: any) => e.entityId).sort(), ['H21020200001', 'P21020200002']);

  const pub = await s.get<any>('/api/agencies/dalian/emergency');
  assert.equal(pub.body.active, true);
  assert.equal(pub.body.regime.notice.title, '疫情防控期间“不见面”经办');
  assert.equal(pub.body.itemNames['DL-13'], '办理医疗保险死亡账户注销业务');
  assert.equal(pub.body.appointmentOnly.length, 13, 'every 大连 office admits by appointment only');
  assert.equal((await s.get<any>('/api/agencies/shandong/emergency')).body.active, false, 'other agencies unaffected');

  const br = await bookingRestrictions(db, 'dalian', addDays(today, 2));
  assert.deepEqual(
    br.deferredItems.map((d) => d.itemCode),
    ['DL-13'],
  );
  assert.equal(br.appointmentOnlyOffices.length, 13);
  assert.equal(br.appointmentOnlyOffices[0]!.minWorkingDaysAhead, 1);

  const again = await admin.post('/api/admin/emergency/on', { regimeCode: 'covid-2020', startDate: today });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'EMERGENCY_ALREADY_ON');
  assert.deepEqual(await auditActions('emergency.'), ['emergency.revise', 'emergency.on', 'emergency.extend']);
  // Staff are told.
  const told = await db.selectFrom('outbox').select('subject').where('channel', '=', 'inapp').where('subject', 'like', '应急状态已启用%').execute();
  assert.ok(told.length >= 4);
});

test('deferred items refuse new applications with the regime’s message; the window stays open', async () => {
  const citizen = await registerCitizen(s, { name: '王立', idNo: testIdNo('210202', '19800101') });
  const r = await citizen.client.post('/api/cases', { agencyCode: 'dalian', itemCode: 'DL-13', answers: {} });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'EMERGENCY_ITEM_DEFERRED');
  assert.match(r.body.error.message, /疫情防控期间本业务延期办理/);
  assert.match(r.body.error.message, /至少提前1个工作日通过预约电话/);
  const early = (globalThis as any).early;
  const sub = await early.client.post(`/api/cases/${draftBefore}/submit`);
  assert.equal(sub.status, 409, 'a draft started before the regime cannot be submitted during it');
  assert.equal(sub.body.error.code, 'EMERGENCY_ITEM_DEFERRED');
  assert.equal((await early.client.get(`/api/cases/${draftBefore}`)).body.status, 'draft');
  const answers = { applicantName: '王立', applicantIdNo: citizen.idNo, applicantPhone: citizen.mobile, employment: 'flexible' };
  const win = await clerk.post('/api/staff/cases', { itemCode: 'DL-13', channel: 'window', answers });
  assert.equal(win.status, 201, `window intake stays open: ${JSON.stringify(win.body)}`);
  const mail = await clerk.post('/api/staff/cases', { itemCode: 'DL-13', channel: 'email', answers });
  assert.equal(mail.status, 409);
  assert.equal(mail.body.error.code, 'EMERGENCY_ITEM_DEFERRED');
  // Items not deferred are unaffected.
  assert.equal((await citizen.client.post('/api/cases', { agencyCode: 'dalian', itemCode: 'DL-12', answers: {} })).status, 201);
  // No new hall bookings for a deferred item either; a booking for another purpose still goes through.
  const center = (
    await s.dbh.db.selectFrom('offices').select('id').where('agency_code', '=', 'dalian').where('code', '=', 'shizhongxin').executeTakeFirstOrThrow()
  ).id;
  const slots = (await s.get<any>(`/api/appointments/slots?office=${center}&business=general&from=${today}&days=14`)).body;
  const day = slots.days.find((d: { slots: { left: number }[] }) => d.slots.some((x) => x.left > 0));
  assert.ok(day, JSON.stringify(slots));
  const start = day.slots.find((x: { left: number }) => x.left > 0).start;
  const booking = { officeId: Number(center), business: 'general', date: day.date, start };
  const refused = await citizen.client.post('/api/appointments', { ...booking, itemCode: 'DL-13' });
  assert.equal(refused.body.error?.code, 'EMERGENCY_ITEM_DEFERRED', JSON.stringify(refused.body));
  assert.match(refused.body.error.message, /暂停新的预约/);
  assert.equal((await citizen.client.post('/api/appointments', booking)).status, 201);
});

let passedCase: number;

test('auto-pass: submitted, accepted and completed at once through the workflow, then in the post-audit queue', async () => {
  const c = await retiree('赵德明');
  const done = await applyResettle(c.client);
  passedCase = done.id;
  assert.equal(done.status, 'approved', JSON.stringify(done.events));
  const actions = done.events.map((e: any) => e.action);
  for (const a of ['submit', 'auto_accept', 'auto_approve', 'registry_update']) assert.ok(actions.includes(a), `${a} in ${actions}`);
  assert.match(done.events.find((e: any) => e.action === 'auto_accept').note, /简化透析审核方式/);
  assert.ok(done.documents.length >= 2, 'receipt and completion notices');
  const filings = await s.dbh.db
    .selectFrom('remote_filings')
    .innerJoin('persons', 'persons.id', 'remote_filings.person_id')
    .select(['kind', 'remote_filings.case_id'])
    .where('persons.id_no', '=', c.idNo)
    .execute();
  assert.deepEqual(
    filings.map((f) => [f.kind, Number(f.case_id)]),
    [['resettled', passedCase]],
  );
  const audit = await s.dbh.db
    .selectFrom('audit_log')
    .select(['action', 'actor_kind'])
    .where('subject_kind', '=', 'case')
    .where('subject_id', '=', String(passedCase))
    .orderBy('id')
    .execute();
  assert.deepEqual(
    audit.filter((a) => a.action !== 'case.view').map((a) => `${a.actor_kind}:${a.action}`),
    ['user:case.submit', 'system:case.auto_accept', 'system:case.auto_approve', 'system:emergency.auto_pass'],
  );

  const q = await reviewer.get('/api/staff/post-audits');
  assert.equal(q.status, 200);
  assert.deepEqual(
    q.body.items.map((i: any) => [i.caseId, i.status, i.itemCode, i.measureTitle]),
    [[passedCase, 'pending', 'DL-01', '简化透析审核方式']],
  );
  assert.equal(q.body.canDecide, true);
  assert.equal((await supervisor.get('/api/staff/post-audits')).body.canDecide, false);
  assert.equal((await sdReviewer.get('/api/staff/post-audits')).body.items.length, 0, '山东 sees none of 大连’s');
});

test('auto-pass needs the ordinary acceptance checks: an ineligible applicant goes to a clerk, with the reason on the timeline', async () => {
  const c = await retiree('钱在职', 'employed');
  const done = await applyResettle(c.client);
  assert.equal(done.status, 'submitted');
  const skipped = done.events.find((e: any) => e.action === 'auto_pass_skipped');
  assert.ok(skipped);
  assert.match(skipped.note, /不符合本事项的办理条件/);
  assert.equal((await reviewer.get('/api/staff/post-audits?status=all')).body.items.length, 1);
});

test('post-audit: a reviewer confirms or flags (with a reason) once; others may not', async () => {
  const q = await reviewer.get('/api/staff/post-audits');
  const id = q.body.items[0].id;
  assert.equal((await supervisor.post(`/api/staff/post-audits/${id}/decision`, { decision: 'confirm' })).status, 403);
  const other = await sdReviewer.post(`/api/staff/post-audits/${id}/decision`, { decision: 'confirm' });
  assert.equal(other.status, 404);
  assert.equal(other.body.error.code, 'POST_AUDIT_NOT_FOUND');
  assert.equal((await reviewer.post(`/api/staff/post-audits/${id}/decision`, { decision: 'flag' })).status, 400, 'a flag needs a reason');
  const flag = await reviewer.post(`/api/staff/post-audits/${id}/decision`, { decision: 'flag', note: '异地居住证明照片模糊，需联系参保人' });
  assert.equal(flag.status, 200, JSON.stringify(flag.body));
  const again = await reviewer.post(`/api/staff/post-audits/${id}/decision`, { decision: 'confirm' });
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'POST_AUDIT_DECIDED');
  const all = await reviewer.get('/api/staff/post-audits?status=flagged');
  assert.deepEqual(
    all.body.items.map((i: any) => [i.status, i.decidedBy, i.note]),
    [['flagged', '大连审核员（工作人员）', '异地居住证明照片模糊，需联系参保人']],
  );
  assert.deepEqual(all.body.counts, { flagged: 1 });
  const c = await reviewer.get(`/api/cases/${passedCase}`);
  assert.ok(c.body.events.some((e: any) => e.action === 'post_audit' && /存疑——异地居住证明照片模糊/.test(e.note)));
  assert.ok((await auditActions('emergency.post_audit')).includes('emergency.post_audit_flag'));
});

test('the contribution grace reaches the registry snapshot: arrears in the period are not arrears while it is on', async () => {
  const idNo = testIdNo('210202', '19850505');
  const lastMonth = addMonthsYm(today.slice(0, 7), -1);
  await seedPerson(s.dbh.db, {
    idNo,
    name: '孙欠费',
    agency: 'dalian',
    enrol: [{ type: 'employee', start: '2020-01-01', employment: 'employed' }],
    contributions: [{ type: 'employee', lastMonths: 12, clock: s.clock, baseYuan: 5000, unpaid: [lastMonth] }],
  });
  const snap = await snapshot(s.dbh.db, idNo, 'dalian', today);
  assert.equal(snap.graceWindows?.length, 1);
  assert.deepEqual([snap.graceWindows![0]!.from, snap.graceWindows![0]!.payBy], [periodStart.slice(0, 7), null]);
  const grace = { windows: snap.graceWindows!, asOf: today };
  assert.deepEqual(arrearsMonths(snap.contributions, 'employee', today.slice(0, 7), grace), []);
  assert.equal(continuousPaidMonths(snap.contributions, 'employee', today.slice(0, 7), grace), 12);
  assert.deepEqual(arrearsMonths(snap.contributions, 'employee', today.slice(0, 7)), [lastMonth], 'without the regime it is 欠费');
  (globalThis as any).graceIdNo = idNo;
});

test('switching off stops the effects at once; extended validities stay; the grace runs three months from today', async () => {
  const off = await admin.post('/api/admin/emergency/off', { note: '疫情解除' });
  assert.equal(off.status, 200, JSON.stringify(off.body));
  assert.deepEqual([off.body.period.status, off.body.period.offOn, off.body.period.lastDay], ['ended', today, today]);
  assert.equal((await admin.post('/api/admin/emergency/off', { note: '再关' })).body.error.code, 'EMERGENCY_NOT_ON');
  assert.equal((await s.get<any>('/api/agencies/dalian/emergency')).body.active, false);

  const citizen = await registerCitizen(s, { name: '李后来', idNo: testIdNo('210202', '19810101') });
  assert.equal((await citizen.client.post('/api/cases', { agencyCode: 'dalian', itemCode: 'DL-13', answers: {} })).status, 201, 'no longer deferred');
  const early = (globalThis as any).early;
  assert.equal((await early.client.post(`/api/cases/${draftBefore}/submit`)).body.status, 'submitted');
  const c = await retiree('周后来');
  const done = await applyResettle(c.client);
  assert.equal(done.status, 'submitted', 'no auto-pass: a clerk handles it');
  assert.ok(!done.events.some((e: any) => e.action === 'auto_pass_skipped'));
  const br = await bookingRestrictions(s.dbh.db, 'dalian', addDays(today, 2));
  assert.deepEqual([br.regime, br.deferredItems, br.appointmentOnlyOffices], [null, [], []]);

  const kept = await s.dbh.db.selectFrom('institutions').select('agreement_to').where('code', '=', 'H21020200001').executeTakeFirstOrThrow();
  assert.equal(kept.agreement_to, until(), 'extended validity stays as recorded');

  const snap = await snapshot(s.dbh.db, (globalThis as any).graceIdNo, 'dalian', today);
  assert.equal(snap.graceWindows![0]!.payBy, addMonthsDate(today, 3), 'payable until three months after the regime ended');
  assert.deepEqual(arrearsMonths(snap.contributions, 'employee', today.slice(0, 7), { windows: snap.graceWindows!, asOf: today }), []);

  const v = await admin.get('/api/admin/emergency');
  assert.equal(v.body.current, null);
  assert.equal(v.body.periods[0].offBy, '大连管理员（工作人员）');
  assert.deepEqual(await auditActions('emergency.o'), ['emergency.on', 'emergency.off']);
  // On again from today (the old period's last day in force was yesterday), then off: cancelled if before the start.
  const tomorrow = addDays(today, 1);
  const sched = await admin.post('/api/admin/emergency/on', { regimeCode: 'covid-2020', startDate: tomorrow });
  assert.equal(sched.status, 201, JSON.stringify(sched.body));
  assert.deepEqual([sched.body.period.status, sched.body.extended], ['scheduled', 0]);
  const job = await s.dbh.db
    .selectFrom('jobs')
    .select(['kind', 'run_at'])
    .where('dedupe_key', '=', `emergency-start:${sched.body.period.id}`)
    .executeTakeFirst();
  assert.equal(job?.kind, 'emergency.start');
  assert.equal((await s.get<any>('/api/agencies/dalian/emergency')).body.active, false, 'not yet in force');
  // On its first day the start job extends what ends from then on.
  await s.dbh.db
    .insertInto('institutions')
    .values({
      code: 'P21020200006',
      agency_code: 'dalian',
      name: '大连市新到期药店',
      kind: 'pharmacy',
      agreement_from: '2024-01-01',
      agreement_to: addDays(today, 20),
    })
    .execute();
  await s.dbh.db
    .transaction()
    .execute((trx) =>
      handlePeriodStart(
        { db: trx, now: new Date(s.clockNow().getTime() + 86400_000), today: tomorrow, actor: { kind: 'system', label: '应急状态启动' } },
        sched.body.period.id,
      ),
    );
  const p6 = await s.dbh.db.selectFrom('institutions').select('agreement_to').where('code', '=', 'P21020200006').executeTakeFirstOrThrow();
  assert.equal(p6.agreement_to, until());
  const cancel = await admin.post('/api/admin/emergency/off', { note: '取消' });
  assert.equal(cancel.body.period.status, 'cancelled');
});
