import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../../test/support.ts';
import { smtp } from '../../test/smtp.ts';
import { mutableClock } from './clock.ts';
import { dispatchOutbox, OUTBOX_MAX_ATTEMPTS, queueMessage } from './outbox.ts';

test('messages queued in a transaction are sent once it commits; SMTP outages are retried with backoff', async () => {
  let mail = smtp();
  const port = await mail.listen();
  const clock = mutableClock('2026-03-02T01:00:00.000Z');
  const s = await startServer({ clock, config: { SEED: 'off', SMTP_URL: `smtp://127.0.0.1:${port}` } });
  try {
    const db = s.dbh.db;
    assert.equal(s.mailer.kind, 'smtp');
    await db.transaction().execute(async (trx) => {
      for (const n of [1, 2, 3])
        await queueMessage(trx, {
          channel: 'email',
          recipient: `user${n}@example.com`,
          subject: `办件受理通知 第${n}号`,
          body: `您申请的事项已受理（${n}），办结期限为 2026-03-20。`,
          caseId: 40 + n,
          agencyCode: 'tj',
        });
      await queueMessage(trx, { channel: 'sms', recipient: '13800138000', body: '【医保经办】您的办件已受理。', meta: { kind: 'accept' } });
      await queueMessage(trx, { channel: 'inapp', recipient: '5', userId: 5, subject: '站内消息', body: '已受理' });
    });
    // A message queued in a transaction that rolls back never exists.
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await queueMessage(trx, { channel: 'email', recipient: 'ghost@example.com', subject: '不应发送', body: 'x' });
        throw new Error('business rule failed');
      }),
      /business rule failed/,
    );

    const r = await s.runner.runOnce();
    assert.ok(r.tasks >= 5);
    assert.equal(mail.received.length, 3);
    const byTo = mail.received.sort((a, b) => a.to.localeCompare(b.to));
    for (const [i, m] of byTo.entries()) {
      const n = i + 1;
      assert.deepEqual(m.rcpt, [`user${n}@example.com`]);
      assert.equal(m.to, `user${n}@example.com`);
      assert.equal(m.subject, `办件受理通知 第${n}号`);
      assert.equal(m.body, `您申请的事项已受理（${n}），办结期限为 2026-03-20。`);
    }
    assert.ok(!mail.received.some((m) => m.to.includes('ghost')));
    const sms = await db.selectFrom('sms_messages').selectAll().execute();
    assert.deepEqual(
      sms.map((m) => [m.phone, m.text]),
      [['13800138000', '【医保经办】您的办件已受理。']],
    );
    const rows = await db.selectFrom('outbox').selectAll().orderBy('id').execute();
    assert.equal(rows.length, 5, 'the rolled-back message was never written');
    assert.ok(rows.every((m) => m.status === 'sent' && m.attempts === 1 && m.sent_at));
    assert.deepEqual(rows[3]!.meta, { kind: 'accept' });

    // SMTP down: the row stays pending with one attempt and a retry time in the future.
    await mail.close();
    const id = await queueMessage(db, { channel: 'email', recipient: 'later@example.com', subject: '补正通知', body: '请补交材料。' });
    await s.runner.runOnce();
    let row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'pending');
    assert.equal(row.attempts, 1);
    assert.ok(row.last_error);
    assert.ok(new Date(row.next_attempt_at).getTime() > clock.now().getTime());

    // Back up on the same port: nothing happens before the retry time, then it is sent.
    mail = smtp();
    await mail.listen(port);
    await s.runner.runOnce();
    assert.equal(mail.received.length, 0, 'not retried before next_attempt_at');
    clock.advance(60_000);
    await s.runner.runOnce();
    row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'sent');
    assert.equal(row.attempts, 2);
    assert.equal(mail.received.length, 1);
    assert.equal(mail.received[0]!.subject, '补正通知');
    assert.equal(mail.received[0]!.body, '请补交材料。');
  } finally {
    await s.close();
    await mail.close();
  }
});

test(`a message that keeps failing is dead after ${OUTBOX_MAX_ATTEMPTS} attempts; permanent errors fail at once`, async () => {
  const clock = mutableClock('2026-03-02T01:00:00.000Z');
  const s = await startServer({ clock, config: { SEED: 'off' } });
  try {
    const db = s.dbh.db;
    assert.equal(s.mailer.kind, 'log', 'no SMTP_URL: the dev mailer only logs');
    let tries = 0;
    const deps = {
      clock,
      mailer: {
        send: async () => {
          tries++;
          throw new Error('421 try later');
        },
      },
      sms: {
        send: async () => {
          throw Object.assign(new Error('invalid number'), { permanent: true });
        },
      },
    };
    const id = await queueMessage(db, { channel: 'email', recipient: 'x@example.com', subject: 's', body: 'b' });
    const bad = await queueMessage(db, { channel: 'sms', recipient: '100', body: 'b' });
    for (let i = 0; i < 20; i++) {
      await dispatchOutbox(db, deps);
      clock.advance(2 * 3600_000);
    }
    const row = await db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.status, 'dead');
    assert.equal(row.attempts, OUTBOX_MAX_ATTEMPTS);
    assert.equal(tries, OUTBOX_MAX_ATTEMPTS);
    const b = await db.selectFrom('outbox').selectAll().where('id', '=', bad).executeTakeFirstOrThrow();
    assert.deepEqual([b.status, b.attempts, b.last_error], ['failed', 1, 'invalid number']);

    // The dev mailer records what it would have sent.
    await queueMessage(db, { channel: 'email', recipient: 'dev@example.com', subject: '开发', body: '只记录' });
    await s.runner.runOnce();
    assert.deepEqual(
      s.mailer.sent.map((m) => [m.to, m.subject, m.text]),
      [['dev@example.com', '开发', '只记录']],
    );
  } finally {
    await s.close();
  }
});
