/** Notifications of a case reach the applicant by e-mail (real SMTP listener), SMS (the adapter) and in-app. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../../test/support.ts';
import { smtp } from '../../../test/smtp.ts';
import { PDF_BYTES, staffClient, testIdNo } from '../../../test/client.ts';

test('a mailed-in Dalian case tells the applicant by e-mail and SMS when it is accepted', async () => {
  const mail = smtp();
  const port = await mail.listen();
  const s = await startServer({ config: { SMTP_URL: `smtp://127.0.0.1:${port}` } });
  try {
    const dl = (await staffClient(s, { agency: 'dalian', roles: ['acceptor'] })).client;
    const reg = await dl.post('/api/staff/cases', {
      itemCode: 'DL-13',
      channel: 'email',
      answers: { applicantName: '周八', applicantIdNo: testIdNo('210202'), applicantPhone: '13700001111', employment: 'flexible' },
      applicantEmail: 'zhouba@example.com',
    });
    assert.equal(reg.status, 201, JSON.stringify(reg.body));
    for (const i of [0, 2]) assert.equal((await dl.upload(reg.body.id, i, `scan${i}.pdf`, PDF_BYTES)).status, 201);
    const acc = await dl.post(`/api/cases/${reg.body.id}/actions/accept`, {});
    assert.equal(acc.body.status, 'accepted', JSON.stringify(acc.body));
    await s.runner.runOnce();
    const got = mail.received.filter((m) => m.rcpt.includes('zhouba@example.com'));
    assert.equal(got.length, 2, 'one for the registration, one for the acceptance');
    assert.match(got[1]!.subject, new RegExp(`${reg.body.caseNo}.*已受理`));
    assert.match(got[1]!.body, /《受理回执》/);
    const sms = await s.dbh.db.selectFrom('sms_messages').select('text').where('phone', '=', '13700001111').execute();
    assert.equal(sms.length, 2);
    const pending = await s.dbh.db.selectFrom('outbox').select('status').where('case_id', '=', reg.body.id).execute();
    assert.ok(pending.every((r) => r.status === 'sent'));
  } finally {
    await s.close();
    await mail.close();
  }
});
