import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { checkRules, evaluateRule, evaluateRules, formatMoney, rule, ruleFile, summarise, type Answers, type Rule, type RuleInput } from './index.ts';
import type { ContributionRecord, EnrolmentType, PersonSnapshot } from '../registry.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

const LOCAL: Record<string, string> = { fushun: '210402', haicheng: '210381', daye: '420281', dalian: '210202', shandong: '370102' };
const AGENCY_ZH: Record<string, string> = { fushun: '抚顺', haicheng: '海城', daye: '大冶', dalian: '大连', shandong: '山东' };

function months(from: string, to: string, type: EnrolmentType = 'employee', agencyCode = 'fushun', paid = true): ContributionRecord[] {
  const out: ContributionRecord[] = [];
  let [y, m] = from.split('-').map(Number) as [number, number];
  for (;;) {
    const ym = `${y}-${String(m).padStart(2, '0')}`;
    if (ym > to) break;
    out.push({ month: ym, type, agencyCode, base: 5000, amount: 400, paid });
    m++;
    if (m > 12) {
      m = 1;
      y++;
    }
  }
  return out;
}

/** A working employee, insured since 2023-01 with every month paid, asOf 2024-06-15. */
function snap(agency: string, patch?: (s: PersonSnapshot) => void): PersonSnapshot {
  const s: PersonSnapshot = {
    asOf: '2024-06-15',
    agencyCode: agency,
    person: {
      idNo: '210402199003011234',
      name: '张三',
      sex: 'F',
      birthDate: '1990-03-01',
      hukouRegion: LOCAL[agency]!,
      residencePermitRegion: null,
      status: 'normal',
      phone: null,
      badCredit: false,
    },
    enrolments: [
      {
        type: 'employee',
        agencyCode: agency,
        unitUscc: '91210400MA0000000X',
        status: 'active',
        start: '2023-01-01',
        end: null,
        employment: 'employed',
      },
    ],
    contributions: months('2023-01', '2024-06', 'employee', agency),
    account: { agencyCode: agency, balance: 1234.56 },
    remoteFilings: [],
    chronicCerts: [],
    lockouts: [],
    unit: { uscc: '91210400MA0000000X', name: '某公司', status: 'normal', avgMonthlyWage: 6000, hasArrears: false },
    paidBenefits: [],
  };
  patch?.(s);
  return s;
}
const residentOnly = (s: PersonSnapshot) => {
  s.enrolments = [{ type: 'resident', agencyCode: s.agencyCode, unitUscc: null, status: 'active', start: '2023-01-01', end: null }];
  s.contributions = months('2023-01', '2024-06', 'resident', s.agencyCode);
  s.unit = null;
};
const setEmployment = (e: 'employed' | 'flexible' | 'retired') => (s: PersonSnapshot) => {
  s.enrolments[0]!.employment = e;
};
const employeeStatus = (st: 'active' | 'suspended' | 'terminated') => (s: PersonSnapshot) => {
  s.enrolments[0]!.status = st;
};

const RULES: Rule[] = readdirSync('data/rules')
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .flatMap((f) => ruleFile.parse(parse(readFileSync(`data/rules/${f}`, 'utf8'))).rules);

// ---------------------------------------------------------------------------------------------
// Every seed rule: one passing and one failing snapshot, named by the seed's own wording.

interface Case {
  why: string;
  snap?: (s: PersonSnapshot) => void;
  answers?: Answers;
  asOf?: string;
  item?: string;
  /** Text the failing reason must contain. */
  says?: string[];
}
interface RuleCases {
  wording: string;
  pass: Case;
  fail: Case;
}

const CASES: Record<string, RuleCases> = {
  // 抚顺 — 违规禁办事项清单
  'FS-JB-01': {
    wording: '个体参保人员是外地户口，并且没有抚顺居住证（城乡居民参保登记禁办）',
    pass: {
      why: 'an outside-户籍 person holds a 抚顺 居住证',
      item: 'FS-03',
      answers: { business: 'enroll', hukou: 'nonlocal' },
      snap: (s) => ((s.person!.hukouRegion = '210102'), (s.person!.residencePermitRegion = '210403')),
    },
    fail: {
      why: 'an outside-户籍 person has no 居住证',
      item: 'FS-03',
      answers: { business: 'enroll', hukou: 'nonlocal' },
      snap: (s) => (s.person!.hukouRegion = '210102'),
      says: ['210102', '居住证'],
    },
  },
  'FS-JB-02': {
    wording: '出具《参保凭证》：医保欠费',
    pass: { why: 'every month is paid', item: 'FS-11' },
    fail: {
      why: 'May 2024 is unpaid',
      item: 'FS-11',
      snap: (s) => (s.contributions.find((c) => c.month === '2024-05')!.paid = false),
      says: ['1个月', '欠费'],
    },
  },
  'FS-JB-03': {
    wording: '转移接续手续办理：省外人员办理：无参保凭证',
    pass: {
      why: 'an out-of-province applicant has the 参保凭证',
      item: 'FS-12',
      answers: { origin: 'out_of_province', certificate: 'yes', originSuspended: 'yes' },
    },
    fail: {
      why: 'an out-of-province applicant has no 参保凭证',
      item: 'FS-12',
      answers: { origin: 'out_of_province', certificate: 'no', originSuspended: 'yes' },
      says: ['参保凭证'],
    },
  },
  'FS-JB-04': {
    wording: '转移接续手续办理：转出地医保未办理暂停',
    pass: { why: 'the origin has suspended the insurance', item: 'FS-12', answers: { originSuspended: 'yes' } },
    fail: { why: 'the origin has not suspended it', item: 'FS-12', answers: { originSuspended: 'no' }, says: ['暂停'] },
  },
  'FS-JB-05': {
    wording: '门诊费用报销：普通门诊未办理异地安置',
    pass: {
      why: 'an ordinary outpatient visit with a valid 异地安置 filing',
      item: 'FS-17',
      answers: { visitType: 'ordinary' },
      snap: (s) => s.remoteFilings.push({ kind: 'resettled', destination: '460200', validFrom: '2024-01-01', validTo: null, pledgeDue: null }),
    },
    fail: {
      why: 'an ordinary outpatient visit with only a 临时 filing',
      item: 'FS-17',
      answers: { visitType: 'ordinary' },
      snap: (s) =>
        s.remoteFilings.push({ kind: 'other_temporary', destination: '210100', validFrom: '2024-06-01', validTo: '2024-06-30', pledgeDue: null }),
      says: ['异地安置'],
    },
  },
  'FS-JB-06': {
    wording: '门诊费用报销：急诊发生的费用，不是抢救、危重症',
    pass: { why: 'an emergency that was a rescue', item: 'FS-17', answers: { visitType: 'emergency', rescueOrCritical: 'yes' } },
    fail: {
      why: 'an emergency that was not a rescue or critical illness',
      item: 'FS-17',
      answers: { visitType: 'emergency', rescueOrCritical: 'no' },
      says: ['抢救、危重症'],
    },
  },
  'FS-JB-07': {
    wording: '住院费用报销：人员暂停参保',
    pass: { why: 'the person is insured and paying', item: 'FS-18' },
    fail: { why: 'the only enrolment is suspended', item: 'FS-18', snap: employeeStatus('suspended'), says: ['暂停'] },
  },
  'FS-JB-08': {
    wording: '住院费用报销：人员存在待遇封锁期',
    pass: {
      why: 'a lock-out ended before the date',
      item: 'FS-18',
      snap: (s) => s.lockouts.push({ from: '2023-01-01', to: '2023-12-31', reason: '欠费' }),
    },
    fail: {
      why: 'the date is inside a lock-out',
      item: 'FS-18',
      snap: (s) => s.lockouts.push({ from: '2024-06-01', to: '2024-12-31', reason: '欠费' }),
      says: ['封锁期', '2024-12-31'],
    },
  },
  'FS-JB-09': {
    wording: '生育津贴支付：医保连续缴费不满十个月',
    pass: { why: '18 continuous months', item: 'FS-21' },
    fail: {
      why: '9 continuous months after a gap',
      item: 'FS-21',
      snap: (s) => (s.contributions = [...months('2022-01', '2023-08'), ...months('2023-10', '2024-06')]),
      says: ['9个月'],
    },
  },
  'FS-JB-10': {
    wording: '生育津贴支付：个人或单位医保欠费',
    pass: { why: 'neither the person nor the unit owes', item: 'FS-21' },
    fail: { why: 'the unit owes contributions', item: 'FS-21', snap: (s) => (s.unit!.hasArrears = true), says: ['单位欠费：是'] },
  },
  'FS-JB-11': {
    wording: '生育津贴支付：递交完材料后，人员暂停参保（离职）',
    pass: { why: 'the employee insurance is still active at review', item: 'FS-21' },
    fail: { why: 'the employee insurance was suspended after submission', item: 'FS-21', snap: employeeStatus('suspended'), says: ['暂停'] },
  },
  'FS-R-RESETTLE-RETIRED': {
    wording: '异地安置退休人员备案',
    pass: { why: 'a retired person', item: 'FS-13', snap: setEmployment('retired') },
    fail: { why: 'a working employee', item: 'FS-13', says: ['在职'] },
  },
  'FS-RQ-CREDIT': {
    wording: '容缺办理事项清单（失信人员不适用容缺）',
    pass: { why: 'no bad-credit record', item: 'FS-19' },
    fail: { why: 'a bad-credit record', item: 'FS-19', snap: (s) => (s.person!.badCredit = true), says: ['失信'] },
  },

  // 海城
  'HC-JB-01': {
    wording: '违规医疗费用纳入基本医疗保险基金支付范围：应当从工伤保险基金中支付的',
    pass: { why: 'an ordinary illness', item: 'HC-20', answers: { cause: 'illness' } },
    fail: { why: 'a work injury', item: 'HC-20', answers: { cause: 'work_injury' }, says: ['工伤'] },
  },
  'HC-JB-02': {
    wording: '违规医疗费用纳入基本医疗保险基金支付范围：应当由第三人负担的',
    pass: { why: 'no third party', item: 'HC-19', answers: { cause: 'illness' } },
    fail: { why: 'a third party must pay', item: 'HC-19', answers: { cause: 'third_party' }, says: ['第三人'] },
  },
  'HC-JB-03': {
    wording: '违规医疗费用纳入基本医疗保险基金支付范围：应当由公共卫生负担的',
    pass: { why: 'not a public-health cost', item: 'HC-22', answers: { cause: 'illness' } },
    fail: { why: 'a public-health cost', item: 'HC-22', answers: { cause: 'public_health' }, says: ['公共卫生'] },
  },
  'HC-JB-04': {
    wording: '违规医疗费用纳入基本医疗保险基金支付范围：在境外就医的',
    pass: { why: 'treated in China', item: 'HC-20', answers: { location: 'domestic' } },
    fail: { why: 'treated abroad', item: 'HC-20', answers: { location: 'abroad' }, says: ['境外'] },
  },
  'HC-R-RESIDENT-WHO': {
    wording: '城乡居民参保登记：具有本市户籍的所有城乡居民 / 《鞍山市居住证》持有人 / 在校学生',
    pass: {
      why: 'an outside-户籍 holder of a 鞍山市居住证',
      item: 'HC-03',
      snap: (s) => ((s.person!.hukouRegion = '110101'), (s.person!.residencePermitRegion = '210302')),
    },
    fail: {
      why: 'an outside-户籍 person without a 居住证 who is no student',
      item: 'HC-03',
      snap: (s) => (s.person!.hukouRegion = '110101'),
      says: ['110101'],
    },
  },
  'HC-R-RESIDENT-NOT-EMPLOYEE': {
    wording: '城乡居民参保登记：应参加城镇职工基本医疗保险以外的',
    pass: { why: 'no employee insurance', item: 'HC-03', snap: residentOnly },
    fail: { why: 'an active employee insurance', item: 'HC-03', says: ['职工'] },
  },
  'HC-R-CERT-AFTER-STOP': {
    wording: '出具《参保凭证》：参保人员办理停保业务后',
    pass: { why: 'the unit has stopped the insurance', item: 'HC-11', snap: employeeStatus('suspended') },
    fail: { why: 'the insurance is still active', item: 'HC-11', says: ['参保缴费'] },
  },
  'HC-R-TRANSFER-OUT-STOP': {
    wording: '医保关系转移：办理停保业务后，将鞍山市医疗保险关系转出至统筹外地区',
    pass: { why: 'transfer out after 停保', item: 'HC-12', answers: { direction: 'out' }, snap: employeeStatus('terminated') },
    fail: { why: 'transfer out while still active', item: 'HC-12', answers: { direction: 'out' }, says: ['停保'] },
  },
  'HC-R-TRANSFER-IN-ACTIVE': {
    wording: '医保关系接续：参加鞍山市城镇职工医疗保险正常缴费的参保人员',
    pass: { why: 'transfer in while paying normally', item: 'HC-12', answers: { direction: 'in' } },
    fail: {
      why: 'transfer in with arrears',
      item: 'HC-12',
      answers: { direction: 'in' },
      snap: (s) => (s.contributions.at(-2)!.paid = false),
      says: ['欠费：是'],
    },
  },
  'HC-R-RESETTLE-RETIRED': {
    wording: '异地安置退休人员备案：退休后在异地定居或户籍迁入定居地的参保人员',
    pass: { why: 'retired', item: 'HC-14', snap: setEmployment('retired') },
    fail: { why: 'still working', item: 'HC-14', says: ['在职'] },
  },
  'HC-R-LONGSTAY-RETIRED-OR-60': {
    wording: '异地长期居住人员备案（职工医保退休人员或者达到60周岁的城乡居民参保人员）',
    pass: { why: 'a resident-insured person aged 64', item: 'HC-15', snap: (s) => (residentOnly(s), (s.person!.birthDate = '1960-01-01')) },
    fail: { why: 'a resident-insured person aged 34', item: 'HC-15', snap: residentOnly, says: ['34周岁'] },
  },
  'HC-R-LONGSTAY-MINOR': {
    wording: '异地长期居住人员备案（未成年城乡居民医保参保人员）',
    pass: { why: 'a resident-insured child of 9', item: 'HC-16', snap: (s) => (residentOnly(s), (s.person!.birthDate = '2015-02-01')) },
    fail: { why: 'a resident-insured adult', item: 'HC-16', snap: residentOnly, says: ['34周岁'] },
  },
  'HC-R-POSTED-HALF-YEAR': {
    wording: '常驻异地工作人员备案（用人单位派驻异地工作半年以上的在职职工）',
    pass: { why: 'posted for 12 months', item: 'HC-17', answers: { postedMonths: 12 } },
    fail: { why: 'posted for 3 months', item: 'HC-17', answers: { postedMonths: 3 }, says: ['3个月'] },
  },
  'HC-R-FLEXIBLE-OR-RESIDENT': {
    wording: '常驻异地工作人员备案（灵活就业职工医保在职人员或城乡居民医保参保人员）',
    pass: { why: 'a flexible worker', item: 'HC-18', snap: setEmployment('flexible') },
    fail: { why: 'a unit employee', item: 'HC-18', says: ['在职'] },
  },
  'HC-R-MANUAL-NOT-SETTLED': {
    wording: '非个人原因未能直接持卡结算，可持相关材料，回参保地进行手工报销',
    pass: { why: 'the bill was not settled by card', item: 'HC-20', answers: { cardSettled: 'no' } },
    fail: { why: 'the bill was already settled by card', item: 'HC-20', answers: { cardSettled: 'yes' }, says: ['持卡'] },
  },
  'HC-R-OUTPATIENT-REASON': {
    wording: '门诊费用报销：已办理异地就医登记备案并且已办理异地门诊慢病的人员',
    pass: {
      why: 'a remote filing and a 门诊慢病 certificate',
      item: 'HC-19',
      snap: (s) => {
        s.remoteFilings.push({ kind: 'long_term', destination: '110101', validFrom: '2024-01-01', validTo: null, pledgeDue: null });
        s.chronicCerts.push({ disease: '高血压', from: '2024-01-01', to: null });
      },
    },
    fail: { why: 'no filing, no certificate, no other stated reason', item: 'HC-19', says: ['0种'] },
  },
  'HC-R-MATERNITY-CONTRIB-1M': {
    wording: '参加城镇职工基本医疗保险的参保职工，缴费满 1 个月以上并继续缴费',
    pass: { why: 'insured and paying', item: 'HC-22' },
    fail: {
      why: 'insured this month with nothing paid yet',
      item: 'HC-22',
      snap: (s) => ((s.enrolments[0]!.start = '2024-06-01'), (s.contributions = [])),
      says: ['0个月'],
    },
  },
  'HC-R-PRENATAL-32W': {
    wording: '女职工孕产 32 周后在定点医疗机构的门诊产前检查',
    pass: { why: 'week 33', item: 'HC-21', answers: { gestationWeeks: 33 } },
    fail: { why: 'week 28', item: 'HC-21', answers: { gestationWeeks: 28 }, says: ['28'] },
  },
  'HC-R-ALLOWANCE-10M': {
    wording: '连续缴费满 10 个月（含）以上并继续缴费可享受生育津贴待遇',
    pass: { why: 'exactly 10 months', item: 'HC-24', snap: (s) => (s.contributions = months('2023-09', '2024-06', 'employee', 'haicheng')) },
    fail: { why: '9 months', item: 'HC-24', snap: (s) => (s.contributions = months('2023-10', '2024-06', 'employee', 'haicheng')), says: ['9个月'] },
  },
  'HC-RQ-CREDIT': {
    wording: '容缺办理事项清单（失信人员不适用容缺）',
    pass: { why: 'no bad-credit record', item: 'HC-21' },
    fail: { why: 'a bad-credit record', item: 'HC-21', snap: (s) => (s.person!.badCredit = true), says: ['失信'] },
  },

  // 大冶
  'DY-R-NO-DUP-RESIDENT': {
    wording: '城乡居民参保登记：不能同时重复参保',
    pass: { why: 'no employee insurance', item: 'DY-03', snap: (s) => (s.enrolments = []) },
    fail: { why: 'an active employee insurance', item: 'DY-03', says: ['重复'] },
  },
  'DY-R-NO-DUP-FLEXIBLE': {
    wording: '灵活就业人员可选择参加城乡居民医保，但不能同时重复参保',
    pass: {
      why: 'a flexible worker without resident insurance',
      item: 'DY-02',
      answers: { employment: 'flexible' },
      snap: (s) => (s.enrolments = []),
    },
    fail: {
      why: 'a flexible worker with resident insurance',
      item: 'DY-02',
      answers: { employment: 'flexible' },
      snap: residentOnly,
      says: ['城乡居民医保'],
    },
  },
  'DY-R-CERT-EMPLOYEE': {
    wording: '出具《参保凭证》服务对象：职工医疗保险参保人员',
    pass: { why: 'an employee-insured person', item: 'DY-10' },
    fail: { why: 'a resident-insured person only', item: 'DY-10', snap: residentOnly, says: ['未参保'] },
  },
  'DY-R-RESETTLE-RETIRED': {
    wording: '退休后在异地（黄石市以外）定居并迁入户籍的人员',
    pass: { why: 'retired with 户籍 moved to 深圳', item: 'DY-12', snap: (s) => (setEmployment('retired')(s), (s.person!.hukouRegion = '440305')) },
    fail: { why: 'retired with 户籍 still in 大冶', item: 'DY-12', snap: setEmployment('retired'), says: ['420281'] },
  },
  'DY-R-REMOTE-OUTSIDE-HUANGSHI': {
    wording: '在异地（黄石市以外）居住生活的人员',
    pass: { why: 'living in 广东省深圳市', item: 'DY-13', answers: { destination: '广东省深圳市', destinationRegion: '440305' } },
    fail: {
      why: 'the destination is 湖北省黄石市',
      item: 'DY-13',
      answers: { destination: '湖北省黄石市' },
      says: ['（湖北省黄石市）', '黄石市以外'],
    },
  },
  'DY-R-POSTED-EMPLOYEE': {
    wording: '用人单位派驻异地（黄石市以外）工作的人员',
    pass: { why: 'a unit employee', item: 'DY-14' },
    fail: { why: 'a flexible worker', item: 'DY-14', snap: setEmployment('flexible'), says: ['灵活就业'] },
  },
  'DY-R-CHRONIC-MAX-3': {
    wording: '慢性病最多只能申请三种',
    pass: {
      why: 'two held plus one new',
      item: 'DY-17',
      answers: { disease: '糖尿病' },
      snap: (s) => s.chronicCerts.push({ disease: '高血压', from: '2023-01-01', to: null }, { disease: '冠心病', from: '2023-01-01', to: null }),
    },
    fail: {
      why: 'three held plus one new',
      item: 'DY-17',
      answers: { disease: '慢性肾病' },
      snap: (s) =>
        s.chronicCerts.push(
          { disease: '高血压', from: '2023-01-01', to: null },
          { disease: '冠心病', from: '2023-01-01', to: null },
          { disease: '糖尿病', from: '2023-01-01', to: null },
        ),
      says: ['3种', '4种'],
    },
  },
  'DY-R-PRENATAL-WHO': {
    wording: '产前检查费服务对象：单位职工基本医疗保险参保人员（在职）、城乡居民医保参保人员',
    pass: { why: 'a resident-insured person', item: 'DY-20', snap: residentOnly },
    fail: { why: 'a retired employee', item: 'DY-20', snap: setEmployment('retired'), says: ['退休'] },
  },
  'DY-R-NEXT-MONTH': {
    wording: '职工当月参保，次月生效',
    pass: {
      why: 'insured on 2024-05-20, cost in June',
      item: 'DY-21',
      snap: (s) => ((s.enrolments[0]!.start = '2024-05-20'), (s.contributions = months('2024-05', '2024-06', 'employee', 'daye'))),
    },
    fail: {
      why: 'insured on 2024-06-03, cost in June',
      item: 'DY-21',
      snap: (s) => ((s.enrolments[0]!.start = '2024-06-03'), (s.contributions = months('2024-06', '2024-06', 'employee', 'daye'))),
      says: ['次月生效', '0个月'],
    },
  },
  'DY-R-PRENATAL-CAP': {
    wording: '产前检查费报销累计额度500元',
    pass: {
      why: '¥300 already paid',
      item: 'DY-20',
      snap: (s) => s.paidBenefits!.push({ benefit: 'prenatal', itemCode: 'DY-20', date: '2024-03-01', amount: 300 }),
    },
    fail: {
      why: '¥500 already paid',
      item: 'DY-20',
      snap: (s) =>
        s.paidBenefits!.push(
          { benefit: 'prenatal', itemCode: 'DY-20', date: '2024-03-01', amount: 300 },
          { benefit: 'prenatal', itemCode: 'DY-20', date: '2024-05-01', amount: 200 },
        ),
      says: ['¥500.00'],
    },
  },
  'DY-R-MATERNITY-ENROLLED': {
    wording: '生育医疗费服务对象：单位职工基本医疗保险参保人员（在职、退休）、灵活就业人员、城乡居民参保人员',
    pass: { why: 'a resident-insured person', item: 'DY-21', snap: residentOnly },
    fail: { why: 'nobody insured', item: 'DY-21', snap: (s) => (s.enrolments = []), says: ['未参保'] },
  },
  'DY-R-ALLOWANCE-EMPLOYED': {
    wording: '生育津贴服务对象：单位职工基本医疗保险参保人员（在职）',
    pass: { why: 'a working employee', item: 'DY-23' },
    fail: { why: 'a retired employee', item: 'DY-23', snap: setEmployment('retired'), says: ['退休'] },
  },
  'DY-R-ALLOWANCE-6M': {
    wording: '参保职工连续缴满6个月，第7个月生效',
    pass: {
      why: 'Jan–Jun paid, in July (the 7th month)',
      item: 'DY-23',
      asOf: '2024-07-10',
      snap: (s) => (s.contributions = months('2024-01', '2024-06', 'employee', 'daye')),
    },
    fail: {
      why: 'Jan–Jun paid, still in June (the 6th month)',
      item: 'DY-23',
      snap: (s) => (s.contributions = months('2024-01', '2024-06', 'employee', 'daye')),
      says: ['6个月'],
    },
  },
  'DY-R-ALLOWANCE-SEX': {
    wording: '参保女职工领取生育津贴，参保男职工领取护理津贴',
    pass: { why: 'a woman claims 生育津贴', item: 'DY-23', answers: { beneficiary: 'female' } },
    fail: { why: 'a woman claims the male 护理津贴', item: 'DY-23', answers: { beneficiary: 'male' }, says: ['女'] },
  },
  'DY-RQ-CREDIT': {
    wording: '容缺受理（失信人员不适用容缺）',
    pass: { why: 'no bad-credit record', item: 'DY-20' },
    fail: { why: 'a bad-credit record', item: 'DY-20', snap: (s) => (s.person!.badCredit = true), says: ['失信'] },
  },

  // 大连
  'DL-R-RESETTLE-WHO': {
    wording: '我市退休职工、具备本市户籍的个体和居民（学生除外）参保人员办理异地安置',
    pass: {
      why: 'a 大连-户籍 resident who is not a student',
      item: 'DL-01',
      answers: { applicantType: 'insured', student: 'no' },
      snap: residentOnly,
    },
    fail: {
      why: 'a 大连-户籍 resident who is a student',
      item: 'DL-01',
      answers: { applicantType: 'insured', student: 'yes' },
      snap: residentOnly,
      says: ['学生除外'],
    },
  },
  'DL-R-RESIDENT-NEW': {
    wording: '外地户籍人员中，成年人提供参保人的有效居住证',
    pass: {
      why: 'an outside-户籍 adult with a 大连 居住证',
      item: 'DL-12',
      snap: (s) => ((s.enrolments = []), (s.person!.hukouRegion = '110101'), (s.person!.residencePermitRegion = '210203')),
    },
    fail: {
      why: 'an outside-户籍 adult without one',
      item: 'DL-12',
      snap: (s) => ((s.enrolments = []), (s.person!.hukouRegion = '110101')),
      says: ['110101', '居住证'],
    },
  },
  'DL-RQ-CREDIT': {
    wording: '容缺受理（失信人员不适用容缺）',
    pass: { why: 'no bad-credit record', item: 'DL-12' },
    fail: { why: 'a bad-credit record', item: 'DL-12', snap: (s) => (s.person!.badCredit = true), says: ['失信'] },
  },

  // 山东
  'SD-R-TRANSFER-IN-PAID': {
    wording: '医保关系转入：参保人在省医保中心参保缴费（省医保中心有缴费记录）后',
    pass: { why: 'contributions paid at 省医保中心', item: 'SD-04B' },
    fail: {
      why: 'contributions only elsewhere',
      item: 'SD-04B',
      snap: (s) => (s.contributions = months('2023-01', '2024-06', 'employee', 'dalian')),
      says: ['0个月'],
    },
  },
  'SD-RQ-CREDIT': {
    wording: '容缺受理（失信人员不适用容缺）',
    pass: { why: 'no bad-credit record', item: 'SD-10' },
    fail: { why: 'a bad-credit record', item: 'SD-10', snap: (s) => (s.person!.badCredit = true), says: ['失信'] },
  },
};

function run(r: Rule, c: Case) {
  const s = snap(r.agency, c.snap);
  const item = c.item ?? r.items[0]!;
  assert.ok(r.items.includes(item) || r.items.includes('*'), `${r.code} is not attached to ${item}`);
  const results = evaluateRules(RULES, item, s, c.answers ?? {}, c.asOf ?? s.asOf);
  const res = results.find((x) => x.code === r.code);
  assert.ok(res, `${r.code} not evaluated for ${item}`);
  return res;
}

test('every encoded rule has a passing and a failing case (and no case names a missing rule)', () => {
  const codes = RULES.map((r) => r.code);
  assert.deepEqual([...new Set(codes)].sort(), Object.keys(CASES).sort());
  assert.deepEqual(checkRules(RULES), []);
});

// One pair per code (the cases run on their own date, so the version in force then is the one evaluated).
for (const r of RULES.filter((x, i, all) => all.findIndex((y) => y.code === x.code) === i)) {
  const c = CASES[r.code];
  if (!c) continue;
  const where = AGENCY_ZH[r.agency];
  test(`${where}：${c.wording} — ${r.code} passes when ${c.pass.why}`, () => {
    const res = run(r, c.pass);
    assert.equal(res.passed, true, res.reason);
    assert.equal(res.reason, '');
  });
  test(`${where}：${c.wording} — ${r.code} fails when ${c.fail.why}`, () => {
    const res = run(r, c.fail);
    assert.equal(res.applies, true);
    assert.equal(res.passed, false);
    assert.equal(res.kind, r.kind);
    assert.ok(res.reason.length > 0);
    assert.doesNotMatch(res.reason, /[{}]/, 'every placeholder is rendered');
    for (const s of c.fail.says ?? []) assert.ok(res.reason.includes(s), `reason 「${res.reason}」 should mention ${s}`);
    assert.ok(res.facts.length > 0, 'the facts used are reported');
  });
}

// ---------------------------------------------------------------------------------------------
// The engine

const base = (over: Partial<RuleInput> = {}): RuleInput => ({
  code: 'T-R-1',
  agency: 'daye',
  items: ['DY-01'],
  kind: 'eligibility',
  version: 1,
  effectiveFrom: '2020-01-01',
  source: '测试',
  require: { fact: 'person.exists', op: 'eq', value: true },
  reason: '不通过',
  ...over,
});
const mk = (over: Partial<RuleInput> = {}): Rule => rule.parse(base(over));

test('engine: all / any / not', () => {
  const s = snap('daye');
  const t = { fact: 'person.sex', op: 'eq', value: 'F' } as const;
  const f = { fact: 'person.sex', op: 'eq', value: 'M' } as const;
  const ok = (require: RuleInput['require']) => evaluateRule(mk({ require }), s).passed;
  assert.equal(ok({ all: [t, t] }), true);
  assert.equal(ok({ all: [t, f] }), false);
  assert.equal(ok({ any: [f, t] }), true);
  assert.equal(ok({ any: [f, f] }), false);
  assert.equal(ok({ not: f }), true);
  assert.equal(ok({ not: { any: [t, f] } }), false);
  assert.equal(ok({ all: [{ any: [f, t] }, { not: { all: [t, f] } }] }), true);
});

test('engine: comparison operators, null facts and arrays', () => {
  const s = snap('daye', (x) => (x.person!.residencePermitRegion = null));
  const ok = (require: RuleInput['require'], answers: Answers = {}) => evaluateRule(mk({ require }), s, answers).passed;
  assert.equal(ok({ fact: 'person.ageYears', op: 'gte', value: 34 }), true);
  assert.equal(ok({ fact: 'person.ageYears', op: 'gt', value: 34 }), false);
  assert.equal(ok({ fact: 'person.ageYears', op: 'lt', value: 35 }), true);
  assert.equal(ok({ fact: 'person.ageYears', op: 'lte', value: 33 }), false);
  assert.equal(ok({ fact: 'person.hukouRegion', op: 'startsWith', value: '4202' }), true);
  assert.equal(ok({ fact: 'answer', args: { id: 'destination' }, op: 'contains', value: '黄石' }, { destination: '湖北省黄石市' }), true);
  assert.equal(ok({ fact: 'answer', args: { id: 'destination' }, op: 'contains', value: '黄石' }), false, 'contains on a missing answer');
  assert.equal(ok({ fact: 'person.hukouRegion', op: 'in', value: ['420281', '420282'] }), true);
  assert.equal(ok({ fact: 'person.hukouRegion', op: 'notIn', value: ['420281'] }), false);
  assert.equal(ok({ fact: 'person.residencePermitRegion', op: 'exists' }), false);
  assert.equal(ok({ fact: 'person.residencePermitRegion', op: 'ne', value: '420281' }), true, 'ne holds for a missing value');
  assert.equal(ok({ fact: 'person.residencePermitRegion', op: 'gte', value: 1 }), false, 'ordering on a missing value is false');
  assert.equal(ok({ fact: 'answer', args: { id: 'diseases' }, op: 'eq', value: '糖尿病' }, { diseases: ['高血压', '糖尿病'] }), true);
  assert.equal(ok({ fact: 'answer', args: { id: 'diseases' }, op: 'exists' }, { diseases: [] }), false);
  assert.equal(ok({ fact: 'answer', args: { id: 'x' }, op: 'exists' }, { x: '' }), false, 'an empty answer does not exist');
});

test('engine: a number typed into a form (text) is compared as a number; other text never orders', () => {
  const s = snap('haicheng');
  const r = RULES.find((x) => x.code === 'HC-R-PRENATAL-32W')!;
  assert.equal(evaluateRule(r, s, { gestationWeeks: '33' }).passed, true, 'the form sends 33 as text');
  assert.equal(evaluateRule(r, s, { gestationWeeks: ' 32 ' }).passed, true);
  const early = evaluateRule(r, s, { gestationWeeks: '28' });
  assert.equal(early.passed, false);
  assert.match(early.reason, /孕周为28/);
  assert.equal(evaluateRule(r, s, { gestationWeeks: '三十三' }).passed, false, 'text that is not a number does not order');
  assert.equal(evaluateRule(r, s, { gestationWeeks: '' }).passed, false);
  const months = RULES.find((x) => x.code === 'HC-R-POSTED-HALF-YEAR')!;
  assert.equal(evaluateRule(months, s, { postedMonths: '6' }).passed, true);
  assert.equal(evaluateRule(months, s, { postedMonths: '5.5' }).passed, false);
});

test('engine: a rule whose `when` does not hold does not apply and passes', () => {
  const r = mk({
    when: { fact: 'answer', args: { id: 'business' }, op: 'eq', value: 'enroll' },
    require: { fact: 'person.sex', op: 'eq', value: 'M' },
  });
  const s = snap('daye');
  const no = evaluateRule(r, s, { business: 'stopResume' });
  assert.deepEqual([no.applies, no.passed, no.reason], [false, true, '']);
  const yes = evaluateRule(r, s, { business: 'enroll' });
  assert.deepEqual([yes.applies, yes.passed], [true, false]);
  assert.deepEqual(
    yes.facts.map((f) => [f.name, f.display]),
    [
      ['answer', 'enroll'],
      ['person.sex', '女'],
    ],
  );
});

test('engine: versions — per code the highest version in force; effective dates bound each version', () => {
  const v1 = mk({ version: 1, reason: 'v1', require: { fact: 'person.sex', op: 'eq', value: 'M' } });
  const v2 = mk({ version: 2, effectiveFrom: '2024-07-01', reason: 'v2', require: { fact: 'person.sex', op: 'eq', value: 'M' } });
  const v3 = mk({
    version: 3,
    effectiveFrom: '2021-01-01',
    effectiveTo: '2021-12-31',
    reason: 'v3',
    require: { fact: 'person.sex', op: 'eq', value: 'M' },
  });
  const s = snap('daye');
  const at = (d: string) => evaluateRules([v3, v2, v1], 'DY-01', s, {}, d);
  assert.deepEqual(
    at('2024-06-30').map((r) => [r.version, r.reason]),
    [[1, 'v1']],
  );
  assert.deepEqual(
    at('2024-07-01').map((r) => [r.version, r.reason]),
    [[2, 'v2']],
  );
  assert.deepEqual(
    at('2021-06-01').map((r) => r.version),
    [3],
  );
  assert.deepEqual(at('2019-12-31'), [], 'nothing is in force before the first effectiveFrom');
  const ended = mk({ effectiveTo: '2022-12-31' });
  assert.deepEqual(evaluateRules([ended], 'DY-01', s, {}, '2023-01-01'), []);
  assert.equal(evaluateRules([ended], 'DY-01', s, {}, '2022-12-31').length, 1, 'effectiveTo is inclusive');
});

test('engine: item filtering, the * wildcard, other agencies ignored, results ordered by code', () => {
  const s = snap('daye');
  const rules = [mk({ code: 'T-B', items: ['DY-02'] }), mk({ code: 'T-A', items: ['*'] }), mk({ code: 'T-C', agency: 'fushun', items: ['*'] })];
  assert.deepEqual(
    evaluateRules(rules, 'DY-02', s).map((r) => r.code),
    ['T-A', 'T-B'],
  );
  assert.deepEqual(
    evaluateRules(rules, 'DY-03', s).map((r) => r.code),
    ['T-A'],
  );
});

test('engine: unknown fact names, bad arguments and bad operands are rejected when the rule is parsed', () => {
  const err = (over: Partial<RuleInput>) => {
    const r = rule.safeParse(base(over));
    assert.equal(r.success, false);
    return r.error!.issues.map((i) => i.message).join(' | ');
  };
  assert.match(err({ require: { fact: 'person.hukouRegoin' as never, op: 'eq', value: '1' } }), /未知事实 person\.hukouRegoin/);
  assert.match(err({ require: { all: [{ not: { fact: 'nope' as never, op: 'exists' } }] } }), /未知事实 nope/, 'nested too');
  assert.match(err({ require: { fact: 'person.hukouInRegion', args: { prefix: 'abc' }, op: 'eq', value: true } }), /区划前缀/);
  assert.match(err({ require: { fact: 'enrolment.activeAt', op: 'eq', value: true } }), /enrolment\.activeAt/, 'a required argument is missing');
  assert.match(err({ require: { fact: 'person.sex', args: { extra: 1 }, op: 'eq', value: 'F' } }), /person\.sex/);
  assert.match(err({ require: { fact: 'person.sex', op: 'eq' } }), /需要 value/);
  assert.match(err({ require: { fact: 'person.sex', op: 'in', value: 'F' } }), /应为数组/);
  assert.match(err({ require: { fact: 'person.ageYears', op: 'gte', value: '18' } }), /应为数字/);
  assert.match(err({ require: { fact: 'person.hukouRegion', op: 'contains', value: 42 } }), /应为字符串/);
  assert.match(
    err({ require: { fact: 'enrolment.benefitStarted', args: { type: 'employee', rule: 'after_months' }, op: 'eq', value: true } }),
    /months/,
  );
  assert.match(err({ reason: '您的{person.nothing}不对' }), /person\.nothing/);
  assert.match(
    err({ reason: '{enrolment.activeAt}' }),
    /不是本规则使用的事实/,
    'a placeholder for a fact with required args must be used by the rule',
  );
  assert.match(err({ code: 'fs-lower' }), /大写字母/);
  assert.match(err({ effectiveFrom: '2024-02-30' }), /无效日期/);
  assert.match(err({ effectiveFrom: '2024-03-01', effectiveTo: '2024-02-01' }), /早于/);
  const file = ruleFile.safeParse({ agency: 'fushun', rules: [base()] });
  assert.equal(file.success, false, 'a rule of another agency in a file');
});

test('engine: checkRules finds duplicate versions, kind changes and unknown items', () => {
  const p = checkRules([mk(), mk(), mk({ version: 2, kind: 'prohibition' }), mk({ code: 'T-X', items: ['DY-99'] })], new Set(['DY-01']));
  assert.ok(p.some((x) => x.includes('重复')));
  assert.ok(p.some((x) => x.includes('kind')));
  assert.ok(p.some((x) => x.includes('DY-99')));
});

test('engine: deterministic — same input, same output; facts evaluated once each, in order', () => {
  const r = RULES.find((x) => x.code === 'FS-JB-10')!;
  const s = snap('fushun', (x) => (x.unit!.hasArrears = true));
  const a = evaluateRule(r, s, {});
  const b = evaluateRule(r, structuredClone(s), {});
  assert.deepEqual(a, b);
  assert.deepEqual(
    a.facts.map((f) => f.name),
    ['contributions.arrearsMonths', 'unit.hasArrears'],
  );
  assert.equal(a.facts[0]!.label, '职工医保欠费月数');
  assert.equal(a.reason, '个人或单位有医保欠费（个人欠费0个月；单位欠费：是），不能支付生育津贴。请补缴后再申请。');
});

test('facts: benefitStarted — 当月参保次月生效, and 连续缴满6个月第7个月生效 restarts after a gap', () => {
  const started = (s: PersonSnapshot, args: Record<string, unknown>) =>
    evaluateRule(mk({ require: { fact: 'enrolment.benefitStarted', args, op: 'eq', value: true } }), s).passed;
  const nm = { type: 'employee', rule: 'next_month' };
  assert.equal(
    started(
      snap('daye', (s) => (s.enrolments[0]!.start = '2024-06-01')),
      nm,
    ),
    false,
  );
  assert.equal(
    started(
      snap('daye', (s) => (s.enrolments[0]!.start = '2024-05-31')),
      nm,
    ),
    true,
  );
  assert.equal(started(snap('daye', employeeStatus('suspended')), nm), false, 'not while suspended');
  const am = { type: 'employee', rule: 'after_months', months: 6 };
  // Paid 2023-01..2023-12, gap in 2024-01, then 2024-02..2024-06: the new run is 5 months long.
  const gap = (s: PersonSnapshot) =>
    (s.contributions = [...months('2023-01', '2023-12', 'employee', 'daye'), ...months('2024-02', '2024-06', 'employee', 'daye')]);
  assert.equal(started(snap('daye', gap), am), false);
  assert.equal(
    started(
      snap('daye', (s) => (gap(s), s.contributions.push(...months('2024-07', '2024-07', 'employee', 'daye')), (s.asOf = '2024-08-05'))),
      am,
    ),
    true,
  );
});

test('facts: age counts whole years to the birthday; money, months and statuses are formatted', () => {
  const age = (birth: string, asOf: string) => {
    const s = snap('daye', (x) => ((x.person!.birthDate = birth), (x.asOf = asOf)));
    return evaluateRule(mk({ require: { fact: 'person.ageYears', op: 'gte', value: 60 } }), s).passed;
  };
  assert.equal(age('1964-06-15', '2024-06-14'), false);
  assert.equal(age('1964-06-15', '2024-06-15'), true);
  assert.equal(formatMoney(1234.56), '¥1,234.56');
  assert.equal(formatMoney(0.1 + 0.2), '¥0.30');
  assert.equal(formatMoney(1234567), '¥1,234,567.00');
  const r = evaluateRule(
    mk({
      require: {
        all: [
          { fact: 'account.balance', op: 'gt', value: 0 },
          { fact: 'enrolment.status', args: { type: 'resident' }, op: 'eq', value: 'none' },
          { fact: 'contributions.continuousMonths', args: { type: 'employee' }, op: 'gte', value: 1 },
          { fact: 'person.hukouRegion', op: 'exists' },
        ],
      },
    }),
    snap('daye'),
  );
  assert.deepEqual(
    r.facts.map((f) => f.display),
    ['¥1,234.56', '未参保', '18个月', '420281'],
  );
  assert.deepEqual(
    r.facts.map((f) => f.label),
    ['个人账户余额', '城乡居民医保参保状态', '职工医保连续缴费月数', '户籍地区划代码'],
  );
});

test('summarise: 禁办 found, eligibility failed, 容缺 not allowed', () => {
  const s = snap('fushun', (x) => ((x.person!.badCredit = true), (x.unit!.hasArrears = true)));
  const res = evaluateRules(RULES, 'FS-21', s);
  const sum = summarise(res);
  assert.equal(sum.prohibited, true);
  assert.equal(sum.eligible, true);
  assert.equal(sum.toleranceAllowed, false);
  assert.deepEqual(
    sum.failed.map((r) => r.code),
    ['FS-JB-10', 'FS-RQ-CREDIT'],
  );
});

// ---------------------------------------------------------------------------------------------
// 大连 DL-12 version 2: the guardians registered in 参保人档案

test('大连：未成年人提供父母一方的有效居住证或父母一方为本地户口 — DL-R-RESIDENT-NEW v2 reads the registered parents (confirms, never denies)', () => {
  const minor = (guardians: NonNullable<PersonSnapshot['guardians']>) => (s: PersonSnapshot) => {
    s.enrolments = [];
    s.contributions = [];
    s.person!.hukouRegion = '110101';
    s.person!.birthDate = '2020-05-01';
    s.guardians = guardians;
  };
  const parent = (over: Partial<NonNullable<PersonSnapshot['guardians']>[number]> = {}) => ({
    relation: 'parent' as const,
    name: '父亲',
    hukouRegion: '110101',
    residencePermitRegion: null,
    status: 'normal' as const,
    ...over,
  });
  const evalAt = (asOf: string, patch: (s: PersonSnapshot) => void, answers: Answers = {}) =>
    evaluateRules(RULES, 'DL-12', snap('dalian', patch), answers, asOf).find((r) => r.code === 'DL-R-RESIDENT-NEW')!;
  const after = '2026-12-01';

  // A registered parent with a 大连 居住证: eligible without (or against) the applicant's answer.
  const permit = evalAt(after, minor([parent({ residencePermitRegion: '210203' })]), { parentQualifies: 'no' });
  assert.equal(permit.version, 2);
  assert.equal(permit.passed, true, permit.reason);
  assert.equal(permit.facts.find((f) => f.name === 'guardians.parentInRegion')?.value, true);
  // A registered parent with a 大连 户籍 (the other half of the wording).
  assert.equal(evalAt(after, minor([parent({ hukouRegion: '210204' })])).passed, true);
  // No parent registered: the answer decides, as before; the trace says the registry has no record.
  const noRecord = evalAt(after, minor([]), { parentQualifies: 'yes' });
  assert.equal(noRecord.passed, true);
  assert.equal(noRecord.facts.find((f) => f.name === 'guardians.parentInRegion')?.display, '无记录');
  const refused = evalAt(after, minor([]), { parentQualifies: 'no' });
  assert.equal(refused.passed, false);
  assert.match(refused.reason, /父母一方/);
  // Both parents registered, neither with a 大连 tie: the registry does not deny — the answer (checked against the materials) still decides.
  const both = minor([parent(), parent({ name: '母亲' })]);
  assert.equal(evalAt(after, both, { parentQualifies: 'no' }).passed, false);
  assert.match(evalAt(after, both, { parentQualifies: 'no' }).reason, /登记的父母一方有大连户籍或居住证：否/);
  assert.equal(evalAt(after, both, { parentQualifies: 'yes' }).passed, true);
  // Only 父母 count (the seed says 父母一方), and only living ones.
  assert.equal(evalAt(after, minor([parent({ relation: 'other', hukouRegion: '210204' })]), { parentQualifies: 'no' }).passed, false);
  assert.equal(evalAt(after, minor([parent({ hukouRegion: '210204', status: 'deceased' })]), { parentQualifies: 'no' }).passed, false);
  // An adult's own 居住证 still decides for adults (the parents are not read).
  const adult = evalAt(after, (s) => ((s.enrolments = []), (s.person!.hukouRegion = '110101')));
  assert.equal(adult.passed, false);
  // Before version 2 took effect, version 1 (the answer only) applies.
  const v1 = evalAt('2026-11-23', minor([parent({ residencePermitRegion: '210203' })]), { parentQualifies: 'no' });
  assert.equal(v1.version, 1);
  assert.equal(v1.passed, false);
});
