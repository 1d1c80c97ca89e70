/**
 * The answers rules read are asked by the items' online forms, and the pre-check reads them as the
 * apply page sends them (text): 海城 手工报销 of a 工伤 cost is 禁办, 抚顺 转移接续 from outside
 * Liaoning without a 参保凭证 is 禁办, 大冶 异地备案 to a place inside 黄石 is refused, a 孕周 typed
 * into the form is compared as a number, and 人员类别 comes from the registry before the answer.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { PDF_BYTES, registerCitizen, staffClient, testIdNo, type Client } from '../../../test/client.ts';
import { seedPerson } from '../../../test/registry.ts';
import { monthStart } from '../../../test/clock.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
});
after(async () => {
  await s.close();
});

interface Field {
  id: string;
  label: string;
  required: boolean;
  options?: { value: string; label: string }[];
}
interface Result {
  code: string;
  kind: string;
  passed: boolean;
  applies: boolean;
  reason: string;
  facts: { label: string; display: string }[];
}

const rule = (body: { results: Result[] }, code: string): Result => {
  const r = body.results.find((x) => x.code === code);
  assert.ok(r, `${code} was evaluated (${body.results.map((x) => x.code).join(', ')})`);
  return r;
};

async function precheck(c: Client, agency: string, item: string, answers: Record<string, string>) {
  const r = await c.post(`/api/agencies/${agency}/items/${item}/precheck`, { answers });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body as { known: boolean; eligible: boolean; prohibited: boolean; results: Result[] };
}

/** Saves a draft's answers the way the apply page autosaves them; returns the form resolved for them. */
async function save(c: Client, id: number, answers: Record<string, string>): Promise<{ fields: Field[]; answers: Record<string, string> }> {
  const cur = await c.get(`/api/cases/${id}`);
  const r = await c.put(`/api/cases/${id}/draft`, { answers: { ...cur.body.answers, ...answers }, lockVersion: cur.body.lockVersion });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return { fields: r.body.form.fields, answers: r.body.answers };
}

test('海城：应当从工伤保险基金中支付的 — 住院费用报销 asks the cause; 工伤 is 禁办 at pre-check and at acceptance', async () => {
  const c = await registerCitizen(s, { name: '高峰', idNo: testIdNo('210381', '19750505') });
  await seedPerson(s.dbh.db, {
    idNo: c.idNo,
    name: '高峰',
    agency: 'haicheng',
    enrol: [{ type: 'employee', start: '2015-01-01', employment: 'employed' }],
    contributions: [{ type: 'employee', lastMonths: 22, clock: s.clock, baseYuan: 4500 }],
  });
  const d = await c.client.post('/api/cases', { agencyCode: 'haicheng', itemCode: 'HC-20' });
  assert.equal(d.status, 201, JSON.stringify(d.body));
  const cause = (d.body.form.fields as Field[]).find((f) => f.id === 'cause');
  assert.ok(cause?.required, 'the form asks the cause');
  assert.deepEqual(
    cause.options!.map((o) => o.value),
    ['work_injury', 'third_party', 'public_health', 'none'],
  );
  assert.equal(cause.options![0]!.label, '应当从工伤保险基金中支付的');
  for (const id of ['location', 'cardSettled'])
    assert.ok(
      (d.body.form.fields as Field[]).some((f) => f.id === id),
      `the form asks ${id}`,
    );

  const answers = {
    insurance: 'employee',
    age: 'adult',
    transfer: 'no',
    targetedDrug: 'no',
    death: 'no',
    accidentalInjury: 'yes',
    childbirth: 'no',
    student: 'no',
    location: 'domestic',
    cardSettled: 'no',
  };
  // Without the cause the application cannot be submitted: the field is required.
  const { answers: saved } = await save(c.client, d.body.id, answers);
  const mats = (await c.client.get(`/api/cases/${d.body.id}`)).body.form.materials as { index: number; applies: string }[];
  for (const m of mats.filter((x) => x.applies === 'yes')) await c.client.upload(d.body.id, m.index, 'm.pdf', PDF_BYTES);
  const noCause = await c.client.post(`/api/cases/${d.body.id}/submit`);
  assert.equal(noCause.status, 422, JSON.stringify(noCause.body));
  assert.equal(noCause.body.error.code, 'FORM_INVALID');
  assert.ok(noCause.body.error.details.some((e: { field: string }) => e.field === 'cause'));

  // The pre-check reads the saved answers, as the apply page sends them.
  const injury = await precheck(c.client, 'haicheng', 'HC-20', { ...saved, cause: 'work_injury' });
  assert.equal(injury.prohibited, true);
  const jb1 = rule(injury, 'HC-JB-01');
  assert.deepEqual([jb1.kind, jb1.applies, jb1.passed], ['prohibition', true, false]);
  assert.match(jb1.reason, /应当从工伤保险基金中支付的医疗费用，不能由基本医疗保险基金报销/);
  assert.ok(jb1.facts.some((f) => f.label === '申请填报：cause' && f.display === 'work_injury'));
  assert.equal(rule(injury, 'HC-JB-02').passed, true, 'only the situation that applies fails');

  const illness = await precheck(c.client, 'haicheng', 'HC-20', { ...saved, cause: 'none' });
  assert.equal(illness.prohibited, false, JSON.stringify(illness.results.filter((r) => !r.passed)));
  const abroad = await precheck(c.client, 'haicheng', 'HC-20', { ...saved, cause: 'none', location: 'abroad' });
  assert.match(rule(abroad, 'HC-JB-04').reason, /在境外就医/);
  const settled = await precheck(c.client, 'haicheng', 'HC-20', { ...saved, cause: 'none', cardSettled: 'yes' });
  assert.equal(settled.eligible, false);
  assert.match(rule(settled, 'HC-R-MANUAL-NOT-SETTLED').reason, /已持卡直接结算/);

  // Submitted with the 工伤 answer: the acceptor sees the same 禁办 and refuses with the rule's reason.
  await save(c.client, d.body.id, { cause: 'work_injury' });
  const sub = await c.client.post(`/api/cases/${d.body.id}/submit`);
  assert.equal(sub.body.status, 'submitted', JSON.stringify(sub.body));
  const clerk = (await staffClient(s, { agency: 'haicheng', roles: ['acceptor'] })).client;
  const view = await clerk.get(`/api/cases/${d.body.id}`);
  assert.equal(view.body.evaluation.prohibited, true);
  const acts = view.body.actions.map((a: { action: string }) => a.action);
  assert.ok(!acts.includes('accept') && acts.includes('reject_prohibited'), acts.join(','));
  const refused = await clerk.post(`/api/cases/${d.body.id}/actions/reject_prohibited`, { facts: { checked: [], found: [] } });
  assert.equal(refused.body.status, 'rejected', JSON.stringify(refused.body));
  assert.equal(refused.body.reasons[0].code, 'HC-JB-01');
  assert.match(refused.body.reasons[0].text, /工伤保险基金/);
});

test('抚顺：省外人员办理：无参保凭证 — 转移接续 asks the origin, the 参保凭证 only for 省外, and whether the origin suspended', async () => {
  const c = await registerCitizen(s, { name: '韩雪', idNo: testIdNo('210402', '19880808', 'F') });
  await seedPerson(s.dbh.db, {
    idNo: c.idNo,
    name: '韩雪',
    agency: 'fushun',
    // Just arrived in 抚顺: enrolled since the first of last month.
    enrol: [{ type: 'employee', start: monthStart(1, s.clock), employment: 'employed' }],
  });
  const d = await c.client.post('/api/cases', { agencyCode: 'fushun', itemCode: 'FS-12' });
  assert.equal(d.status, 201, JSON.stringify(d.body));
  const ids = (f: Field[]) => f.map((x) => x.id);
  assert.ok(ids(d.body.form.fields).includes('origin') && ids(d.body.form.fields).includes('originSuspended'));
  assert.ok(!ids(d.body.form.fields).includes('certificate'), 'no 参保凭证 question before the origin is known');
  const inProvince = await save(c.client, d.body.id, { originAgency: 'external', originName: '沈阳市医疗保障事务服务中心', origin: 'in_province' });
  assert.ok(!ids(inProvince.fields).includes('certificate'), 'not asked for an origin inside Liaoning');
  const outside = await save(c.client, d.body.id, { originAgency: 'external', originName: '北京市医疗保障事务管理中心', origin: 'out_of_province' });
  const cert = outside.fields.find((f) => f.id === 'certificate');
  assert.ok(cert?.required, 'asked for an origin outside Liaoning');
  assert.deepEqual(
    cert.options!.map((o) => o.value),
    ['yes', 'no'],
  );

  const without = await precheck(c.client, 'fushun', 'FS-12', { ...outside.answers, certificate: 'no', originSuspended: 'yes' });
  assert.equal(without.prohibited, true);
  const jb3 = rule(without, 'FS-JB-03');
  assert.deepEqual([jb3.applies, jb3.passed], [true, false]);
  assert.match(jb3.reason, /省外人员办理转移接续须提供转出地的《参保凭证》/);
  assert.equal(rule(without, 'FS-JB-04').passed, true);

  const withCert = await precheck(c.client, 'fushun', 'FS-12', { ...outside.answers, certificate: 'yes', originSuspended: 'yes' });
  assert.equal(withCert.prohibited, false, JSON.stringify(withCert.results.filter((r) => !r.passed)));
  const notSuspended = await precheck(c.client, 'fushun', 'FS-12', { ...outside.answers, certificate: 'yes', originSuspended: 'no' });
  assert.match(rule(notSuspended, 'FS-JB-04').reason, /转出地医保尚未办理暂停/);
  // Inside Liaoning the 参保凭证 rule does not apply, even with a stale answer left from before.
  const within = await precheck(c.client, 'fushun', 'FS-12', {
    ...outside.answers,
    origin: 'in_province',
    certificate: 'no',
    originSuspended: 'yes',
  });
  assert.deepEqual([rule(within, 'FS-JB-03').applies, within.prohibited], [false, false]);
});

test('大冶：在异地（黄石市以外）居住生活的人员 — 异地长期居住备案 asks the province; inside 黄石 is refused even when the text does not say so', async () => {
  const c = await registerCitizen(s, { name: '柯明', idNo: testIdNo('420281', '19600606') });
  await seedPerson(s.dbh.db, {
    idNo: c.idNo,
    name: '柯明',
    agency: 'daye',
    enrol: [{ type: 'employee', start: '2000-01-01', employment: 'retired' }],
  });
  const d = await c.client.post('/api/cases', { agencyCode: 'daye', itemCode: 'DY-13' });
  const region = (d.body.form.fields as Field[]).find((f) => f.id === 'destinationRegion');
  assert.ok(region?.required);
  assert.ok(region.options!.some((o) => o.value === '420200' && /黄石市/.test(o.label)));
  assert.ok(region.options!.some((o) => o.value === '440000' && o.label === '广东省'));

  // 金湖街道 is in 大冶 (黄石): the text alone would not tell, the province field does.
  const inside = await precheck(c.client, 'daye', 'DY-13', { commitment: 'yes', destinationRegion: '420200', destination: '金湖街道' });
  assert.equal(inside.eligible, false);
  const r = rule(inside, 'DY-R-REMOTE-OUTSIDE-HUANGSHI');
  assert.deepEqual([r.applies, r.passed], [true, false]);
  assert.match(r.reason, /就医地须在黄石市以外，您填报的就医地（金湖街道）属于黄石市/);
  const outside = await precheck(c.client, 'daye', 'DY-13', { commitment: 'yes', destinationRegion: '440000', destination: '广东省深圳市' });
  assert.equal(rule(outside, 'DY-R-REMOTE-OUTSIDE-HUANGSHI').passed, true);
  const hubei = await precheck(c.client, 'daye', 'DY-13', { commitment: 'yes', destinationRegion: '420000', destination: '湖北省武汉市' });
  assert.equal(rule(hubei, 'DY-R-REMOTE-OUTSIDE-HUANGSHI').passed, true, '湖北省 outside 黄石 is 异地');
});

test('海城：女职工孕产 32 周后的门诊产前检查 — the 孕周 typed into the form is compared as a number', async () => {
  const c = await registerCitizen(s, { name: '宋雨', idNo: testIdNo('210381', '19930303', 'F') });
  const d = await c.client.post('/api/cases', { agencyCode: 'haicheng', itemCode: 'HC-21' });
  const weeks = (d.body.form.fields as Field[]).find((f) => f.id === 'gestationWeeks');
  assert.ok(weeks?.required);
  const early = await precheck(c.client, 'haicheng', 'HC-21', { gestationWeeks: '28', cause: 'none', location: 'domestic' });
  assert.match(rule(early, 'HC-R-PRENATAL-32W').reason, /孕周为28/);
  const late = await precheck(c.client, 'haicheng', 'HC-21', { gestationWeeks: '33', cause: 'none', location: 'domestic' });
  assert.equal(rule(late, 'HC-R-PRENATAL-32W').passed, true);
  // The form refuses what is not a number, so the rule never sees it.
  const bad = await save(c.client, d.body.id, { gestationWeeks: '三十三' });
  assert.equal(bad.answers.gestationWeeks, '三十三');
  const sub = await c.client.post(`/api/cases/${d.body.id}/submit`);
  assert.equal(sub.body.error.code, 'FORM_INVALID');
  assert.ok(sub.body.error.details.some((e: { field: string; message: string }) => e.field === 'gestationWeeks' && /数字/.test(e.message)));
});

test('海城：异地安置限退休人员 — 人员类别 comes from the registry first and from the answer only when the registry has none', async () => {
  const known = await registerCitizen(s, { name: '于国强', idNo: testIdNo('210381', '19580808') });
  await seedPerson(s.dbh.db, {
    idNo: known.idNo,
    name: '于国强',
    agency: 'haicheng',
    enrol: [{ type: 'employee', start: '2000-01-01', employment: 'employed' }],
  });
  const d = await known.client.post('/api/cases', { agencyCode: 'haicheng', itemCode: 'HC-14' });
  const emp = (d.body.form.fields as Field[]).find((f) => f.id === 'employment');
  assert.ok(emp && !emp.required, 'asked, but optional: the registry decides when it knows');
  assert.deepEqual(
    emp.options!.map((o) => o.value),
    ['employed', 'flexible', 'retired'],
  );
  const claimed = await precheck(known.client, 'haicheng', 'HC-14', { employment: 'retired', destination: '海南省三亚市', proof: 'document' });
  const r = rule(claimed, 'HC-R-RESETTLE-RETIRED');
  assert.equal(r.passed, false, 'the registry says 在职; the answer does not override it');
  assert.match(r.reason, /人员类别为在职/);

  const unknown = await registerCitizen(s, { name: '于秀兰', idNo: testIdNo('210381', '19590909', 'F') });
  await seedPerson(s.dbh.db, { idNo: unknown.idNo, name: '于秀兰', agency: 'haicheng', enrol: [{ type: 'employee', start: '2000-01-01' }] });
  const blank = await precheck(unknown.client, 'haicheng', 'HC-14', { destination: '海南省三亚市', proof: 'document' });
  assert.match(rule(blank, 'HC-R-RESETTLE-RETIRED').reason, /人员类别为无记录/);
  const retired = await precheck(unknown.client, 'haicheng', 'HC-14', { employment: 'retired', destination: '海南省三亚市', proof: 'document' });
  assert.equal(rule(retired, 'HC-R-RESETTLE-RETIRED').passed, true, 'no category in the registry: the answer is used');
});
