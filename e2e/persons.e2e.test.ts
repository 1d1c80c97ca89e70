/**
 * 参保人档案 in real Chromium: a 大连 acceptor opens 参保人档案 from the workbench, searches an
 * outside-户籍 child by 公民身份号码, reads the record (identity in full, enrolment, contributions,
 * account), is told at the fields what a guardian form lacks, registers the child's father (not
 * yet in the registry, holding a 大连 居住证) as guardian, and sees the change in the record's
 * registry history with her name. Registry records are seeded directly; what staff do goes
 * through the UI.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { startServer, type TestServer } from '../test/support.ts';
import { seedPerson } from '../test/registry.ts';
import { testIdNo } from '../test/client.ts';
import { PHONE, expectAccessible, launch } from './support.ts';
import { mainText, newContext, newStaff, shots, staffLogin, type Staff } from './journeys.ts';

let s: TestServer;
let browser: Browser;
let clerk: Staff;
before(async () => {
  [s, browser] = await Promise.all([startServer(), launch()]);
  clerk = await newStaff(s, 'dalian', ['acceptor'], '林受理');
});
after(async () => {
  await browser?.close();
  await s?.close();
});

test('大连：staff search a person by ID, read the record, add a guardian, and the change shows in the history', async () => {
  const child = testIdNo('110101', '20200501', 'F');
  const father = testIdNo('110101', '19880808', 'M');
  await seedPerson(s.dbh.db, {
    idNo: child,
    name: '周小雨',
    agency: 'dalian',
    enrol: [{ type: 'resident', start: '2021-01-01' }],
    contributions: [{ type: 'resident', lastMonths: 6, clock: s.clock, baseYuan: 380 }], // the six months up to last month
  });

  const ctx = await newContext(browser, s, PHONE);
  const page = await ctx.newPage();
  await staffLogin(page, s, clerk);
  await page.getByRole('link', { name: '参保人档案' }).click();
  await page.getByRole('heading', { level: 1, name: '参保人档案' }).waitFor();

  // A mistyped number is caught at the field (GB 11643 check digit), the input kept.
  const search = page.getByRole('search', { name: '查找参保人' });
  const wrong = child.slice(0, 17) + (child.endsWith('1') ? '2' : '1');
  await search.getByLabel('公民身份号码').fill(wrong);
  await search.getByRole('button', { name: '查找' }).click();
  await search.getByText('公民身份号码校验位不正确，请核对。').first().waitFor();
  assert.equal(await search.getByLabel('公民身份号码').inputValue(), wrong);

  await search.getByLabel('公民身份号码').fill(child);
  await search.getByRole('button', { name: '查找' }).click();
  await page.getByRole('heading', { name: '查找结果（1 人）' }).waitFor();
  const hit = page.getByRole('link', { name: /周小雨/ });
  assert.ok(!(await hit.innerText()).includes(child), 'the list masks the number');
  await expectAccessible(page, '/staff/persons');
  await shots(page, 'persons', 'search');

  await hit.click();
  await page.getByRole('heading', { level: 1, name: '周小雨' }).waitFor();
  const identity = page.getByRole('region', { name: '身份信息' });
  assert.match(await identity.innerText(), new RegExp(child), 'staff see the number in full');
  assert.match(await identity.innerText(), /110101/);
  assert.match(await page.getByRole('region', { name: '参保登记' }).innerText(), /城乡居民基本医疗保险[\s\S]*参保缴费/);
  assert.match(await page.getByRole('region', { name: '缴费情况' }).innerText(), /连续缴费\s*\d+\s*个月/);
  assert.match(await page.getByRole('region', { name: '监护关系' }).innerText(), /没有登记监护人/);
  await expectAccessible(page, '/staff/persons/{id}');
  await shots(page, 'persons', 'record');

  // 登记监护人: what is missing is said at the fields first; nothing typed is lost.
  const guardians = page.getByRole('region', { name: '监护关系' });
  await guardians.getByRole('button', { name: '登记监护人' }).click();
  const form = page.getByRole('form', { name: '为 周小雨 登记监护人' });
  await form.getByLabel('监护人公民身份号码').fill(father);
  await form.getByRole('button', { name: '登记监护人' }).click();
  const summary = form.getByRole('alert').filter({ hasText: '未能登记' });
  await summary.waitFor();
  assert.match(await summary.innerText(), /请填写姓名/);
  assert.match(await summary.innerText(), /请选择与被监护人的关系/);
  assert.equal(await form.getByLabel('监护人公民身份号码').inputValue(), father);
  await expectAccessible(page, 'guardian form with field errors');
  await shots(page, 'persons', 'guardian-errors');

  await form.getByLabel('监护人姓名').fill('周建国');
  await form.getByRole('radio', { name: '父母' }).check();
  // Not in the registry yet: his 大连 residence permit is recorded with him.
  await form.getByText('登记系统中没有此人时：户籍地与居住证').click();
  await form.getByLabel('居住证区划代码').fill('210202');
  await form.getByRole('button', { name: '登记监护人' }).click();
  await page.getByRole('status').filter({ hasText: '已登记 周建国 为 周小雨 的监护人' }).waitFor();
  const rel = await guardians.innerText();
  assert.match(rel, /周建国[\s\S]*父母/);
  assert.match(rel, /居住证 210202/);
  assert.match(rel, /林受理/);

  // The registry history: the relation, who recorded it and when.
  const history = page.getByRole('region', { name: '登记历史' });
  const row = history.getByRole('row').filter({ hasText: '监护关系' }).first();
  const line = await row.innerText();
  assert.match(line, /新增/);
  assert.match(line, /监护人 周建国/);
  assert.match(line, /关系 父母/);
  assert.match(line, /林受理/);
  await expectAccessible(page, 'record after adding a guardian');
  await shots(page, 'persons', 'guardian-added');

  // The record survives a reload (it is the registry's, not the page's).
  await page.reload();
  await page.getByRole('heading', { level: 1, name: '周小雨' }).waitFor();
  assert.match(await mainText(page), /周建国/);
  await ctx.close();
});
