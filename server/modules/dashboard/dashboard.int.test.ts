import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { parse as parseCsv } from 'csv-parse/sync';
import { startServer, type TestServer } from '../../../test/support.ts';
import { Client, registerCitizen, staffClient } from '../../../test/client.ts';
import { buildDashboardFixture, FIXTURE_TODAY, type DashboardFixture, type StaffCred } from '../../../test/dashboard-fixture.ts';
import type { DashboardOut, DashPanel, DashTable } from '../../../common/api-dashboard.ts';
import { mutableClock } from '../../platform/clock.ts';
import { staffTotp } from '../../../test/totp.ts';

// The fixture (test/dashboard-fixture.ts) lists every case and its dates; the numbers below are
// counted from that table by hand.
const clock = mutableClock('2025-09-29T02:00:00Z');
let s: TestServer;
let fx: DashboardFixture;
let admin: Client;

async function signIn(cred: StaffCred): Promise<Client> {
  const c = new Client(s.url);
  const r = await c.post('/api/auth/login', { login: cred.login, password: cred.password, totp: await staffTotp(s, cred.secret) });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return c;
}

before(async () => {
  s = await startServer({ clock });
  fx = await buildDashboardFixture(s, clock);
  admin = await signIn(fx.admin);
});
after(async () => {
  await s?.close();
});

async function dash(query: string, c: Client = admin): Promise<DashboardOut> {
  const r = await c.get<DashboardOut>(`/api/dashboard?${query}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body;
}
const panel = (d: DashboardOut, key: string): DashPanel => d.panels.find((p) => p.key === key)!;
const table = (d: DashboardOut, key: string): DashTable => d.panels.flatMap((p) => p.tables).find((t) => t.key === key)!;
const kpis = (d: DashboardOut, key: string) => Object.fromEntries(panel(d, key).kpis.map((k) => [k.key, k.value]));
/** A table as [first column, numbers…] rows, totals last. */
const grid = (t: DashTable) =>
  [...t.rows, ...(t.totals ? [t.totals] : [])].map((r) => t.columns.filter((c) => c.key !== 'itemName').map((c) => r[c.key]));

const DY24 = '救助对象参加城乡居民医保个人缴费补贴';

test('October 2025, every office: volume, on-time rate, handling time, backlog and overdue, to the case', async () => {
  const d = await dash('from=2025-10-01&to=2025-10-31');
  assert.deepEqual(d.agency, { code: 'daye', name: '大冶市医疗保障局', regionCode: '420281' });
  assert.deepEqual(d.filters, { from: '2025-10-01', to: '2025-10-31', office: null, officeName: null });
  assert.equal(d.asOf, FIXTURE_TODAY);
  // 2027 and 2028 are provisional (no notice yet); the warning waits for 1 October 2026.
  assert.deepEqual(d.calendar, { years: [2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028], notes: [], warning: null, warningYear: null });
  assert.deepEqual(
    d.panels.map((p) => p.key),
    ['volume', 'timeliness', 'backlog', 'overdue', 'satisfaction', 'complaints', 'appointments'],
  );

  // Submitted in October: C D G E (10-09), F (10-13), H (10-20), I (10-24), J (10-27). Not A B K (September), not the draft X, not 大连's Y.
  assert.deepEqual(kpis(d, 'volume'), { submitted: 8 });
  assert.deepEqual(grid(table(d, 'volume-item')), [
    ['DY-24', 6],
    ['DY-23', 2],
    ['合计', 8],
  ]);
  assert.equal(table(d, 'volume-item').rows[0]!.itemName, DY24);
  assert.deepEqual(grid(table(d, 'volume-channel')), [
    ['网上办', 4],
    ['窗口收件', 4],
    ['合计', 8],
  ]);
  assert.deepEqual(grid(table(d, 'volume-status')), [
    ['待受理', 1], // I
    ['已受理', 3], // F G J
    ['待补正', 1], // H
    ['审核中', 1], // E
    ['办结-准予', 1], // C
    ['办结-不予', 1], // D
    ['合计', 8],
  ]);

  // 办结 in October: A (1 wd, on time), B (13 − 3 paused = 10, on time on its moved due date), C (12, late), D (10, on time).
  assert.deepEqual(kpis(d, 'timeliness'), { completed: 4, onTimeRate: 75, avgWorkingDays: 8.25 });
  assert.deepEqual(grid(table(d, 'timeliness-item')), [
    ['DY-24', 4, 4, 3, 1, 75, 4, 33, 8.25],
    ['合计', 4, 4, 3, 1, 75, 4, 33, 8.25],
  ]);

  // Open and accepted on 10-27: J (age 0), H (5, paused), F (10), E G (13), K (14).
  assert.deepEqual(kpis(d, 'backlog'), { open: 6, paused: 1 });
  assert.deepEqual(grid(table(d, 'backlog-age')), [
    ['0–2 个工作日', 1, 0, 0],
    ['3–5 个工作日', 1, 1, 0],
    ['6–10 个工作日', 1, 0, 0],
    ['11–20 个工作日', 3, 0, 3],
    ['21 个工作日以上', 0, 0, 0],
    ['合计', 6, 1, 3],
  ]);

  // Overdue on 10-27: K (due 10-21: 4 wd), G and E (due 10-22: 3 wd). F is due today, H is paused.
  assert.deepEqual(kpis(d, 'overdue'), { overdue: 3 });
  assert.deepEqual(grid(table(d, 'overdue-office')), [
    ['市政务服务大厅', 2, 4],
    ['未经窗口（网上、掌上等）', 1, 3],
    ['合计', 3, 4],
  ]);
  assert.deepEqual(grid(table(d, 'overdue-handler')), [
    ['审核员甲', 1, 3],
    ['审核员乙', 1, 4],
    ['未认领', 1, 3],
    ['合计', 3, 4],
  ]);
  assert.deepEqual(
    table(d, 'overdue-cases').rows.map((r) => [r.caseId, r.caseNo, r.office, r.handler, r.dueDate, r.days]),
    [
      [fx.ids.K, fx.caseNo.K, '市政务服务大厅', '审核员乙', '2025-10-21', 4],
      [fx.ids.G, fx.caseNo.G, '市政务服务大厅', '未认领', '2025-10-22', 3],
      [fx.ids.E, fx.caseNo.E, '未经窗口（网上、掌上等）', '审核员甲', '2025-10-22', 3],
    ],
  );
  assert.deepEqual(d.offices.map((o) => o.name).slice(0, 2), ['市政务服务大厅', '乡镇（街道）政务便民服务中心']);
});

test('October 2025: 好差评 by level, office and item; open 整改; complaints; appointment use — to the rating and the seat', async () => {
  const d = await dash('from=2025-10-01&to=2025-10-31');

  // Six ratings: A 5, P1 1 (excluded: appeal upheld), P2 3, D 2, B 4, C 1. Counted 5; 满意 or better: A and B.
  assert.deepEqual(kpis(d, 'satisfaction'), { ratings: 6, satisfactionRate: 40, badRatings: 2, openRectifications: 2 });
  assert.deepEqual(grid(table(d, 'satisfaction-level')), [
    ['非常满意', 1, 1, 0, 0], // A
    ['满意', 1, 1, 0, 0], // B
    ['基本满意', 1, 0, 1, 0], // P2
    ['不满意', 1, 1, 0, 0], // D
    ['非常不满意', 2, 1, 1, 1], // C, and P1 excluded
    ['合计', 6, 4, 2, 1],
  ]);
  assert.deepEqual(grid(table(d, 'satisfaction-office')), [
    ['市政务服务大厅', 3, 2, 0, 0, 1, 1], // P1 (excluded), P2 3, C 1
    ['乡镇（街道）政务便民服务中心', 1, 1, 0, 0, 1, 0], // D 2
    ['未经窗口（网上、掌上等）', 2, 2, 2, 100, 0, 0], // A 5, B 4: online, their handler has no office
    ['合计', 6, 5, 2, 40, 2, 1],
  ]);
  assert.deepEqual(
    table(d, 'satisfaction-item').rows.map((r) => [r.itemCode, r.itemName, r.ratings, r.counted, r.good, r.rate, r.bad, r.excluded]),
    [
      ['DY-24', DY24, 5, 4, 2, 50, 2, 1], // A B C D, and P1 booked for DY-24
      ['maternity', '生育保险待遇', 1, 1, 0, 0, 0, 0], // P2: a visit for no particular item, by its business type
    ],
  );
  // Open on 10-27: D's (town centre, due 10-24: overdue, not called back) and C's (hall, due 10-28, called back). P1's was waived.
  assert.deepEqual(grid(table(d, 'rectification-office')), [
    ['市政务服务大厅', 1, 0, 1, 0, '2025-10-28'],
    ['乡镇（街道）政务便民服务中心', 1, 1, 0, 1, '2025-10-24'],
    ['合计', 2, 1, 1, 1, '2025-10-24'],
  ]);
  const sat = panel(d, 'satisfaction');
  assert.match(sat.description, /满意率 = 评价为“满意”或“非常满意”的条数 ÷ 计入满意度的评价条数/);
  assert.match(sat.description, /申诉成立）的评价保留记录，但不计入满意率和差评数/);
  assert.equal(sat.kpis.find((k) => k.key === 'badRatings')!.note, '另有 1 条经申诉不计');
  assert.equal(sat.kpis.find((k) => k.key === 'openRectifications')!.note, '其中 1 件已超期');

  // Complaints registered in October: K1 (hall, answered on time), K2 (person, by phone, unanswered past 10-23), K3 (case C, answered late).
  assert.deepEqual(kpis(d, 'complaints'), { complaints: 3, complaintsAnswered: 2, complaintsOverdue: 2 });
  assert.deepEqual(grid(table(d, 'complaints-subject')), [
    ['办件', 1, 1, 0, 1, 1, 0, 0, 1],
    ['服务大厅/窗口', 1, 1, 0, 1, 0, 0, 0, 0],
    ['工作人员', 1, 0, 1, 0, 0, 1, 1, 1],
    ['合计', 3, 2, 1, 2, 1, 1, 1, 2],
  ]);

  // Appointments for October days: 17 open working days × 9 seats; P1 P2 P3 P5 hold seats, P4 was cancelled.
  assert.deepEqual(kpis(d, 'appointments'), { apptCapacity: 153, apptUseRate: 2.6, apptArrived: 2, apptNoShows: 1, apptCancelled: 1 });
  const cols = ['capacity', 'booked', 'useRate', 'arrived', 'arrivalRate', 'noShows', 'noShowRate', 'pending', 'cancelled', 'cancelRate'];
  assert.deepEqual(grid(table(d, 'appointments-business')), [
    ['医疗费用手工（零星）报销和医疗救助', 102, 2, 2, 1, 50, 1, 50, 0, 1, 33.3], // P1 served, P3 no-show, P4 cancelled
    ['生育保险待遇', 51, 2, 3.9, 1, 100, 0, 0, 1, 0, 0], // P2 checked in, P5 to come
    ['合计', 153, 4, 2.6, 2, 66.7, 1, 33.3, 1, 1, 20],
  ]);
  assert.deepEqual(
    table(d, 'appointments-business')
      .columns.slice(1)
      .map((c) => c.key),
    cols,
  );
  assert.deepEqual(grid(table(d, 'appointments-office')), [
    ['市政务服务大厅', 153, 4, 2.6, 2, 66.7, 1, 33.3, 1, 1, 20],
    ['合计', 153, 4, 2.6, 2, 66.7, 1, 33.3, 1, 1, 20],
  ]);
  // The seats taken agree with the slot counters the booking code keeps.
  const counters = await s.dbh.db
    .selectFrom('appt_slots')
    .select(({ fn }) => fn.sum<number>('booked').as('n'))
    .where('office_id', '=', fx.offices.hall)
    .where('day', '>=', '2025-10-01')
    .where('day', '<=', '2025-10-31')
    .executeTakeFirstOrThrow();
  assert.equal(Number(counters.n), 4);

  // One day: 10-13 has P3 only (a no-show) among 9 seats; the closed Friday 10-31 offers nothing.
  const oct13 = await dash('from=2025-10-13&to=2025-10-13');
  assert.deepEqual(kpis(oct13, 'appointments'), { apptCapacity: 9, apptUseRate: 11.1, apptArrived: 0, apptNoShows: 1, apptCancelled: 0 });
  assert.deepEqual(kpis(await dash('from=2025-10-31&to=2025-10-31'), 'appointments'), {
    apptCapacity: 0,
    apptUseRate: null,
    apptArrived: 0,
    apptNoShows: 0,
    apptCancelled: 0,
  });
  // The National Day week offers no seats; a holiday is not a working day.
  assert.equal(kpis(await dash('from=2025-10-01&to=2025-10-08'), 'appointments').apptCapacity, 0);
});

test('the new panels follow the filters: one office, no office, and a period with nothing', async () => {
  const hall = await dash(`from=2025-10-01&to=2025-10-31&office=${fx.offices.hall}`);
  assert.deepEqual(kpis(hall, 'satisfaction'), { ratings: 3, satisfactionRate: 0, badRatings: 1, openRectifications: 1 });
  assert.deepEqual(kpis(hall, 'complaints'), { complaints: 2, complaintsAnswered: 2, complaintsOverdue: 1 }); // K1, K3 (C's office)
  assert.equal(kpis(hall, 'appointments').apptCapacity, 153);
  const town = await dash(`from=2025-10-01&to=2025-10-31&office=${fx.offices.town}`);
  assert.deepEqual(kpis(town, 'satisfaction'), { ratings: 1, satisfactionRate: 0, badRatings: 1, openRectifications: 1 });
  assert.deepEqual(kpis(town, 'complaints'), { complaints: 0, complaintsAnswered: 0, complaintsOverdue: 0 });
  assert.deepEqual(kpis(town, 'appointments'), { apptCapacity: 0, apptUseRate: null, apptArrived: 0, apptNoShows: 0, apptCancelled: 0 });
  assert.deepEqual(grid(table(town, 'appointments-office')), [['合计', 0, 0, null, 0, null, 0, null, 0, 0, null]]);
  const none = await dash('from=2025-10-01&to=2025-10-31&office=none');
  assert.deepEqual(kpis(none, 'satisfaction'), { ratings: 2, satisfactionRate: 100, badRatings: 0, openRectifications: 0 });
  assert.deepEqual(kpis(none, 'complaints'), { complaints: 1, complaintsAnswered: 0, complaintsOverdue: 1 }); // K2: about a person, no office

  // September: no rating and no complaint yet; the open 整改 are today's whatever the period.
  const sep = await dash('from=2025-09-01&to=2025-09-30');
  assert.deepEqual(kpis(sep, 'satisfaction'), { ratings: 0, satisfactionRate: null, badRatings: 0, openRectifications: 2 });
  assert.deepEqual(grid(table(sep, 'satisfaction-level')).at(-1), ['合计', 0, 0, 0, 0]);
  assert.deepEqual(grid(table(sep, 'complaints-subject')), [['合计', 0, 0, 0, 0, 0, 0, 0, 0]]);
});

test('handling time per case: the National Day holiday and a 补正 pause are not counted', async () => {
  const day = async (date: string) => table(await dash(`from=${date}&to=${date}`), 'timeliness-item').totals;
  // A: accepted 09-30, approved 10-09: the working days in (09-30, 10-09] are 10-09 alone.
  assert.deepEqual(await day('2025-10-09'), {
    itemCode: '合计',
    itemName: '',
    completed: 1,
    timed: 1,
    onTime: 1,
    late: 0,
    onTimeRate: 100,
    measured: 1,
    handlingSum: 1,
    avgWorkingDays: 1,
  });
  // B: (09-29, 10-23] has 13 working days; the clock stood still 10-11, 10-13, 10-14 → 10, on its moved due date.
  assert.equal((await day('2025-10-23'))!.handlingSum, 10);
  assert.equal((await day('2025-10-23'))!.onTime, 1);
  // C: (10-09, 10-24] = 12 working days, two after its due date 10-22.
  assert.deepEqual([(await day('2025-10-24'))!.handlingSum, (await day('2025-10-24'))!.late, (await day('2025-10-24'))!.onTimeRate], [12, 1, 0]);
  // D: denied (办结-不予) on its due date 10-22 after 10 working days.
  assert.deepEqual([(await day('2025-10-22'))!.handlingSum, (await day('2025-10-22'))!.onTime], [10, 1]);
  // A day with no completion: no rate, no average.
  const none = await dash('from=2025-10-01&to=2025-10-08');
  assert.deepEqual(kpis(none, 'timeliness'), { completed: 0, onTimeRate: null, avgWorkingDays: null });
});

test('the office filter: 市政务服务大厅, and cases that came in through no office', async () => {
  const d = await dash(`from=2025-10-01&to=2025-10-31&office=${fx.offices.hall}`);
  assert.deepEqual(d.filters, { from: '2025-10-01', to: '2025-10-31', office: String(fx.offices.hall), officeName: '市政务服务大厅' });
  assert.deepEqual(grid(table(d, 'volume-item')), [
    ['DY-24', 3], // C G F
    ['合计', 3],
  ]);
  assert.deepEqual(grid(table(d, 'volume-channel')), [
    ['窗口收件', 3],
    ['合计', 3],
  ]);
  assert.deepEqual(grid(table(d, 'timeliness-item')), [
    ['DY-24', 1, 1, 0, 1, 0, 1, 12, 12], // C only
    ['合计', 1, 1, 0, 1, 0, 1, 12, 12],
  ]);
  assert.deepEqual(grid(table(d, 'backlog-age')), [
    ['0–2 个工作日', 0, 0, 0],
    ['3–5 个工作日', 0, 0, 0],
    ['6–10 个工作日', 1, 0, 0], // F
    ['11–20 个工作日', 2, 0, 2], // G K
    ['21 个工作日以上', 0, 0, 0],
    ['合计', 3, 0, 2],
  ]);
  assert.deepEqual(grid(table(d, 'overdue-handler')), [
    ['审核员乙', 1, 4],
    ['未认领', 1, 3],
    ['合计', 2, 4],
  ]);

  const none = await dash('from=2025-10-01&to=2025-10-31&office=none');
  assert.equal(none.filters.officeName, '未经窗口（网上、掌上等）');
  assert.deepEqual(grid(table(none, 'volume-item')), [
    ['DY-23', 2], // E H
    ['DY-24', 2], // I J
    ['合计', 4],
  ]);
  // A (1 wd) and B (10 wd) came in online and were completed in October, both on time.
  assert.deepEqual(kpis(none, 'timeliness'), { completed: 2, onTimeRate: 100, avgWorkingDays: 5.5 });
});

test('September: what was submitted then; backlog and overdue are today’s whatever the period', async () => {
  const d = await dash('from=2025-09-01&to=2025-09-30');
  assert.deepEqual(grid(table(d, 'volume-item')), [
    ['DY-24', 3], // A B K
    ['合计', 3],
  ]);
  assert.deepEqual(grid(table(d, 'volume-status')), [
    ['审核中', 1], // K
    ['办结-准予', 2], // A B
    ['合计', 3],
  ]);
  assert.deepEqual(kpis(d, 'timeliness'), { completed: 0, onTimeRate: null, avgWorkingDays: null });
  assert.deepEqual(kpis(d, 'backlog'), { open: 6, paused: 1 });
  assert.deepEqual(kpis(d, 'overdue'), { overdue: 3 });
  // The default period is this month up to today.
  const def = await dash('');
  assert.deepEqual([def.filters.from, def.filters.to], ['2025-10-01', FIXTURE_TODAY]);
  assert.equal(kpis(def, 'volume').submitted, 8);
});

test('who may see it: admins and supervisors of the agency; a reviewer is refused; another agency sees nothing of this one', async () => {
  const reviewer = await staffClient(s, { agency: 'daye', roles: ['reviewer', 'acceptor'] });
  for (const path of ['/api/dashboard', '/api/dashboard/volume-item.csv', '/api/dashboard/timeliness-item.xlsx']) {
    const r = await reviewer.client.get(path);
    assert.equal(r.status, 403, path);
    assert.equal(r.body.error.code, 'FORBIDDEN');
  }
  const citizen = await registerCitizen(s);
  assert.equal((await citizen.client.get('/api/dashboard')).status, 403);
  assert.equal((await new Client(s.url).get('/api/dashboard')).status, 401);

  const supervisor = await staffClient(s, { agency: 'daye', roles: ['supervisor'] });
  const sup = await dash('from=2025-10-01&to=2025-10-31', supervisor.client);
  assert.equal(kpis(sup, 'volume').submitted, 8);

  // 大连's admin: only 大连 (its one registered case), never 大冶's numbers.
  const dl = await staffClient(s, { agency: 'dalian', roles: ['agency_admin', 'supervisor'] });
  const own = await dash('from=2025-10-01&to=2025-10-31', dl.client);
  assert.equal(own.agency.code, 'dalian');
  assert.deepEqual(grid(table(own, 'volume-item')).at(-1), ['合计', 1]);
  assert.deepEqual(kpis(own, 'timeliness'), { completed: 0, onTimeRate: null, avgWorkingDays: null });
  assert.deepEqual(kpis(own, 'backlog'), { open: 0, paused: 0 });
  assert.deepEqual(kpis(own, 'overdue'), { overdue: 0 });
  assert.deepEqual(kpis(own, 'satisfaction'), { ratings: 0, satisfactionRate: null, badRatings: 0, openRectifications: 0 });
  assert.deepEqual(kpis(own, 'complaints'), { complaints: 0, complaintsAnswered: 0, complaintsOverdue: 0 });
  const dlAppt = kpis(own, 'appointments');
  assert.deepEqual(
    [dlAppt.apptUseRate, dlAppt.apptArrived, dlAppt.apptNoShows, dlAppt.apptCancelled],
    [0, 0, 0, 0],
    '大冶’s bookings are not 大连’s',
  );
  assert.ok(dlAppt.apptCapacity! > 0, '大连’s own halls offer seats');
  assert.ok(!grid(table(own, 'appointments-office')).some((r) => r[0] === '市政务服务大厅'));
  for (const path of ['/api/dashboard?agency=daye', '/api/dashboard/overdue-cases.csv?agency=daye']) {
    const r = await dl.client.get(path);
    assert.equal(r.status, 403, path);
  }
  const hallOffice = await dl.client.get(`/api/dashboard?office=${fx.offices.hall}`);
  assert.equal(hallOffice.status, 400, 'another agency’s office is not an office of 大连');
  assert.equal(hallOffice.body.error.code, 'VALIDATION_FAILED');

  // A system administrator may look at any agency.
  const sys = await staffClient(s, { agency: 'dalian', roles: ['sysadmin'] });
  const seen = await dash('agency=daye&from=2025-10-01&to=2025-10-31', sys.client);
  assert.equal(seen.agency.code, 'daye');
  assert.deepEqual(kpis(seen, 'timeliness'), { completed: 4, onTimeRate: 75, avgWorkingDays: 8.25 });
  assert.equal((await sys.client.get('/api/dashboard?agency=nowhere')).body.error.code, 'AGENCY_NOT_FOUND');
});

test('bad filters are 400 with the field; unknown tables 404', async () => {
  for (const [q, field] of [
    ['from=2025-10-31&to=2025-10-01', 'to'],
    ['from=2025-02-30&to=2025-03-01', 'from'],
    ['from=2025/10/01', 'from'],
    ['from=2020-01-01&to=2025-10-31', 'from'],
    ['office=abc', 'office'],
    [`office=999999`, 'office'],
    ['agency=DAYE!', 'agency'],
  ] as const) {
    const r = await admin.get(`/api/dashboard?${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.body.error.code, 'VALIDATION_FAILED', q);
    assert.ok(JSON.stringify(r.body.error.details).includes(field), `${q}: ${JSON.stringify(r.body.error)}`);
  }
  assert.equal((await admin.get('/api/dashboard/nope.csv')).status, 404);
  const docs = await s.get<{ paths: Record<string, unknown> }>('/api/docs/json');
  assert.ok(docs.body.paths['/api/dashboard'] && docs.body.paths['/api/dashboard/{file}'], 'described in OpenAPI');
  assert.equal((await admin.get('/api/dashboard/volume-item.pdf')).status, 400);
  assert.equal((await admin.get('/api/dashboard/volume-item.csv?from=2025-13-01')).status, 400);
});

test('exports: CSV with a BOM and XLSX, the same numbers and filters, audited', async () => {
  const q = `from=2025-10-01&to=2025-10-31`;
  const csv = await admin.get<Buffer>(`/api/dashboard/volume-item.csv?${q}`);
  assert.equal(csv.status, 200);
  assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(csv.headers.get('content-disposition')!, /^attachment; filename="daye-volume-item-2025-10-01_2025-10-31\.csv"; filename\*=UTF-8''/);
  assert.match(
    decodeURIComponent(csv.headers.get('content-disposition')!.split("''")[1]!),
    /^大冶市医疗保障局-办件量-按事项-2025-10-01至2025-10-31\.csv$/,
  );
  assert.deepEqual([...csv.body.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM for Excel');
  assert.deepEqual(parseCsv(csv.body.toString('utf8'), { bom: true }), [
    ['事项编码', '事项名称', '件数'],
    ['DY-24', DY24, '6'],
    ['DY-23', '生育津贴支付', '2'],
    ['合计', '', '8'],
  ]);

  const hall = await admin.get<Buffer>(`/api/dashboard/overdue-handler.csv?${q}&office=${fx.offices.hall}`);
  assert.deepEqual(parseCsv(hall.body.toString('utf8'), { bom: true }), [
    ['经办人', '超期件数', '最长超期（工作日）'],
    ['审核员乙', '1', '4'],
    ['未认领', '1', '3'],
    ['合计', '2', '4'],
  ]);
  const list = await admin.get<Buffer>(`/api/dashboard/overdue-cases.csv?${q}`);
  assert.deepEqual(parseCsv(list.body.toString('utf8'), { bom: true })[1], [
    fx.caseNo.K,
    `DY-24 ${DY24}`,
    '市政务服务大厅',
    '审核员乙',
    '2025-10-21',
    '4',
  ]);

  const xlsx = await admin.get<Buffer>(`/api/dashboard/timeliness-item.xlsx?${q}`);
  assert.equal(xlsx.status, 200);
  assert.equal(xlsx.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(xlsx.body as unknown as ArrayBuffer);
  assert.deepEqual(
    wb.worksheets.map((w) => w.name),
    ['按事项', '说明'],
  );
  const values = (ws: ExcelJS.Worksheet) =>
    ws
      .getSheetValues()
      .slice(1)
      .map((r) => (r as unknown[]).slice(1));
  assert.deepEqual(values(wb.worksheets[0]!), [
    [
      '事项编码',
      '事项名称',
      '办结件数',
      '有时限',
      '按时办结',
      '超期办结',
      '按时办结率（%）',
      '可计算用时件数',
      '用时合计（工作日）',
      '平均办理用时（工作日）',
    ],
    ['DY-24', DY24, 4, 4, 3, 1, 75, 4, 33, 8.25],
    ['合计', '', 4, 4, 3, 1, 75, 4, 33, 8.25],
  ]);
  const info = Object.fromEntries(values(wb.worksheets[1]!).slice(1) as [string, string][]);
  assert.equal(info['统计期间'], '2025-10-01 至 2025-10-31');
  assert.equal(info['窗口'], '全部');
  assert.equal(info['数据日期'], FIXTURE_TODAY);
  assert.match(info['口径']!, /暂停计时/);

  const audit = await s.dbh.db.selectFrom('audit_log').select(['action', 'subject_id', 'data']).where('action', '=', 'dashboard.export').execute();
  assert.ok(audit.some((a) => a.subject_id === 'daye/timeliness-item' && (a.data as { format: string }).format === 'xlsx'));
  assert.ok(audit.some((a) => a.subject_id === 'daye/volume-item' && (a.data as { format: string }).format === 'csv'));
});

test('an admin’s calendar edit reaches the working-day counts at once (a new holiday on 10-20)', async () => {
  const before = await s.get<{ holidays: { date: string; name: string }[]; workdays: { date: string; name: string }[] }>('/api/calendar/420281/2025');
  const put = (holidays: { date: string; name: string }[]) =>
    admin.put('/api/calendar/420281/2025', { holidays, workdays: before.body.workdays, note: '看板测试' });
  assert.equal((await put([...before.body.holidays, { date: '2025-10-20', name: '测试假日' }])).status, 200);
  const d = await dash('from=2025-10-01&to=2025-10-31');
  // A 1, B 12 − 3 = 9, C 11, D 9: 30 over 4. Due dates were fixed when set, so the on-time rate stays.
  assert.deepEqual(kpis(d, 'timeliness'), { completed: 4, onTimeRate: 75, avgWorkingDays: 7.5 });
  assert.deepEqual(
    table(d, 'overdue-cases').rows.map((r) => r.days),
    [4, 3, 3],
    '10-20 lies before every due date',
  );
  assert.deepEqual(grid(table(d, 'backlog-age')).at(-1), ['合计', 6, 1, 3]);
  // The hall offers no seats on the new holiday: 16 open working days × 9.
  assert.equal(kpis(d, 'appointments').apptCapacity, 144);
  // Put it back: the region's own version 2, with the national lists.
  assert.equal((await put(before.body.holidays)).status, 200);
  assert.deepEqual(kpis(await dash('from=2025-10-01&to=2025-10-31'), 'timeliness'), { completed: 4, onTimeRate: 75, avgWorkingDays: 8.25 });
});

test('a year the calendar does not cover is never guessed: ages and days overdue are shown as not computable', async () => {
  // Beyond the provisional years (to 2028 for a server started in 2025).
  clock.set('2029-01-04T02:00:00Z');
  admin = await signIn(fx.admin);
  const d = await dash('from=2029-01-01&to=2029-01-04');
  assert.equal(d.asOf, '2029-01-04');
  assert.deepEqual(d.calendar.notes.length, 1);
  assert.match(d.calendar.notes[0]!, /2029 年的工作日历尚未录入/);
  assert.match(d.calendar.warning ?? '', /^2029 年的放假安排尚未录入/, 'the admin is asked for the year that has begun without a calendar');
  assert.deepEqual(grid(table(d, 'backlog-age')), [
    ['0–2 个工作日', 0, 0, 0],
    ['3–5 个工作日', 0, 0, 0],
    ['6–10 个工作日', 0, 0, 0],
    ['11–20 个工作日', 0, 0, 0],
    ['21 个工作日以上', 0, 0, 0],
    ['无法计算（工作日历未覆盖）', 6, 1, 5],
    ['合计', 6, 1, 5],
  ]);
  // Every running case is past its due date by then (E F G J K); how many working days is unknown.
  assert.deepEqual(
    table(d, 'overdue-cases').rows.map((r) => [r.caseId, r.days]),
    [
      [fx.ids.K, null],
      [fx.ids.G, null],
      [fx.ids.E, null],
      [fx.ids.F, null],
      [fx.ids.J, null],
    ],
  );
  // No seats are offered on days the calendar does not cover, and the panel says so.
  const appt = panel(d, 'appointments').kpis.find((k) => k.key === 'apptCapacity')!;
  assert.deepEqual([appt.value, appt.note], [0, '4 天因工作日历未录入未计号源']);
  // October 2025's completions are still counted exactly.
  assert.deepEqual(kpis(await dash('from=2025-10-01&to=2025-10-31'), 'timeliness'), { completed: 4, onTimeRate: 75, avgWorkingDays: 8.25 });
});
