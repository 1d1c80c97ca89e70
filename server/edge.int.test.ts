/**
 * Each class of input that once answered 500 (issue 17), refused with a coded 4xx: NUL and lone
 * surrogates in any string, impossible dates in query strings and bodies, truncated or malformed
 * multipart bodies, and 20 parallel POST /api/cases with one Idempotency-Key.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../test/support.ts';
import { Client, PDF_BYTES, registerCitizen, registerUnitClerk, staffClient, testIdNo } from '../test/client.ts';
import { draftCase } from '../test/factories.ts';
import { usccCheckChar } from '../common/ids.ts';

let s: TestServer;
let staff: Client;
before(async () => {
  s = await startServer();
  staff = (await staffClient(s, { agency: 'daye', roles: ['acceptor', 'reviewer'] })).client;
});
after(async () => {
  await s.close();
});

function assertBadCharacters(r: { status: number; body: any }, path: string) {
  assert.equal(r.status, 400, JSON.stringify(r.body));
  assert.equal(r.body.error.code, 'BAD_CHARACTERS');
  assert.deepEqual(r.body.error.details, { path });
}

test('a NUL byte in a query string, a path parameter or a JSON body is refused as BAD_CHARACTERS', async () => {
  const anon = new Client(s.url);
  assertBadCharacters(await anon.get('/api/search?q=%E5%8C%BB%00'), 'query.q');
  assertBadCharacters(await anon.get('/api/agencies/daye%00/items'), 'params.code');
  assertBadCharacters(await staff.get('/api/staff/queue?q=%00'), 'query.q');
  assertBadCharacters(await staff.get('/api/staff/persons?name=%E5%BC%A0%00'), 'query.name');
  const citizen = await registerCitizen(s);
  assertBadCharacters(
    await citizen.client.post('/api/cases', { agencyCode: 'daye', itemCode: 'DY-23', answers: { note: 'a\u0000b' } }),
    'body.answers.note',
  );
  assertBadCharacters(await citizen.client.post('/api/cases', { agencyCode: 'daye\u0000', itemCode: 'DY-23' }), 'body.agencyCode');
  // A key holding NUL is refused as well (jsonb keys are text too).
  assertBadCharacters(
    await citizen.client.post('/api/cases', { agencyCode: 'daye', itemCode: 'DY-23', answers: { 'k\u0000': 'v' } }),
    'body.answers.k\u0000',
  );
  // A session cookie holding NUL or a broken escape is just no session.
  for (const cookie of ['yb_session=%00', 'yb_session=%ED%A0%80', 'yb_session=a%00b; yb_csrf=%00']) {
    const r = await fetch(`${s.url}/api/auth/me`, { headers: { cookie } });
    assert.equal(r.status, 200, cookie);
  }
  const mine = await citizen.client.get('/api/cases/mine');
  assert.equal(mine.status, 200);
  assert.equal(mine.body.total ?? mine.body.items.length, 0, 'nothing was created');
});

test('a lone surrogate written into jsonb answers (create and autosave) is refused; a real emoji pair is kept', async () => {
  const d = await draftCase({ server: s, item: 'DY-23', materials: [] });
  assertBadCharacters(await d.client.put(`/api/cases/${d.id}/draft`, { answers: { note: 'x\ud800' } }), 'body.answers.note');
  assertBadCharacters(await d.client.put(`/api/cases/${d.id}/draft`, { answers: { note: '\udfff' } }), 'body.answers.note');
  assertBadCharacters(await d.client.post('/api/cases', { agencyCode: 'daye', itemCode: 'DY-23', answers: { note: '\ud83d' } }), 'body.answers.note');
  const ok = await d.client.put(`/api/cases/${d.id}/draft`, { answers: { note: '好😀' } });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.answers.note, '好😀');
});

test('impossible dates are refused by the schema, in query strings and in bodies', async () => {
  for (const d of ['2026-02-30', '2026-13-45', '2026-00-10', '2026-1-1']) {
    const q = await staff.get(`/api/staff/queue?dueBefore=${d}`);
    assert.equal(q.status, 400, `${d}: ${JSON.stringify(q.body)}`);
    assert.equal(q.body.error.code, 'VALIDATION_FAILED');
    assert.equal(q.body.error.details[0].path, 'dueBefore');
    assert.match(q.body.error.details[0].message, /无效日期/);
  }
  assert.equal((await staff.get('/api/staff/queue?dueBefore=2028-02-29')).status, 200, 'a leap day is a date');
  const agent = await registerCitizen(s, { kind: 'agent' });
  for (const validUntil of ['2027-13-45', '2027-02-30']) {
    const a = await agent.client.post('/api/authorisations', {
      principalName: '李四',
      principalIdNo: testIdNo('420281', '19500101'),
      relation: '子女',
      scope: '全部事项',
      validUntil,
    });
    assert.equal(a.status, 400, JSON.stringify(a.body));
    assert.equal(a.body.error.code, 'VALIDATION_FAILED');
    assert.equal(a.body.error.details[0].path, 'validUntil');
  }
  const anon = new Client(s.url);
  const w = await anon.get('/api/calendar/working-days?region=000000&from=2026-02-30&days=3');
  assert.equal(w.status, 400, JSON.stringify(w.body));
});

/** A multipart body by hand: cut short after `cut` bytes, or with another boundary in the header. */
async function rawMultipart(c: Client, path: string, opts: { cut?: number; headerBoundary?: string | null; fileName?: string }) {
  const boundary = '----edgeTestBoundary';
  let body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="materialIndex"\r\n\r\n0\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${opts.fileName ?? 'm.pdf'}"\r\nContent-Type: application/pdf\r\n\r\n`,
    ),
    PDF_BYTES,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  if (opts.cut !== undefined) body = body.subarray(0, opts.cut);
  const type = opts.headerBoundary === null ? 'multipart/form-data' : `multipart/form-data; boundary=${opts.headerBoundary ?? boundary}`;
  const res = await fetch(s.url + path, {
    method: 'POST',
    headers: {
      'content-type': type,
      cookie: [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'x-csrf-token': c.csrf ?? '',
      'x-forwarded-for': c.ip,
    },
    body: new Uint8Array(body),
  });
  return { status: res.status, body: (await res.json()) as any };
}

test('truncated or malformed multipart on /materials and /api/unit/roster answers 400 BAD_MULTIPART, a NUL file name BAD_CHARACTERS', async () => {
  const d = await draftCase({ server: s, item: 'DY-23', materials: [] });
  const u17 = '91420281MA4EDGE0C';
  const clerk = (await registerUnitClerk(s, { uscc: u17 + usccCheckChar(u17), unitName: '大冶边界测试有限公司' })).client;
  for (const [c, path] of [
    [d.client, `/api/cases/${d.id}/materials`],
    [clerk, '/api/unit/roster'],
  ] as const) {
    for (const opts of [{ cut: 150 }, { cut: 60 }, { cut: 250 }, { headerBoundary: null }, { headerBoundary: 'another' }]) {
      const r = await rawMultipart(c, path, opts);
      assert.ok(r.status === 400, `${path} ${JSON.stringify(opts)}: ${r.status} ${JSON.stringify(r.body)}`);
      assert.ok(['BAD_MULTIPART', 'VALIDATION_FAILED'].includes(r.body.error.code), `${path} ${JSON.stringify(opts)}: ${JSON.stringify(r.body)}`);
    }
    const cut = await rawMultipart(c, path, { cut: 250 });
    assert.equal(cut.body.error.code, 'BAD_MULTIPART');
    assertBadCharacters(await rawMultipart(c, path, { fileName: 'a\u0000.pdf' }), 'file');
  }
  // The same upload whole is taken.
  const whole = await rawMultipart(d.client, `/api/cases/${d.id}/materials`, {});
  assert.equal(whole.status, 201, JSON.stringify(whole.body));
});

test('20 parallel POST /api/cases with one Idempotency-Key: one case, every answer the winner’s', async () => {
  const citizen = await registerCitizen(s);
  const key = 'edge-race-key-0001';
  const answers = await Promise.all(
    Array.from({ length: 20 }, () => citizen.client.post('/api/cases', { agencyCode: 'daye', itemCode: 'DY-23' }, { 'idempotency-key': key })),
  );
  const statuses = answers.map((a) => a.status).sort();
  assert.ok(
    answers.every((a) => a.status === 200 || a.status === 201),
    `statuses ${statuses.join(',')}: ${JSON.stringify(answers.find((a) => a.status >= 300)?.body)}`,
  );
  assert.equal(answers.filter((a) => a.status === 201).length, 1, `statuses ${statuses.join(',')}`);
  const ids = new Set(answers.map((a) => a.body.id));
  assert.equal(ids.size, 1, `ids ${[...ids].join(',')}`);
  const rows = await s.dbh.db.selectFrom('cases').select('id').where('owner_user_id', '=', citizen.user.id).execute();
  assert.equal(rows.length, 1);
  // Another item under the same key is a conflict, not a second case.
  const other = await citizen.client.post('/api/cases', { agencyCode: 'daye', itemCode: 'DY-01' }, { 'idempotency-key': key });
  assert.equal(other.status, 409);
  assert.equal(other.body.error.code, 'IDEMPOTENCY_CONFLICT');
});

test('the net under the schemas: a data error the database raises for a value is a 400, other database errors are not', async () => {
  const { sql } = await import('kysely');
  const { domainToAppError } = await import('./errors.ts');
  const fail = (q: ReturnType<typeof sql>) =>
    q.execute(s.dbh.db).then(
      () => assert.fail('the database took it'),
      (e: unknown) => e,
    );
  for (const q of [sql`select ${'99999999999'}::int`, sql`select ${'2026-02-30'}::date`, sql`select ${'a\u0000b'}::text`, sql`select ${'x'}::int`]) {
    const mapped = domainToAppError(await fail(q));
    assert.equal(mapped?.code, 'VALIDATION_FAILED');
    assert.equal(mapped?.status, 400);
  }
  // A unique violation or a missing table is a bug (or a race its service answers), never the input's fault here.
  assert.equal(domainToAppError(await fail(sql`select * from no_such_table`)), null);
});
