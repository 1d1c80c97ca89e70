import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { enterAllowanceDays, seedPerson, seedUnit } from '../../../test/registry.ts';
import { confirmedByPrincipal, PDF_BYTES, PNG_BYTES, registerCitizen, staffClient, testIdNo, type Client } from '../../../test/client.ts';
import { daysAgo } from '../../../test/clock.ts';
import { draftCase, submittedCase } from '../../../test/factories.ts';

let s: TestServer;
let citizen: Awaited<ReturnType<typeof registerCitizen>>;
let other: Awaited<ReturnType<typeof registerCitizen>>;
let hcClerk: Client;
let hcReviewer: Client;
let dyClerk: Client;

before(async () => {
  s = await startServer();
  citizen = await registerCitizen(s, { name: '王芳', idNo: testIdNo('211381', '19930402', 'F') });
  // Her registry record: employee insurance in 海城 since 2024 with the last 34 months paid (生育津贴 needs 10 continuous months).
  const hcUnitId = await seedUnit(s.dbh.db, { uscc: '91210381MA0HC0001X', name: '海城测试有限公司', agency: 'haicheng', avgWageFen: 450000 });
  await seedPerson(s.dbh.db, {
    idNo: citizen.idNo,
    name: '王芳',
    agency: 'haicheng',
    enrol: [{ type: 'employee', start: '2024-01-01', employment: 'employed', unitId: hcUnitId }],
    contributions: [{ type: 'employee', lastMonths: 34, clock: s.clock, baseYuan: 5000 }],
  });
  // She gave birth 46 days before the server's today.
  HC24 = { delivery: 'natural', deliveryDate: daysAgo(46, s.clock), bankAccount: '6217002870012345678' };
  // 海城's seed gives no 生育津贴 days: the agency admin enters them before the benefit can be paid.
  await enterAllowanceDays(s.dbh.db, 'haicheng', { natural: 98, caesarean: 113 });
  other = await registerCitizen(s, { name: '赵六' });
  hcClerk = (await staffClient(s, { agency: 'haicheng', roles: ['acceptor'] })).client;
  hcReviewer = (await staffClient(s, { agency: 'haicheng', roles: ['reviewer'] })).client;
  dyClerk = (await staffClient(s, { agency: 'daye', roles: ['acceptor', 'reviewer', 'agency_admin'] })).client;
});
after(async () => {
  await s.close();
});

let HC24: Record<string, string>;

/** 王芳's 海城 生育津贴 draft with the two non-tolerable materials uploaded. */
async function draftWithFiles() {
  return (await draftCase({ server: s, citizen, item: 'HC-24', answers: HC24, materials: [0, 2] })).id;
}

test('a draft autosaves, checks files by content and limits, and resumes', async () => {
  const c = citizen.client;
  const d = await c.post('/api/cases', { agencyCode: 'haicheng', itemCode: 'HC-24' });
  assert.equal(d.body.status, 'draft');
  assert.equal(d.body.caseNo, null);
  assert.equal(d.body.answers.applicantName, '王芳');
  assert.ok(d.body.form.materials.some((m: { tolerable: boolean }) => m.tolerable));
  assert.equal(d.body.form.limits.maxFileBytes, 10 * 1024 * 1024);

  const saved = await c.put(`/api/cases/${d.body.id}/draft`, { answers: { note: '请尽快办理' }, lockVersion: d.body.lockVersion });
  assert.equal(saved.status, 200);
  assert.equal(saved.body.answers.note, '请尽快办理');
  const stale = await c.put(`/api/cases/${d.body.id}/draft`, { answers: { note: 'x' }, lockVersion: d.body.lockVersion });
  assert.equal(stale.body.error.code, 'STALE_CASE');

  const exe = await c.upload(d.body.id, 0, 'scan.pdf', Buffer.from('MZ\x90\x00 not a pdf'));
  assert.equal(exe.status, 415);
  assert.equal(exe.body.error.code, 'FILE_TYPE_NOT_ALLOWED');
  const big = await c.upload(d.body.id, 0, 'big.pdf', Buffer.concat([PDF_BYTES, Buffer.alloc(10 * 1024 * 1024)]));
  assert.equal(big.status, 413);
  assert.equal(big.body.error.code, 'FILE_TOO_LARGE');
  const png = await c.upload(d.body.id, 2, 'photo.pdf', PNG_BYTES); // named .pdf, is a PNG: content decides
  assert.equal(png.status, 201);
  assert.equal(png.body.mime, 'image/png');

  const again = await c.get(`/api/cases/${d.body.id}`);
  assert.equal(again.body.answers.note, '请尽快办理');
  assert.equal(again.body.materials.length, 1);
  const file = await c.get(`/api/cases/${d.body.id}/materials/${png.body.id}/file`);
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'image/png');
});

test('others cannot see, change or download a case: citizens, other agencies, anonymous', async () => {
  const id = await draftWithFiles();
  const mat = (await citizen.client.get(`/api/cases/${id}`)).body.materials[0].id;
  for (const [who, c] of [
    ['other citizen', other.client],
    ['other agency staff', dyClerk],
  ] as const) {
    assert.equal((await c.get(`/api/cases/${id}`)).status, 404, who);
    assert.equal((await c.get(`/api/cases/${id}/materials/${mat}/file`)).status, 404, who);
    assert.equal((await c.upload(id, 0, 'x.pdf', PDF_BYTES)).status, 404, who);
    assert.equal((await c.post(`/api/cases/${id}/actions/withdraw`, {})).status, 404, who);
  }
  assert.equal((await other.client.put(`/api/cases/${id}/draft`, { answers: { note: 'hack' } })).status, 404);
  const anon = await fetch(`${s.url}/api/cases/${id}`);
  assert.equal(anon.status, 401);
  const mine = await other.client.get('/api/cases/mine');
  assert.ok(!mine.body.items.some((x: { id: number }) => x.id === id));
  await citizen.client.post(`/api/cases/${id}/submit`);
  const q = await dyClerk.get('/api/staff/queue');
  assert.ok(!q.body.items.some((x: { id: number }) => x.id === id), 'Daye staff do not see Haicheng cases');
  const hq = await hcClerk.get('/api/staff/queue');
  assert.ok(hq.body.items.some((x: { id: number }) => x.id === id));
});

test('submission is idempotent and numbers cases per agency and day', async () => {
  const key = `k-${Date.now()}-abcdef`;
  const c = citizen.client;
  const a = await c.post('/api/cases', { agencyCode: 'shandong', itemCode: 'SD-05', submit: true, answers: {} }, { 'idempotency-key': key });
  assert.equal(a.status, 201, JSON.stringify(a.body));
  assert.equal(a.body.status, 'submitted');
  assert.match(a.body.caseNo, /^SD-\d{8}-\d{6}$/);
  const b = await c.post('/api/cases', { agencyCode: 'shandong', itemCode: 'SD-05', submit: true, answers: {} }, { 'idempotency-key': key });
  assert.equal(b.status, 200);
  assert.equal(b.body.id, a.body.id);
  assert.equal(b.body.caseNo, a.body.caseNo);
  const conflict = await c.post('/api/cases', { agencyCode: 'shandong', itemCode: 'SD-03', submit: true }, { 'idempotency-key': key });
  assert.equal(conflict.body.error.code, 'IDEMPOTENCY_CONFLICT');
  const resubmit = await c.post(`/api/cases/${a.body.id}/submit`);
  assert.equal(resubmit.body.caseNo, a.body.caseNo);
  const nums = await Promise.all(
    Array.from({ length: 8 }, () =>
      c.post('/api/cases', { agencyCode: 'shandong', itemCode: 'SD-05', submit: true }).then((r) => r.body.caseNo as string),
    ),
  );
  assert.equal(new Set(nums).size, 8);
});

test('submit reports every form problem and every missing material at once', async () => {
  const c = citizen.client;
  const d = await c.post('/api/cases', { agencyCode: 'haicheng', itemCode: 'HC-24', answers: { ...HC24, applicantPhone: '123' } });
  const r = await c.post(`/api/cases/${d.body.id}/submit`);
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'FORM_INVALID');
  assert.deepEqual(
    r.body.error.details.map((x: { field: string }) => x.field),
    ['applicantPhone'],
  );
  await c.put(`/api/cases/${d.body.id}/draft`, { answers: { applicantPhone: citizen.mobile } });
  const m = await c.post(`/api/cases/${d.body.id}/submit`);
  assert.equal(m.body.error.code, 'MATERIALS_MISSING');
  assert.equal(m.body.error.details.length, 2, 'both non-tolerable materials listed; the tolerable ID may come later');
});

test('海城: 补正 lists two materials at once, the applicant corrects online, the case is accepted and completed', async () => {
  const c = citizen.client;
  const { id, body: sub } = await submittedCase({ server: s, citizen, item: 'HC-24', answers: HC24, materials: [0, 2] });
  assert.equal(sub.status, 'submitted');
  assert.ok(sub.actions.some((a: { action: string }) => a.action === 'withdraw'));
  assert.ok(!sub.actions.some((a: { action: string }) => a.action === 'accept'), 'applicants are not offered staff actions');

  const staffView = await hcClerk.get(`/api/cases/${id}`);
  const acts = staffView.body.actions.map((a: { action: string }) => a.action);
  assert.ok(acts.includes('request_correction') && acts.includes('accept_tolerance') && !acts.includes('accept'));
  assert.deepEqual(staffView.body.applicant.idNo, citizen.idNo, 'staff see the full record (and the view is audited)');

  const noList = await hcClerk.post(`/api/cases/${id}/actions/request_correction`, {});
  assert.equal(noList.body.error.code, 'VALIDATION_FAILED');
  const corr = await hcClerk.post(`/api/cases/${id}/actions/request_correction`, {
    materials: [
      { index: 1, note: '请上传身份证正反面' },
      { index: 2, note: '病历缺出院记录页' },
    ],
    note: '请一并补正',
  });
  assert.equal(corr.status, 200, JSON.stringify(corr.body));
  assert.equal(corr.body.status, 'correction');
  assert.equal(corr.body.correction.materials.length, 2);
  assert.equal(corr.body.documents[0].title, '补正材料通知书');
  assert.equal(corr.body.clockState, 'idle', 'the clock has not started before acceptance');

  const mine = await c.get(`/api/cases/${id}`);
  assert.deepEqual(mine.body.actions.map((a: { action: string }) => a.action).sort(), ['resubmit', 'withdraw']);
  await c.upload(id, 1, 'id.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]));
  await c.upload(id, 2, 'record2.pdf', PDF_BYTES);
  const back = await c.post(`/api/cases/${id}/actions/resubmit`, {});
  assert.equal(back.body.status, 'submitted');

  const acc = await hcClerk.post(`/api/cases/${id}/actions/accept`, {
    facts: { checked: ['HC-JB-01', 'HC-JB-02', 'HC-JB-03', 'HC-JB-04'], found: [] },
  });
  assert.equal(acc.status, 400, 'HC-24 has no 禁办 situations; codes from another item are refused');
  const acc2 = await hcClerk.post(`/api/cases/${id}/actions/accept`, {});
  assert.equal(acc2.body.status, 'accepted', JSON.stringify(acc2.body));
  assert.equal(acc2.body.clockState, 'running');
  assert.ok(acc2.body.dueDate);
  assert.ok(acc2.body.documents.some((d: { title: string }) => d.title === '受理回执'));

  assert.equal((await hcClerk.post(`/api/cases/${id}/actions/start_review`, {})).body.error.code, 'FORBIDDEN');
  await hcReviewer.post(`/api/cases/${id}/actions/start_review`, {});
  const done = await hcReviewer.post(`/api/cases/${id}/actions/approve`, {});
  assert.equal(done.body.status, 'approved');
  assert.equal(done.body.clockState, 'stopped');
  const notice = done.body.documents.find((d: { title: string }) => d.title === '办结通知书');
  assert.ok(notice);
  const fileOf = async () =>
    (await s.dbh.db.selectFrom('documents').select('file_sha').where('id', '=', notice.id).executeTakeFirstOrThrow()).file_sha;
  assert.equal(await fileOf(), null, 'issued with its content frozen; the PDF is rendered on the first download');
  const pdf = await c.get(`/api/cases/${id}/documents/${notice.id}/pdf`);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  assert.equal(pdf.body.subarray(0, 5).toString(), '%PDF-');
  assert.match(pdf.body.toString('latin1'), /办结通知书|\/Title/);
  const sha = await fileOf();
  assert.ok(sha, 'the rendered PDF is stored');
  assert.deepEqual((await c.get(`/api/cases/${id}/documents/${notice.id}/pdf`)).body, pdf.body, 'later downloads serve the stored file');
  assert.equal(await fileOf(), sha);
  assert.equal((await other.client.get(`/api/cases/${id}/documents/${notice.id}/pdf`)).status, 404);

  const v = await fetch(`${s.url}/api/verify/${notice.verifyCode}`).then((r) => r.json());
  assert.equal(v.valid, true);
  assert.equal(v.title, '办结通知书');
  assert.equal(v.applicantMasked, '王*');
  assert.ok(!JSON.stringify(v).includes(citizen.idNo));
  const bad = await fetch(`${s.url}/api/verify/ABCD-EFGH-JKMN`);
  assert.equal(bad.status, 404);

  const timeline = done.body.events.map((e: { action: string }) => e.action);
  assert.deepEqual(timeline, [
    'create',
    'submit',
    'request_correction',
    'upload',
    'upload',
    'resubmit',
    'accept',
    'start_review',
    'approve',
    'registry_update',
  ]);
  // 4500 ÷ 30 × 98 days (the days the agency admin entered) = 14,700.00
  assert.equal(done.body.benefit.amount, 14700);
  assert.equal(done.body.benefit.paid, true);
  const clock = done.body.clockEvents.map((e: { kind: string }) => e.kind);
  assert.deepEqual(clock, ['start', 'stop']);
});

test('禁办: a found situation blocks acceptance and gives a coded refusal with appeal rights', async () => {
  // The applicant declares no 禁办 situation (the form asks); the acceptor finds one in the materials.
  const answers = { cause: 'none', location: 'domestic', gestationWeeks: '34' };
  const { id } = await submittedCase({ server: s, citizen, item: 'HC-21', answers, materials: [0, 1, 2, 3, 4] }); // asserts 'submitted'
  const blocked = await hcClerk.post(`/api/cases/${id}/actions/accept`, { facts: { checked: ['HC-JB-01', 'HC-JB-02'], found: ['HC-JB-02'] } });
  assert.equal(blocked.status, 409);
  assert.equal(blocked.body.error.code, 'GUARD_FAILED');
  const ref = await hcClerk.post(`/api/cases/${id}/actions/reject_prohibited`, {
    facts: { checked: ['HC-JB-01', 'HC-JB-02'], found: ['HC-JB-02'], note: '交通事故，第三人负担' },
  });
  assert.equal(ref.body.status, 'rejected');
  assert.deepEqual(ref.body.reasons, [{ code: 'HC-JB-02', text: '应当由第三人负担的' }]);
  assert.equal(ref.body.facts.note, '交通事故，第三人负担');
  assert.ok(ref.body.documents.some((d: { title: string }) => d.title === '不予受理通知书'));
});

test('FIFO: taking a case out of turn needs a reason and shows in the supervisor report', async () => {
  const first = await citizen.client.post('/api/cases', { agencyCode: 'shandong', itemCode: 'SD-05', submit: true });
  const second = await citizen.client.post('/api/cases', { agencyCode: 'shandong', itemCode: 'SD-05', submit: true });
  const sdClerk = (await staffClient(s, { agency: 'shandong', roles: ['acceptor'] })).client;
  const q = await sdClerk.get('/api/staff/queue?item=SD-05&unassigned=1');
  const ids = q.body.items.map((x: { id: number }) => x.id);
  assert.ok(ids.indexOf(first.body.id) < ids.indexOf(second.body.id), 'oldest first');
  const skip = await sdClerk.post(`/api/staff/cases/${second.body.id}/claim`, {});
  assert.equal(skip.body.error.code, 'OUT_OF_TURN_REASON_REQUIRED');
  const withReason = await sdClerk.post(`/api/staff/cases/${second.body.id}/claim`, { reason: '申请人病重，优先办理' });
  assert.equal(withReason.status, 200);
  assert.ok(withReason.body.assigneeName);
  const admin = (await staffClient(s, { agency: 'shandong', roles: ['supervisor'] })).client;
  const rep = await admin.get('/api/staff/out-of-turn');
  assert.ok(rep.body.items.some((x: { caseId: number; reason: string }) => x.caseId === second.body.id && x.reason === '申请人病重，优先办理'));
  assert.equal((await sdClerk.get('/api/staff/out-of-turn')).status, 403);
});

test('staff register a mailed-in case on the applicant’s behalf; the channel is recorded', async () => {
  const dl = (await staffClient(s, { agency: 'dalian', roles: ['acceptor'] })).client;
  const r = await dl.post('/api/staff/cases', {
    itemCode: 'DL-13',
    channel: 'post',
    receivedOn: daysAgo(3, s.clock),
    answers: { applicantName: '刘某', applicantIdNo: citizen.idNo, applicantPhone: '13912345678', employment: 'flexible' },
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.channel, 'post');
  assert.equal(r.body.channelLabel, '邮寄');
  assert.equal(r.body.status, 'submitted');
  assert.match(r.body.caseNo, /^DL-/);
  assert.match(r.body.events[0].note, /邮寄/);
  // The applicant has an account under that ID number: the case appears in their list.
  const mine = await citizen.client.get('/api/cases/mine');
  assert.ok(mine.body.items.some((x: { id: number }) => x.id === r.body.id));
  // The total comes with the page (a window count), and alone for a page past the end.
  const total = mine.body.total as number;
  assert.equal(mine.body.items.length, Math.min(total, 20));
  const one = await citizen.client.get('/api/cases/mine?pageSize=1&page=2');
  assert.deepEqual([one.body.items.length, one.body.total], [1, total]);
  const past = await citizen.client.get(`/api/cases/mine?pageSize=1&page=${total + 1}`);
  assert.deepEqual([past.body.items.length, past.body.total], [0, total]);
  const up = await dl.upload(r.body.id, 0, 'scan.pdf', PDF_BYTES);
  assert.equal(up.status, 201);
  assert.equal(up.body.phase, 'intake');
});

test('withdrawal by the applicant stops the case; staff cannot withdraw for them', async () => {
  const a = await citizen.client.post('/api/cases', { agencyCode: 'shandong', itemCode: 'SD-05', submit: true });
  const sdClerk = (await staffClient(s, { agency: 'shandong', roles: ['acceptor'] })).client;
  assert.equal((await sdClerk.post(`/api/cases/${a.body.id}/actions/withdraw`, {})).body.error.code, 'FORBIDDEN');
  const w = await citizen.client.post(`/api/cases/${a.body.id}/actions/withdraw`, {});
  assert.equal(w.body.status, 'withdrawn');
  assert.deepEqual(w.body.actions, []);
  assert.equal((await citizen.client.post(`/api/cases/${a.body.id}/actions/withdraw`, {})).body.error.code, 'TRANSITION_NOT_ALLOWED');
});

test('代办: an agent applies for someone else under a recorded authorisation', async () => {
  const agent = await registerCitizen(s, { kind: 'agent', name: '代办人钱' });
  const principalId = testIdNo('210283', '19500505');
  const bad = await agent.client.post('/api/authorisations', {
    principalName: '钱老伯',
    principalIdNo: principalId,
    relation: '子女',
    scope: '生育津贴',
    validUntil: '2020-01-01',
  });
  assert.equal(bad.body.error.code, 'AUTHORISATION_INVALID');
  const auth = await agent.client.post('/api/authorisations', {
    principalName: '钱老伯',
    principalIdNo: principalId,
    relation: '子女',
    scope: '医保业务',
    validUntil: '2099-12-31',
  });
  assert.equal(auth.status, 201);
  await confirmedByPrincipal(s, auth.body.id);
  const d = await agent.client.post('/api/cases', { agencyCode: 'haicheng', itemCode: 'HC-24', authorisationId: auth.body.id });
  assert.equal(d.status, 201);
  assert.equal(d.body.applicant.name, '钱老伯');
  assert.equal(d.body.applicant.idNo, principalId);
  const notMine = await other.client.post('/api/cases', { agencyCode: 'haicheng', itemCode: 'HC-24', authorisationId: auth.body.id });
  assert.equal(notMine.body.error.code, 'AUTHORISATION_INVALID', 'an authorisation belongs to its agent');
  const list = await agent.client.get('/api/authorisations');
  assert.equal(list.body.items[0].principalIdNoMasked.includes('*'), true);
});
