/** The benchmark data generator (`npm run gen`): valid, consistent, reproducible, and live traffic continues after it. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startServer, type TestServer } from '../../test/support.ts';
import { Client } from '../../test/client.ts';
import { citizenIdProblem, isUscc } from '../../common/ids.ts';
import { verifyAudit } from '../modules/audit/audit.ts';
import { addMonthsYm } from '../../common/registry.ts';
import { chinaDate } from '../platform/clock.ts';
import { generate, GEN_PASSWORD, personIdNo, type GenOptions } from './gen.ts';

let OPTS: GenOptions;

let a: TestServer;
let b: TestServer;
before(async () => {
  a = await startServer();
  b = await startServer();
  // The catalogue was published as of the servers' business date, so generate as of that date.
  OPTS = { persons: 600, units: 20, cases: 800, seed: 11, years: 5, today: chinaDate(a.clockNow()) };
});
after(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

const digest = async (s: TestServer, q: string) => (await sql.raw<{ d: string }>(q).execute(s.dbh.db)).rows[0]!.d;

test('fills persons, units, enrolments, 5 years of contributions, cases in every state, and a valid audit chain', async () => {
  const r = await generate(a.dbh.db, OPTS);
  assert.equal(r.persons, 600);
  assert.equal(r.contributions, 600 * 60);
  assert.equal(r.cases, 800);
  const db = a.dbh.db;
  for (const p of await db.selectFrom('persons').select('id_no').execute()) assert.equal(citizenIdProblem(p.id_no), null, p.id_no);
  for (const u of await db.selectFrom('units').select('uscc').execute()) assert.ok(isUscc(u.uscc), u.uscc);
  // Contributions end with the previous month and start 60 months before the run month.
  const span = await db
    .selectFrom('contributions')
    .select([sql<string>`min(month)`.as('lo'), sql<string>`max(month)`.as('hi')])
    .executeTakeFirstOrThrow();
  const month = OPTS.today.slice(0, 7);
  assert.deepEqual([span.lo, span.hi], [addMonthsYm(month, -60), addMonthsYm(month, -1)]);
  const arrears = await db
    .selectFrom('contributions')
    .select(sql<number>`count(distinct person_id)::int`.as('n'))
    .where('paid', '=', false)
    .executeTakeFirstOrThrow();
  assert.ok(arrears.n > 0 && arrears.n < 60, `some persons owe months (${arrears.n})`);
  // Every employee enrolment points at a unit of the same agency.
  const wrong = await db
    .selectFrom('enrolments as e')
    .innerJoin('units as u', 'u.id', 'e.unit_id')
    .select(sql<number>`count(*)::int`.as('n'))
    .whereRef('u.agency_code', '<>', 'e.agency_code')
    .executeTakeFirstOrThrow();
  assert.equal(wrong.n, 0);
  // Cases: many states, consistent clocks, unique numbers, applicants from the registry.
  const states = await db.selectFrom('cases').select('status').distinct().execute();
  assert.ok(states.length >= 10, states.map((s) => s.status).join());
  const bad = await db
    .selectFrom('cases as c')
    .leftJoin('persons as p', 'p.id_no', 'c.applicant_id_no')
    .select(sql<number>`count(*)::int`.as('n'))
    .where((eb) =>
      eb.or([
        eb('p.id', 'is', null),
        eb.and([eb('c.status', '=', 'draft'), eb('c.case_no', 'is not', null)]),
        eb.and([eb('c.clock_state', '=', 'running'), eb('c.due_date', 'is', null)]),
        eb.and([eb('c.completed_at', 'is not', null), eb('c.completed_at', '<', eb.ref('c.submitted_at'))]),
      ]),
    )
    .executeTakeFirstOrThrow();
  assert.equal(bad.n, 0);
  const v = await verifyAudit(db);
  assert.equal(v.ok, true, JSON.stringify(v));
  assert.equal(v.count, r.audit);
});

test('a generated citizen signs in and sees their cases; a new case number continues after the generated ones', async () => {
  const owner = await a.dbh.db
    .selectFrom('cases')
    .innerJoin('users', 'users.id', 'cases.owner_user_id')
    .select(['users.login', 'users.id'])
    .where('cases.status', '<>', 'draft')
    .limit(1)
    .executeTakeFirstOrThrow();
  const c = new Client(a.url);
  assert.equal((await c.post('/api/auth/login', { login: owner.login, password: GEN_PASSWORD })).status, 200);
  const mine = await c.get('/api/cases/mine');
  assert.equal(mine.status, 200, JSON.stringify(mine.body));
  const expected = await a.dbh.db
    .selectFrom('cases')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('owner_user_id', '=', owner.id)
    .executeTakeFirstOrThrow();
  assert.equal(mine.body.total, expected.n);
  // The live case-number sequence moved past every generated number.
  const behind = await sql<{ n: number }>`
    select count(*)::int as n from cases c
    where c.case_no is not null and split_part(c.case_no, '-', 3)::bigint > (select last_value from case_no_seq)`.execute(a.dbh.db);
  assert.equal(behind.rows[0]!.n, 0);
});

test('the same arguments give the same data; a second run needs --reset', async () => {
  await generate(b.dbh.db, OPTS);
  for (const q of [
    `select md5(string_agg(id_no || name || coalesce(phone,''), ',' order by id)) as d from persons`,
    `select md5(string_agg(person_id || month || paid::text || amount_fen, ',' order by person_id, month)) as d from contributions`,
    `select md5(string_agg(coalesce(case_no,'-') || status || item_code || coalesce(due_date::text,''), ',' order by id)) as d from cases`,
    `select md5(string_agg(hash, ',' order by id)) as d from audit_log where subject_kind = 'case'`,
  ])
    assert.equal(await digest(a, q), await digest(b, q), q);
  await assert.rejects(generate(b.dbh.db, OPTS), /--reset/);
  const again = await generate(b.dbh.db, { ...OPTS, persons: 100, cases: 50, reset: true });
  assert.equal(again.persons, 100);
  assert.equal(personIdNo(0, ['210202']).idNo.length, 18);
});
