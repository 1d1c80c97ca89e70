/**
 * 机构管理 in real Chromium: a 抚顺 agency admin enters a 待遇封锁期 for an insured person on
 * /admin/lockouts (after the form has told her what is missing), and that person's 住院费用报销
 * pre-check is then refused with the lock-out reason (FS-JB-08); she publishes a 生育津贴 parameter
 * version on /admin/benefits; and the rule and institution pages work (invalid YAML named by line,
 * a new rule version, an institution with a physician). Registry records are seeded directly; what
 * the people do goes through the UI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../test/support.ts';
import { seedPerson } from '../test/registry.ts';
import { registerCitizen, testIdNo } from '../test/client.ts';
import { testToday } from '../test/clock.ts';
import { PHONE, DESKTOP, expectAccessible, launch } from './support.ts';
import { citizenLogin, mainText, newContext, newStaff, shots as shotsAt, staffLogin, type Staff } from './journeys.ts';

let s: TestServer;
let browser: Browser;
let admin: Staff;
before(async () => {
  [s, browser] = await Promise.all([startServer(), launch()]);
  admin = await newStaff(s, 'fushun', ['agency_admin'], '抚顺管理员');
});
after(async () => {
  await browser?.close();
  await s?.close();
});

const context = (viewport = PHONE): Promise<BrowserContext> => newContext(browser, s, viewport);
const shots = (page: Page, name: string) => shotsAt(page, 'admin', name);
/** The server's business date (the pages' clock is installed at the server's time). */
const todayCn = () => testToday(s.clock);
const addDays = (d: string, n: number) => new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

test('抚顺：an agency admin enters a 待遇封锁期, and the person’s 住院费用报销 pre-check is refused with its reason', async () => {
  const c = await registerCitizen(s, { name: '韩冰', idNo: testIdNo('210402', '19780808') });
  await seedPerson(s.dbh.db, {
    idNo: c.idNo,
    name: '韩冰',
    agency: 'fushun',
    enrol: [{ type: 'employee', start: '2015-01-01', employment: 'employed' }],
    contributions: [{ type: 'employee', lastMonths: 22, clock: s.clock, baseYuan: 4500 }],
  });
  const today = todayCn();
  const until = addDays(today, 90);

  const ctx = await context(PHONE);
  const page = await ctx.newPage();
  await staffLogin(page, s, admin);
  // The staff navigation links admins to 机构管理.
  await page.getByRole('navigation', { name: '账号' }).getByRole('link', { name: '机构管理' }).click();
  await page.getByRole('heading', { level: 1, name: '机构管理' }).waitFor();
  await expectAccessible(page, '/admin');
  await shots(page, 'index');

  await page.getByRole('link', { name: '待遇封锁期' }).click();
  await page.getByRole('heading', { level: 1, name: '待遇封锁期' }).waitFor();
  await page.getByRole('button', { name: '登记待遇封锁期' }).click();
  const form = page.getByRole('form', { name: '登记待遇封锁期' });
  await form.getByLabel('公民身份号码').fill(c.idNo);
  await form.getByRole('button', { name: '登记封锁期' }).click();
  // The API's field problems, in Chinese, at the fields and in a summary; nothing typed is lost.
  const summary = form.getByRole('alert').filter({ hasText: '未能登记' });
  await summary.waitFor();
  assert.match(await summary.innerText(), /请填写结束日期/);
  assert.match(await summary.innerText(), /请填写封锁原因/);
  assert.equal(await form.getByLabel('公民身份号码').inputValue(), c.idNo);
  assert.equal(await form.getByLabel('结束日期').getAttribute('aria-invalid'), 'true');
  await expectAccessible(page, '/admin/lockouts with field errors');
  await shots(page, 'lockouts-errors');

  await form.getByLabel('结束日期').fill(until);
  await form.getByLabel('封锁原因').fill('冒名就医骗取医保基金，暂停待遇结算');
  await form.getByRole('button', { name: '登记封锁期' }).click();
  await page.getByRole('status').filter({ hasText: '已为 韩冰' }).waitFor();
  const row = page.getByRole('row').filter({ hasText: '韩冰' });
  assert.match(await row.innerText(), /封锁中/);
  assert.match(await row.innerText(), new RegExp(`${today}\\s*至\\s*${until}`));
  assert.ok(!(await row.innerText()).includes(c.idNo), 'the 公民身份号码 is masked in the list');
  await expectAccessible(page, '/admin/lockouts');
  await shots(page, 'lockouts');

  // The insured person: 住院费用报销 is 禁办 while the lock-out runs, and the pre-check says why.
  const cctx = await context(PHONE);
  const cp = await cctx.newPage();
  await citizenLogin(cp, c.mobile, c.password);
  await cp.goto('/apply/fushun/FS-18');
  await cp.getByRole('heading', { level: 1, name: /住院费用报销/ }).waitFor();
  const panel = cp.getByRole('region', { name: '办理条件自检' });
  await panel.getByText(`您目前处于医保待遇封锁期（至${until}），封锁期内不能办理住院费用报销。`).waitFor();
  const text = await panel.innerText();
  assert.match(text, /禁办情形/);
  assert.doesNotMatch(text, /符合本事项的办理条件/);
  await expectAccessible(cp, 'apply FS-18 during a lock-out');
  await shots(cp, 'lockout-precheck');
  await cctx.close();

  // Lifting it early: the row says so and the pre-check passes again.
  await row.getByRole('button', { name: /提前解除/ }).click();
  const dialog = page.getByRole('dialog', { name: '提前解除待遇封锁期' });
  await dialog.getByLabel('解除原因').fill('复核后确认为误登');
  await dialog.getByRole('button', { name: '确认解除' }).click();
  await page.getByRole('status').filter({ hasText: '已提前解除 韩冰' }).waitFor();
  assert.match(await page.getByRole('row').filter({ hasText: '韩冰' }).innerText(), /已提前解除/);
  const pre = await c.client.post('/api/agencies/fushun/items/FS-18/precheck', { answers: {} });
  assert.equal(pre.body.results.find((r: { code: string }) => r.code === 'FS-JB-08').passed, true);
  await ctx.close();
});

test('待遇参数: the admin publishes a 生育津贴 version on /admin/benefits; a past date is refused at the field', async () => {
  const today = todayCn();
  const ctx = await context(DESKTOP);
  const page = await ctx.newPage();
  await staffLogin(page, s, admin);
  await page.goto('/admin/benefits');
  await page.getByRole('heading', { level: 1, name: '待遇参数' }).waitFor();
  const card = page.getByRole('article', { name: /生育津贴/ });
  assert.match(await card.innerText(), /第 1 版/);
  assert.match(await card.innerText(), /顺产 未载明/);
  await card.getByRole('button', { name: '发布生育津贴参数新版本' }).click();
  const form = card.getByRole('form', { name: /发布生育津贴参数/ });
  await form.getByLabel('生效日期').fill(addDays(today, -1));
  await form.getByLabel('顺产天数').fill('98');
  await form.getByLabel('剖宫产天数').fill('113');
  await form.getByLabel('依据').fill('抚顺市医疗保障局关于生育津贴计发天数的通知（演示）');
  await form.getByRole('button', { name: '发布第 2 版' }).click();
  const err = form.locator('#bp-maternity_allowance-effectiveFrom-err');
  await err.waitFor();
  assert.match(await err.innerText(), /生效日期不能早于今天/);
  assert.equal(await form.getByLabel('顺产天数').inputValue(), '98', 'the input is kept');
  await shots(page, 'benefits-error');

  await form.getByLabel('生效日期').fill(today);
  await form.getByRole('button', { name: '发布第 2 版' }).click();
  await page.getByRole('status').filter({ hasText: '已发布生育津贴参数第 2 版，今天起生效' }).waitFor();
  const now = await card.innerText();
  assert.match(now, /现行版本\s*第 2 版/);
  assert.match(now, /顺产 98 天，剖宫产 113 天/);
  assert.match(now, /抚顺管理员/);
  assert.match(now, /第 1 版[\s\S]*已被取代/);
  await expectAccessible(page, '/admin/benefits');
  await shots(page, 'benefits');
  await ctx.close();
});

test('规则版本 and 定点医药机构: invalid YAML is named by its line, a new rule version is published; an institution gets a physician', async () => {
  const ctx = await context(PHONE);
  const page = await ctx.newPage();
  await staffLogin(page, s, admin);
  await page.goto('/admin/rules');
  await page.getByRole('heading', { level: 1, name: '规则版本' }).waitFor();
  await page.getByLabel('规则编码、事项编码或依据').fill('FS-JB-07');
  await page.getByRole('link', { name: 'FS-JB-07' }).click();
  await page.getByRole('heading', { level: 1, name: '规则 FS-JB-07' }).waitFor();
  const editor = page.getByLabel('规则内容（YAML 或 JSON）');
  const draft = await editor.inputValue();
  assert.match(draft, /^version: 2$/m, 'the draft starts as the next version');
  await editor.fill(`${draft}version: 3\n`);
  await page.getByRole('button', { name: '检查' }).click();
  const alert = page.getByRole('alert').filter({ hasText: '未能发布' });
  await alert.waitFor();
  assert.match(await alert.innerText(), /第 \d+ 行第 1 列）：键名重复/);
  await shots(page, 'rule-error');
  await editor.fill(draft.replace(/^reason: .*$/m, 'reason: 您的医保参保状态为{enrolment.status}，暂停参保期间不能办理住院费用报销，请先恢复参保。'));
  await page.getByRole('button', { name: '检查' }).click();
  await page.getByRole('status').filter({ hasText: '检查通过：可以发布第 2 版' }).waitFor();
  await page.getByRole('button', { name: '发布新版本' }).click();
  await page.getByRole('status').filter({ hasText: '已发布规则 FS-JB-07 第 2 版' }).waitFor();
  assert.match(await mainText(page), /第 2 版\s*现行/);
  await expectAccessible(page, '/admin/rules/FS-JB-07');
  await shots(page, 'rule');
  await page.goto('/admin/rules');
  await page.getByRole('heading', { level: 1, name: '规则版本' }).waitFor();
  await shots(page, 'rules');

  await page.goto('/admin/institutions');
  await page.getByRole('button', { name: '登记定点医药机构' }).click();
  const form = page.getByRole('form', { name: '登记定点医药机构' });
  await form.getByLabel('机构编码').fill('H42028100001');
  await form.getByLabel('机构类型').selectOption('hospital');
  await form.getByLabel('机构名称').fill('抚顺市第二人民医院');
  await form.getByRole('button', { name: '登记', exact: true }).click();
  await form.getByText('编码中的区划代码 420281 不在本机构辖区（210400）内。').first().waitFor();
  await form.getByLabel('机构编码').fill('H21040200002');
  await form.getByRole('button', { name: '登记', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '定点医药机构 H21040200002' }).waitFor();
  const add = page.getByRole('form', { name: '新增备案' });
  await add.getByLabel('医保医师', { exact: true }).check();
  await add.getByLabel('医师姓名').fill('李医生');
  await add.getByLabel('所在科室').fill('心血管内科');
  await add.getByLabel('职称').fill('主任医师');
  await add.getByRole('button', { name: '备案医保医师' }).click();
  await page.getByRole('status').filter({ hasText: '已备案医保医师“李医生”' }).waitFor();
  assert.match(await page.getByRole('region', { name: '医保医师备案' }).innerText(), /李医生[\s\S]*心血管内科 \/ 主任医师/);
  await expectAccessible(page, '/admin/institutions/H21040200002');
  await shots(page, 'institution');
  await page.goto('/admin/institutions');
  await page.getByRole('link', { name: 'H21040200002' }).waitFor();
  await expectAccessible(page, '/admin/institutions');
  await shots(page, 'institutions');
  await ctx.close();
});
