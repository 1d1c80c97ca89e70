/**
 * Staff lists mask ID numbers and phones until a record is opened, and opening it is a read the
 * audit log records (issue 16): the case queue, the persons search (by the full ID number, which
 * still finds the person) and the complaints list answer masked values; the case, the person and
 * the complaint, opened, answer the full value and write case.view / person.view / complaint.view.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { staffClient, testIdNo } from '../../../test/client.ts';
import { submittedCase } from '../../../test/factories.ts';
import { maskCitizenId, maskPhone } from '../../../common/ids.ts';

let s: TestServer;
before(async () => {
  s = await startServer();
});
after(async () => {
  await s.close();
});

async function audits(action: string, subjectId: string, actorId: number): Promise<number> {
  const rows = await s.dbh.db
    .selectFrom('audit_log')
    .select('id')
    .where('action', '=', action)
    .where('subject_id', '=', subjectId)
    .where('actor_id', '=', String(actorId))
    .execute();
  return rows.length;
}

test('the case queue and the persons search answer masked values; the opened case and person the full ones, audited', async () => {
  const idNo = testIdNo('210402', '19900315', 'M');
  const c = await submittedCase({
    server: s,
    item: 'FS-11',
    citizen: { name: '吴德福', idNo },
    person: { enrol: [{ type: 'employee', start: '2020-01-01', employment: 'employed' }] },
  });
  const clerk = await staffClient(s, { agency: 'fushun', roles: ['acceptor'] });
  const mobile = c.citizen.mobile;

  const queue = await clerk.client.get('/api/staff/queue');
  assert.equal(queue.status, 200, JSON.stringify(queue.body));
  assert.ok(
    queue.body.items.some((i: { id: number }) => i.id === c.id),
    'the case is in the queue',
  );
  const listed = JSON.stringify(queue.body);
  assert.ok(!listed.includes(idNo) && !listed.includes(mobile), 'no full ID number or mobile in the queue');

  const opened = await clerk.client.get(`/api/cases/${c.id}`);
  assert.equal(opened.body.applicant.idNo, idNo);
  assert.equal(opened.body.applicant.phone, mobile);
  assert.equal(await audits('case.view', String(c.id), clerk.id), 1, 'the read is audited');

  // Searching by the full number still finds the person; the hit shows it masked.
  const found = await clerk.client.get(`/api/staff/persons?idNo=${idNo}`);
  assert.equal(found.status, 200, JSON.stringify(found.body));
  assert.equal(found.body.items.length, 1);
  assert.equal(found.body.items[0].idNoMasked, maskCitizenId(idNo));
  assert.ok(!JSON.stringify(found.body).includes(idNo), 'no full ID number in the hits');
  const pid = found.body.items[0].id as number;
  const person = await clerk.client.get(`/api/staff/persons/${pid}`);
  assert.equal(person.status, 200, JSON.stringify(person.body));
  assert.ok(JSON.stringify(person.body).includes(idNo), 'the opened record shows the full number');
  assert.equal(await audits('person.view', String(pid), clerk.id), 1, 'the read is audited');
});

test('the complaints list masks the caller’s phone; the opened complaint shows it, audited', async () => {
  const sup = await staffClient(s, { agency: 'daye', roles: ['supervisor'] });
  const phones = ['13972001234', '0714-8721234'];
  const ids: number[] = [];
  for (const phone of phones) {
    const r = await sup.client.post('/api/staff/feedback/complaints', {
      subjectKind: 'person',
      personName: '3号窗口',
      complainantName: '刘敏',
      complainantPhone: phone,
      content: '大厅排队时间太长，叫号系统经常出错',
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    ids.push(r.body.id);
  }
  const list = await sup.client.get('/api/staff/feedback/complaints?status=all');
  assert.equal(list.status, 200, JSON.stringify(list.body));
  for (const [i, phone] of phones.entries()) {
    const item = list.body.items.find((t: { id: number }) => t.id === ids[i]);
    assert.equal(item.complainantPhone, maskPhone(phone));
    assert.notEqual(item.complainantPhone, phone);
    const one = await sup.client.get(`/api/complaints/${ids[i]}`);
    assert.equal(one.body.complainantPhone, phone);
    assert.equal(await audits('complaint.view', String(ids[i]), sup.id), 1);
  }
  assert.equal(maskPhone('13972001234'), '139****1234');
  assert.equal(maskPhone('0714-8721234'), '071*****1234');
});
