import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import {
  BenefitError,
  benefitFile,
  benefitParams,
  cappedPayment,
  checkBenefitParams,
  EXAMPLE_SOURCE,
  flatPayment,
  manualReimbursement,
  maternityAllowance,
  procedureCapPayment,
  selectParams,
  type BenefitParams,
  type ManualReimbursementParams,
} from './benefits.ts';

const FILES = Object.fromEntries(
  readdirSync('data/benefits')
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => {
      const file = benefitFile.parse(parse(readFileSync(`data/benefits/${f}`, 'utf8')));
      return [file.agency, file.params] as const;
    }),
) as Record<string, BenefitParams[]>;

const ASOF = '2024-06-15';
const daye = FILES.daye!;
const allowance = selectParams(daye, 'maternity_allowance', ASOF, 'maternity_allowance')!;
const prenatal = selectParams(daye, 'prenatal', ASOF, 'capped')!;
const flat = selectParams(daye, 'resident_childbirth', ASOF, 'flat')!;
const fp = selectParams(daye, 'family_planning', ASOF, 'procedure_caps')!;
const manual = selectParams(daye, 'reimbursement', ASOF, 'manual_reimbursement')!;

const missing = (fn: () => unknown, code: string) => assert.throws(fn, (e: unknown) => e instanceof BenefitError && e.code === code);

test('every benefit parameter file validates, and numbers the seeds do not give are marked as examples', () => {
  for (const [agency, params] of Object.entries(FILES)) {
    assert.deepEqual(checkBenefitParams(params), [], agency);
    for (const p of params) assert.equal(p.example, p.source === EXAMPLE_SOURCE, `${agency} ${p.benefit}`);
  }
  assert.ok(FILES.daye && FILES.fushun && FILES.haicheng && FILES.shandong);
  assert.equal(manual.example, true, '大冶 gives no 起付线/比例/封顶线: the manual parameters are examples');
  assert.equal(allowance.example, false);
});

test('大冶：参保女职工领取生育津贴（剖宫产143天）— ¥6,000 ÷ 30 × 143 = ¥28,600.00', () => {
  const r = maternityAllowance(allowance, { avgMonthlyWage: 6000, kind: 'caesarean' });
  assert.equal(r.amount, 28600);
  assert.equal(r.example, false);
  assert.deepEqual(
    r.trace.map((t) => t.value),
    ['¥6,000.00', '¥200.00', '143天', '¥28,600.00', '¥28,600.00'],
  );
  assert.equal(r.trace[3]!.formula, '¥6,000.00 ÷ 30 × 143，四舍五入到分');
  assert.equal(r.params.source, '1.参保女职工领取生育津贴（顺产128天、剖宫产143天），参保男职工领取护理津贴（15天）');
});

test('大冶：生育津贴（顺产128天）— ¥6,000 ÷ 30 × 128 = ¥25,600.00', () => {
  assert.equal(maternityAllowance(allowance, { avgMonthlyWage: 6000, kind: 'natural' }).amount, 25600);
});

test('大冶：参保男职工领取护理津贴（15天）— ¥6,000 ÷ 30 × 15 = ¥3,000.00', () => {
  const r = maternityAllowance(allowance, { avgMonthlyWage: 6000, kind: 'male_nursing' });
  assert.equal(r.amount, 3000);
  assert.match(r.trace[2]!.step, /男职工护理津贴/);
  assert.match(r.trace[3]!.step, /护理津贴/);
});

test('生育津贴 rounding: exact until the last step, then half-up to the fen', () => {
  // 6001 × 128 ÷ 30 = 25,604.2666… → 25,604.27 (the daily wage 200.0333… is not rounded first)
  const r = maternityAllowance(allowance, { avgMonthlyWage: 6001, kind: 'natural' });
  assert.equal(r.amount, 25604.27);
  assert.equal(r.trace[1]!.value, '¥200.03');
  // 4000.01 × 15 ÷ 30 = 2000.005 → 2000.01 (half-up)
  assert.equal(maternityAllowance(allowance, { avgMonthlyWage: 4000.01, kind: 'male_nursing' }).amount, 2000.01);
  // 5000.01 × 143 ÷ 30 = 23,833.381 → 23,833.38
  assert.equal(maternityAllowance(allowance, { avgMonthlyWage: 5000.01, kind: 'caesarean' }).amount, 23833.38);
});

test('生育津贴: an agency whose seed gives no days refuses to calculate (no invented numbers)', () => {
  for (const agency of ['fushun', 'haicheng', 'shandong']) {
    const p = selectParams(FILES[agency]!, 'maternity_allowance', ASOF, 'maternity_allowance')!;
    assert.deepEqual(p.days, {}, agency);
    missing(() => maternityAllowance(p, { avgMonthlyWage: 6000, kind: 'natural' }), 'BENEFIT_PARAMS_MISSING');
  }
  missing(() => maternityAllowance(allowance, { avgMonthlyWage: null, kind: 'natural' }), 'VALIDATION_FAILED');
  missing(() => maternityAllowance(allowance, { avgMonthlyWage: -1, kind: 'natural' }), 'VALIDATION_FAILED');
  missing(() => maternityAllowance(allowance, { avgMonthlyWage: 6000.001, kind: 'natural' }), 'VALIDATION_FAILED');
});

test('大冶：产前检查费报销累计额度500元 — the cap holds across two claims', () => {
  const first = cappedPayment(prenatal, { claim: 320, alreadyPaid: 0 });
  assert.equal(first.amount, 320);
  const second = cappedPayment(prenatal, { claim: 300, alreadyPaid: first.amount });
  assert.equal(second.amount, 180);
  assert.deepEqual(
    second.trace.map((t) => [t.step, t.value]),
    [
      ['本次申请产前检查费', '¥300.00'],
      ['累计额度', '¥500.00'],
      ['已报销累计', '¥320.00'],
      ['剩余额度', '¥180.00'],
      ['本次可支付', '¥180.00'],
      ['应支付金额', '¥180.00'],
    ],
  );
  assert.equal(cappedPayment(prenatal, { claim: 100, alreadyPaid: 500 }).amount, 0, 'cap used up');
  assert.equal(cappedPayment(prenatal, { claim: 100, alreadyPaid: 650 }).amount, 0, 'never negative');
});

test('大冶：城乡居民医保参保人员每例予以600元标准定额支付', () => {
  const r = flatPayment(flat);
  assert.equal(r.amount, 600);
  assert.equal(r.trace[0]!.value, '¥600.00/例');
  assert.equal(flatPayment(flat, { cases: 2 }).amount, 1200);
  missing(() => flatPayment(flat, { cases: 0 }), 'VALIDATION_FAILED');
});

test('大冶：计划生育报销费用限额支付（妊娠流产400元、放置或去除宫内节育器100元、计划生育输精管结扎术500元）', () => {
  assert.equal(procedureCapPayment(fp, { procedure: 'abortion', claim: 650 }).amount, 400);
  assert.equal(procedureCapPayment(fp, { procedure: 'abortion', claim: 399.99 }).amount, 399.99);
  assert.equal(procedureCapPayment(fp, { procedure: 'iud', claim: 180 }).amount, 100);
  assert.equal(procedureCapPayment(fp, { procedure: 'iud', claim: 80 }).amount, 80);
  assert.equal(procedureCapPayment(fp, { procedure: 'vasectomy', claim: 900 }).amount, 500);
  assert.match(procedureCapPayment(fp, { procedure: 'vasectomy', claim: 900 }).trace[1]!.step, /计划生育输精管结扎术限额/);
  missing(() => procedureCapPayment(fp, { procedure: 'tubal', claim: 900 }), 'BENEFIT_PARAMS_MISSING');
});

test('手工报销 with 起付线, an excluded line and 先行自付 (example parameters are flagged)', () => {
  const r = manualReimbursement(manual, {
    lines: [
      { name: '床位费', amount: 2000, category: 'covered' },
      { name: '乙类药品', amount: 3000, category: 'partly' },
      { name: '高值耗材', amount: 1000, category: 'partly', selfPayRatio: 0.3 },
      { name: '美容项目', amount: 500, category: 'excluded' },
    ],
  });
  // eligible = 2000 + (3000 − 300) + (1000 − 300) = 5400; − 起付线 1000 = 4400; × 80% = 3520
  assert.equal(r.amount, 3520);
  assert.equal(r.example, true);
  assert.match(r.trace[0]!.step, /示例参数/);
  const v = Object.fromEntries(r.trace.map((t) => [t.step, t.value]));
  assert.equal(v['美容项目：不予支付（全自费）'], '¥500.00 → 纳入 ¥0.00');
  assert.equal(v['乙类药品：部分纳入（先行自付10%）'], '¥3,000.00 → 纳入 ¥2,700.00');
  assert.equal(v['高值耗材：部分纳入（先行自付30%）'], '¥1,000.00 → 纳入 ¥700.00');
  assert.equal(v['费用合计'], '¥6,500.00');
  assert.equal(v['纳入统筹范围的费用'], '¥5,400.00');
  assert.equal(v['超过起付线的部分'], '¥4,400.00');
  assert.equal(v['按报销比例80%'], '¥3,520.00');
  assert.equal(v['应支付金额'], '¥3,520.00');
});

test('手工报销 hits the 封顶线 after part of the 起付线 was already met this year', () => {
  const p: ManualReimbursementParams = benefitParams.parse({
    benefit: 'reimbursement',
    label: '测试',
    calculator: 'manual_reimbursement',
    items: ['DY-19'],
    version: 1,
    effectiveFrom: '2024-01-01',
    source: '测试参数',
    deductible: 1000,
    ratio: 0.85,
    ceiling: 10000,
  }) as ManualReimbursementParams;
  const r = manualReimbursement(p, { lines: [{ name: '住院费', amount: 5000.33, category: 'covered' }], deductibleMet: 400, paidThisYear: 8000 });
  // 5000.33 − 600 = 4400.33 × 85% = 3740.2805 → 3740.28; 封顶线 left 10000 − 8000 = 2000 → 2000.00
  const v = Object.fromEntries(r.trace.map((t) => [t.step, t.value]));
  assert.equal(v['本年度剩余起付线'], '¥600.00');
  assert.equal(v['按报销比例85%'], '¥3,740.28');
  assert.equal(v['本年度剩余封顶线'], '¥2,000.00');
  assert.equal(r.amount, 2000);
  assert.equal(r.example, false);
  // Below the 起付线 nothing is paid; a partly line with no ratio at all is refused.
  assert.equal(manualReimbursement(p, { lines: [{ name: '门诊费', amount: 800, category: 'covered' }] }).amount, 0);
  missing(() => manualReimbursement(p, { lines: [{ name: '乙类药品', amount: 100, category: 'partly' }] }), 'BENEFIT_PARAMS_MISSING');
  missing(() => manualReimbursement(p, { lines: [] }), 'VALIDATION_FAILED');
});

test('money is summed in fen: 0.10 + 0.20 is exactly 0.30', () => {
  const p = benefitParams.parse({ ...manual, deductible: 0, ratio: 1 }) as ManualReimbursementParams;
  const r = manualReimbursement(p, {
    lines: [
      { name: 'a', amount: 0.1, category: 'covered' },
      { name: 'b', amount: 0.2, category: 'covered' },
    ],
  });
  assert.equal(r.amount, 0.3);
});

test('selectParams: the highest version in force on the date', () => {
  const v2 = benefitParams.parse({ ...prenatal, version: 2, effectiveFrom: '2025-01-01', cap: 800 });
  const old = benefitParams.parse({ ...prenatal, version: 3, effectiveFrom: '2019-01-01', effectiveTo: '2019-12-31', cap: 300 });
  const ps = [prenatal, v2, old];
  assert.equal((selectParams(ps, 'prenatal', '2024-12-31', 'capped') as typeof prenatal).cap, 500);
  assert.equal((selectParams(ps, 'prenatal', '2025-01-01', 'capped') as typeof prenatal).cap, 800);
  assert.equal((selectParams(ps, 'prenatal', '2019-06-01', 'capped') as typeof prenatal).cap, 300);
  assert.equal(selectParams(ps, 'prenatal', '2018-06-01'), null);
  assert.equal(selectParams(ps, 'nothing', '2024-06-01'), null);
});

test('parameter schema: example flag must match the source; bad money, ratios and dates are rejected', () => {
  assert.equal(benefitParams.safeParse({ ...manual, example: false }).success, false);
  assert.equal(benefitParams.safeParse({ ...prenatal, source: EXAMPLE_SOURCE }).success, false);
  assert.equal(benefitParams.safeParse({ ...prenatal, cap: 500.001 }).success, false);
  assert.equal(benefitParams.safeParse({ ...manual, ratio: 1.2 }).success, false);
  assert.equal(benefitParams.safeParse({ ...allowance, days: { natural: 0 } }).success, false);
  assert.equal(benefitParams.safeParse({ ...allowance, days: { twins: 15 } }).success, false);
  assert.equal(benefitParams.safeParse({ ...prenatal, effectiveTo: '2019-01-01' }).success, false);
  const dup = checkBenefitParams([prenatal, prenatal, { ...flat, benefit: 'prenatal', version: 2 }], new Set(['DY-21']));
  assert.ok(dup.some((x) => x.includes('重复')));
  assert.ok(dup.some((x) => x.includes('calculator')));
  assert.ok(dup.some((x) => x.includes('DY-20')));
});
