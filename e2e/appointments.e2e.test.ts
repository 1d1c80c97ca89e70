/**
 * 大厅预约 in real Chromium: a citizen books a slot from an item page (business type preselected,
 * the holiday week closed, the first bookable day after it), sees the QR code and the code; on the
 * day the hall clerk checks the visitor in by typing the code and pressing Enter (as a scanner
 * does) and marks the visit served; the citizen then sees it as done and rates the visit (好差评:
 * 满意), and the rating is shown on the appointment. The agency admin's editor closes a day.
 * Screenshots at phone and desktop width: screenshots/appt-*.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from '../test/support.ts';
import { registerCitizen } from '../test/client.ts';
import { mutableClock } from '../server/platform/clock.ts';
import { DESKTOP, expectAccessible, launch } from './support.ts';
import { citizenLogin, newContext, newStaff, shots as shotsAt, staffLogin, syncClock } from './journeys.ts';

// Tuesday 30 September 2025, 10:00 China time; 1–8 October is the National Day holiday.
const clock = mutableClock('2025-09-30T02:00:00Z');
let s: TestServer;
let browser: Browser;
before(async () => {
  [s, browser] = await Promise.all([startServer({ clock }), launch()]);
});
after(async () => {
  await browser?.close();
  await s?.close();
});

const shots = (page: Page, name: string) => shotsAt(page, 'appt', name);

test('book a hall visit, show the QR code and code, check in at the hall with the code, mark served, rate the visit', async () => {
  const citizen = await registerCitizen(s, { name: '林晓' });
  const ctx = await newContext(browser, s);
  const page = await ctx.newPage();
  await citizenLogin(page, citizen.mobile, citizen.password);

  // From the item page: 预约到大厅办理.
  await page.goto('/a/dalian/items/DL-12');
  await page.getByRole('link', { name: '预约到大厅办理' }).click();
  await page.getByRole('heading', { level: 1, name: '大厅预约' }).waitFor();
  assert.ok(await page.getByRole('radio', { name: /其他经办业务/ }).isChecked(), 'the item’s business type is preselected');
  assert.ok(await page.getByRole('radio', { name: /市医保中心/ }).isChecked(), 'the only office offering it is chosen');
  const days = page.getByRole('group', { name: '选择日期' });
  await days.getByRole('radio').first().waitFor();
  // Today is too soon, the holiday week is closed, 9 October is the first bookable day.
  assert.ok(await days.getByRole('radio', { name: /9月30日/ }).isDisabled());
  assert.ok(await days.getByRole('radio', { name: /10月1日.*国庆节/ }).isDisabled());
  await days.getByRole('radio', { name: /10月9日/ }).check();
  await page
    .getByRole('group', { name: /选择时段/ })
    .getByRole('radio', { name: /^09:00\s*至09:30/ })
    .check();
  await expectAccessible(page, 'booking');
  await shots(page, 'book');
  await page.getByRole('button', { name: '确认预约' }).click();

  await page.getByRole('heading', { level: 1, name: '预约详情' }).waitFor();
  await page.getByText('预约成功。').waitFor();
  const detailPath = new URL(page.url()).pathname;
  assert.match(detailPath, /^\/me\/appointments\/\d+$/);
  // Not visited yet: nothing to rate.
  assert.equal(await page.getByRole('heading', { name: '服务评价（好差评）' }).count(), 0);
  const code = (await page.locator('.appt-code').innerText()).trim();
  assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const qr = page.getByRole('img', { name: `预约二维码（预约码 ${code}）` });
  await qr.waitFor();
  assert.ok(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0), 'the QR code loads');
  assert.match(await page.locator('main').innerText(), /10月9日 周四 09:00–09:30[\s\S]*市医保中心[\s\S]*办理城乡居民新参保建档业务/);
  await expectAccessible(page, 'appointment detail');
  await shots(page, 'detail');

  await page.goto('/me/appointments');
  await page.getByRole('heading', { level: 1, name: '我的预约' }).waitFor();
  await page.getByText(code).waitFor();
  await expectAccessible(page, 'my appointments');
  await shots(page, 'mine');

  // 9 October, 08:50: the hall clerk checks the visitor in with the code, from the keyboard.
  clock.set('2025-10-09T00:50:00Z');
  await syncClock(ctx, s); // the citizen's browser is on the same day
  const clerk = await newStaff(s, 'dalian', ['acceptor'], '窗口陈');
  const sctx = await newContext(browser, s, DESKTOP);
  const desk = await sctx.newPage();
  await staffLogin(desk, s, clerk);
  await desk.getByRole('link', { name: '大厅签到' }).click();
  await desk.getByRole('heading', { level: 1, name: '大厅签到' }).waitFor();
  await desk.getByLabel('办事大厅').selectOption({ label: '市医保中心' });
  await desk.getByRole('cell', { name: code }).waitFor();
  const input = desk.getByRole('textbox', { name: '预约码' });
  await input.focus();
  await desk.keyboard.type(code.toLowerCase().replace('-', ''));
  await desk.keyboard.press('Enter');
  await desk.getByRole('status').filter({ hasText: '林晓 签到成功' }).waitFor();
  assert.equal(await input.inputValue(), '', 'the field is cleared for the next scan');
  assert.ok(await input.evaluate((el) => el === document.activeElement), 'and keeps the focus');
  const row = desk.getByRole('row', { name: new RegExp(code) });
  await row.getByText('已签到').waitFor();
  // A second scan of the same code is refused with the reason.
  await desk.keyboard.type(`YY:${code}`);
  await desk.keyboard.press('Enter');
  await desk.getByRole('alert').filter({ hasText: '无需重复签到' }).waitFor();
  await expectAccessible(desk, 'hall desk');
  await row.getByRole('button', { name: /办理完毕/ }).click();
  await row.getByText('已办理').waitFor();
  await shots(desk, 'hall');

  // The citizen (signing in again on the day) sees the visit done.
  await citizenLogin(page, citizen.mobile, citizen.password);
  await page.goto('/me/appointments');
  await page.getByRole('heading', { level: 2, name: /历史预约/ }).waitFor();
  assert.match(await page.locator('.appt-list').last().innerText(), /已办理/);

  // …and rates the visit: 满意, with a word of thanks; the rating is shown in place of the form.
  await page.goto(detailPath);
  await page.getByRole('heading', { level: 1, name: '预约详情' }).waitFor();
  const rating = page.getByRole('form', { name: '评价本次服务' });
  await rating.getByText('您已到厅办理。请对本次到厅服务作出评价，每次预约只能评价一次。').waitFor();
  await rating.getByRole('button', { name: '提交评价' }).click();
  await rating.getByText('请选择满意度。').waitFor(); // nothing chosen yet: told at the field
  await rating.getByRole('radio', { name: '满意', exact: true }).check();
  assert.equal(await rating.getByText('请选择满意度。').count(), 0, 'the field error goes once a level is chosen');
  await rating.getByLabel(/评价内容/).fill('签到很快，窗口工作人员讲解清楚');
  await expectAccessible(page, 'visit rating form');
  await shots(page, 'rate');
  await rating.getByRole('button', { name: '提交评价' }).click();
  await page.getByText('感谢您的评价！').waitFor();
  assert.equal(await page.getByRole('form', { name: '评价本次服务' }).count(), 0, 'rated once: the form is gone');
  const given = page.locator('.fb-rating');
  assert.equal((await given.locator('.fb-badge').innerText()).trim(), '满意');
  assert.match(await given.innerText(), /评价内容\s*签到很快，窗口工作人员讲解清楚/);
  // Still shown after a reload, from the server.
  await page.reload();
  await page.locator('.fb-rating .fb-badge').filter({ hasText: '满意' }).waitFor();
  assert.equal(await page.getByRole('form', { name: '评价本次服务' }).count(), 0);
  await expectAccessible(page, 'rated appointment');
  await shots(page, 'rated');
  await ctx.close();
  await sctx.close();
});

test('the agency admin edits hours and slots and closes a day', async () => {
  const admin = await newStaff(s, 'dalian', ['agency_admin'], '管理员周');
  const ctx = await newContext(browser, s, DESKTOP);
  const page = await ctx.newPage();
  await staffLogin(page, s, admin);
  await page.getByRole('link', { name: '预约设置' }).click();
  await page.getByRole('heading', { level: 1, name: '预约设置' }).waitFor();
  await page.getByText('预约规则', { exact: true }).waitFor();
  const office = page.locator('details').filter({ hasText: '市医保中心中山办事处' });
  await office.locator('summary').click();
  await office.getByLabel('每时段号数：生育保险').fill('5');
  await office.getByRole('button', { name: /保存市医保中心中山办事处的设置/ }).click();
  await office.getByText('的设置已保存').waitFor();
  await office.getByLabel('闭厅日期').fill('2025-10-13');
  await office.getByLabel('原因').fill('系统升级');
  await office.getByRole('button', { name: '设为闭厅日' }).click();
  await page.getByRole('dialog').getByRole('button', { name: '确认闭厅' }).click();
  await office.getByText('已设为闭厅日').waitFor();
  await office.getByRole('listitem').filter({ hasText: '系统升级' }).waitFor();
  await expectAccessible(page, 'appointment settings');
  await shots(page, 'settings');
  const slots = await page.request.get(`/api/appointments/slots?office=${await officeId('zhongshan')}&business=maternity&from=2025-10-13&days=1`);
  const day = (await slots.json()).days[0];
  assert.deepEqual([day.bookable, day.reason], [false, '系统升级']);
  await ctx.close();
});

async function officeId(code: string): Promise<number> {
  const r = await s.get<any>('/api/agencies/dalian/appointments');
  return r.body.offices.find((o: { code: string }) => o.code === code).id;
}
