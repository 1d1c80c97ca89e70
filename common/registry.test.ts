import { test } from 'node:test';
import assert from 'node:assert/strict';
import { addMonthsYm, arrearsMonths, continuousPaidMonths, monthStanding, type ContributionRecord, type GraceWindow } from './registry.ts';

/** Employee contributions at 大连 for `months` months from `from`; `unpaid` months are in arrears, `late` paid on the given day. */
function months(from: string, n: number, opts: { unpaid?: string[]; late?: Record<string, string>; agency?: string } = {}): ContributionRecord[] {
  return Array.from({ length: n }, (_, i) => {
    const month = addMonthsYm(from, i);
    const paid = !(opts.unpaid ?? []).includes(month);
    return {
      month,
      type: 'employee' as const,
      agencyCode: opts.agency ?? 'dalian',
      base: 5000,
      amount: 400,
      paid,
      paidOn: paid ? (opts.late?.[month] ?? `${month}-15`) : null,
    };
  });
}

// 大连 2020: the regime ran from 2020-01-24 to 2020-05-31; arrears of those months may be paid by 2020-08-31.
const ended: GraceWindow = { agencyCode: 'dalian', types: ['employee'], from: '2020-01', to: '2020-05', payBy: '2020-08-31' };
const open: GraceWindow = { agencyCode: 'dalian', types: ['employee'], from: '2020-01', to: null, payBy: null };

test('without a regime, a month in arrears breaks the run (the ordinary rule)', () => {
  const c = months('2019-01', 18, { unpaid: ['2020-03'] });
  assert.equal(continuousPaidMonths(c, 'employee', '2020-06'), 3);
  assert.deepEqual(arrearsMonths(c, 'employee', '2020-06'), ['2020-03']);
});

test('while the regime is on, months unpaid in the period count as paid and are not arrears', () => {
  const c = months('2019-01', 18, { unpaid: ['2020-02', '2020-03'] });
  const grace = { windows: [open], asOf: '2020-04-10' };
  assert.equal(continuousPaidMonths(c, 'employee', '2020-04', grace), 16);
  assert.deepEqual(arrearsMonths(c, 'employee', '2020-04', grace), []);
  assert.equal(
    monthStanding(
      c.find((x) => x.month === '2020-02')!,
      grace,
    ),
    'grace_pending',
  );
});

test('after the regime ends, unpaid months still count until the grace window closes', () => {
  const c = months('2019-01', 20, { unpaid: ['2020-03'] });
  assert.equal(continuousPaidMonths(c, 'employee', '2020-08', { windows: [ended], asOf: '2020-08-31' }), 20, 'last day of the window');
  assert.equal(
    continuousPaidMonths(c, 'employee', '2020-09', { windows: [ended], asOf: '2020-09-01' }),
    5,
    'the window has closed: arrears break the run',
  );
  assert.deepEqual(arrearsMonths(c, 'employee', '2020-09', { windows: [ended], asOf: '2020-09-01' }), ['2020-03']);
});

test('paid within the window the months count for good; paid after it they do not count for continuity', () => {
  const inTime = months('2019-01', 24, { late: { '2020-02': '2020-07-20', '2020-03': '2020-07-20' } });
  assert.equal(continuousPaidMonths(inTime, 'employee', '2020-12', { windows: [ended], asOf: '2020-12-15' }), 24);
  const tooLate = months('2019-01', 24, { late: { '2020-02': '2020-10-08', '2020-03': '2020-10-08' } });
  const g = { windows: [ended], asOf: '2020-12-15' };
  assert.equal(continuousPaidMonths(tooLate, 'employee', '2020-12', g), 9, '2020-04 … 2020-12');
  assert.equal(
    monthStanding(
      tooLate.find((x) => x.month === '2020-03')!,
      g,
    ),
    'paid_after_grace',
  );
  assert.deepEqual(arrearsMonths(tooLate, 'employee', '2020-12', g), [], 'paid late is not 欠费');
});

test('the window covers only the period months, its agency and its insurance types', () => {
  // 2019-12 is before the period: its arrears are ordinary arrears.
  const before = months('2019-01', 18, { unpaid: ['2019-12'] });
  assert.equal(continuousPaidMonths(before, 'employee', '2020-06', { windows: [open], asOf: '2020-06-10' }), 6);
  // 2020-07 is after the period ended in May.
  const after = months('2019-01', 20, { unpaid: ['2020-07'] });
  assert.equal(continuousPaidMonths(after, 'employee', '2020-08', { windows: [ended], asOf: '2020-08-10' }), 1);
  // Another agency's arrears are not forgiven by 大连's regime.
  const elsewhere = months('2019-01', 18, { unpaid: ['2020-03'], agency: 'daye' });
  assert.equal(continuousPaidMonths(elsewhere, 'employee', '2020-06', { windows: [open], asOf: '2020-06-10' }), 3);
  // Resident insurance is not in the window's types.
  const resident = months('2019-01', 18, { unpaid: ['2020-03'] }).map((c) => ({ ...c, type: 'resident' as const }));
  assert.equal(continuousPaidMonths(resident, 'resident', '2020-06', { windows: [open], asOf: '2020-06-10' }), 3);
});
