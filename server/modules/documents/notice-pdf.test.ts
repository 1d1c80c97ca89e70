import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppError } from '../../../common/errors.ts';
import { loadConfig } from '../../config.ts';
import { chineseDate, renderNotice, type NoticeData } from './notice-pdf.ts';
import { newVerifyCode } from './verify-code.ts';

const FONTS = loadConfig().fonts;
const HAS_FONT = !!FONTS.regular && existsSync(FONTS.regular);
const HAS_POPPLER = (() => {
  try {
    execFileSync('pdfinfo', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const SKIP = !HAS_FONT ? 'no CJK font installed (fonts-noto-cjk)' : !HAS_POPPLER ? 'pdftotext/pdfinfo not installed (poppler-utils)' : false;
/** Set NOTICE_OUT=/tmp/notices to keep the rendered samples. */
const OUT = process.env.NOTICE_OUT;
const NOW = new Date('2026-11-24T02:15:00Z');

const verify = () => {
  const code = newVerifyCode();
  return { code, url: `https://ybjb.example.gov.cn/v/${code.replace(/-/g, '')}` };
};

const DAYE = '大冶市医疗保障事务中心';
const HAICHENG = '海城市医疗保障事务服务中心';

const SAMPLES: Record<string, NoticeData> = {
  'daye-receipt': {
    kind: 'receipt',
    title: '受理回执',
    agencyName: DAYE,
    caseNo: 'DY-20261124-000123',
    docNo: 'DY-SL-2026-000123',
    applicantName: '王秀英',
    itemName: '生育津贴申领',
    issuedOn: '2026-11-24',
    paragraphs: [
      '你于2026年11月24日申请办理的“生育津贴申领”事项，经审查，申请材料齐全，符合法定形式，本中心决定予以受理。',
      '本事项承诺时限为10个工作日。办理结果将以短信方式告知，你也可以凭办件编号在网上查询办理进度。',
    ],
    materialsTitle: '已收取的材料',
    materials: [
      { name: '生育津贴申领登记表', form: '原件', count: '1份' },
      { name: '居民身份证', form: '复印件', count: '1份', note: '正反面复印在同一页' },
      { name: '出生医学证明', form: '复印件', count: '1份' },
      { name: '出院小结（或出院记录）', form: '复印件', count: '1份', note: '加盖医院病案专用章' },
      { name: '本人社会保障卡或银行卡', form: '复印件', count: '1份' },
    ],
    deadline: { label: '承诺办结日期', date: '2026-12-08' },
    verify: verify(),
    contact: '咨询电话：0714-8722345（工作日上午8:30—12:00，下午14:30—17:30）。',
  },
  'haicheng-correction': {
    kind: 'correction',
    title: '补正材料通知书',
    agencyName: HAICHENG,
    caseNo: 'HC-20261124-000045',
    docNo: 'HC-BZ-2026-000045',
    applicantName: '李国强',
    itemName: '异地就医备案（转诊转院人员）',
    issuedOn: '2026-11-24',
    paragraphs: [
      '你于2026年11月23日提交的“异地就医备案（转诊转院人员）”申请，经审查，申请材料不齐全，请按下列要求补正。',
      '补齐全部材料后，本中心将在补正材料之日起受理；逾期未补正的，视为撤回申请。',
    ],
    materialsTitle: '需要补正的材料',
    materials: [
      { name: '转诊转院审批表（二级及以上定点医疗机构出具）', form: '原件', count: '1份', note: '须有主治医师签字并加盖医院医保办公章' },
      { name: '参保人居民身份证', form: '复印件', count: '1份', note: '原件现场核验后退还' },
    ],
    reasons: [{ text: '申请材料缺少转诊转院审批表。' }, { text: '身份证复印件字迹不清，无法核对。' }],
    deadline: { label: '补正期限', date: '2026-12-01' },
    verify: verify(),
    contact: '联系电话：0412-3212345。',
  },
  'daye-tolerance': {
    kind: 'tolerance',
    title: '容缺受理通知书',
    agencyName: DAYE,
    caseNo: 'DY-20261124-000130',
    docNo: 'DY-RQ-2026-000130',
    applicantName: '陈明',
    itemName: '门诊慢特病待遇认定',
    issuedOn: '2026-11-24',
    paragraphs: [
      '你申请办理的“门诊慢特病待遇认定”事项，主要申请材料齐全，次要材料尚有欠缺。根据容缺受理有关规定，经你书面承诺，本中心决定予以容缺受理。',
      '请在承诺期限内补齐下列材料。逾期未补齐的，本中心将终止办理，已作出的决定依法撤销。',
    ],
    materialsTitle: '容缺材料',
    materials: [{ name: '近一年内二级及以上医院的检查报告', form: '复印件', count: '1份', note: '可现场提供电子版' }],
    deadline: { label: '补齐期限', date: '2026-12-08' },
    pledge: {
      text: '本人申请办理门诊慢特病待遇认定，因部分材料暂不齐全，申请容缺受理。本人承诺：所提交的材料真实、有效；将在下列期限内补齐容缺材料；如逾期未补齐或提供虚假材料，自愿承担终止办理、撤销决定及由此产生的一切法律责任。',
      materials: ['近一年内二级及以上医院的检查报告（复印件1份）'],
      deadline: '2026-12-08',
    },
    verify: verify(),
  },
  refusal: {
    kind: 'refusal',
    title: '不予受理通知书',
    agencyName: DAYE,
    caseNo: 'DY-20261124-000131',
    docNo: 'DY-BSL-2026-000131',
    applicantName: '张伟',
    itemName: '医疗费用零星报销',
    issuedOn: '2026-11-24',
    paragraphs: ['你于2026年11月24日申请办理的“医疗费用零星报销”事项，经审查，不符合受理条件，根据有关规定，本中心决定不予受理。'],
    reasons: [
      { code: '禁办-03', text: '申请报销的医疗费用发生在参保缴费中断期间，不属于医保基金支付范围。' },
      { code: '禁办-07', text: '应当由第三人负担的医疗费用（交通事故），不纳入基本医疗保险基金支付范围。' },
    ],
    appeal: '如不服本决定，可自收到本通知书之日起六十日内向大冶市医疗保障局申请行政复议，或者在六个月内向大冶市人民法院提起行政诉讼。',
    verify: verify(),
    contact: '咨询电话：0714-8722345。',
  },
  completion: {
    kind: 'completion',
    title: '办结通知书',
    agencyName: DAYE,
    caseNo: 'DY-20261124-000123',
    docNo: 'DY-BJ-2026-000123',
    applicantName: '王秀英',
    itemName: '生育津贴申领',
    issuedOn: '2026-12-03',
    paragraphs: [
      '你申请办理的“生育津贴申领”事项（办件编号DY-20261124-000123）已于2026年12月3日办结。经核定，你可享受生育津贴98天，津贴标准为每日236.50元，合计23177.00元。',
      '津贴将于10个工作日内拨付至你本人的社会保障卡金融账户，请注意查收。',
    ],
    verify: verify(),
    contact: '咨询电话：0714-8722345。',
  },
  result: {
    kind: 'result',
    title: '待遇核定结果通知书',
    agencyName: HAICHENG,
    caseNo: 'HC-20261124-000050',
    docNo: 'HC-JG-2026-000050',
    applicantName: '刘芳',
    itemName: '门诊慢特病待遇认定',
    issuedOn: '2026-11-30',
    paragraphs: ['经专家评审，你申请的门诊慢特病（高血压Ⅲ级）待遇认定符合条件，自2026年12月1日起享受门诊慢特病待遇，有效期两年。'],
    reasons: [{ text: '病种：高血压（Ⅲ级，有心、脑、肾并发症之一）。' }, { text: '定点医疗机构：海城市中心医院。' }],
    verify: verify(),
  },
  'long-list': {
    kind: 'receipt',
    title: '受理回执',
    agencyName: HAICHENG,
    caseNo: 'HC-20261124-000099',
    docNo: 'HC-SL-2026-000099',
    applicantName: '海城市某某机械制造有限公司',
    itemName: '单位参保登记（批量）',
    issuedOn: '2026-11-24',
    paragraphs: ['你单位于2026年11月24日申请办理的单位参保登记事项，申请材料齐全，符合法定形式，本中心决定予以受理。已收取的材料如下。'],
    materials: Array.from({ length: 60 }, (_, i) => ({
      name: `职工参保登记表（第${i + 1}号职工${i % 7 === 0 ? '，含既往参保缴费年限认定的相关证明材料' : ''}）`,
      form: i % 3 ? '原件' : '复印件',
      count: `${1 + (i % 2)}份`,
      note: i % 5 === 0 ? '已现场核验原件' : '',
    })),
    deadline: { label: '承诺办结日期', date: '2026-12-04' },
    verify: verify(),
  },
};

const squash = (s: string) => s.replace(/\s+/g, '');

function inspect(pdf: Buffer, dir: string, name: string): { text: string; pages: number } {
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, pdf);
  const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  assert.match(info, /Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/);
  return { text, pages };
}

test('chineseDate writes dates the official way', () => {
  assert.equal(chineseDate('2026-11-24'), '二〇二六年十一月二十四日');
  assert.equal(chineseDate('2026-01-01'), '二〇二六年一月一日');
  assert.equal(chineseDate('2030-10-10'), '二〇三〇年十月十日');
  assert.equal(chineseDate('2026-12-30'), '二〇二六年十二月三十日');
  assert.equal(chineseDate('2026-02-19'), '二〇二六年二月十九日');
  assert.equal(chineseDate('2026-03-31'), '二〇二六年三月三十一日');
  assert.equal(chineseDate('not a date'), 'not a date');
});

test('without a CJK font it refuses with FONT_UNAVAILABLE', async () => {
  for (const fonts of [{}, { regular: '/nonexistent/NotoSansCJK-Regular.ttc' }])
    await assert.rejects(renderNotice(SAMPLES['refusal']!, fonts), (e: unknown) => e instanceof AppError && e.code === 'FONT_UNAVAILABLE');
});

test('every kind renders with its text, materials, deadline and verify code', { skip: SKIP }, async (t) => {
  const dir = OUT ?? mkdtempSync(path.join(tmpdir(), 'notices-'));
  mkdirSync(dir, { recursive: true });
  if (!OUT) t.after(() => rmSync(dir, { recursive: true, force: true }));
  const kinds = new Set<string>();
  for (const [name, d] of Object.entries(SAMPLES)) {
    await t.test(name, async () => {
      const pdf = await renderNotice(d, FONTS, { now: NOW });
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.ok(pdf.length < 600_000, `subset fonts keep the file small (${pdf.length} bytes)`);
      const { text, pages } = inspect(pdf, dir, name);
      const flat = squash(text);
      for (const s of [
        d.agencyName,
        d.title,
        d.caseNo,
        d.docNo,
        `${d.applicantName}：`,
        d.verify.code,
        chineseDate(d.issuedOn),
        '生成时间：2026-11-2410:15',
      ])
        assert.ok(flat.includes(squash(s)), `${name}: ${s}`);
      assert.ok(flat.includes(squash(`扫码或访问${d.verify.url}核验真伪`)), `${name}: verify url`);
      for (const m of d.materials ?? []) assert.ok(flat.includes(squash(m.name)), `${name}: material ${m.name}`);
      for (const r of d.reasons ?? []) assert.ok(flat.includes(squash(r.text)), `${name}: reason ${r.text}`);
      if (d.deadline) {
        const [y, m, day] = d.deadline.date.split('-').map(Number);
        assert.ok(flat.includes(`${d.deadline.label}：${y}年${m}月${day}日`), `${name}: deadline`);
      }
      if (d.appeal) assert.ok(flat.includes(squash(d.appeal)), `${name}: appeal`);
      if (d.pledge) {
        assert.equal(pages, 2, 'the pledge is its own page');
        for (const s of ['容缺受理承诺书', '承诺人（签字）：', '日期：', ...d.pledge.materials])
          assert.ok(flat.includes(squash(s)), `${name}: pledge ${s}`);
      } else if (name === 'long-list') {
        assert.ok(pages >= 2, 'sixty rows flow onto a second page');
        const perPage = text.split('\f').filter((p) => p.trim());
        assert.equal(perPage.length, pages);
        for (const p of perPage.slice(0, -1)) assert.ok(squash(p).includes('材料名称'), 'table header on every page with rows');
        assert.ok(squash(perPage[1]!).includes('受理回执（续页）'));
      } else assert.equal(pages, 1, `${name} fits on one page`);
      assert.ok(flat.includes(`第1页/共${pages}页`), `${name}: page x/y`);
      kinds.add(d.kind);
    });
  }
  assert.deepEqual([...kinds].sort(), ['completion', 'correction', 'receipt', 'refusal', 'result', 'tolerance']);
});

test('a notice renders well under a second', { skip: !HAS_FONT && 'no CJK font installed' }, async () => {
  await renderNotice(SAMPLES['daye-receipt']!, FONTS, { now: NOW }); // font files are read once per process
  const times: number[] = [];
  for (const name of ['haicheng-correction', 'refusal', 'daye-tolerance']) {
    const t0 = performance.now();
    await renderNotice(SAMPLES[name]!, FONTS, { now: NOW });
    times.push(performance.now() - t0);
  }
  const median = times.sort((a, b) => a - b)[1]!;
  assert.ok(median < 1000, `median ${median.toFixed(0)} ms`);
});
