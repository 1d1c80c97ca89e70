/**
 * Capacity can never be overbooked, even under concurrent booking: many citizens fire at the same
 * time over HTTP for the last seat (and for a fresh slot), and one citizen fires for more slots
 * than the per-person limit. Exactly the free seats are taken; everyone else gets a coded error.
 * On PostgreSQL (TEST_DATABASE_URL) the requests really run in parallel on the connection pool.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import { registerCitizen } from '../../../test/client.ts';
import { mutableClock } from '../../platform/clock.ts';

const clock = mutableClock('2025-09-30T02:00:00Z');
const DAY = '2025-10-09';
let s: TestServer;
let office: number;
type Citizen = Awaited<ReturnType<typeof registerCitizen>>;
let people: Citizen[] = [];

before(async () => {
  s = await startServer({ clock });
  const opts = await s.get<any>('/api/agencies/dalian/appointments');
  office = opts.body.offices.find((o: { code: string }) => o.code === 'zhongshan').id; // 生育保险: 3 seats per slot
  for (let i = 0; i < 26; i += 6) {
    const batch = await Promise.all(Array.from({ length: Math.min(6, 26 - i) }, (_, j) => registerCitizen(s, { name: `市民${i + j + 1}` })));
    people.push(...batch);
  }
});
after(async () => {
  await s.close();
});

const book = (c: Citizen, start: string, date = DAY) => c.client.post('/api/appointments', { officeId: office, business: 'maternity', date, start });

async function slotState(start: string) {
  const slot = await s.dbh.db
    .selectFrom('appt_slots')
    .select(['capacity', 'booked'])
    .where('office_id', '=', office)
    .where('day', '=', DAY)
    .where('start_time', '=', start)
    .executeTakeFirstOrThrow();
  const held = await s.dbh.db
    .selectFrom('appointments')
    .select(({ fn }) => fn.countAll<number>().as('n'))
    .where('office_id', '=', office)
    .where('day', '=', DAY)
    .where('start_time', '=', start)
    .where('status', '=', 'booked')
    .executeTakeFirstOrThrow();
  return { ...slot, held: Number(held.n) };
}

test('24 citizens at once for the last seat: exactly one wins, the rest get APPT_SLOT_FULL', async () => {
  assert.equal((await book(people[0]!, '09:00')).status, 201);
  assert.equal((await book(people[1]!, '09:00')).status, 201);
  const racers = people.slice(2);
  assert.equal(racers.length, 24);
  const results = await Promise.all(racers.map((c) => book(c, '09:00')));
  const won = results.filter((r) => r.status === 201);
  const lost = results.filter((r) => r.status !== 201);
  assert.equal(won.length, 1, JSON.stringify(results.map((r) => r.status)));
  assert.equal(lost.length, 23);
  for (const r of lost) {
    assert.equal(r.status, 409);
    assert.equal(r.body.error.code, 'APPT_SLOT_FULL');
    assert.match(r.body.error.message, /已约满/);
  }
  assert.deepEqual(await slotState('09:00'), { capacity: 3, booked: 3, held: 3 });
  people = racers.filter((_, i) => results[i]!.status !== 201);
});

test('20 citizens at once for a slot nobody has booked yet: exactly its 3 seats are taken', async () => {
  const racers = people.slice(0, 20);
  const results = await Promise.all(racers.map((c) => book(c, '10:00')));
  assert.equal(results.filter((r) => r.status === 201).length, 3, JSON.stringify(results.map((r) => r.status)));
  assert.ok(results.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'APPT_SLOT_FULL'));
  assert.deepEqual(await slotState('10:00'), { capacity: 3, booked: 3, held: 3 });
  // Codes are unique.
  const codes = new Set(results.filter((r) => r.status === 201).map((r) => r.body.code));
  assert.equal(codes.size, 3);
});

test('one citizen firing 6 bookings at once holds at most the limit of 3', async () => {
  const c = people[people.length - 1]!;
  const days = ['2025-10-10', '2025-10-11', '2025-10-13', '2025-10-14', '2025-10-15', '2025-10-16'];
  const results = await Promise.all(days.map((d) => book(c, '13:00', d)));
  assert.equal(results.filter((r) => r.status === 201).length, 3, JSON.stringify(results.map((r) => r.body.error?.code ?? r.status)));
  assert.ok(results.filter((r) => r.status !== 201).every((r) => r.body.error.code === 'APPT_LIMIT_REACHED'));
  const st = await c.client.get('/api/appointments/standing?agency=dalian');
  assert.equal(st.body.openBookings, 3);
});

test('the database itself refuses a counter above capacity', async () => {
  await assert.rejects(
    s.dbh.db
      .updateTable('appt_slots')
      .set({ booked: 4 })
      .where('office_id', '=', office)
      .where('day', '=', DAY)
      .where('start_time', '=', '09:00')
      .execute(),
    /appt_slots_booked_within_capacity/,
  );
});
