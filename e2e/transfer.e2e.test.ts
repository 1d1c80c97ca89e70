/**
 * 转移接续 in real Chromium: a citizen insured in 海城 applies (through the API) for 大冶 DY-11; the 大冶
 * clerk accepts in the UI and the 联系函 goes to 海城; the 海城 clerk sees it on /staff/transfers with its
 * due date and issues the 信息表 (moving the account); the 大冶 reviewer completes the case. Staff accounts
 * are created with the service (an administrator's job); what the clerks do goes through the UI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../test/support.ts';
import { seedPerson } from '../test/registry.ts';
import { PDF_BYTES, registerCitizen, testIdNo } from '../test/client.ts';
import { DESKTOP, PHONE, expectAccessible, launch } from './support.ts';
import {
  apiCase,
  confirmAction,
  mainText,
  newContext,
  newStaff as createStaffAccount,
  pickAction,
  shots as shotsAt,
  staffLogin as login,
  type Staff,
} from './journeys.ts';

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
const shots = (page: Page, name: string) => shotsAt(page, 'transfer', name);
const newStaff = (agency: string, roles: Parameters<typeof createStaffAccount>[2], name: string) => createStaffAccount(s, agency, roles, name);
const staffLogin = (page: Page, st: Staff) => login(page, s, st);

async function openCase(page: Page, id: number) {
  await page.goto(`/staff/cases/${id}`);
  await page.getByRole('heading', { level: 2, name: '办理', exact: true }).waitFor();
}

async function apiTransfer(page: Page, caseId: number): Promise<any> {
  const r = await page.request.get('/api/staff/transfers');
  assert.equal(r.status(), 200);
  return (await r.json()).items.find((x: { caseId: number }) => x.caseId === caseId);
}

test('海城 → 大冶 转移接续: 联系函 on 受理, the origin issues the 信息表 on /staff/transfers, the destination completes', async () => {
  // 高峰: insured as an employee in 海城 (suspended), 60 months paid, 8,765.43 in his personal account.
  const c = await registerCitizen(s, { name: '高峰', idNo: testIdNo('210381', '19850505') });
  const pid = await seedPerson(s.dbh.db, {
    idNo: c.idNo,
    name: '高峰',
    agency: 'haicheng',
    enrol: [{ type: 'employee', start: '2020-01-01', status: 'suspended', employment: 'employed' }],
    contributions: [{ type: 'employee', from: '2020-01', months: 60, baseYuan: 5000 }],
    accountYuan: 8765.43,
  });
  const d = await c.client.post('/api/cases', { agencyCode: 'daye', itemCode: 'DY-11', answers: { originAgency: 'haicheng' } });
  assert.equal(d.status, 201, JSON.stringify(d.body));
  const id: number = d.body.id;
  for (const m of d.body.form.materials.filter((x: { applies: string }) => x.applies === 'yes'))
    assert.equal((await c.client.upload(id, m.index, 'm.pdf', PDF_BYTES)).status, 201);
  const sub = await c.client.post(`/api/cases/${id}/submit`);
  assert.equal(sub.body.status, 'submitted', JSON.stringify(sub.body));
  const caseNo: string = sub.body.caseNo;

  const dyClerk = await newStaff('daye', ['acceptor'], '受理员王');
  const hcClerk = await newStaff('haicheng', ['acceptor'], '受理员刘');
  const dyReviewer = await newStaff('daye', ['reviewer'], '审核员赵');

  // 大冶 clerk: 受理 → the 联系函 is issued.
  const dctx = await context(DESKTOP);
  const dy = await dctx.newPage();
  await staffLogin(dy, dyClerk);
  await openCase(dy, id);
  await pickAction(dy, '受理');
  await confirmAction(dy, '受理');
  await dy.getByText('基本医疗保险关系转移接续联系函（PDF）').waitFor();
  assert.equal((await apiCase(dy, id)).status, 'accepted');
  // The destination's own list: the letter it sent, waiting for 海城.
  await dy.goto('/staff/transfers');
  await dy.getByRole('heading', { level: 1, name: '转移接续' }).waitFor();
  await dy.getByRole('tab', { name: /本机构发出的联系函（转入）/ }).click();
  const dyRow = dy.getByRole('tabpanel').locator('tr', { hasText: caseNo });
  await dyRow.waitFor();
  assert.match(await dyRow.innerText(), /待出具信息表/);
  assert.equal(await dyRow.getByRole('link', { name: caseNo }).count(), 1, 'the destination opens its own case');
  await dctx.close();

  // 海城 clerk: the letter sent to 海城, with its due date; 出具信息表并划转个人账户.
  const hctx = await context(PHONE);
  const hc = await hctx.newPage();
  await staffLogin(hc, hcClerk);
  await hc.getByRole('link', { name: '转移接续' }).click();
  await hc.getByRole('heading', { level: 1, name: '转移接续' }).waitFor();
  const outTab = hc.getByRole('tab', { name: /发给本机构的联系函（转出）/ });
  assert.equal(await outTab.getAttribute('aria-selected'), 'true');
  const t = await apiTransfer(hc, id);
  assert.equal(t.direction, 'out');
  assert.equal(t.status, 'letter_sent');
  assert.ok(t.originDue > t.letterOn);
  const row = hc.getByRole('tabpanel').locator('tr', { hasText: caseNo });
  await row.waitFor();
  const rowText = await row.innerText();
  assert.match(rowText, /待出具信息表/);
  assert.match(rowText, /高峰/);
  assert.ok(rowText.includes(t.originDue), 'the origin leg due date is shown');
  assert.ok(rowText.includes(t.letterOn), 'the letter date is shown');
  assert.match(rowText, /剩余 \d+ 天|今天到期/);
  assert.match(rowText, /大冶/);
  assert.ok(!rowText.includes(c.idNo), 'the ID number is masked');
  assert.equal(await row.getByRole('link', { name: caseNo }).count(), 0, 'the origin cannot open the other agency’s case');
  await expectAccessible(hc, 'staff transfers (origin)');
  await shots(hc, 'origin-letter');

  await row.getByRole('button', { name: /^出具信息表并划转个人账户/ }).click();
  const dialog = hc.getByRole('dialog', { name: '出具信息表并划转个人账户' });
  await dialog.waitFor();
  const dialogText = await dialog.innerText();
  assert.match(dialogText, /账户余额划转/);
  assert.match(dialogText, /终止本地参保关系/);
  await expectAccessible(hc, 'staff transfers issue dialog');
  await dialog.getByRole('button', { name: '确认出具并划转' }).click();
  await hc.getByRole('status').filter({ hasText: '已为 高峰' }).waitFor();
  await row.getByText('已出具信息表').waitFor();
  const issued = await row.innerText();
  assert.match(issued, /60 个月/);
  assert.match(issued, /¥8,765\.43/);
  assert.equal(await row.getByRole('button', { name: /出具信息表/ }).count(), 0);
  await shots(hc, 'origin-issued');
  await hctx.close();

  const accounts = await s.dbh.db.selectFrom('personal_accounts').selectAll().where('person_id', '=', pid).orderBy('agency_code').execute();
  assert.deepEqual(
    accounts.map((a) => [a.agency_code, Number(a.balance_fen)]),
    [
      ['daye', 876543],
      ['haicheng', 0],
    ],
  );

  // 大冶 reviewer: 开始审核, 审核通过 → 办结-准予 with the 信息表 among the documents.
  const rctx = await context(DESKTOP);
  const rev = await rctx.newPage();
  await staffLogin(rev, dyReviewer);
  await openCase(rev, id);
  await pickAction(rev, '开始审核');
  await confirmAction(rev, '开始审核');
  await pickAction(rev, '审核通过，办结（准予）');
  await confirmAction(rev, '审核通过，办结（准予）');
  await rev.reload();
  await rev.getByRole('heading', { level: 2, name: '办理', exact: true }).waitFor();
  assert.match(await mainText(rev), /办结-准予/);
  await rev.locator('ul.docs li', { hasText: '参保人员基本医疗保险类型变更信息表' }).waitFor();
  assert.equal((await apiCase(rev, id)).status, 'approved');

  // The destination's list: 已办结.
  await rev.goto('/staff/transfers');
  await rev.getByRole('heading', { level: 1, name: '转移接续' }).waitFor();
  await rev.getByRole('tab', { name: /本机构发出的联系函（转入）/ }).click();
  const done = rev.getByRole('tabpanel').locator('tr', { hasText: caseNo });
  await done.getByText('已办结').first().waitFor();
  assert.match(await done.innerText(), /¥8,765\.43/);
  await expectAccessible(rev, 'staff transfers (destination)');
  await shots(rev, 'destination-completed');
  await rctx.close();
});
