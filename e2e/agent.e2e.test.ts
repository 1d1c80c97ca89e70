/**
 * 代办 in real Chromium: an agent account records an authorisation on /me (client-side ID check,
 * the API's own error shown and the input kept), chooses "为谁申请" on the application, fills the
 * form whose applicant is the principal, uploads, submits, and the case shows the principal. The
 * principal confirms the authorisation first: the code texted to the registry's number for her.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startServer, type TestServer } from '../test/support.ts';
import { lastSmsCode, PDF_BYTES, registerCitizen, testIdNo, testMobile } from '../test/client.ts';
import { seedPerson } from '../test/registry.ts';
import { daysAgo } from '../test/clock.ts';
import { PHONE, expectAccessible, launch, shot } from './support.ts';
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

/** A full-page phone-width shot `agent-<name>-phone.png`; the page itself must not scroll sideways. */
async function phoneShot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  const wide = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(wide <= PHONE.width, `${name} at ${PHONE.width}px: the page is ${wide}px wide`);
  await shot(page, `agent-${name}-phone`);
}

const file = (name: string, buffer: Buffer, mimeType = 'application/pdf') => ({ name, mimeType, buffer });

/** One character changed in the last place: the right format and birth date, the wrong check character. */
const badCheck = (id: string) => id.slice(0, 17) + (id[17] === '0' ? '1' : '0');

test('代办: record an authorisation on /me, apply for 海城 HC-24 as the principal, the case names the principal', async () => {
  const agent = await registerCitizen(s, { kind: 'agent', name: '代办人赵' });
  const principalId = testIdNo('210381', '19550505');
  const masked = `${principalId.slice(0, 4)}**********${principalId.slice(-4)}`;
  // The registry knows her and her mobile number (预留手机号): her confirmation code goes there.
  const principalPhone = testMobile();
  await seedPerson(s.dbh.db, { idNo: principalId, name: '王秀兰', agency: 'haicheng', phone: principalPhone });

  const ctx = await context(PHONE);
  const page = await ctx.newPage();
  await page.goto('/login');
  await page.getByLabel('手机号').fill(agent.mobile);
  await page.getByLabel('密码').fill(agent.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '我的办件' }).waitFor();

  // /me: the 代办授权 section, empty at first.
  const section = page.getByRole('region', { name: '代办授权' });
  await section.getByText('您还没有登记代办授权。').waitFor();
  await expectAccessible(page, '/me (no authorisations)');

  // The form checks the 公民身份号码 in the browser and says what is wrong with it.
  const form = section.getByRole('form', { name: '登记新的代办授权' });
  await form.getByLabel('被代办人姓名').fill('王秀兰');
  await form.getByLabel('公民身份号码').fill(badCheck(principalId));
  await form.getByLabel('与被代办人的关系').selectOption('子女');
  await form.getByLabel('代办范围').fill('生育津贴申领');
  await form.getByLabel('有效期至').fill('2099-12-31');
  await form.getByRole('button', { name: '登记代办授权' }).click();
  const summary = form.getByRole('alert').filter({ hasText: '请修改以下 1 处' });
  await summary.waitFor();
  assert.match(await summary.innerText(), /公民身份号码校验位不正确，请核对。/);
  assert.equal(await form.getByLabel('公民身份号码').getAttribute('aria-invalid'), 'true');
  await expectAccessible(page, '/me (authorisation form with an error)');
  await phoneShot(page, 'me-authorisation-error');
  await form.getByLabel('公民身份号码').fill(principalId);

  // The API refusing (here: once, as if the authorisation had lapsed meanwhile): its words, role=alert, input kept.
  await page.route(
    '**/api/authorisations',
    (route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 422,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'AUTHORISATION_INVALID', message: '代办授权无效或已过期。' } }),
          })
        : route.continue(),
    { times: 1 },
  );
  await form.getByRole('button', { name: '登记代办授权' }).click();
  await form.getByRole('alert').filter({ hasText: '代办授权无效或已过期。' }).waitFor();
  assert.equal(await form.getByLabel('被代办人姓名').inputValue(), '王秀兰');
  assert.equal(await form.getByLabel('公民身份号码').inputValue(), principalId);
  assert.equal(await form.getByLabel('代办范围').inputValue(), '生育津贴申领');

  // Recorded for real this time; the list shows it (masked ID, relation, scope, date, 有效).
  await form.getByRole('button', { name: '登记代办授权' }).click();
  await form.getByRole('status').filter({ hasText: '已登记 王秀兰 的代办授权' }).waitFor();
  const item = section.getByRole('listitem').filter({ hasText: '王秀兰' });
  await item.waitFor();
  // Not usable until she confirms: the code went to her registry number; she reads it to the agent.
  await item.getByText('待被代办人确认').waitFor();
  const confirm = item.getByRole('form', { name: '确认 王秀兰 的代办授权' });
  await expectAccessible(page, '/me (authorisation awaiting confirmation)');
  await phoneShot(page, 'me-authorisation-unconfirmed');
  await confirm.getByLabel('被代办人收到的验证码').fill(await lastSmsCode(s, principalPhone));
  await confirm.getByRole('button', { name: '确认授权' }).click();
  await confirm.waitFor({ state: 'detached' });
  const itemText = await item.innerText();
  for (const want of [masked, '子女', '生育津贴申领', '2099-12-31', '有效'])
    assert.ok(itemText.includes(want), `the list shows ${want}: ${itemText}`);
  assert.ok(!itemText.includes(principalId), 'the full ID is not shown');
  assert.equal(await form.getByLabel('被代办人姓名').inputValue(), '', 'the form is cleared after recording');
  await expectAccessible(page, '/me (one authorisation)');
  await phoneShot(page, 'me-authorisations');

  // Applying: "为谁申请" comes first.
  await page.goto('/a/haicheng/items/HC-24');
  await page.getByRole('link', { name: '在线申请' }).click();
  await page.getByRole('heading', { level: 1, name: '在线申请：生育津贴支付' }).waitFor();
  const who = page.getByRole('group', { name: /为谁申请/ });
  await who.waitFor();
  await page.getByRole('button', { name: '开始填写' }).click();
  await page.getByRole('alert').filter({ hasText: '请选择为谁申请。' }).waitFor();
  await expectAccessible(page, 'apply: 为谁申请');
  await phoneShot(page, 'apply-choose');
  assert.ok(await who.getByRole('radio', { name: /本人（代办人赵）/ }).isVisible());
  await who.getByRole('radio', { name: /代 王秀兰 申请/ }).check();
  await page.getByRole('button', { name: '开始填写' }).click();

  // The form is the principal's.
  const banner = page.getByRole('note', { name: '代办' });
  await banner.waitFor();
  assert.match(await banner.innerText(), /您正在代 王秀兰 申请（授权至 2099-12-31）/);
  assert.equal(await page.getByLabel('申请人姓名').inputValue(), '王秀兰');
  assert.equal(await page.getByLabel('公民身份号码').inputValue(), principalId);
  assert.equal(await page.getByLabel('联系电话（手机）').inputValue(), agent.mobile, 'no principal phone: the agent is the contact');

  await page.getByRole('radio', { name: '顺产' }).check();
  await page.getByLabel('分娩日期').fill(daysAgo(46, s.clock));
  await page.getByLabel('津贴发放银行账号').fill('6217002870012345678');
  await page.getByLabel('上传文件：容缺受理承诺书').setInputFiles(file('承诺书.pdf', PDF_BYTES));
  await page.getByRole('status').filter({ hasText: '已上传：承诺书.pdf' }).waitFor();
  await page.getByLabel('上传文件：病历资料').setInputFiles(file('病历.pdf', PDF_BYTES));
  await page.getByRole('status').filter({ hasText: '已上传：病历.pdf' }).waitFor();
  await expectAccessible(page, 'apply as the principal');
  await phoneShot(page, 'apply-for-principal');

  await page.getByRole('button', { name: '提交申请' }).click();
  await page.waitForURL(/\/me\/cases\/\d+$/);
  const id = Number(/(\d+)$/.exec(page.url())![1]);
  const note = page.getByRole('note', { name: '代办' });
  await note.waitFor();
  assert.match(await note.innerText(), new RegExp(`申请人为 王秀兰（${masked.replace(/\*/g, '\\*')}）`));
  assert.match(await page.locator('main').innerText(), /申请人姓名\s*王秀兰/);
  const r = await page.request.get(`/api/cases/${id}`);
  const c = await r.json();
  assert.equal(c.status, 'submitted');
  assert.equal(c.applicant.name, '王秀兰');
  assert.equal(c.applicant.idNo, principalId);
  assert.deepEqual(c.materials.map((m: { materialIndex: number }) => m.materialIndex).sort(), [0, 2]);
  await expectAccessible(page, 'my case (代办)');
  await phoneShot(page, 'my-case-for-principal');

  // 我的办件 names the applicant of a case made for someone else.
  await page.goto('/me');
  const mine = page.locator('.case-list li').filter({ hasText: '生育津贴支付' });
  await mine.waitFor();
  assert.match(await mine.innerText(), /申请人（代办）\s*王秀兰/);
  await ctx.close();
});
