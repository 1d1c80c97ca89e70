/**
 * The rules in the browser: the 办理前自检 on the apply page tells a citizen in arrears why 抚顺 will
 * not issue a 《参保凭证》 (and that she may still apply), a 海城 applicant who answers that her
 * hospital bill belongs to the work-injury fund is told it is 禁办 (and why), and a 大冶 生育津贴
 * case shows the benefit computed from the registry with its trace on the citizen's and the clerk's case pages.
 * Registry records are seeded directly (test/registry.ts); everything the people do goes through the UI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../test/support.ts';
import { seedPerson, seedUnit } from '../test/registry.ts';
import { PDF_BYTES, registerCitizen, testIdNo } from '../test/client.ts';
import { daysAgo, monthsAgo } from '../test/clock.ts';
import { createStaff } from '../server/modules/accounts/service.ts';
import { staffTotp } from '../test/totp.ts';
import { DESKTOP, PHONE, SHOTS, expectAccessible, launch, shot } from './support.ts';
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

async function citizenLogin(page: Page, mobile: string, password: string) {
  await page.goto('/login');
  await page.getByLabel('手机号').fill(mobile);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '我的办件' }).waitFor();
}

async function staffLogin(page: Page, agency: string, roles: ('acceptor' | 'agency_admin')[], name: string) {
  const login = `${agency}-${roles[0]}-rules-${Math.random().toString(36).slice(2, 6)}`;
  const password = 'Staff-Pass-2026';
  const { totpSecret } = await createStaff(s.dbh.db, { login, name, agencyCode: agency, roles, password });
  await page.goto('/login');
  await page.getByRole('tab', { name: '工作人员登录' }).click();
  await page.getByRole('textbox', { name: /^账号/ }).fill(login);
  await page.getByLabel('密码').fill(password);
  await page.getByLabel('动态验证码').fill(await staffTotp(s, totpSecret));
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '工作台 · 待办队列' }).waitFor();
}

/** A full-page shot and one of the panel alone, at phone width; the page must not scroll sideways. */
async function panelShots(page: Page, panel: ReturnType<Page['getByRole']>, name: string) {
  await page.setViewportSize(PHONE);
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= PHONE.width, `${name} at ${PHONE.width}px: the page is ${wide}px wide`);
  await shot(page, `rules-${name}-phone`);
  await panel.screenshot({ path: `${SHOTS}/rules-${name}-panel-phone.png` });
}

const file = (name: string, buffer: Buffer, mimeType = 'application/pdf') => ({ name, mimeType, buffer });

test('抚顺：医保欠费 — the pre-check says why 《参保凭证》 cannot be issued, and warns before submitting', async () => {
  const c = await registerCitizen(s, { name: '刘强', idNo: testIdNo('210402', '19800606') });
  // The last 10 months, of which the third and second last are unpaid.
  const owed = [monthsAgo(3, s.clock), monthsAgo(2, s.clock)];
  const pid = await seedPerson(s.dbh.db, {
    idNo: c.idNo,
    name: '刘强',
    agency: 'fushun',
    enrol: [{ type: 'employee', start: '2020-01-01', employment: 'employed' }],
    contributions: [{ type: 'employee', lastMonths: 10, clock: s.clock, baseYuan: 4000, unpaid: owed }],
  });

  const ctx = await context(PHONE);
  const page = await ctx.newPage();
  await citizenLogin(page, c.mobile, c.password);
  await page.goto('/apply/fushun/FS-11');
  await page.getByRole('heading', { level: 1, name: /在线申请：出具《参保凭证》/ }).waitFor();

  const panel = page.getByRole('region', { name: '办理条件自检' });
  const status = panel.getByRole('status');
  await status.getByText(/医保欠费）/).waitFor();
  const text = await status.innerText();
  assert.match(text, /禁办情形/, 'the failed rule is labelled by its kind');
  assert.match(text, new RegExp(`2个月|${owed[0]}`), 'the reason says how much is owed');
  assert.match(text, /暂不能出具《参保凭证》/);
  assert.doesNotMatch(text, /符合本事项的办理条件/);

  // 查看依据: the guide's wording and the registry facts the rule read.
  const basis = panel.locator('details', { hasText: '查看依据' }).first();
  await basis.getByText('查看依据').click();
  await basis.getByText(/出具《参保凭证》：医保欠费/).waitFor();
  assert.ok((await basis.locator('dt').count()) > 0, 'the facts are listed');

  // The warning above the submit button; submitting stays possible.
  const warning = page.locator('#precheck-warning');
  await warning.waitFor();
  assert.match(await warning.innerText(), /提交后经办机构将不予受理，原因如上/);
  const submit = page.getByRole('button', { name: '提交申请' });
  assert.equal(await submit.isEnabled(), true, 'the applicant may still apply and get a written refusal');
  assert.equal(await submit.getAttribute('aria-describedby'), 'precheck-warning');

  await expectAccessible(page, 'apply FS-11 with the pre-check');
  await panelShots(page, panel, 'precheck-fushun');

  // After paying the arrears, the pre-check passes once the form is saved again.
  const paid = await s.dbh.db
    .updateTable('contributions')
    .set({ paid: true })
    .where('person_id', '=', pid)
    .where('month', 'in', owed)
    .executeTakeFirst();
  assert.equal(Number(paid.numUpdatedRows), 2);
  await page.getByLabel('补充说明').fill('已补缴欠费');
  await status.getByText('根据您的参保信息，符合本事项的办理条件').waitFor();
  assert.equal(await warning.count(), 0);
  await ctx.close();
});

test('海城：应当从工伤保险基金中支付的 — the applicant answers the form and the pre-check explains the 禁办', async () => {
  const c = await registerCitizen(s, { name: '高丽', idNo: testIdNo('210381', '19780707', 'F') });
  await seedPerson(s.dbh.db, {
    idNo: c.idNo,
    name: '高丽',
    agency: 'haicheng',
    enrol: [{ type: 'employee', start: '2015-01-01', employment: 'employed' }],
    contributions: [{ type: 'employee', lastMonths: 22, clock: s.clock, baseYuan: 4500 }],
  });

  const ctx = await context(PHONE);
  const page = await ctx.newPage();
  await citizenLogin(page, c.mobile, c.password);
  await page.goto('/apply/haicheng/HC-20');
  await page.getByRole('heading', { level: 1, name: '在线申请：住院费用报销' }).waitFor();
  const panel = page.getByRole('region', { name: '办理条件自检' });
  const status = panel.getByRole('status');
  await status.getByText('根据您的参保信息，符合本事项的办理条件').waitFor();

  // The form asks what the 禁办 rules read, in the guide's words.
  const cause = page.getByRole('group', { name: /医疗费用是否属于下列情形/ });
  assert.match(await cause.innerText(), /不纳入基本医疗保险基金支付范围/, 'the help says why it is asked');
  await page
    .getByRole('group', { name: /是否在境外就医/ })
    .getByLabel('否（在境内就医）')
    .check();
  await page
    .getByRole('group', { name: /是否已持卡直接结算/ })
    .getByLabel('否（非个人原因未能直接持卡结算）')
    .check();
  await cause.getByLabel('应当从工伤保险基金中支付的').check();

  await status.getByText(/应当从工伤保险基金中支付的医疗费用，不能由基本医疗保险基金报销/).waitFor();
  const text = await status.innerText();
  assert.match(text, /禁办情形/, 'the failed rule is labelled by its kind');
  assert.match(text, /请向工伤保险经办机构申请/, 'and says where to go instead');
  assert.doesNotMatch(text, /符合本事项的办理条件/);
  const basis = panel.locator('details', { hasText: '查看依据' }).first();
  await basis.getByText('查看依据').click();
  await basis
    .getByText(/应当从工伤保险基金中支付的/)
    .first()
    .waitFor();
  const warning = page.locator('#precheck-warning');
  await warning.waitFor();
  assert.match(await warning.innerText(), /提交后经办机构将不予受理，原因如上/);

  await expectAccessible(page, 'apply HC-20 with the 禁办 pre-check');
  await panelShots(page, panel, 'precheck-haicheng');
  await page.setViewportSize(DESKTOP);
  await shot(page, 'rules-precheck-haicheng-desktop');
  await page.setViewportSize(PHONE);

  // Answering that the bill is none of those situations clears it, and the answer survives a reload.
  await cause.getByLabel('都不属于').check();
  await status.getByText('根据您的参保信息，符合本事项的办理条件').waitFor();
  assert.equal(await warning.count(), 0);
  await page.reload();
  await page
    .getByRole('group', { name: /医疗费用是否属于下列情形/ })
    .getByLabel('都不属于')
    .waitFor();
  assert.equal(
    await page
      .getByRole('group', { name: /医疗费用是否属于下列情形/ })
      .getByLabel('都不属于')
      .isChecked(),
    true,
  );
  await ctx.close();
});

test('大冶：剖宫产 — the applicant submits and both case pages show 待遇核算 ¥28,600.00 with the 143天 trace', async () => {
  const unitId = await seedUnit(s.dbh.db, { uscc: '91420281MA49RULE1X', name: '大冶测试有限公司', agency: 'daye', avgWageFen: 600000 });
  const c = await registerCitizen(s, { name: '周敏', idNo: testIdNo('420281', '19940808', 'F') });
  await seedPerson(s.dbh.db, {
    idNo: c.idNo,
    name: '周敏',
    agency: 'daye',
    enrol: [{ type: 'employee', start: '2024-01-01', unitId, employment: 'employed' }],
    contributions: [{ type: 'employee', lastMonths: 34, clock: s.clock, baseYuan: 6000 }],
  });

  const ctx = await context(PHONE);
  const page = await ctx.newPage();
  await citizenLogin(page, c.mobile, c.password);
  await page.goto('/apply/daye/DY-23');
  await page.getByRole('heading', { level: 1, name: '在线申请：生育津贴支付' }).waitFor();
  await page
    .getByRole('group', { name: /申领类型/ })
    .getByLabel('女职工生育津贴')
    .check();
  await page
    .getByRole('group', { name: /分娩方式/ })
    .getByLabel(/剖宫产/)
    .check();
  const delivery = daysAgo(40, s.clock);
  await page.getByLabel('分娩日期').fill(delivery);
  await page.getByLabel('参保单位名称').fill('大冶测试有限公司');
  await page.getByLabel('津贴发放银行账号').fill('6217002870012345678');
  await page.getByRole('status').filter({ hasText: '已自动保存' }).waitFor();
  const pre = page.getByRole('region', { name: '办理条件自检' });
  await pre.getByRole('status').getByText('根据您的参保信息，符合本事项的办理条件').waitFor();
  assert.equal(await page.locator('#precheck-warning').count(), 0);
  await expectAccessible(page, 'apply DY-23 with the pre-check');
  await panelShots(page, pre, 'precheck-daye');

  await page.getByLabel('上传文件：有效身份证件或社保卡或医保电子凭证').setInputFiles(file('身份证.pdf', PDF_BYTES));
  await page.getByRole('status').filter({ hasText: '已上传：身份证.pdf' }).waitFor();
  await page.getByLabel('上传文件：病历资料').setInputFiles(file('出院记录.pdf', PDF_BYTES));
  await page.getByRole('status').filter({ hasText: '已上传：出院记录.pdf' }).waitFor();
  await page.getByRole('button', { name: '提交申请' }).click();
  await page.waitForURL(/\/me\/cases\/\d+$/);

  const benefit = page.getByRole('region', { name: '待遇核算' });
  await benefit.waitFor();
  const text = await benefit.innerText();
  assert.match(text, /¥28,600\.00/);
  assert.match(text, /预计/);
  const steps = benefit.getByRole('listitem');
  assert.ok((await steps.count()) >= 2, 'the trace is listed step by step');
  const caesarean = steps.filter({ hasText: /剖宫产/ });
  assert.match(await caesarean.first().innerText(), /143天/);
  await expectAccessible(page, 'my case with the benefit');
  await panelShots(page, benefit, 'benefit-my-case');
  const caseNo = (await page.locator('.facts .mono').first().innerText()).trim();

  // The clerk sees the same 待遇核算 and the 规则核验 next to the action panel.
  const sctx = await context(DESKTOP);
  const staff = await sctx.newPage();
  await staffLogin(staff, 'daye', ['acceptor'], '受理员王');
  await staff.getByRole('link', { name: caseNo }).click();
  await staff.getByRole('heading', { level: 2, name: '办理', exact: true }).waitFor();
  const rules = staff.getByRole('region', { name: '规则核验' });
  await rules.waitFor();
  assert.match(await rules.innerText(), /通过/);
  assert.doesNotMatch(await rules.innerText(), /未通过/);
  assert.match(await staff.getByRole('region', { name: '待遇核算' }).innerText(), /¥28,600\.00/);
  await expectAccessible(staff, 'staff case with 规则核验 and 待遇核算');
  await shot(staff, 'rules-staff-case-desktop');
  await sctx.close();
  await ctx.close();
});
