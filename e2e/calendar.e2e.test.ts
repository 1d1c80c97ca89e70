/**
 * Past the last published holiday notice (issue 14), in Chromium: on Monday 2026-12-28 a 海城 clerk
 * accepts an HC-12 转移接续 (20 working days); the applicant sees a deadline in January 2027 marked
 * 预计; the 海城 admin, warned on the calendar page, enters the published 2027 arrangement; the
 * applicant then sees the new date, and a message and a timeline entry saying why. A January 2027
 * booking page offers slots.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startServer, type TestServer } from '../test/support.ts';
import { registerCitizen, testIdNo } from '../test/client.ts';
import { submittedCase } from '../test/factories.ts';
import { mutableClock } from '../server/platform/clock.ts';
import { DESKTOP, PHONE, expectAccessible, launch } from './support.ts';
import { citizenLogin, confirmAction, mainText, newContext, newStaff, pickAction, shots as shotsAt, staffLogin } from './journeys.ts';

const clock = mutableClock('2026-12-28T02:00:00Z'); // Monday 28 December 2026, 10:00 China time
let s: TestServer;
let browser: Browser;
const shots = (page: Parameters<typeof shotsAt>[0], name: string) => shotsAt(page, 'calendar', name);

before(async () => {
  [s, browser] = await Promise.all([startServer({ clock }), launch()]);
});
after(async () => {
  await browser?.close();
  await s?.close();
});

test('海城 HC-12 accepted on 2026-12-28: 预计 2027-01-26; the admin publishes 2027 and the applicant sees the new date and why', async () => {
  const { id, citizen, caseNo } = await submittedCase({
    server: s,
    item: 'HC-12',
    answers: { direction: 'out' },
    citizen: { name: '岳红', idNo: testIdNo('210381', '19790303', 'F') },
    person: { enrol: [{ type: 'employee', start: '2015-01-01', status: 'suspended' }] },
  });

  // The clerk accepts at the desk.
  const clerk = await newStaff(s, 'haicheng', ['acceptor'], '受理员岳');
  const sctx = await newContext(browser, s, DESKTOP);
  const staff = await sctx.newPage();
  await staffLogin(staff, s, clerk);
  await staff.getByRole('link', { name: caseNo }).click();
  await staff.getByRole('heading', { level: 2, name: '办理', exact: true }).waitFor();
  await pickAction(staff, '受理');
  await confirmAction(staff, '受理');
  const facts = staff.locator('dl.facts');
  await facts.getByText('2027-01-26').waitFor();
  assert.match(await facts.innerText(), /2027-01-26\s*预计/);
  await shots(staff, 'staff-case-accepted');

  // The applicant: 预计 beside the date, and why.
  const cctx = await newContext(browser, s, PHONE);
  const page = await cctx.newPage();
  await citizenLogin(page, citizen.mobile, citizen.password);
  const row = page.locator('ul.case-list > li').filter({ hasText: caseNo });
  assert.match(await row.innerText(), /2027-01-26\s*预计/);
  await page.goto(`/me/cases/${id}`);
  const due = page.locator('dl.facts');
  await due.getByText('2027-01-26').waitFor();
  assert.match(await due.innerText(), /2027-01-26\s*预计/);
  assert.match(await due.innerText(), /到期日为“预计”：放假安排尚未公布，按法定节假日推算，以国务院公布的放假安排为准/);
  await expectAccessible(page, 'my case with a provisional deadline');
  await shots(page, 'my-case-provisional');

  // The admin: warned on the calendar page, enters the published arrangement (元旦 1–4 January).
  const admin = await newStaff(s, 'haicheng', ['agency_admin'], '管理员海');
  const actx = await newContext(browser, s, DESKTOP);
  const ap = await actx.newPage();
  await staffLogin(ap, s, admin);
  await ap.goto('/staff/calendar?region=210381&year=2027');
  await ap.getByRole('heading', { level: 3, name: /现行版本：第 1 版/ }).waitFor();
  const text = await mainText(ap);
  assert.match(text, /2027 年的放假安排尚未录入/);
  assert.match(text, /本版按《全国年节及纪念日放假办法》推算/);
  await expectAccessible(ap, 'calendar page, provisional year');
  await shots(ap, 'admin-provisional-2027');
  await ap.getByRole('button', { name: '录入国务院公布的 2027 年放假安排' }).click();
  const editor = ap.getByRole('form', { name: /海城.*2027 年工作日历/ });
  await editor.waitFor();
  await editor.getByRole('button', { name: '＋ 添加节假日' }).click();
  const n = await editor.locator('ol.cal-rows').first().locator('li').count();
  await editor.getByLabel(`节假日第 ${n} 行日期`).fill('2027-01-04');
  await editor.getByLabel(`节假日第 ${n} 行名称`).fill('元旦');
  await editor.getByLabel('修改说明').fill('依据国务院办公厅关于2027年部分节假日安排的通知（测试）录入');
  await editor.getByRole('button', { name: /保存/ }).click();
  // 海城's own first version: the provisional year was the national one.
  await ap.getByText('已保存为第 1 版，现已生效').waitFor();
  assert.match(await mainText(ap), /期限有变化的申请人会收到通知/);
  assert.doesNotMatch(await mainText(ap), /2027 年的放假安排尚未录入/, 'the yearly reminder is gone');
  await shots(ap, 'admin-published-2027');

  // The recompute job runs; the applicant sees the new date and why.
  await s.runner.runOnce();
  await page.reload();
  await due.getByText('2027-01-27').waitFor();
  assert.doesNotMatch(await due.innerText(), /预计/);
  const main = await mainText(page);
  assert.match(main, /期限调整（工作日历）/);
  assert.match(main, /国务院公布了2027年放假安排，按新的工作日历重新计算：办结期限由2027年1月26日调整为2027年1月27日/);
  await page.goto('/me');
  await page
    .getByText(/期限调整/)
    .first()
    .waitFor();
  assert.match(await mainText(page), /国务院公布了2027年放假安排，您的“转移接续手续办理”办件（.+）办结期限由2027年1月26日调整为2027年1月27日/);
  await expectAccessible(page, 'my cases with the deadline message');
  await shots(page, 'my-cases-deadline-moved');
});

test('a booking page for January 2027 offers slots, marked 预计 where the year is not yet published', async () => {
  const citizen = await registerCitizen(s, { name: '柯文' });
  const ctx = await newContext(browser, s, PHONE);
  const page = await ctx.newPage();
  await citizenLogin(page, citizen.mobile, citizen.password);
  const opts = (await s.get<any>('/api/agencies/dalian/appointments')).body;
  const office = opts.offices[0];
  const slots = (await s.get<any>(`/api/appointments/slots?office=${office.id}&business=${office.services[0].business}&from=2027-01-04&days=5`)).body;
  const jan = slots.days.filter((x: { bookable: boolean }) => x.bookable);
  assert.ok(jan.length >= 4, JSON.stringify(slots.days.map((x: { date: string; reason: string }) => [x.date, x.reason])));
  assert.ok(jan.every((x: { provisional: boolean }) => x.provisional));
  await page.goto('/a/dalian/appointments');
  const bt = opts.businessTypes.find((b: { code: string }) => b.code === office.services[0].business);
  await page.locator('label.chip', { hasText: bt.name }).first().click();
  await page.locator('label.chip', { hasText: office.name }).first().click();
  await page.getByText('选择日期').first().waitFor();
  await page
    .getByText(/2027 年的放假安排尚未公布/)
    .first()
    .waitFor();
  await expectAccessible(page, 'booking page with provisional days');
  await shots(page, 'book-january-2027');
});
