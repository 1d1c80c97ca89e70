/**
 * 好差评 and 投诉 in real Chromium: a citizen's case is completed through the staff 办理 panel,
 * the citizen rates it 不满意, the supervisor finds the 整改 task on the desk, records the call-back
 * and the result, and the citizen sees the outcome on the case page. Then the citizen complains
 * online and the supervisor answers. The citizen's application itself is made through the API
 * (the apply form has its own journey in cases.e2e.test.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from '../test/support.ts';
import { PDF_BYTES, registerCitizen } from '../test/client.ts';
import { DESKTOP, PHONE, expectAccessible, launch } from './support.ts';
import { citizenLogin, confirmAction, mainText, newContext, newStaff, pickAction, shots as shotsAt, staffLogin } from './journeys.ts';

const shots = (page: Page, name: string) => shotsAt(page, 'feedback', name);

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

test('a 差评 leads to rectification: the citizen rates 不满意, the supervisor calls back and records the result, the citizen sees it', async () => {
  const clerk = await newStaff(s, 'daye', ['acceptor'], '受理员甲');
  const reviewer = await newStaff(s, 'daye', ['reviewer'], '审核员乙');
  const supervisor = await newStaff(s, 'daye', ['supervisor'], '监督员丙');
  const citizen = await registerCitizen(s, { name: '刘敏' });

  // The citizen's application: 参保人员参保信息查询 with its identity document.
  const d = await citizen.client.post('/api/cases', { agencyCode: 'daye', itemCode: 'DY-08' });
  assert.equal(d.status, 201, JSON.stringify(d.body));
  for (const m of d.body.form.materials.filter((x: { applies: string }) => x.applies === 'yes'))
    assert.equal((await citizen.client.upload(d.body.id, m.index, '身份证.pdf', PDF_BYTES)).status, 201);
  const sub = await citizen.client.post(`/api/cases/${d.body.id}/submit`);
  const caseId = d.body.id as number;
  const caseNo = sub.body.caseNo as string;

  // Staff take it to 办结 through the 办理 panel.
  const sctx = await newContext(browser, s, DESKTOP);
  const staff = await sctx.newPage();
  await staffLogin(staff, s, clerk);
  await openFromQueue(staff, caseNo);
  await pickAction(staff, '受理');
  await confirmAction(staff, '受理');
  await staffLogin(staff, s, reviewer);
  await openFromQueue(staff, caseNo);
  await pickAction(staff, '开始审核');
  await confirmAction(staff, '开始审核');
  await pickAction(staff, '审核通过，办结（准予）');
  await confirmAction(staff, '审核通过，办结（准予）');

  // The citizen rates the completed case 不满意; a 差评 needs a reason.
  const ctx = await newContext(browser, s, PHONE);
  const page = await ctx.newPage();
  await citizenLogin(page, citizen.mobile, citizen.password);
  await page.goto(`/me/cases/${caseId}`);
  const panel = page.getByRole('region', { name: '服务评价（好差评）' });
  await panel.getByRole('group', { name: /满意度/ }).waitFor();
  await expectAccessible(page, 'rating form');
  await shots(page, 'rating-form');
  await panel.getByLabel('不满意', { exact: true }).check();
  await panel.getByRole('button', { name: '提交评价' }).click();
  await panel.getByText('请写明不满意的原因（至少 5 个字），以便我们回访整改。').waitFor();
  assert.equal(await panel.getByLabel('不满意', { exact: true }).isChecked(), true, 'the choice is kept');
  await panel.getByLabel(/评价内容/).fill('补正材料没有一次说清楚，跑了两趟');
  await panel.getByRole('button', { name: '提交评价' }).click();
  await panel.getByRole('status').filter({ hasText: '将安排专人回访并整改' }).waitFor();
  await panel.getByRole('heading', { name: '整改情况：待回访' }).waitFor();
  await expectAccessible(page, 'rating given');
  await shots(page, 'rating-given');

  // The supervisor: the desk lists the task by deadline; the detail has the applicant's number.
  await staffLogin(staff, s, supervisor);
  await staff.getByRole('navigation', { name: '账号' }).getByRole('link', { name: '好差评与投诉' }).click();
  await staff.getByRole('heading', { level: 1, name: '好差评与投诉' }).waitFor();
  const row = staff.locator('tr', { hasText: caseNo });
  await row.waitFor();
  assert.match(await row.innerText(), /不满意/);
  assert.match(await row.innerText(), /待回访/);
  assert.match(await row.innerText(), /审核员乙/, 'the handler is the reviewer who completed the case');
  await expectAccessible(staff, 'feedback desk');
  await shots(staff, 'desk');
  await row.getByRole('link', { name: caseNo }).click();
  await staff.getByRole('heading', { level: 1, name: /差评整改/ }).waitFor();
  assert.match(await mainText(staff), new RegExp(citizen.mobile));
  await expectAccessible(staff, 'rectification detail');
  await shots(staff, 'rectification-open');

  const cb = staff.getByRole('form', { name: '记录回访' });
  await cb.getByRole('button', { name: '保存回访记录' }).click();
  await cb.getByText('请记录申请人的意见。').waitFor();
  await cb.getByLabel('回访方式').selectOption('phone');
  await cb.getByLabel(/申请人意见/).fill('申请人表示希望窗口一次性告知全部材料');
  await cb.getByRole('button', { name: '保存回访记录' }).click();
  await staff.getByRole('status').filter({ hasText: '已保存回访记录' }).waitFor();
  const res = staff.getByRole('form', { name: '记录整改结果' });
  await res.getByLabel(/整改结果/).fill('已约谈窗口人员，一次性告知清单已张贴到各窗口。');
  await res.getByRole('button', { name: '记录整改结果并办结' }).click();
  await staff.getByRole('status').filter({ hasText: '整改办结' }).waitFor();
  assert.match(await mainText(staff), /已整改/);
  await shots(staff, 'rectification-closed');

  // The citizen sees the call-back and the result on the case page.
  await page.reload();
  await panel.getByRole('heading', { name: '整改情况：已整改' }).waitFor();
  const text = await panel.innerText();
  assert.match(text, /电话回访/);
  assert.match(text, /一次性告知全部材料/);
  assert.match(text, /一次性告知清单已张贴到各窗口/);
  await expectAccessible(page, 'rating outcome');
  await shots(page, 'rating-outcome');

  // The citizen complains online about the case; the phones the guide lists are shown.
  await panel.getByRole('link', { name: '我要投诉' }).click();
  await page.getByRole('heading', { level: 1, name: '我要投诉' }).waitFor();
  await page.getByRole('complementary', { name: '投诉电话' }).getByText('0714-8717336').waitFor();
  assert.equal(await page.getByLabel('办件', { exact: true }).isChecked(), true, 'the case link comes from the case page');
  await page.getByRole('button', { name: '提交投诉' }).click();
  await page.getByRole('alert').filter({ hasText: '请把情况写清楚' }).waitFor();
  await expectAccessible(page, 'complaint form');
  await shots(page, 'complaint-form');
  await page.getByLabel(/投诉内容/).fill('办结后参保信息查询结果与实际缴费月数不一致');
  await page.getByRole('button', { name: '提交投诉' }).click();
  await page.getByRole('status').filter({ hasText: '投诉已提交' }).waitFor();
  const complaintNo = /TS-DAYE-\d{8}-\d{6}/.exec(await mainText(page))![0];
  await expectAccessible(page, 'complaint detail');
  await shots(page, 'complaint-detail');

  // The supervisor answers it from the desk.
  await staff.goto('/staff/feedback?tab=complaints');
  await staff.getByRole('link', { name: complaintNo }).click();
  await staff.getByRole('heading', { level: 1, name: new RegExp(complaintNo) }).waitFor();
  await staff.getByRole('button', { name: '受理（转为处理中）' }).click();
  await staff.getByRole('status').filter({ hasText: '处理中' }).waitFor();
  await staff.getByLabel(/答复内容/).fill('经核查，缴费记录已同步更新，请重新查询。');
  await staff.getByRole('button', { name: '答复投诉人' }).click();
  await staff.getByRole('status').filter({ hasText: '已答复' }).waitFor();
  await expectAccessible(staff, 'staff complaint');
  await shots(staff, 'staff-complaint');
  for (const [tab, name] of [
    ['complaints', '投诉'],
    ['appeals', '申诉'],
    ['settings', '期限设置'],
  ] as const) {
    await staff.goto(`/staff/feedback?tab=${tab}`);
    await staff.getByRole('tab', { name, selected: true }).waitFor();
    await staff
      .getByRole('tabpanel')
      .getByText(/共 \d+ 件|平台默认值/)
      .first()
      .waitFor();
    await expectAccessible(staff, `desk ${tab}`);
    await shots(staff, `desk-${tab}`);
  }
  await staff.goto('/staff/feedback/complaints/new');
  await staff.getByRole('heading', { level: 1, name: '登记电话投诉' }).waitFor();
  await expectAccessible(staff, 'phone complaint form');
  await shots(staff, 'phone-complaint');

  await page.goto('/me/complaints');
  await page
    .getByRole('link', { name: /办件投诉/ })
    .first()
    .waitFor();
  assert.match(await mainText(page), /已答复/);
  await expectAccessible(page, 'my complaints');
  await shots(page, 'my-complaints');
  await sctx.close();
  await ctx.close();
});
