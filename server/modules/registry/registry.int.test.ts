/** Completing a registry-changing item changes the registry in the same transaction, with history. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { PDF_BYTES, registerCitizen, staffClient, type Client, setSeparationOfDuties } from '../../../test/client.ts';
import { seedPerson } from '../../../test/registry.ts';
import { monthsAgo } from '../../../test/clock.ts';
import { submittedCase, type Citizen } from '../../../test/factories.ts';

let s: TestServer;
let citizen: Awaited<ReturnType<typeof registerCitizen>>;
let admin: Client;

before(async () => {
  s = await startServer();
  // About registry effects and benefits, not who does what: one admin drives each case.
  await setSeparationOfDuties(s, false, 'daye');
  citizen = await registerCitizen(s, { name: '黄丽' });
  admin = (await staffClient(s, { agency: 'daye', roles: ['agency_admin'] })).client;
});
after(async () => {
  await s.close();
});

/** Apply online with every needed material, then accept, review and approve; returns the final case. */
async function complete(itemCode: string, answers: Record<string, string> = {}, who: Citizen = citizen) {
  const d = await submittedCase({ server: s, citizen: who, agency: 'daye', item: itemCode, answers });
  const acc = await admin.post(`/api/cases/${d.id}/actions/accept`, {});
  assert.equal(acc.body.status, 'accepted', JSON.stringify(acc.body));
  assert.equal((await admin.post(`/api/cases/${d.id}/actions/start_review`, {})).body.status, 'reviewing');
  return admin.post(`/api/cases/${d.id}/actions/approve`, {});
}

const personId = async () =>
  Number((await s.dbh.db.selectFrom('persons').select('id').where('id_no', '=', citizen.idNo).executeTakeFirstOrThrow()).id);

test('城乡居民参保登记 creates the enrolment; a second one is refused and rolls back the completion', async () => {
  const done = await complete('DY-03');
  assert.equal(done.body.status, 'approved', JSON.stringify(done.body));
  assert.ok(done.body.events.some((e: { action: string; note: string }) => e.action === 'registry_update' && /城乡居民基本医疗保险/.test(e.note)));
  const pid = await personId();
  const enrols = await s.dbh.db.selectFrom('enrolments').selectAll().where('person_id', '=', pid).execute();
  assert.equal(enrols.length, 1);
  assert.equal(enrols[0]!.type, 'resident');
  assert.equal(enrols[0]!.status, 'active');
  assert.equal(Number(enrols[0]!.case_id), done.body.id);
  const hist = await s.dbh.db.selectFrom('registry_history').selectAll().where('person_id', '=', pid).execute();
  assert.deepEqual(
    hist.map((h) => h.entity),
    ['person', 'enrolment'],
  );

  const again = await complete('DY-03');
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'GUARD_FAILED');
  assert.match(again.body.error.message, /不能重复参保/);
  assert.equal((await s.dbh.db.selectFrom('enrolments').select('id').where('person_id', '=', pid).execute()).length, 1);
});

test('职工参保登记 as 灵活就业人员 records the 人员类别 on the enrolment, so later rules read it from the registry', async () => {
  const other = await registerCitizen(s, { name: '冯涛' });
  const done = await complete('DY-02', { employment: 'flexible' }, other);
  assert.equal(done.body.status, 'approved', JSON.stringify(done.body));
  const pid = await s.dbh.db.selectFrom('persons').select('id').where('id_no', '=', other.idNo).executeTakeFirstOrThrow();
  const e = await s.dbh.db
    .selectFrom('enrolments')
    .selectAll()
    .where('person_id', '=', pid.id)
    .where('type', '=', 'employee')
    .executeTakeFirstOrThrow();
  assert.equal(e.employment, 'flexible');
});

test('《参保凭证》 is issued from the registry as a sealed PDF with its own verification code', async () => {
  const pid = await personId();
  // 大冶 issues the 参保凭证 to employees (服务对象): an earlier employee enrolment in the registry.
  await s.dbh.db
    .insertInto('enrolments')
    .values({
      person_id: pid,
      agency_code: 'daye',
      type: 'employee',
      unit_id: null,
      status: 'terminated',
      start_date: '2018-03-01',
      end_date: '2022-12-31',
      case_id: null,
      employment: 'employed',
    })
    .execute();
  await s.dbh.db
    .insertInto('contributions')
    .values(
      [monthsAgo(3, s.clock), monthsAgo(2, s.clock), monthsAgo(1, s.clock)].map((month) => ({
        person_id: pid,
        type: 'resident',
        month,
        agency_code: 'daye',
        base_fen: 38000,
        amount_fen: 38000,
        paid: true,
        paid_on: `${month}-10`,
      })),
    )
    .execute();
  const done = await complete('DY-10');
  assert.equal(done.body.status, 'approved', JSON.stringify(done.body));
  const cert = done.body.documents.find((d: { title: string }) => d.title === '参保凭证');
  assert.ok(cert, 'the result document is issued');
  const pdf = await citizen.client.get(`/api/cases/${done.body.id}/documents/${cert.id}/pdf`);
  assert.equal(pdf.body.subarray(0, 5).toString(), '%PDF-');
  const v = await fetch(`${s.url}/api/verify/${cert.verifyCode}`).then((r) => r.json());
  assert.equal(v.title, '参保凭证');
});

test('个人账户一次性支取 pays out the balance: a ledger entry and a payment instruction', async () => {
  const other = await registerCitizen(s, { name: '吴强' });
  await seedPerson(s.dbh.db, {
    idNo: other.idNo,
    name: '吴强',
    agency: 'daye',
    enrol: [{ type: 'employee', start: '2015-01-01' }],
    accountYuan: 3456.78,
  });
  const c = other.client;
  const d = await c.post('/api/cases', { agencyCode: 'daye', itemCode: 'DY-09', answers: { bankAccount: '6222020200112233445' } });
  for (const m of d.body.form.materials.filter((x: { applies: string }) => x.applies === 'yes'))
    await c.upload(d.body.id, m.index, 'm.pdf', PDF_BYTES);
  for (const q of d.body.form.fields.filter((f: { type: string; options?: { value: string }[] }) => f.type === 'select'))
    await c.put(`/api/cases/${d.body.id}/draft`, { answers: { [q.id]: q.options[0].value } });
  const again = await c.get(`/api/cases/${d.body.id}`);
  for (const m of again.body.form.materials.filter(
    (x: { applies: string; index: number }) =>
      x.applies === 'yes' && !again.body.materials.some((u: { materialIndex: number }) => u.materialIndex === x.index),
  ))
    await c.upload(d.body.id, m.index, 'm.pdf', PDF_BYTES);
  assert.equal((await c.post(`/api/cases/${d.body.id}/submit`)).body.status, 'submitted');
  await admin.post(`/api/cases/${d.body.id}/actions/accept`, {});
  await admin.post(`/api/cases/${d.body.id}/actions/start_review`, {});
  const done = await admin.post(`/api/cases/${d.body.id}/actions/approve`, {});
  assert.equal(done.body.status, 'approved', JSON.stringify(done.body));
  const pid = Number((await s.dbh.db.selectFrom('persons').select('id').where('id_no', '=', other.idNo).executeTakeFirstOrThrow()).id);
  const acct = await s.dbh.db.selectFrom('personal_accounts').selectAll().where('person_id', '=', pid).executeTakeFirstOrThrow();
  assert.equal(Number(acct.balance_fen), 0);
  const ledger = await s.dbh.db.selectFrom('account_ledger').selectAll().where('person_id', '=', pid).execute();
  assert.equal(Number(ledger[0]!.amount_fen), -345678);
  const pay = await s.dbh.db.selectFrom('payments').selectAll().where('case_id', '=', done.body.id).executeTakeFirstOrThrow();
  assert.equal(Number(pay.amount_fen), 345678);
  assert.equal(pay.bank_account, '6222020200112233445');
});

test('异地就医备案 creates the filing; a temporary one is valid for six months; a 承诺书 sets the proof deadline', async () => {
  // 异地安置 is for retirees who settled outside 黄石 and moved their 户籍 there.
  const pid = await personId();
  await s.dbh.db.updateTable('persons').set({ hukou_region: '460200' }).where('id', '=', pid).execute();
  await s.dbh.db
    .insertInto('enrolments')
    .values({
      person_id: pid,
      agency_code: 'daye',
      type: 'employee',
      unit_id: null,
      status: 'active',
      start_date: '2023-01-01',
      end_date: null,
      case_id: null,
      employment: 'retired',
    })
    .execute();
  const done = await complete('DY-12', { destinationRegion: '460000', destination: '海南省三亚市', commitment: 'yes' });
  assert.equal(done.body.status, 'approved', JSON.stringify(done.body));
  const f = await s.dbh.db.selectFrom('remote_filings').selectAll().where('person_id', '=', pid).execute();
  assert.equal(f.length, 1);
  assert.equal(f[0]!.kind, 'resettled');
  assert.equal(f[0]!.valid_to, null, 'long-term filings stay until cancelled');
  assert.ok(f[0]!.pledge_due);
  const tmp = await complete('DY-15', { destinationRegion: '420000', destination: '湖北省武汉市', proof: 'document' });
  assert.equal(tmp.body.status, 'approved');
  const f2 = await s.dbh.db.selectFrom('remote_filings').selectAll().where('case_id', '=', tmp.body.id).executeTakeFirstOrThrow();
  assert.equal(f2.kind, 'referral');
  assert.ok(f2.valid_to! > f2.valid_from);
});

test('门诊慢特病认定 adds the certification', async () => {
  const done = await complete('DY-17', { disease: '高血压（Ⅲ级）' });
  assert.equal(done.body.status, 'approved', JSON.stringify(done.body));
  const pid = await personId();
  const certs = await s.dbh.db.selectFrom('chronic_certs').selectAll().where('person_id', '=', pid).execute();
  assert.deepEqual(
    certs.map((c) => c.disease),
    ['高血压（Ⅲ级）'],
  );
});

test('职工参保信息变更登记 updates the record with history', async () => {
  const done = await complete('DY-05', { applicantPhone: '13612345678', keyInfo: 'no' });
  assert.equal(done.body.status, 'approved', JSON.stringify(done.body));
  const p = await s.dbh.db.selectFrom('persons').selectAll().where('id_no', '=', citizen.idNo).executeTakeFirstOrThrow();
  assert.equal(p.phone, '13612345678');
  const h = await s.dbh.db
    .selectFrom('registry_history')
    .selectAll()
    .where('person_id', '=', p.id)
    .where('entity', '=', 'person')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  assert.deepEqual(h.change, { before: { phone: citizen.mobile }, after: { phone: '13612345678' } });
});
