/**
 * The staff queue's page is merged from one FIFO read per status (migration 0022's index): it must
 * give exactly the rows and order of a plain "every matching case, oldest first" query, on every
 * page and with filters, and its count stops at the cap.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { startServer, type TestServer } from '../../../test/support.ts';
import { generate } from '../../cli/gen.ts';
import { chinaDate } from '../../platform/clock.ts';
import type { UserActor } from '../../http/actor.ts';
import { listQueue } from './queue.ts';
import { queueQuery } from '../../../common/api-cases.ts';

let s: TestServer;
let actor: UserActor;

before(async () => {
  s = await startServer();
  await generate(s.dbh.db, { persons: 300, units: 10, cases: 5000, seed: 5, years: 1, today: chinaDate(s.clockNow()) });
  const u = await s.dbh.db.selectFrom('users').selectAll().where('login', '=', 'gen-haicheng-1').executeTakeFirstOrThrow();
  actor = {
    kind: 'user',
    id: Number(u.id),
    userKind: 'staff',
    name: u.name,
    login: u.login,
    mobile: null,
    idNo: null,
    unitId: null,
    agencyCode: 'haicheng',
    officeId: null,
    departmentCode: null,
    roles: ['agency_admin', 'supervisor'],
    badCredit: false,
    idVerified: false,
  };
});
after(async () => {
  await s.close();
});

const OPEN = ['submitted', 'accepted', 'tolerance_accepted', 'reviewing', 'rechecking', 'correction', 'suspended'];

async function expected(where: string): Promise<number[]> {
  const r = await sql<{ id: number }>`select id from cases where agency_code = 'haicheng' and ${sql.raw(where)} order by queued_at, id`.execute(
    s.dbh.db,
  );
  return r.rows.map((x) => Number(x.id));
}

test('pages merged per status equal one FIFO query, page after page and with filters', async () => {
  const ctx = { db: s.dbh.db, now: s.clockNow(), today: chinaDate(s.clockNow()), actor };
  const cases: [Record<string, string>, string][] = [
    [{}, `status in (${OPEN.map((x) => `'${x}'`).join(',')})`],
    [{ status: 'submitted,reviewing' }, `status in ('submitted','reviewing')`],
    [{ channel: 'online' }, `status in (${OPEN.map((x) => `'${x}'`).join(',')}) and channel = 'online'`],
    [{ unassigned: '1', status: 'submitted,accepted' }, `status in ('submitted','accepted') and assignee_id is null`],
  ];
  for (const [filters, where] of cases) {
    const all = await expected(where);
    assert.ok(all.length > 8, `enough cases for three pages (${all.length})`);
    const got: number[] = [];
    for (let page = 1; page <= Math.ceil(all.length / 4); page++) {
      const r = await listQueue(ctx, queueQuery.parse({ ...filters, page: String(page), pageSize: '4' }));
      assert.equal(r.total, all.length);
      assert.equal(r.totalCapped, false);
      got.push(...r.rows.map((x) => Number(x.id)));
    }
    assert.deepEqual(got, all, JSON.stringify(filters));
  }
  const capped = await listQueue(ctx, queueQuery.parse({ pageSize: '10' }), 20);
  assert.deepEqual([capped.total, capped.totalCapped, capped.rows.length], [20, true, 10]);
});
