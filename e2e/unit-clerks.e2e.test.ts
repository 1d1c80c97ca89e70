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
import { PDF_BYTES, lastSmsCode, registerCitizen, registerUnitClerk, testIdNo, testMobile } from '../test/client.ts';
import { seedUnit } from '../test/registry.ts';
import { usccCheckChar } from '../common/ids.ts';
import { monthStart } from '../test/clock.ts';
import { DESKTOP, PHONE, expectAccessible, launch } from './support.ts';
import { file, newContext, newStaff, shots as shotsAt, staffLogin } from './journeys.ts';

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
  await page.getByLabel('密码').fill('Citizen-Pass-2026');
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

test('单位经办人 of a unit with no clerk: the registrant uploads the 授权委托书, agency staff open it and approve', async () => {
  const u17 = '91420281MA4NEW0A2';
  const uscc = u17 + usccCheckChar(u17);
  const reg = await registerCitizen(s, { kind: 'unit', uscc, unitName: '大冶新设商贸有限公司', name: '周经办', agencyCode: 'daye' });

  const ctx = await context();
  const page = await ctx.newPage();
  await page.goto('/login');
  await page.getByLabel('手机号').fill(reg.mobile);
  await page.getByLabel('密码').fill(reg.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('heading', { level: 2, name: '您的单位经办人申请正在等待经办机构审核' }).waitFor();
  await page.getByLabel('授权委托书文件').setInputFiles(file('授权委托书.pdf', PDF_BYTES));
  await page.getByRole('button', { name: '上传', exact: true }).click();
  await page.getByRole('status').filter({ hasText: '已上传授权委托书：授权委托书.pdf' }).waitFor();
  await page.getByRole('link', { name: '授权委托书.pdf' }).waitFor();
  await expectAccessible(page, '/unit waiting for the agency');

  const st = await newStaff(s, 'daye', ['acceptor'], '受理员吴');
  const sctx = await context(DESKTOP);
  const sp = await sctx.newPage();
  await staffLogin(sp, s, st);
  await sp.getByRole('link', { name: '单位经办人审核' }).click();
  await sp.getByRole('heading', { level: 1, name: '单位经办人审核' }).waitFor();
  const item = sp.locator('.clerk-request').filter({ hasText: '大冶新设商贸有限公司' });
  await item.waitFor();
  assert.match(await item.innerText(), /尚无/);
  const letter = item.getByRole('link', { name: '打开 授权委托书.pdf' });
  const href = await letter.getAttribute('href');
  const got = await sp.request.get(href!);
  assert.equal(got.status(), 200);
  assert.equal(got.headers()['content-type'], 'application/pdf');
  await expectAccessible(sp, '/staff/unit-clerks');
  await shots(sp, 'staff-queue');
  await item.getByRole('button', { name: '核对无误，通过 周经办' }).click();
  await sp.getByRole('status').filter({ hasText: '已通过：大冶新设商贸有限公司 周经办' }).waitFor();
  await sp.getByText('没有待审核的申请。').waitFor();

  await page.reload();
  await page.getByRole('heading', { level: 1, name: '单位网厅' }).waitFor();
  assert.match(await page.locator('.unit-head').innerText(), /大冶新设商贸有限公司/);
  await sctx.close();
  await ctx.close();
});
