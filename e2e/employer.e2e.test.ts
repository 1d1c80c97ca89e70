/**
 * 单位网厅 in real Chromium: a unit clerk logs in, uploads a roster with 7 good and 3 bad rows, sees
 * exactly the bad rows by line with their messages, cannot import all, imports only the 7 correct
 * rows after confirming, and the employee list shows them. The unit account is registered through
 * the API and its 单位参保登记 set in the database (an agency's job); the clerk's part is all UI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../test/support.ts';
import { registerUnitClerk, testIdNo } from '../test/client.ts';
import { usccCheckChar } from '../common/ids.ts';
import { monthStart, testToday } from '../test/clock.ts';
import { PHONE, expectAccessible, launch } from './support.ts';
import { newContext, shots as shotsAt } from './journeys.ts';

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
const shots = (page: Page, name: string) => shotsAt(page, 'employer', name);

/** A checksum-broken copy of a valid 公民身份号码 (the last character changed). */
function badChecksum(id: string): string {
  const last = id.slice(-1);
  return id.slice(0, 17) + (last === '0' ? '1' : '0');
}

test('单位网厅: a roster with 3 bad rows is reported by line, only the 7 correct rows are imported', async () => {
  const u17 = '91420281MA4RQTE0B';
  const uscc = u17 + usccCheckChar(u17);
  const unitName = '大冶网厅测试有限公司';
  const reg = await registerUnitClerk(s, { uscc, unitName, name: '经办人王' });
  // The unit has done 单位参保登记 with 大冶.
  await s.dbh.db.updateTable('units').set({ agency_code: 'daye' }).where('uscc', '=', uscc).execute();

  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto('/login');
  await page.getByLabel('手机号').fill(reg.mobile);
  await page.getByLabel('密码').fill(reg.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  // A unit account lands on 单位网厅; the header links there, and 我的办件 stays reachable from the page.
  await page.getByRole('heading', { level: 1, name: '单位网厅' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/unit');
  await page.getByRole('navigation', { name: '账号' }).getByRole('link', { name: '单位网厅' }).waitFor();
  await page.getByRole('main').getByRole('link', { name: '我的办件' }).waitFor();
  const head = await page.locator('.unit-head').innerText();
  assert.match(head, new RegExp(unitName));
  assert.match(head, new RegExp(uscc));
  assert.match(head, /大冶/);
  assert.match(await page.locator('.employees').innerText(), /还没有参保职工/);
  await expectAccessible(page, '/unit before the import');

  // 7 good rows with 3 bad ones among them: lines 3, 6 and 10 (the header is line 1).
  const good = Array.from({ length: 7 }, () => testIdNo('420281', '19880808'));
  const row = (op: string, id: string, name: string, date: string, base: string) => [op, id, name, date, base].join(',');
  const from = monthStart(0, s.clock); // 增员 from the first of this month
  const lines = [
    '操作,公民身份号码,姓名,日期,缴费基数（元）',
    row('增员', good[0]!, '职工1', from, '5200'), // 2
    row('增员', badChecksum(testIdNo('420281', '19880808')), '错号', from, '5200'), // 3
    row('增员', good[1]!, '职工2', from, '"5,200"'), // 4
    row('增员', good[2]!, '职工3', from, '5200'), // 5
    row('调岗', testIdNo('420281', '19880808'), '错操作', from, '5200'), // 6
    row('增员', good[3]!, '职工4', from, '5200'), // 7
    row('增员', good[4]!, '职工5', from, '5200.50'), // 8
    row('增员', good[5]!, '职工6', from, '5200'), // 9
    row('增员', testIdNo('420281', '19880808'), '错日期', '2026-11-31', '5200'), // 10: no such day
    row('增员', good[6]!, '职工7', from, '5200'), // 11
  ];
  await page.getByLabel('花名册文件').setInputFiles({ name: '花名册.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.join('\r\n'), 'utf8') });
  await page.getByRole('button', { name: '上传并检查' }).click();
  await page.getByRole('status').filter({ hasText: '共 10 行，正确 7 行，错误 3 行' }).waitFor();

  // Exactly the three bad rows, each with its line number, column and message.
  const groups = page.locator('table.roster-errors tbody');
  assert.equal(await groups.count(), 3);
  const reported = await groups.evaluateAll((tbs) =>
    tbs.map((tb) => ({
      line: tb.querySelector('th')!.textContent!.trim(),
      cells: [...tb.querySelectorAll('tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent!.trim())),
    })),
  );
  assert.deepEqual(reported, [
    { line: '3', cells: [['公民身份号码', '公民身份号码校验位不正确。']] },
    { line: '6', cells: [['操作', '“调岗”不是有效操作，应为“增员”或“减员”。']] },
    { line: '10', cells: [['日期', '“2026-11-31”不是有效日期，应为 YYYY-MM-DD。']] },
  ]);

  // 全部导入 is disabled, and the page says why; nothing has been applied yet.
  const all = page.getByRole('button', { name: '全部导入' });
  assert.equal(await all.isDisabled(), true);
  const why = await page.locator(`[id="${await all.getAttribute('aria-describedby')}"]`).innerText();
  assert.match(why, /有 3 行有错误，不能全部导入/);
  const before = await (await page.request.get('/api/unit/employees')).json();
  assert.equal(before.items.length, 0, 'nothing is applied before the clerk chooses');
  await shots(page, 'roster-report');

  // 只导入正确的 7 行, confirmed in the dialog.
  await page.getByRole('button', { name: '只导入正确的 7 行' }).click();
  const dialog = page.getByRole('dialog', { name: '只导入正确的 7 行？' });
  await dialog.waitFor();
  await dialog.getByRole('button', { name: '导入 7 行' }).click();
  await page.getByRole('status').filter({ hasText: '已导入 7 行' }).waitFor();
  await page.locator('.employees caption').filter({ hasText: '共 7 人' }).waitFor();
  const rows = page.locator('.employees tbody tr');
  assert.equal(await rows.count(), 7);
  const names = (await page.locator('.employees tbody td[data-label="姓名"]').allInnerTexts()).sort();
  assert.deepEqual(names, ['职工1', '职工2', '职工3', '职工4', '职工5', '职工6', '职工7']);
  assert.equal((await page.locator('.employees tbody td[data-label="状态"]').allInnerTexts()).filter((t) => t === '在职参保').length, 7);
  assert.equal(await page.getByRole('button', { name: '全部导入' }).count(), 0, 'an applied roster offers no second import');
  const after = await (await page.request.get('/api/unit/employees')).json();
  assert.equal(after.items.length, 7);
  await expectAccessible(page, '/unit after the import');

  // 逐个增减员: the ID is checked in the page; the API's refusal is an alert and the input stays.
  const form = page.getByRole('form', { name: '逐个增减员' });
  await form.getByLabel('公民身份号码').fill(badChecksum(good[0]!));
  await form.getByLabel('姓名').fill('职工1');
  await form.getByLabel('日期').fill(testToday(s.clock));
  await form.getByLabel('缴费基数').fill('5200');
  await form.getByRole('button', { name: '办理增员' }).click();
  await form.getByRole('alert').filter({ hasText: '公民身份号码校验位不正确，请核对。' }).waitFor();
  await form.getByLabel('公民身份号码').fill(good[0]!);
  await form.getByRole('button', { name: '办理增员' }).click();
  await form.getByRole('alert').filter({ hasText: '此人已是本单位在职参保职工' }).waitFor();
  assert.equal(await form.getByLabel('公民身份号码').inputValue(), good[0]);
  assert.equal(await form.getByLabel('缴费基数').inputValue(), '5200');
  await form.getByLabel('减员').check();
  await form.getByRole('button', { name: '办理减员' }).click();
  await form.getByRole('status').filter({ hasText: '已为 职工1 办理减员' }).waitFor();
  await page.locator('.employees caption').filter({ hasText: '在职参保 6 人，已减员 1 人' }).waitFor();
  await shots(page, 'after-import');
  await ctx.close();
});
