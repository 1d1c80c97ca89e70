/**
 * 单位经办人 are approved (issue 16), in real Chromium: a second clerk registers for 大冶演示机械有限公司
 * through the form, lands on the waiting page (no roster), the unit's approved clerk logs in, sees the
 * request on the unit page and approves it, and the second clerk then sees the roster. The unit
 * (as `npm run demo` makes it) and its first clerk 钱会计 are set up through the API.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../test/support.ts';
import { lastSmsCode, registerUnitClerk, testIdNo, testMobile } from '../test/client.ts';
import { seedUnit } from '../test/registry.ts';
import { usccCheckChar } from '../common/ids.ts';
import { monthStart } from '../test/clock.ts';
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
const shots = (page: Page, name: string) => shotsAt(page, 'unit-clerks', name);

test('单位经办人: a second clerk waits until the unit’s clerk approves on the unit page, then sees the roster', async () => {
  const u17 = '91420281MA4DEM0A1';
  const uscc = u17 + usccCheckChar(u17);
  await seedUnit(s.dbh.db, { uscc, name: '大冶演示机械有限公司', agency: 'daye', avgWageFen: 600000 });
  const first = await registerUnitClerk(s, { uscc, name: '钱会计' });
  const add = await first.client.post('/api/unit/employees', {
    action: 'add',
    idNo: testIdNo('420281', '19880808'),
    name: '职工甲',
    date: monthStart(0, s.clock),
    base: 5200,
  });
  assert.equal(add.status, 200, JSON.stringify(add.body));

  // The second clerk registers through the form, naming the unit by its code.
  const ctx2 = await context();
  const page = await ctx2.newPage();
  const mobile = testMobile();
  await page.goto('/register');
  await page.getByLabel('单位经办人').check();
  await page.getByLabel('手机号').fill(mobile);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByRole('status').filter({ hasText: '验证码已发送' }).waitFor();
  await page.getByRole('textbox', { name: /^验证码/ }).fill(await lastSmsCode(s, mobile));
  await page.getByLabel('姓名').fill('孙出纳');
  await page.getByLabel('公民身份号码').fill(testIdNo('420281', '19910203', 'F'));
  await page.getByLabel('密码').fill('abc12345');
  await page.getByLabel('统一社会信用代码').fill(uscc);
  await page.getByLabel('单位名称').fill('大冶演示机械有限公司');
  await page.getByLabel('参保所在经办机构').selectOption({ label: '大冶市医疗保障局' });
  await expectAccessible(page, 'register as a unit clerk');
  await page.getByRole('button', { name: '注册并登录' }).click();

  // The waiting page: nothing of the unit, and who decides.
  await page.getByRole('heading', { level: 2, name: '您的单位经办人申请正在等待本单位现有经办人审核' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/unit');
  assert.match(await page.locator('main').innerText(), /大冶演示机械有限公司/);
  assert.equal(await page.locator('.employees').count(), 0, 'no roster while waiting');
  const refused = await page.request.get('/api/unit/employees');
  assert.equal(refused.status(), 403);
  assert.equal((await refused.json()).error.code, 'UNIT_CLERK_NOT_APPROVED');
  await expectAccessible(page, '/unit while waiting');
  await shots(page, 'waiting');

  // The first clerk logs in, sees the request on the unit page and approves it.
  const ctx1 = await context();
  const p1 = await ctx1.newPage();
  await p1.goto('/login');
  await p1.getByLabel('手机号').fill(first.mobile);
  await p1.getByLabel('密码').fill(first.password);
  await p1.getByRole('button', { name: '登录', exact: true }).click();
  await p1.getByRole('heading', { level: 1, name: '单位网厅' }).waitFor();
  const panel = p1.locator('.unit-clerks');
  await panel.getByText('孙出纳').first().waitFor();
  await expectAccessible(p1, '/unit with a pending clerk request');
  await shots(p1, 'request');
  await panel.getByRole('button', { name: '同意 孙出纳' }).click();
  await p1.getByRole('status').filter({ hasText: '已同意：孙出纳' }).waitFor();
  await panel.getByRole('button', { name: '撤销 孙出纳 的经办人资格' }).waitFor();
  assert.match(await panel.innerText(), /没有待审核的经办人申请/);

  // The second clerk now sees the unit and its roster.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: '单位网厅' }).waitFor();
  await page.locator('.employees caption').filter({ hasText: '共 1 人' }).waitFor();
  assert.match(await page.locator('.employees').innerText(), /职工甲/);
  await shots(page, 'approved');
  await ctx1.close();
  await ctx2.close();
});
