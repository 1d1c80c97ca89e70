/**
 * Case journeys in real Chromium: applying online with uploads and autosave, 容缺受理 and the late
 * document, 一次性告知补正, staff registering a mailed-in case, and a deadline running over the
 * National Day holiday until the case is overdue. Staff accounts are created with the service
 * (an administrator's job); everything a citizen or a clerk does in the journey goes through the UI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../test/support.ts';
import { enterAllowanceDays, seedPerson, seedUnit } from '../test/registry.ts';
import { Client, PDF_BYTES, PNG_BYTES, lastSmsCode, publishTolerance, registerCitizen, testIdNo, testMobile } from '../test/client.ts';
import { chinaDate, mutableClock } from '../server/platform/clock.ts';
import { daysAgo } from '../test/clock.ts';
import { DESKTOP, PHONE, expectAccessible, launch, shot } from './support.ts';
import {
  apiCase,
  citizenLogin,
  confirmAction,
  file,
  mainText,
  newContext,
  newStaff,
  pickAction,
  shots as shotsAt,
  staffLogin,
  syncClock,
} from './journeys.ts';

const context = (viewport = PHONE, server = s): Promise<BrowserContext> => newContext(browser, server, viewport);
const shots = (page: Page, name: string) => shotsAt(page, 'cases', name);

let s: TestServer;
let browser: Browser;
before(async () => {
  [s, browser] = await Promise.all([startServer(), launch()]);
});
after(async () => {
  await browser?.close();
  await s?.close();
});

async function openFromQueue(page: Page, caseNo: string) {
  await page.getByRole('link', { name: caseNo }).click();
  await page.getByRole('heading', { level: 2, name: '办理', exact: true }).waitFor();
}

test('大冶 生育津贴 online: autosave, 容缺受理, the late identity document, approval, PDF and verification', async () => {
  const today = chinaDate(s.clockNow());
  await publishTolerance(s, 'daye', 'DY-23', 0, 10, today);
  const clerk = await newStaff(s, 'daye', ['acceptor'], '受理员李');
  const reviewer = await newStaff(s, 'daye', ['reviewer'], '审核员周');

  const ctx = await context(PHONE);
  const page = await ctx.newPage();

  // Register through the form; the SMS code is read from what the platform texted.
  const mobile = testMobile();
  await page.goto('/register');
  await page.getByRole('heading', { level: 1, name: '注册账号' }).waitFor();
  await expectAccessible(page, 'register');
  await shots(page, 'register');
  await page.getByLabel('手机号').fill(mobile);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await page.getByRole('status').filter({ hasText: '验证码已发送' }).waitFor();
  await page.getByRole('textbox', { name: /^验证码/ }).fill(await lastSmsCode(s, mobile));
  await page.getByLabel('姓名').fill('陈静');
  const idNo = testIdNo('420281', '19920305', 'F');
  // Her registry record (the rules read it): employee insurance in 大冶 with every month paid,
  // in a unit whose average monthly wage is 6000 (the 生育津贴 base).
  const unitId = await seedUnit(s.dbh.db, { uscc: '91420281MA4E2E001X', name: '大冶有色金属集团', agency: 'daye', avgWageFen: 600000 });
  // The registry holds another mobile number for her (预留手机号) than the one she registers with.
  const registryPhone = testMobile();
  await seedPerson(s.dbh.db, {
    idNo,
    name: '陈静',
    agency: 'daye',
    phone: registryPhone,
    enrol: [{ type: 'employee', start: '2023-01-01', unitId, employment: 'employed' }],
    contributions: [{ type: 'employee', lastMonths: 46, clock: s.clock, baseYuan: 6000 }],
  });
  await page.getByLabel('公民身份号码').fill(idNo);
  await page.getByLabel('密码').fill('Citizen-Pass-2026');
  await page.getByRole('button', { name: '注册并登录' }).click();
  await page.getByRole('heading', { level: 1, name: '我的办件' }).waitFor();

  // Her ID number is only a claim until she proves the registry's number is hers.
  const verify = page.getByRole('region', { name: '核验身份' });
  await verify.waitFor();
  await expectAccessible(page, '/me (identity not yet verified)');
  await shots(page, 'identity-unverified');
  await verify.getByRole('button', { name: '发送验证码到预留手机号' }).click();
  await verify.getByRole('status').filter({ hasText: '验证码已发送到您在医保部门登记的手机号码' }).waitFor();
  assert.equal(
    (await s.dbh.db.selectFrom('outbox').select('id').where('recipient', '=', mobile).execute()).length,
    1,
    'only the registration code went to the number she typed',
  );
  await verify.getByRole('textbox', { name: '验证码' }).fill('000000' === (await lastSmsCode(s, registryPhone)) ? '111111' : '000000');
  await verify.getByRole('button', { name: '核验', exact: true }).click();
  await verify.getByRole('alert').filter({ hasText: '短信验证码不正确或已过期。' }).waitFor();
  await verify.getByRole('textbox', { name: '验证码' }).fill(await lastSmsCode(s, registryPhone));
  await verify.getByRole('button', { name: '核验', exact: true }).click();
  await verify.waitFor({ state: 'detached' });

  // The guide, then 在线申请.
  await page.goto('/a/daye/items/DY-23');
  await page.getByRole('heading', { level: 1, name: '生育津贴支付' }).waitFor();
  await page.getByRole('link', { name: '在线申请' }).click();
  await page.getByRole('heading', { level: 1, name: '在线申请：生育津贴支付' }).waitFor();
  assert.equal(await page.getByLabel('申请人姓名').inputValue(), '陈静', 'the applicant block is filled from the account');
  // Verified: the pre-check reads her own registry record.
  await page
    .locator('.precheck-status')
    .getByText(/根据您的参保信息/)
    .waitFor();
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
  await page.getByLabel('参保单位名称').fill('大冶有色金属集团');
  await page.getByRole('status').filter({ hasText: '已自动保存' }).waitFor();

  // Mid-way reload: the answers come back from the draft.
  await page.reload();
  await page.getByRole('heading', { level: 1, name: '在线申请：生育津贴支付' }).waitFor();
  assert.equal(
    await page
      .getByRole('group', { name: /申领类型/ })
      .getByLabel('女职工生育津贴')
      .isChecked(),
    true,
  );
  assert.equal(
    await page
      .getByRole('group', { name: /分娩方式/ })
      .getByLabel(/剖宫产/)
      .isChecked(),
    true,
  );
  assert.equal(await page.getByLabel('分娩日期').inputValue(), delivery);
  assert.equal(await page.getByLabel('参保单位名称').inputValue(), '大冶有色金属集团');

  await page.getByLabel('津贴发放银行账号').fill('6217 0028 7001 2345 678');
  assert.equal(await page.getByLabel('津贴发放银行账号').inputValue(), '6217002870012345678', 'spaces are dropped as typed');
  // Only the medical record; the identity document is 可容缺 and comes later.
  const idDoc = page.locator('li.mat', { hasText: '有效身份证件或社保卡或医保电子凭证' });
  assert.match(await idDoc.innerText(), /可容缺/);
  await page.getByLabel('上传文件：病历资料').setInputFiles(file('出院记录.pdf', PDF_BYTES));
  await page.getByRole('status').filter({ hasText: '已上传：出院记录.pdf' }).waitFor();
  await page.getByText(/尚未上传：有效身份证件或社保卡或医保电子凭证（可容缺）/).waitFor();
  await expectAccessible(page, 'apply DY-23');
  await shots(page, 'apply-form');
  await page.getByRole('button', { name: '提交申请' }).click();
  await page.waitForURL(/\/me\/cases\/\d+$/);
  const id = Number(/(\d+)$/.exec(page.url())![1]);
  await page.getByText('待受理').first().waitFor();
  const submitted = await apiCase(page, id);
  assert.equal(submitted.status, 'submitted');
  assert.match(submitted.caseNo, /^DY-/);
  assert.equal(submitted.answers.delivery, 'caesarean');
  assert.equal(submitted.answers.bankAccount, '6217002870012345678');
  await expectAccessible(page, 'my case submitted');
  await shots(page, 'my-case-submitted');

  // The clerk: queue, the case, 容缺受理 with the signed pledge.
  const sctx = await context(DESKTOP);
  const staff = await sctx.newPage();
  await staffLogin(staff, s, clerk);
  await staff.getByRole('link', { name: submitted.caseNo }).waitFor();
  await expectAccessible(staff, 'staff queue');
  await shots(staff, 'staff-queue');
  await openFromQueue(staff, submitted.caseNo);
  assert.match(await mainText(staff), /尚缺 1 项：有效身份证件或社保卡或医保电子凭证（可容缺）/);
  const tolForm = await pickAction(staff, '容缺受理');
  await tolForm.getByRole('button', { name: '确认容缺受理' }).click();
  await tolForm.getByRole('alert').filter({ hasText: '承诺书' }).waitFor(); // the pledge must be ticked
  await tolForm.getByLabel('申请人已签署《容缺受理承诺书》').check();
  await expectAccessible(staff, 'staff case with action panel');
  await shots(staff, 'staff-case-action');
  await confirmAction(staff, '容缺受理');
  await staff.getByText('容缺受理通知书（PDF）').waitFor();

  // The citizen sees what is owed and by when, and supplies it.
  await page.reload();
  const tol = page.getByRole('region', { name: '容缺受理：待补交的材料' });
  await tol.waitFor();
  const afterTol = await apiCase(page, id);
  assert.equal(afterTol.status, 'tolerance_accepted');
  assert.match(afterTol.toleranceDue, /^\d{4}-\d{2}-\d{2}$/);
  assert.match(await tol.innerText(), new RegExp(`请在 ${afterTol.toleranceDue} 前补交`));
  await expectAccessible(page, 'my case tolerance');
  await shots(page, 'my-case-tolerance');
  await tol.getByLabel('上传文件：有效身份证件或社保卡或医保电子凭证').setInputFiles(file('身份证.png', PNG_BYTES, 'image/png'));
  await tol.getByRole('status').filter({ hasText: '已上传：身份证.png' }).waitFor();
  await tol.getByRole('button', { name: '补交容缺材料' }).click();
  await page.getByRole('status').filter({ hasText: '已补交容缺材料' }).waitFor();
  assert.equal((await apiCase(page, id)).status, 'accepted');
  await shots(page, 'my-case-accepted');

  // The reviewer: 开始审核, then 审核通过.
  const rctx = await context(DESKTOP);
  const rev = await rctx.newPage();
  await staffLogin(rev, s, reviewer);
  await openFromQueue(rev, submitted.caseNo);
  await pickAction(rev, '开始审核');
  await confirmAction(rev, '开始审核');
  await pickAction(rev, '审核通过，办结（准予）');
  await shots(rev, 'staff-case-approve');
  await confirmAction(rev, '审核通过，办结（准予）');
  await rctx.close();
  await sctx.close();

  // The citizen: 办结-准予, the timeline, the notice PDF and its verification.
  await page.reload();
  await page.getByRole('heading', { level: 2, name: '办理进度' }).waitFor();
  const text = await mainText(page);
  assert.match(text, /办结-准予/);
  for (const step of ['提交申请', '容缺受理', '补交容缺材料', '开始审核', '审核通过']) assert.match(text, new RegExp(step), `timeline shows ${step}`);
  await expectAccessible(page, 'my case approved');
  await shots(page, 'my-case-approved');
  const noticeItem = page.locator('ul.docs li', { hasText: '办结通知书' });
  const href = await noticeItem.getByRole('link').getAttribute('href');
  assert.ok(href);
  const pdf = await page.request.get(href);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  assert.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-');
  const code = /核验码\s*(\S+)/.exec(await noticeItem.innerText())?.[1];
  assert.ok(code, 'the verification code is shown next to the notice');

  await page.goto(`/verify/${code}`);
  const ok = page.getByRole('status').filter({ hasText: '文书真实有效' });
  await ok.waitFor();
  const v = await ok.innerText();
  assert.match(v, /办结通知书/);
  assert.ok(v.includes(submitted.caseNo), 'the verification shows the case number');
  assert.match(v, /陈\*/);
  assert.doesNotMatch(v, /陈静/, 'the applicant name is masked');
  await expectAccessible(page, 'verify');
  await shots(page, 'verify');
  await ctx.close();
});

test('海城 生育津贴: one 补正 notice lists two materials, both corrected online, accepted and approved', async () => {
  const citizen = await registerCitizen(s, { name: '王芳', idNo: testIdNo('211381', '19930402', 'F') });
  const hcUnitId = await seedUnit(s.dbh.db, { uscc: '91210381MA0HC0001X', name: '海城测试有限公司', agency: 'haicheng', avgWageFen: 450000 });
  await seedPerson(s.dbh.db, {
    idNo: citizen.idNo,
    name: '王芳',
    agency: 'haicheng',
    enrol: [{ type: 'employee', start: '2024-01-01', employment: 'employed', unitId: hcUnitId }],
    contributions: [{ type: 'employee', lastMonths: 34, clock: s.clock, baseYuan: 5000 }],
  });
  // 海城's seed gives no 生育津贴 days: the agency admin enters them before the benefit can be paid.
  await enterAllowanceDays(s.dbh.db, 'haicheng', { natural: 98, caesarean: 113 });
  const clerk = await newStaff(s, 'haicheng', ['acceptor'], '受理员孙');
  const reviewer = await newStaff(s, 'haicheng', ['reviewer'], '审核员吴');

  const ctx = await context(PHONE);
  const page = await ctx.newPage();
  await citizenLogin(page, citizen.mobile, citizen.password);
  await page.goto('/a/haicheng/items/HC-24');
  await page.getByRole('link', { name: '在线申请' }).click();
  await page.getByRole('heading', { level: 1, name: '在线申请：生育津贴支付' }).waitFor();
  await page.getByRole('radio', { name: '顺产' }).check();
  await page.getByLabel('分娩日期').fill(daysAgo(46, s.clock));
  await page.getByLabel('津贴发放银行账号').fill('6217002870012345678');
  await page.getByLabel('上传文件：容缺受理承诺书').setInputFiles(file('承诺书.pdf', PDF_BYTES));
  await page.getByRole('status').filter({ hasText: '已上传：承诺书.pdf' }).waitFor();
  await page.getByLabel('上传文件：病历资料').setInputFiles(file('病历.pdf', PDF_BYTES));
  await page.getByRole('status').filter({ hasText: '已上传：病历.pdf' }).waitFor();
  await page.getByRole('button', { name: '提交申请' }).click();
  await page.waitForURL(/\/me\/cases\/\d+$/);
  const id = Number(/(\d+)$/.exec(page.url())![1]);
  const { caseNo } = await apiCase(page, id);
  assert.match(caseNo, /^HC-/);

  // The clerk lists everything that needs correcting in one notice.
  const sctx = await context(DESKTOP);
  const staff = await sctx.newPage();
  await staffLogin(staff, s, clerk);
  await openFromQueue(staff, caseNo);
  const form = await pickAction(staff, '一次性告知补正');
  await form.getByRole('checkbox', { name: /医保电子凭证或有效身份证件或社保卡/ }).check();
  await form.getByRole('checkbox', { name: /病历资料/ }).check();
  await form.getByLabel('医保电子凭证或有效身份证件或社保卡的补正说明').fill('请上传身份证正反面');
  await form.getByLabel('病历资料的补正说明').fill('病历缺出院记录页');
  await form.getByLabel('备注（选填）').fill('请一并补正');
  await shots(staff, 'staff-case-correction-form');
  await confirmAction(staff, '一次性告知补正');
  await staff.getByText('补正材料通知书（PDF）').waitFor();

  // The citizen sees both at once, uploads both and sends them back.
  await page.reload();
  const corr = page.getByRole('region', { name: '需要补正的材料（一次性告知）' });
  await corr.waitFor();
  const ct = await corr.innerText();
  assert.match(ct, /医保电子凭证或有效身份证件或社保卡/);
  assert.match(ct, /补正说明：请上传身份证正反面/);
  assert.match(ct, /病历资料/);
  assert.match(ct, /补正说明：病历缺出院记录页/);
  assert.match(ct, /请一并补正/);
  assert.equal(await corr.locator('li.mat').count(), 2);
  await expectAccessible(page, 'my case correction');
  await shots(page, 'my-case-correction');
  await corr.getByLabel('上传文件：医保电子凭证或有效身份证件或社保卡').setInputFiles(file('身份证.png', PNG_BYTES, 'image/png'));
  await corr.getByRole('status').filter({ hasText: '已上传：身份证.png' }).waitFor();
  await corr.getByLabel('上传文件：病历资料').setInputFiles(file('病历-含出院记录.pdf', Buffer.concat([PDF_BYTES, Buffer.from('%full\n')])));
  await corr.getByRole('status').filter({ hasText: '已上传：病历-含出院记录.pdf' }).waitFor();
  await corr.getByRole('button', { name: '提交补正材料' }).click();
  await page.getByRole('status').filter({ hasText: '已提交补正材料' }).waitFor();
  assert.equal((await apiCase(page, id)).status, 'submitted');

  // 受理, then review and approval.
  await staff.reload();
  await staff.getByRole('heading', { level: 2, name: '办理', exact: true }).waitFor();
  await pickAction(staff, '受理');
  await confirmAction(staff, '受理');
  await staff.getByText('受理回执（PDF）').waitFor();
  await sctx.close();
  const rctx = await context(DESKTOP);
  const rev = await rctx.newPage();
  await staffLogin(rev, s, reviewer);
  await openFromQueue(rev, caseNo);
  await pickAction(rev, '开始审核');
  await confirmAction(rev, '开始审核');
  await pickAction(rev, '审核通过，办结（准予）');
  await confirmAction(rev, '审核通过，办结（准予）');
  await rctx.close();

  await page.reload();
  await page.getByRole('heading', { level: 2, name: '办理进度' }).waitFor();
  assert.match(await mainText(page), /办结-准予/);
  assert.equal((await apiCase(page, id)).status, 'approved');
  await shots(page, 'my-case-approved-haicheng');
  await ctx.close();
});

test('大连 mail-in: the clerk registers a posted application, uploads the scan, and the queue lists it', async () => {
  const clerk = await newStaff(s, 'dalian', ['acceptor'], '受理员郑');
  const ctx = await context(DESKTOP);
  const page = await ctx.newPage();
  await staffLogin(page, s, clerk);
  await page.getByRole('link', { name: '代为登记' }).click();
  await page.getByRole('heading', { level: 1, name: '代为登记' }).waitFor();
  await page.getByRole('combobox', { name: /^事项/ }).selectOption('DL-13');
  await page.getByRole('group', { name: '收件渠道' }).getByLabel('邮寄').check();
  const received = daysAgo(3, s.clock);
  await page.getByLabel('收件日期').fill(received);
  await page.getByLabel('申请人姓名').fill('刘建国');
  const idNo = testIdNo('210202', '19650712');
  await page.getByLabel('公民身份号码').fill(idNo);
  await page.getByLabel('联系电话（手机）').fill('13904115678');
  await page
    .getByRole('group', { name: /逝者的参保身份/ })
    .getByLabel('灵活就业人员')
    .check();
  await expectAccessible(page, 'staff register');
  await shots(page, 'staff-register');
  await page.getByRole('button', { name: '登记', exact: true }).click();
  await page.waitForURL(/\/staff\/cases\/\d+$/);
  await page.getByRole('heading', { level: 2, name: '办理', exact: true }).waitFor();
  const id = Number(/(\d+)$/.exec(page.url())![1]);
  const facts = page.locator('dl.facts');
  const ft = await facts.innerText();
  assert.match(ft, /渠道\s*邮寄/);
  assert.match(ft, /当前状态\s*待受理/);
  const c = await apiCase(page, id);
  assert.equal(c.channel, 'post');
  assert.equal(c.applicant.idNo, idNo);
  assert.equal(c.answers.employment, 'flexible');
  assert.match(c.events[0].note ?? '', /邮寄/);
  assert.match(c.events[0].note ?? '', new RegExp(received));

  await page.getByLabel('上传文件：《死亡证明》复印件').setInputFiles(file('死亡证明-扫描件.pdf', PDF_BYTES));
  await page.getByRole('status').filter({ hasText: '已上传：死亡证明-扫描件.pdf' }).waitFor();
  await page.getByRole('link', { name: '死亡证明-扫描件.pdf' }).waitFor();
  const up = await apiCase(page, id);
  assert.deepEqual(
    up.materials.map((m: { materialIndex: number; phase: string }) => [m.materialIndex, m.phase]),
    [[0, 'intake']],
  );
  await shots(page, 'staff-case-mail-in');

  await page.getByRole('link', { name: '工作台' }).first().click();
  const row = page.getByRole('row').filter({ hasText: c.caseNo });
  await row.waitFor();
  const rt = await row.innerText();
  assert.match(rt, /刘建国/);
  assert.match(rt, /邮寄/);
  assert.match(rt, /待受理/);

  // On a phone the queue opens with the filters folded away; each case is a card that fits the screen.
  await page.setViewportSize(PHONE);
  await page.reload();
  await row.waitFor();
  assert.equal(await page.locator('details.filters-toggle').getAttribute('open'), null, 'filters start folded on a phone');
  assert.ok(await page.locator('.table-wrap').evaluate((el) => el.scrollWidth <= el.clientWidth), 'no sideways scrolling');
  assert.ok(await row.getByText('待受理').isVisible(), 'status visible without scrolling');
  assert.ok(await row.getByText('未认领').isVisible(), 'assignee visible without scrolling');
  await shot(page, 'cases-staff-queue-mounted-phone');
  await ctx.close();
});

test('国庆: accepted on 2025-09-30, due 2025-10-21, overdue on 2025-10-22 in the queue and on the case', async () => {
  const clock = mutableClock('2025-09-30T02:00:00Z');
  const s2 = await startServer({ clock });
  try {
    const citizen = await registerCitizen(s2, { name: '陈静', idNo: testIdNo('420281', '19920305', 'F') });
    await seedPerson(s2.dbh.db, {
      idNo: citizen.idNo,
      name: '陈静',
      agency: 'daye',
      enrol: [{ type: 'employee', start: '2023-01-01', employment: 'employed' }],
      contributions: [{ type: 'employee', lastMonths: 32, clock, baseYuan: 6000 }], // 2023-01…2025-08
    });
    const c: Client = citizen.client;
    const d = await c.post('/api/cases', {
      agencyCode: 'daye',
      itemCode: 'DY-23',
      answers: { beneficiary: 'female', delivery: 'natural', deliveryDate: '2025-08-01', unitName: '大冶某公司', bankAccount: '6217002870012345678' },
    });
    assert.equal(d.status, 201, JSON.stringify(d.body));
    for (const i of [0, 1]) assert.equal((await c.upload(d.body.id, i, `m${i}.pdf`, PDF_BYTES)).status, 201);
    const sub = await c.post(`/api/cases/${d.body.id}/submit`);
    assert.equal(sub.body.status, 'submitted', JSON.stringify(sub.body));
    const { id, caseNo } = sub.body as { id: number; caseNo: string };

    const clerk = await newStaff(s2, 'daye', ['acceptor'], '受理员李');
    const supervisor = await newStaff(s2, 'daye', ['reviewer', 'supervisor'], '科长周');
    const ctx = await context(DESKTOP, s2);
    const page = await ctx.newPage();
    await staffLogin(page, s2, clerk);
    await openFromQueue(page, caseNo);
    assert.ok(page.url().endsWith(`/staff/cases/${id}`));
    await pickAction(page, '受理');
    await confirmAction(page, '受理');
    const facts = page.locator('dl.facts');
    assert.match(await facts.innerText(), /到期日\s*2025-10-21\s*剩余 10 个工作日/);
    await shots(page, 'staff-case-accepted-0930');

    // Three weeks later (the holiday does not count): the sweep marks the breach.
    clock.set('2025-10-22T02:00:00Z');
    await syncClock(ctx, s2);
    await s2.runner.runOnce();
    await staffLogin(page, s2, supervisor); // sessions last 7 days: sign in again
    await page.getByLabel('仅超期').check();
    await page.getByRole('button', { name: '筛选', exact: true }).click();
    await page.getByRole('table').getByText('共 1 件').waitFor();
    const row = page.locator('tr.overdue', { hasText: caseNo });
    await row.waitFor();
    assert.match(await row.innerText(), /2025-10-21\s*已超期/);
    const bg = await row
      .locator('td')
      .nth(1)
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    assert.equal(bg, 'rgb(255, 244, 242)', 'the overdue row is highlighted');
    await expectAccessible(page, 'staff queue overdue');
    await shots(page, 'staff-queue-overdue');

    await openFromQueue(page, caseNo);
    assert.match(await facts.innerText(), /已超期/);
    const clockList = page.locator('ol.timeline.clock');
    const kinds = (await clockList.locator('li strong').allInnerTexts()).map((x) => x.trim());
    // One sweep after the deadline records the breach (the earlier reminders had no sweep of their own).
    assert.equal(kinds[0], '开始计时');
    assert.equal(kinds.at(-1), '超期');
    const ct = await clockList.innerText();
    assert.match(ct, /2025-09-30\s*开始计时 · 到期日 2025-10-21/);
    assert.match(ct, /2025-10-22\s*超期/);
    await expectAccessible(page, 'staff case overdue');
    await shots(page, 'staff-case-overdue');
    await ctx.close();
  } finally {
    await s2.close();
  }
});
