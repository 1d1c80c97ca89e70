/**
 * 机构运行看板 in real Chromium: 大冶's admin opens the dashboard over the known fixture
 * (test/dashboard-fixture.ts, numbers counted by hand there: cases, ratings, rectifications,
 * complaints and hall bookings), sees its numbers and charts, narrows
 * it to one office and another period (kept in the URL), downloads a table as CSV with the same
 * filters, and a reviewer is turned away.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { parse as parseCsv } from 'csv-parse/sync';
import { startServer, type TestServer } from '../test/support.ts';
import { buildDashboardFixture, FIXTURE_TODAY, type DashboardFixture } from '../test/dashboard-fixture.ts';
import { mutableClock } from '../server/platform/clock.ts';
import { DESKTOP, expectAccessible, launch, watched } from './support.ts';
import { newContext, newStaff, shots as shotsAt, staffLogin } from './journeys.ts';

const clock = mutableClock('2025-09-29T02:00:00Z');
let s: TestServer;
let browser: Browser;
let fx: DashboardFixture;
before(async () => {
  [s, browser] = await Promise.all([startServer({ clock }), launch()]);
  fx = await buildDashboardFixture(s, clock);
});
after(async () => {
  await browser?.close();
  await s?.close();
});

const shots = (page: Page, name: string) => shotsAt(page, 'dash', name);

/** The headline numbers as the page shows them: label → value text. */
async function kpis(page: Page): Promise<Record<string, string>> {
  const items = page.getByRole('list', { name: '主要指标' }).getByRole('listitem');
  const out: Record<string, string> = {};
  for (const li of await items.all()) {
    const label = await li.locator('.dash-kpi-label').innerText();
    out[label] = (await li.locator('.dash-kpi-value').innerText()).replace(/\s+/g, ' ').trim();
  }
  return out;
}

/** A table's body rows as text cells. */
async function rows(page: Page, key: string): Promise<string[][]> {
  return page
    .locator(`[data-table="${key}"] tbody tr`)
    .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('th,td')].map((c) => (c as HTMLElement).innerText.trim())));
}

async function settled(page: Page) {
  await page.locator('section.dash[aria-busy="false"]').waitFor();
}

test('the dashboard shows the fixture’s numbers; filters change them and stay in the URL; a table downloads as CSV', async () => {
  const ctx = await newContext(browser, s, DESKTOP);
  const page = await ctx.newPage();
  await staffLogin(page, s, fx.admin);
  await page.getByRole('link', { name: '机构运行看板' }).click();
  await page.getByRole('heading', { level: 1, name: '机构运行看板' }).waitFor();
  await settled(page);

  // Default period: this month up to today (2025-10-01 … 10-27), every office.
  assert.equal(await page.getByLabel('开始日期', { exact: true }).inputValue(), '2025-10-01');
  assert.equal(await page.getByLabel('结束日期', { exact: true }).inputValue(), FIXTURE_TODAY);
  assert.deepEqual(await kpis(page), {
    期间提交办件: '8 件',
    期间办结: '4 件',
    按时办结率: '75.0%',
    平均办理用时: '8.25 个工作日',
    在办积压: '6 件',
    其中暂停计时: '1 件',
    超期在办: '3 件',
    期间评价: '6 条',
    满意率: '40.0%',
    差评: '2 条',
    待整改: '2 件',
    期间投诉: '3 件',
    已答复: '2 件',
    投诉超期: '2 件',
    可约号源: '126 个',
    号源使用率: '2.4%',
    到厅: '2 人次',
    爽约: '1 人次',
    预约取消: '1 人次',
  });
  // 好差评, 整改, 投诉 and 预约 (10-01…10-27: 14 working days × 9 seats; P5 on 10-28 is outside).
  assert.deepEqual(await rows(page, 'satisfaction-office'), [
    ['市政务服务大厅', '3', '2', '0', '0.0%', '1', '1'],
    ['乡镇（街道）政务便民服务中心', '1', '1', '0', '0.0%', '1', '0'],
    ['未经窗口（网上、掌上等）', '2', '2', '2', '100.0%', '0', '0'],
  ]);
  assert.deepEqual(await rows(page, 'rectification-office'), [
    ['市政务服务大厅', '1', '0', '1', '0', '2025-10-28'],
    ['乡镇（街道）政务便民服务中心', '1', '1', '0', '1', '2025-10-24'],
  ]);
  assert.deepEqual(await rows(page, 'complaints-subject'), [
    ['办件', '1', '1', '0', '1', '1', '0', '0', '1'],
    ['服务大厅/窗口', '1', '1', '0', '1', '0', '0', '0', '0'],
    ['工作人员', '1', '0', '1', '0', '0', '1', '1', '1'],
  ]);
  assert.deepEqual(await rows(page, 'appointments-business'), [
    ['医疗费用手工（零星）报销和医疗救助', '84', '2', '2.4%', '1', '50.0%', '1', '50.0%', '0', '1', '33.3%'],
    ['生育保险待遇', '42', '1', '2.4%', '1', '100.0%', '0', '0.0%', '0', '0', '0.0%'],
  ]);
  assert.deepEqual(await rows(page, 'timeliness-item'), [
    ['DY-24', '救助对象参加城乡居民医保个人缴费补贴', '4', '4', '3', '1', '75.0%', '4', '33', '8.25'],
  ]);
  assert.deepEqual(await rows(page, 'overdue-handler'), [
    ['审核员甲', '1', '3'],
    ['审核员乙', '1', '4'],
    ['未认领', '1', '3'],
  ]);
  assert.deepEqual(
    (await rows(page, 'overdue-cases')).map((r) => r[0]),
    [fx.caseNo.K, fx.caseNo.G, fx.caseNo.E],
  );
  // Charts are drawn (ECharts, SVG) and each says in words what it shows.
  assert.ok((await page.locator('.dash-chart svg').count()) >= 6);
  assert.match((await page.getByRole('img', { name: /^按事项：/ }).getAttribute('aria-label'))!, /DY-24 6 件，DY-23 2 件/);
  assert.equal(
    await page.getByRole('img', { name: /^评价等级分布：/ }).getAttribute('aria-label'),
    '评价等级分布：非常满意 1 条，满意 1 条，基本满意 1 条，不满意 1 条，非常不满意 2 条',
  );
  assert.match(
    (await page.getByRole('img', { name: /^预约结果按业务类型：/ }).getAttribute('aria-label'))!,
    /生育保险待遇：到厅 1 人次、爽约 0 人次、待到厅 0 人次、取消 0 人次/,
  );
  // The definition says exactly what the satisfaction rate measures.
  await page.getByRole('region', { name: '好差评与整改', exact: true }).getByText('统计口径').click();
  await page.getByText(/满意率 = 评价为“满意”或“非常满意”的条数 ÷ 计入满意度的评价条数/).waitFor();
  await expectAccessible(page, '/staff/dashboard');
  await shots(page, 'october');

  // One office: 市政务服务大厅.
  await page.getByLabel('窗口', { exact: true }).selectOption({ label: '市政务服务大厅' });
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL((u) => u.searchParams.get('office') === String(fx.offices.hall));
  await settled(page);
  assert.deepEqual(await kpis(page), {
    期间提交办件: '3 件',
    期间办结: '1 件',
    按时办结率: '0.0%',
    平均办理用时: '12.00 个工作日',
    在办积压: '3 件',
    其中暂停计时: '0 件',
    超期在办: '2 件',
    期间评价: '3 条',
    满意率: '0.0%',
    差评: '1 条',
    待整改: '1 件',
    期间投诉: '2 件',
    已答复: '2 件',
    投诉超期: '1 件',
    可约号源: '126 个',
    号源使用率: '2.4%',
    到厅: '2 人次',
    爽约: '1 人次',
    预约取消: '1 人次',
  });
  // The URL carries the filters: a reload shows the same.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: '机构运行看板' }).waitFor();
  await settled(page);
  assert.equal((await kpis(page))['期间提交办件'], '3 件');
  assert.equal(await page.getByLabel('窗口', { exact: true }).inputValue(), String(fx.offices.hall));
  await shots(page, 'office');

  // A period the wrong way round is caught at the field; nothing changes.
  const before = page.url();
  await page.getByLabel('开始日期', { exact: true }).fill('2025-09-30');
  await page.getByLabel('结束日期', { exact: true }).fill('2025-09-01');
  await page.getByRole('button', { name: '查询' }).click();
  await page.getByText('结束日期不能早于开始日期。').waitFor();
  assert.equal(page.url(), before);

  // September at the same office: only K was registered there.
  await page.getByLabel('结束日期', { exact: true }).fill('2025-09-30');
  await page.getByLabel('开始日期', { exact: true }).fill('2025-09-01');
  await page.getByRole('button', { name: '查询' }).click();
  await page.waitForURL((u) => u.searchParams.get('from') === '2025-09-01' && u.searchParams.get('to') === '2025-09-30');
  await settled(page);
  assert.equal((await kpis(page))['期间提交办件'], '1 件');
  assert.equal((await kpis(page))['按时办结率'], '—');
  assert.deepEqual(await rows(page, 'volume-status'), [['审核中', '1']]);

  // The export carries the same filters.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^导出 CSV\s*：办件量·按事项$/ }).click()]);
  assert.equal(download.suggestedFilename(), '大冶市医疗保障局-办件量-按事项-2025-09-01至2025-09-30.csv');
  const bytes = readFileSync((await download.path())!);
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  assert.deepEqual(parseCsv(bytes.toString('utf8'), { bom: true }), [
    ['事项编码', '事项名称', '件数'],
    ['DY-24', '救助对象参加城乡居民医保个人缴费补贴', '1'],
    ['合计', '', '1'],
  ]);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^导出 Excel\s*：办结时效·按事项$/ }).click()]);
  assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
  // A new panel's table exports the same way: September's bookings at the hall (none were for September days).
  const [appt] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /^导出 CSV\s*：预约使用·按业务类型$/ }).click()]);
  assert.equal(appt.suggestedFilename(), '大冶市医疗保障局-预约使用-按业务类型-2025-09-01至2025-09-30.csv');
  const apptRows = parseCsv(readFileSync((await appt.path())!).toString('utf8'), { bom: true }) as string[][];
  assert.deepEqual(apptRows[0]!.slice(0, 4), ['业务类型', '可约号源', '已预约', '号源使用率（%）']);
  // September 2025: 22 weekdays and the 调休 Sunday 09-28, each with 9 seats under the hall's current settings; nothing booked.
  assert.deepEqual(apptRows.at(-1), ['合计', '207', '0', '0', '0', '', '0', '', '0', '0', '']);
  await ctx.close();
});

test('a reviewer is turned away from the dashboard', async () => {
  const reviewer = await newStaff(s, 'daye', ['reviewer'], '看板外审核员');
  const ctx = await newContext(browser, s);
  const page = await ctx.newPage();
  await staffLogin(page, s, reviewer);
  assert.equal(await page.getByRole('link', { name: '机构运行看板' }).count(), 0);
  await page.goto('/staff/dashboard');
  await page.getByRole('alert').filter({ hasText: '机构运行看板仅供机构管理员、监督人员查看。' }).waitFor();
  await ctx.close();
});

test('the staff dashboard draws its charts under the policy', async () => {
  const ctx = await newContext(browser, s, DESKTOP);
  const page = await ctx.newPage();
  const seen = await watched(page, async () => {
    await staffLogin(page, s, fx.admin);
    await page.getByRole('link', { name: '机构运行看板' }).click();
    await page.locator('section.dash[aria-busy="false"]').waitFor();
    await page.locator('.dash-chart svg text').first().waitFor();
    const box = await page.locator('.dash-chart').first().boundingBox();
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  });
  assert.deepEqual(seen, []);
  assert.ok((await page.locator('.dash-chart svg').count()) > 0, 'charts drawn');
  await ctx.close();
});
