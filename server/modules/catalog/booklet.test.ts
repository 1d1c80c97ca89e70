/** The guide booklet renderers (HTML and PDF), fed from the data files without a database. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgencyDetail, ItemOut, OfficeOut } from '../../../common/api.ts';
import { AppError } from '../../../common/errors.ts';
import { parseCatalog } from './service.ts';
import { presentAgencyDetail, presentItem, presentOffice } from './presenter.ts';
import { renderBookletHtml } from './booklet-html.ts';
import { renderBookletPdf } from './booklet-pdf.ts';

const DATA = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../data');
const FONTS = { regular: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', bold: '/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc' };
const HAS_FONT = existsSync(FONTS.regular);
const HAS_PDFTOTEXT = spawnSync('pdftotext', ['-v']).error === undefined;

interface Fixture {
  agency: AgencyDetail;
  items: ItemOut[];
  offices: OfficeOut[];
}

/** What the API would serve for a data file, built with the same presenters. */
function load(code: string): Fixture {
  const cat = parseCatalog(readFileSync(path.join(DATA, `${code}.yaml`), 'utf8'), `${code}.yaml`);
  const a = cat.agency;
  const agency = presentAgencyDetail(
    {
      code: a.code,
      name: a.name,
      shortName: a.shortName,
      region: { code: a.region.code, name: a.region.name, province: a.region.province, parentCode: a.region.parentCode ?? null },
      itemCount: cat.items.length,
      officeCount: cat.offices.length,
      version: { version: 1, effectiveFrom: '2024-01-01', status: 'published' },
    },
    cat,
  );
  const items = cat.items.map((it, i) => presentItem({ id: 100 + i, item_id: 1 + i }, a.code, it, cat));
  const offices = cat.offices.map((o, i) => presentOffice({ id: 1 + i, seq: o.seq ?? i + 1 }, o));
  return { agency, items, offices };
}

const codes = readdirSync(DATA)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -'.yaml'.length))
  .sort();

const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b/g) ?? []).length;

function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'booklet-'));
  try {
    writeFileSync(path.join(dir, 'b.pdf'), pdf);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'b.pdf'), '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('booklet HTML', () => {
  test('daye: sections, items and time limits in the seed structure', () => {
    const { agency, items, offices } = load('daye');
    const html = renderBookletHtml(agency, items, offices);
    assert.match(html, /^<!DOCTYPE html>\n<html lang="zh-CN">/);
    assert.match(html, /@page \{ size: A4;/);
    assert.equal((html.match(/<h1[\s>]/g) ?? []).length, 1, 'exactly one h1');
    assert.ok(html.includes('<title>医疗保障经办政务服务事项清单 — 大冶市医疗保障局</title>'));
    for (const s of ['目录', '事项清单', '办事指南', '1、 基本医疗保险参保和变更登记', '十、定点医药机构费用结算'])
      assert.ok(html.includes(s), `missing ${s}`);
    // The list: 事项类别 spanning its rows, 序号, 事项, 办理时限.
    assert.ok(html.includes('<th scope="col" class="c0">事项类别</th>'));
    assert.match(html, /<th scope="rowgroup" rowspan="6" class="c0 group">1、 基本医疗保险参保和变更登记<\/th>/);
    assert.match(html, /<td class="c1 center">23<\/td><td class="c2">生育津贴支付<\/td><td class="c3">10个工作日<\/td>/);
    assert.match(html, /<td class="c2">参保人员个人账户一次性支取<\/td><td class="c3">5个工作日<\/td>/);
    // The guide: numbered items and their parts.
    assert.ok(html.includes('<h4 id="item-DY-23-h">23.生育津贴支付</h4>'));
    assert.ok(html.includes('<h5>23.1 需提供要件</h5>'));
    assert.ok(html.includes('<strong>23.3 办理时限：</strong>不超过10个工作日'));
    assert.ok(html.includes('<strong>11.3 办理时限：</strong>不超过9个工作日（不含资料邮寄时间）'));
    assert.ok(html.includes('<strong>3.4 办理层级：</strong>市级、乡镇（街道）、村（社区）'));
    assert.ok(html.includes('<strong>联系电话：</strong>0714-8717336'));
    // No 禁办 / 容缺 lists in this seed: those sections are left out.
    assert.ok(!html.includes('违规禁办事项清单'));
    assert.ok(!html.includes('容缺办理事项清单'));
    // Transcribers' remarks are not printed.
    assert.ok(!html.includes('原文不列具体名称'));
  });

  for (const code of codes) {
    test(`${code}: renders every item, headers with scope, no raw markup`, () => {
      const { agency, items, offices } = load(code);
      const html = renderBookletHtml(agency, items, offices);
      assert.equal((html.match(/<h1[\s>]/g) ?? []).length, 1);
      for (const it of items) {
        assert.ok(html.includes(`id="item-${it.code}"`), `${it.code} missing`);
        assert.ok(html.includes(it.name.replace(/&/g, '&amp;')), `${it.code} name missing`);
      }
      for (const th of html.match(/<th\b[^>]*>/g) ?? []) assert.match(th, /scope="(col|row|rowgroup)"/);
      if (agency.prohibitionList.length) {
        assert.ok(html.includes('<h2 id="part-prohibitions-h">违规禁办事项清单</h2>'));
        for (const p of agency.prohibitionList) for (const s of p.situations) assert.ok(html.includes(s.text), s.code);
      }
      if (agency.toleranceList.length) {
        assert.ok(html.includes('<h2 id="part-tolerances-h">容缺办理事项清单</h2>'));
        assert.ok(html.includes('<th scope="col" class="c4">补正时间</th>'));
      }
      for (const o of offices) assert.ok(html.includes(o.name), o.code);
      if (agency.source.closing.length) assert.ok(html.includes(agency.source.closing.at(-1)!));
    });
  }

  test('haicheng: the seed’s own parts, tolerance and prohibition tables', { skip: !codes.includes('haicheng') }, () => {
    const { agency, items, offices } = load('haicheng');
    const html = renderBookletHtml(agency, items, offices);
    for (const s of ['医保权力事项清单', '办事不找关系路径', '医保服务大厅办理地址', '合规办事业务指南', '违规禁办事项清单', '容缺办理事项清单'])
      assert.ok(html.includes(`>${s}</`), s);
    assert.ok(html.includes('鞍山市铁西区三道街 81 号'));
    assert.ok(html.includes('<h5>24.1 需提供要件</h5>'));
    assert.ok(html.includes('<strong>24.4 温馨提示：</strong>'));
    assert.ok(html.includes('容缺受理承诺书（资料来源：办理人）'));
    assert.ok(html.includes('<td class="c4">受理后 10 个工作日内</td>'));
    assert.ok(html.includes('注：一个业务事项涉及多种可容缺的，可同时容缺'));
    assert.ok(html.includes('注：禁办事项存在禁办情形中的任意一种即禁止办理'));
  });

  test('dalian: measures grouped by kind, notices and closing', { skip: !codes.includes('dalian') }, () => {
    const { agency, items, offices } = load('dalian');
    const html = renderBookletHtml(agency, items, offices);
    assert.ok(html.includes('4项业务放宽办理'));
    assert.ok(html.includes('5项业务延期办理'));
    assert.ok(html.includes('不急于办理的业务可延期办理'));
    assert.ok(html.includes('市医保中心审核部'));
    assert.ok(html.includes('dlybydjy<wbr>@163.com') || html.includes('dlybydjy@163.com'));
    assert.ok(html.includes('预约电话（区号0411）'));
  });

  test('text is escaped', () => {
    const { agency, items, offices } = load('daye');
    const evil = '<script>alert("x")</script>&';
    const html = renderBookletHtml({ ...agency, name: evil }, [{ ...items[0]!, name: evil, tips: `<img src=x onerror=alert(1)>` }], offices);
    assert.ok(!html.includes('<script>'));
    assert.ok(!html.includes('<img'));
    assert.ok(html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;'));
  });
});

describe('booklet PDF', () => {
  test('without a CJK font it refuses with FONT_UNAVAILABLE', async () => {
    const { agency, items, offices } = load('daye');
    for (const fonts of [{}, { regular: '/nonexistent/NotoSansCJK-Regular.ttc' }]) {
      await assert.rejects(renderBookletPdf(agency, items, offices, fonts), (e: unknown) => e instanceof AppError && e.code === 'FONT_UNAVAILABLE');
    }
  });

  test('daye: A4 pages, metadata, page numbers and embedded CJK text', { skip: !HAS_FONT && 'Noto Sans CJK font not installed' }, async (t) => {
    const { agency, items, offices } = load('daye');
    const started = performance.now();
    const pdf = await renderBookletPdf(agency, items, offices, FONTS);
    const ms = performance.now() - started;
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(pageCount(pdf) > 10, `only ${pageCount(pdf)} pages`);
    assert.ok(ms < 10_000, `took ${ms} ms`);
    const raw = pdf.toString('latin1');
    assert.match(raw, /\/MediaBox \[0 0 595\.28 841\.89\]/);
    assert.match(raw, /\/FontFile3|\/FontFile2/, 'font embedded');
    assert.match(raw, /\/BaseFont \/[A-Z]{6}\+NotoSansCJKsc-Regular/, 'subset font');
    if (!HAS_PDFTOTEXT) return t.skip('pdftotext (poppler-utils) not installed');
    const text = pdfText(pdf);
    for (const s of [
      '生育津贴支付',
      '第 1 页',
      '第 2 页',
      '目',
      '事项清单',
      '办事指南',
      '大冶市医疗保障局',
      '1、 基本医疗保险参保和变更登记',
      '23.1 需提供要件',
      '不超过9个工作日（不含资料邮寄时间）',
    ])
      assert.ok(text.includes(s), `PDF text lacks ${s}`);
    const info = execFileSync('pdfinfo', ['-enc', 'UTF-8', '-'], { input: pdf, encoding: 'utf8' });
    assert.match(info, /Author:\s+大冶市医疗保障局/);
    assert.match(info, /Title:\s+医疗保障经办政务服务事项清单/);
    assert.match(info, /Subject:\s+\S/);
    assert.match(info, /Page size:\s+595\.28 x 841\.89 pts \(A4\)/);
  });

  for (const code of codes.filter((c) => c !== 'daye')) {
    test(`${code}: renders`, { skip: !HAS_FONT && 'Noto Sans CJK font not installed' }, async (t) => {
      const { agency, items, offices } = load(code);
      const pdf = await renderBookletPdf(agency, items, offices, FONTS);
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      assert.ok(pageCount(pdf) > 5);
      if (!HAS_PDFTOTEXT) return t.skip('pdftotext (poppler-utils) not installed');
      const text = pdfText(pdf).replace(/\s+/g, '');
      assert.ok(text.includes('第1页'));
      for (const it of items) assert.ok(text.includes(it.name.replace(/\s+/g, '')), `${code}: ${it.name}`);
      if (agency.prohibitionList.length) assert.ok(text.includes('违规禁办事项清单'));
      if (agency.toleranceList.length) assert.ok(text.includes('容缺办理事项清单'));
    });
  }

  test('works with only a regular font (bold is simulated)', { skip: !HAS_FONT && 'Noto Sans CJK font not installed' }, async () => {
    const { agency, items, offices } = load('daye');
    const pdf = await renderBookletPdf(agency, items, offices, { regular: FONTS.regular });
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(!/NotoSansCJKsc-Bold/.test(pdf.toString('latin1')));
  });
});
