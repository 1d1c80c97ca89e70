import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../../../test/support.ts';
import type { CalendarVersionsOut, CalendarYearOut } from '../../../common/api-calendar.ts';
import type { ErrorBody } from '../../../common/errors.ts';
import { PROVISIONAL_HORIZON_YEARS, ensureProvisionalYears, getYearHistory, loadCalendar, putYear, seedCalendar } from './service.ts';
import { testToday } from '../../../test/clock.ts';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(async () => {
  await server?.close();
});

test('working-days contract: Dalian, 2025-09-30 + 10 working days → 2025-10-21', async () => {
  const r = await server.get<{ date: string }>('/api/calendar/working-days?region=210200&from=2025-09-30&days=10');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { date: '2025-10-21', provisional: false });
  const zero = await server.get<{ date: string }>('/api/calendar/working-days?region=000000&from=2025-10-04&days=0');
  assert.deepEqual(zero.body, { date: '2025-10-04', provisional: false });
  const spring = await server.get<{ date: string }>('/api/calendar/working-days?region=210200&from=2025-01-24&days=1');
  assert.deepEqual(spring.body, { date: '2025-01-26', provisional: false }, 'Sunday 1/26 is a make-up working day');
});

test('is-working-day contract', async () => {
  const sat = await server.get<{ workingDay: boolean }>('/api/calendar/is-working-day?region=210200&date=2025-10-11');
  assert.equal(sat.status, 200);
  assert.deepEqual(sat.body, { workingDay: true, provisional: false });
  const hol = await server.get<{ workingDay: boolean }>('/api/calendar/is-working-day?region=210200&date=2025-10-06');
  assert.deepEqual(hol.body, { workingDay: false, provisional: false });
  const weekend = await server.get<{ workingDay: boolean }>('/api/calendar/is-working-day?region=371300&date=2025-03-08');
  assert.deepEqual(weekend.body, { workingDay: false, provisional: false });
});

test('bad input → 400 VALIDATION_FAILED', async () => {
  for (const path of [
    '/api/calendar/working-days?region=2102&from=2025-09-30&days=10',
    '/api/calendar/working-days?region=dalian&from=2025-09-30&days=10',
    '/api/calendar/working-days?from=2025-09-30&days=10',
    '/api/calendar/working-days?region=210200&from=2025-02-30&days=10',
    '/api/calendar/working-days?region=210200&from=2025/09/30&days=10',
    '/api/calendar/working-days?region=210200&from=2025-09-30&days=-1',
    '/api/calendar/working-days?region=210200&from=2025-09-30&days=1001',
    '/api/calendar/working-days?region=210200&from=2025-09-30&days=1.5',
    '/api/calendar/working-days?region=210200&from=2025-09-30&days=',
    '/api/calendar/working-days?region=210200&from=2025-09-30',
    '/api/calendar/is-working-day?region=210200&date=2025-13-01',
    '/api/calendar/is-working-day?region=21020x&date=2025-10-01',
    '/api/calendar/2102/2025',
    '/api/calendar/210200/abc',
    '/api/calendar/210200/20a5/versions',
  ]) {
    const r = await server.get<ErrorBody>(path);
    assert.equal(r.status, 400, path);
    assert.equal(r.body.error.code, 'VALIDATION_FAILED', path);
  }
});

test('years beyond the provisional horizon and before the data → 422 CALENDAR_NOT_COVERED', async () => {
  const horizon = Number(testToday().slice(0, 4)) + PROVISIONAL_HORIZON_YEARS;
  const r = await server.get<ErrorBody>(`/api/calendar/working-days?region=210200&from=${horizon + 1}-03-01&days=5`);
  assert.equal(r.status, 422);
  assert.equal(r.body.error.code, 'CALENDAR_NOT_COVERED');
  assert.match(r.body.error.message, new RegExp(`${horizon + 1} 年的放假安排尚未公布，超出了系统可以预计的范围（目前至 ${horizon} 年）`));
  assert.deepEqual(r.body.error.details, { year: horizon + 1, lastYear: horizon });
  const crossing = await server.get<{ date: string; provisional: boolean }>(`/api/calendar/working-days?region=210200&from=${horizon}-12-25&days=10`);
  assert.equal(crossing.status, 422, 'a count running past the horizon is refused, not guessed');
  const isw = await server.get<ErrorBody>('/api/calendar/is-working-day?region=210200&date=2019-10-08');
  assert.equal(isw.body.error.code, 'CALENDAR_NOT_COVERED');
  const year = await server.get<ErrorBody>(`/api/calendar/210200/${horizon + 2}`);
  assert.equal(year.status, 422);
  const versions = await server.get<ErrorBody>(`/api/calendar/210200/${horizon + 2}/versions`);
  assert.equal(versions.status, 422);
});

test('year view: seeded national data with a month grid', async () => {
  const r = await server.get<CalendarYearOut>('/api/calendar/210200/2025');
  assert.equal(r.status, 200);
  assert.equal(r.body.region, '210200');
  assert.equal(r.body.resolvedFrom, '000000');
  assert.equal(r.body.version, 1);
  assert.equal(r.body.source, 'chinese-days');
  assert.equal(r.body.holidays.length, 28);
  assert.deepEqual(
    r.body.workdays.map((d) => d.date),
    ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  );
  assert.equal(r.body.months.length, 12);
  const oct = r.body.months[9]!;
  assert.equal(oct.firstWeekday, 3);
  assert.deepEqual(oct.days[10], { date: '2025-10-11', weekday: 6, workingDay: true, kind: 'makeup', name: '国庆节' });
  assert.equal(r.body.provisional, false);
  assert.equal(r.body.workingDayCount, 248, '261 weekdays − 18 weekday holidays + 5 make-up days');
  for (let y = 2020; y <= 2026; y++) assert.equal((await server.get(`/api/calendar/000000/${y}`)).status, 200, String(y));
});

test('seeding is idempotent', async () => {
  const again = await seedCalendar(server.dbh.db, server.config.DATA_DIR);
  assert.deepEqual(again.loaded, []);
  assert.deepEqual(again.skipped, [2020, 2021, 2022, 2023, 2024, 2025, 2026]);
  assert.deepEqual(again.replaced, []);
  assert.deepEqual(await ensureProvisionalYears(server.dbh.db, testToday()), [], 'the provisional years are there already');
});

test('putYear: version 2 changes the answer; history lists both; region overrides fall back per year', async () => {
  const db = server.dbh.db;
  const before = await server.get<CalendarYearOut>('/api/calendar/000000/2025');
  // Suppose an extra national holiday on Tuesday 2025-10-21.
  const res = await putYear(db, {
    region: '000000',
    year: 2025,
    holidays: [...before.body.holidays, { date: '2025-10-21', name: '测试假日' }],
    workdays: before.body.workdays,
    note: '测试：增加一天',
    actor: 'admin@test',
  });
  assert.equal(res.version, 2);
  assert.ok(res.recompute >= 5, 'one recompute job per agency using the national calendar');
  const after = await server.get<{ date: string }>('/api/calendar/working-days?region=210200&from=2025-09-30&days=10');
  assert.deepEqual(after.body, { date: '2025-10-22', provisional: false });
  assert.deepEqual((await server.get('/api/calendar/is-working-day?region=210200&date=2025-10-21')).body, { workingDay: false, provisional: false });

  const hist = await server.get<CalendarVersionsOut>('/api/calendar/000000/2025/versions');
  assert.equal(hist.status, 200);
  assert.deepEqual(
    hist.body.versions.map((v) => [v.version, v.source, v.current, v.createdBy]),
    [
      [2, 'admin', true, 'admin@test'],
      [1, 'chinese-days', false, null],
    ],
  );
  assert.equal(hist.body.inheritedFrom, null);
  const inherited = await getYearHistory(db, '210200', 2025);
  assert.deepEqual(inherited.versions, []);
  assert.equal(inherited.inheritedFrom, '000000');

  // A province-level version applies to its cities for that year only.
  await putYear(db, { region: '210000', year: 2025, holidays: [], workdays: [], note: '辽宁：只按周末', actor: 'admin@test' });
  assert.deepEqual((await server.get('/api/calendar/is-working-day?region=210200&date=2025-10-06')).body, { workingDay: true, provisional: false });
  assert.deepEqual((await server.get('/api/calendar/is-working-day?region=370000&date=2025-10-06')).body, { workingDay: false, provisional: false });
  assert.equal((await server.get<CalendarYearOut>('/api/calendar/210200/2025')).body.resolvedFrom, '210000');
  assert.equal((await server.get<CalendarYearOut>('/api/calendar/210200/2024')).body.resolvedFrom, '000000');
  const cal = await loadCalendar(db, '210200', [2025]);
  assert.ok(cal.covers(2025) && !cal.covers(2024));
});

test('putYear validates dates, names and overlaps', async () => {
  const db = server.dbh.db;
  const cases: [string, Parameters<typeof putYear>[1]][] = [
    ['date outside the year', { region: '000000', year: 2025, holidays: [{ date: '2026-01-01', name: '元旦' }], workdays: [] }],
    ['not a date', { region: '000000', year: 2025, holidays: [{ date: '2025-02-30', name: 'x' }], workdays: [] }],
    ['empty name', { region: '000000', year: 2025, holidays: [{ date: '2025-01-01', name: ' ' }], workdays: [] }],
    [
      'in both lists',
      { region: '000000', year: 2025, holidays: [{ date: '2025-01-01', name: '元旦' }], workdays: [{ date: '2025-01-01', name: '元旦' }] },
    ],
    [
      'duplicate',
      {
        region: '000000',
        year: 2025,
        holidays: [
          { date: '2025-01-01', name: '元旦' },
          { date: '2025-01-01', name: '元旦' },
        ],
        workdays: [],
      },
    ],
    ['bad region', { region: '21', year: 2025, holidays: [], workdays: [] }],
  ];
  for (const [what, input] of cases) {
    await assert.rejects(putYear(db, input), (e: { code?: string }) => e.code === 'VALIDATION_FAILED', what);
  }
});

test('OpenAPI lists the calendar routes', async () => {
  const r = await server.get<{ paths: Record<string, unknown> }>('/api/docs/json');
  assert.equal(r.status, 200);
  assert.ok(r.body.paths['/api/calendar/working-days']);
  assert.ok(r.body.paths['/api/calendar/{region}/{year}']);
});

test('admins edit a year through the API as a new version; others may not', async () => {
  const { staffClient, registerCitizen } = await import('../../../test/client.ts');
  const body = { holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [], note: '2027 年通知发布前的临时录入' };
  const citizen = await registerCitizen(server);
  assert.equal((await citizen.client.put('/api/calendar/420281/2027', body)).status, 403);
  const clerk = await staffClient(server, { agency: 'daye', roles: ['acceptor'] });
  assert.equal((await clerk.client.put('/api/calendar/420281/2027', body)).status, 403);
  const admin = await staffClient(server, { agency: 'daye', roles: ['agency_admin'] });
  const other = await admin.client.put('/api/calendar/210200/2027', body);
  assert.equal(other.status, 403, 'an agency admin edits only their own region');
  const bad = await admin.client.put('/api/calendar/420281/2027', { ...body, holidays: [{ date: '2026-12-31', name: '错年' }] });
  assert.equal(bad.status, 400);
  const ok = await admin.client.put('/api/calendar/420281/2027', body);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.version, 1);
  const d = await server.get<{ workingDay: boolean }>('/api/calendar/is-working-day?region=420281&date=2027-01-01');
  assert.deepEqual(d.body, { workingDay: false, provisional: false }, "the region's own version, not the provisional national one");
  const elsewhere = await server.get('/api/calendar/is-working-day?region=210200&date=2027-01-04');
  assert.deepEqual(elsewhere.body, { workingDay: true, provisional: true });
  const audit = await server.dbh.db.selectFrom('audit_log').select('action').where('subject_id', '=', '420281/2027').execute();
  assert.equal(audit.length, 1);
});
