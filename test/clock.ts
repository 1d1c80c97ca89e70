/**
 * The tests' clock. Every test server runs on an injected clock (startServer's default): it starts
 * at TEST_NOW and then runs with real time, so sessions, rate-limit windows and TTLs behave as in
 * production, while the business date never depends on the machine's. Tests that need another day
 * pass their own clock (mutableClock('2026-12-21T…')); fixtures are placed relative to the clock
 * (test/registry.ts `lastMonths`), never at fixed months.
 *
 * TEST_NOW may be overridden by the environment (`TEST_NOW=2027-03-15T10:00:00+08:00 npm test`) to
 * check that nothing depends on the default date.
 */
import { chinaDate, type MutableClock } from '../server/platform/clock.ts';
import { addMonthsYm } from '../common/registry.ts';

/** A Monday in November 2026: an ordinary working day of a published calendar year. */
export const DEFAULT_TEST_NOW = '2026-11-16T10:00:00+08:00';

export const TEST_NOW = process.env.TEST_NOW || DEFAULT_TEST_NOW;
if (Number.isNaN(Date.parse(TEST_NOW))) throw new Error(`TEST_NOW is not a date: ${TEST_NOW}`);

/** A clock that starts at `iso` (default TEST_NOW) and runs with real time; set() and advance() move it. */
export function testClock(iso: string | Date = TEST_NOW): MutableClock {
  let base = new Date(iso).getTime();
  let started = performance.now();
  return {
    now: () => new Date(base + Math.floor(performance.now() - started)),
    set: (v) => {
      base = new Date(v).getTime();
      started = performance.now();
    },
    advance: (ms) => {
      base += ms;
    },
  };
}

/** The China business date of TEST_NOW (or of `clock`). */
export function testToday(clock?: { now(): Date }): string {
  return chinaDate(clock ? clock.now() : new Date(TEST_NOW));
}

/** 'YYYY-MM' of the month `n` months before the clock's month (n = 0: this month). */
export function monthsAgo(n: number, clock?: { now(): Date }): string {
  return addMonthsYm(testToday(clock).slice(0, 7), -n);
}

/** The China business date `n` days before the clock's date (negative n: days ahead). */
export function daysAgo(n: number, clock?: { now(): Date }): string {
  const [y, m, d] = testToday(clock).split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - n)).toISOString().slice(0, 10);
}

/** The first day ('YYYY-MM-01') of the month `n` months before the clock's month. */
export function monthStart(n: number, clock?: { now(): Date }): string {
  return `${monthsAgo(n, clock)}-01`;
}

/** A test clock starting at the later of TEST_NOW and `iso` (for a test whose data only holds from a date on). */
export function testClockFrom(iso: string): MutableClock {
  return testClock(Date.parse(iso) > Date.parse(TEST_NOW) ? iso : TEST_NOW);
}
