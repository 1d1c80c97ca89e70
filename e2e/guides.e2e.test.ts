/** Citizen journeys through the public guides in real Chromium. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext } from 'playwright-core';
import { startServer, type TestServer } from '../test/support.ts';
import { DESKTOP, PHONE, expectAccessible, launch, shot, watched } from './support.ts';
import { newContext } from './journeys.ts';

let s: TestServer;
let browser: Browser;
before(async () => {
  [s, browser] = await Promise.all([startServer(), launch()]);
});
after(async () => {
  await browser?.close();
  await s?.close();
});

const context = (viewport = PHONE): Promise<BrowserContext> => newContext(browser, s, viewport);

test('大冶: search 生育津贴, open it, see 128/143/15 days', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto('/');
  await expectAccessible(page, 'home');
  await shot(page, 'home-phone');
  await page.getByRole('link', { name: '大冶市医疗保障局' }).click();
  await page.getByRole('heading', { level: 1, name: '大冶市医疗保障局' }).waitFor();
  await expectAccessible(page, 'agency daye');
  await shot(page, 'agency-daye-phone');
  await page.getByLabel('搜索服务事项').fill('生育津贴');
  await page.getByRole('button', { name: '搜索' }).click();
  await page.getByRole('status').filter({ hasText: '找到' }).waitFor();
  assert.match(await page.getByRole('status').filter({ hasText: '找到' }).innerText(), /在大冶找到 1 个相关事项/);
  await expectAccessible(page, 'search');
  await shot(page, 'search-daye-phone');
  await page.getByRole('link', { name: '生育津贴支付' }).click();
  await page.getByRole('heading', { level: 1, name: '生育津贴支付' }).waitFor();
  const text = await page.locator('main').innerText();
  assert.match(text, /顺产128天/);
  assert.match(text, /剖宫产143天/);
  assert.match(text, /护理津贴（15天）/);
  assert.match(text, /不超过10个工作日/);
  await expectAccessible(page, 'item DY-23');
  await shot(page, 'item-daye-23-phone');
  await ctx.close();
});

test('海城: checklist for 住院费用报销 as 未成年 城乡居民, printable, survives reload', async () => {
  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto('/a/haicheng');
  await page.getByRole('link', { name: /住院费用报销/ }).click();
  await page.getByRole('heading', { level: 1, name: '住院费用报销' }).waitFor();
  await page
    .getByRole('group', { name: /医保类型|参保类型|险种/ })
    .getByLabel(/城乡居民/)
    .check();
  await page
    .getByRole('group', { name: /成年|年龄/ })
    .getByLabel(/未成年/)
    .check();
  const applies = page.getByTestId('materials-apply');
  await applies
    .getByText(/监护人/)
    .first()
    .waitFor();
  const list = await applies.innerText();
  assert.match(list, /医院收费票/);
  assert.match(list, /住院费用清单/);
  assert.match(list, /户口簿本人页；监护人页/);
  assert.doesNotMatch(list, /代办人身份证/, 'the 职工医保 copy sheet is not listed');
  assert.doesNotMatch(list, /参保人“工商银行”银行卡），将以上证件正面复印/, 'the adult copy sheet is not listed');
  assert.match(page.url(), /insurance=resident/);
  assert.match(page.url(), /age=minor/);
  await expectAccessible(page, 'checklist HC-20');
  await shot(page, 'checklist-haicheng-20-phone');
  await page.reload();
  await applies
    .getByText(/监护人/)
    .first()
    .waitFor();
  assert.equal(
    await page
      .getByRole('group', { name: /成年|年龄/ })
      .getByLabel(/未成年/)
      .isChecked(),
    true,
    'answers survive a reload',
  );
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('header.top').isVisible(), false, 'print view hides the header');
  await ctx.close();
});

test('抚顺: download the guide PDF from the agency page', async () => {
  const ctx = await context(DESKTOP);
  const page = await ctx.newPage();
  await page.goto('/a/fushun');
  await shot(page, 'agency-fushun-desktop');
  const link = page.getByRole('link', { name: '下载 PDF' });
  const href = await link.getAttribute('href');
  assert.equal(href, '/api/agencies/fushun/guide.pdf');
  const res = await page.request.get(href!);
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'application/pdf');
  const body = await res.body();
  assert.equal(body.subarray(0, 5).toString(), '%PDF-');
  assert.ok(body.length > 20_000, `a real booklet, got ${body.length} bytes`);
  await ctx.close();
});

test('offices, rules, large-text mode and an empty search', async () => {
  const ctx = await context(DESKTOP);
  const page = await ctx.newPage();
  await page.goto('/a/dalian/offices');
  await page.getByRole('heading', { name: '市医保中心审核部' }).waitFor();
  assert.match(await page.locator('main').innerText(), /dlybydjy@163\.com/);
  await expectAccessible(page, 'offices dalian');
  await shot(page, 'offices-dalian-desktop');
  await page.goto('/a/fushun/rules');
  await page.getByRole('heading', { name: '违规禁办事项清单' }).waitFor();
  assert.match(await page.locator('main').innerText(), /个体参保人员是外地户口，并且没有抚顺居住证/);
  await expectAccessible(page, 'rules fushun');
  await shot(page, 'rules-fushun-desktop');
  await page.getByRole('button', { name: '大字版' }).click();
  const size = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  assert.equal(size, '21px');
  await page.reload();
  assert.equal(await page.getByRole('button', { name: '标准字号' }).getAttribute('aria-pressed'), 'true', 'large text persists');
  await shot(page, 'rules-fushun-large');
  await page.goto('/search?q=%E5%89%96%E5%AE%AB%E4%BA%A7&agency=shandong');
  await page.getByText('没有找到包含「剖宫产」的事项').waitFor();
  await page.getByRole('link', { name: /大冶有 1 个相关事项/ }).click();
  await page.getByRole('link', { name: '生育津贴支付' }).waitFor();
  await expectAccessible(page, 'search empty');
  await ctx.close();
});

// The Content-Security-Policy (server/http/security.ts); the dashboard's charts: dashboard.e2e.test.ts.
test('public pages, the booklet and the API docs load under the policy', async () => {
  const ctx = await newContext(browser, s, DESKTOP);
  const page = await ctx.newPage();
  const seen = await watched(page, async () => {
    for (const [path, ready] of [
      ['/', 'h1'],
      ['/a/daye', 'h1'],
      ['/a/daye/items/DY-23', 'h1'],
      ['/a/daye/offices', 'h1'],
      ['/login', 'h1'],
      ['/api/agencies/daye/guide.html', 'h1'],
      ['/api/docs', '.swagger-ui .info'],
    ] as const) {
      await page.goto(path);
      await page.locator(ready).first().waitFor();
    }
    // The booklet's own styles applied (inline <style> allowed there, and only there).
    await page.goto('/api/agencies/daye/guide.html');
    assert.equal(await page.locator('body').evaluate((b) => getComputedStyle(b).margin), '0px');
    assert.equal(await page.locator('header.cover').evaluate((h) => getComputedStyle(h).display), 'flex');
  });
  assert.deepEqual(seen, []);
  // What the watch listens for does come: an inline script the page itself adds is refused and reported.
  await page.goto('/a/daye');
  await page.locator('h1').waitFor();
  const refused = page.waitForEvent('console', { predicate: (m) => /Content Security Policy/i.test(m.text()) });
  await page.evaluate(() => {
    const el = document.createElement('script');
    el.textContent = 'window.inlineRan = true';
    document.body.append(el);
  });
  await refused;
  assert.equal(await page.evaluate(() => (window as { inlineRan?: boolean }).inlineRan ?? false), false, 'the inline script did not run');
  await ctx.close();
});
