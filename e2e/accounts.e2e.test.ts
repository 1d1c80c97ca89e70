/**
 * 账号安全 in real Chromium: a citizen signed in on a phone and on a second device opens 账号安全
 * from the account menu, signs the other device out, changes her password (a wrong current one and
 * a common new one are told at the field), and the other device is signed out again; then, on the
 * other device, she resets the password with a code texted to her mobile (忘记密码 on the login page).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from '../test/support.ts';
import { lastSmsCode, registerCitizen } from '../test/client.ts';
import { DESKTOP, expectAccessible, launch } from './support.ts';
import { citizenLogin, newContext, shots as shotsAt } from './journeys.ts';

const shots = (page: Page, name: string) => shotsAt(page, 'security', name);

let s: TestServer;
let browser: Browser;
before(async () => {
  [s, browser] = await Promise.all([startServer(), launch()]);
});
after(async () => {
  await browser?.close();
  await s?.close();
});

/** The other device is signed out: its next page asks it to log in. */
async function signedOut(page: Page) {
  await page.goto('/me');
  await page.getByRole('heading', { level: 1, name: '登录' }).waitFor();
}

test('a citizen signs out her other device, changes her password, and resets it by SMS', async () => {
  const citizen = await registerCitizen(s, { name: '方晴' });
  const phoneCtx = await newContext(browser, s);
  const phone = await phoneCtx.newPage();
  const otherCtx = await newContext(browser, s, DESKTOP);
  const other = await otherCtx.newPage();
  await citizenLogin(phone, citizen.mobile, citizen.password);
  await citizenLogin(other, citizen.mobile, citizen.password);

  // 账号安全 from the account menu.
  await phone.getByRole('navigation', { name: '账号' }).getByRole('link', { name: '账号安全' }).click();
  await phone.getByRole('heading', { level: 1, name: '账号安全' }).waitFor();
  const devices = phone.locator('.session-item');
  await devices.first().waitFor();
  // The registration's session, the phone's and the other device's.
  assert.equal(await devices.count(), 3);
  await devices.filter({ hasText: '本机' }).waitFor();
  assert.match(await devices.first().innerText(), /Chrome[\s\S]*本机/);
  await expectAccessible(phone, 'security page');
  await shots(phone, 'page');

  // Sign out elsewhere.
  await phone.getByRole('button', { name: '在其他设备上退出' }).click();
  await phone.getByRole('status').filter({ hasText: '已在其他 2 处设备上退出。' }).waitFor();
  await phone.waitForFunction(() => document.querySelectorAll('.session-item').length === 1);
  await signedOut(other);

  // The other device signs in again; the phone changes the password.
  await citizenLogin(other, citizen.mobile, citizen.password);
  await phone.reload();
  await phone.getByRole('heading', { level: 2, name: '修改密码' }).waitFor();
  const form = phone.getByRole('form', { name: '修改密码' });
  await form
    .getByText(/至少10个字符/)
    .first()
    .waitFor();
  await form.getByLabel('原密码').fill('Not-My-Password-1');
  await form.getByLabel(/^新密码/).fill('Spring-Lotus-48-river');
  await form.getByLabel('确认新密码').fill('Spring-Lotus-48-river');
  await form.getByRole('button', { name: '修改密码' }).click();
  await form.locator('#pw-current-err').filter({ hasText: '原密码不正确' }).waitFor();
  await form.getByLabel('原密码').fill(citizen.password);
  await form.getByLabel(/^新密码/).fill('password123456');
  await form.getByLabel('确认新密码').fill('password123456');
  await form.getByRole('button', { name: '修改密码' }).click();
  await form.locator('#pw-next-err').filter({ hasText: '常见密码' }).waitFor();
  await expectAccessible(phone, 'weak new password');
  await form.getByLabel(/^新密码/).fill('Spring-Lotus-48-river');
  await form.getByLabel('确认新密码').fill('Spring-Lotus-48-river');
  await form.getByRole('button', { name: '修改密码' }).click();
  await phone.getByRole('status').filter({ hasText: '密码已修改，其他 1 处登录已退出。' }).waitFor();
  await phone.getByRole('heading', { level: 1, name: '账号安全' }).waitFor();
  await shots(phone, 'changed');
  await signedOut(other);

  // On the other device: 忘记密码 → a code to her mobile → a new password.
  await other.goto('/login');
  await other.getByRole('link', { name: '忘记密码' }).click();
  await other.getByRole('heading', { level: 1, name: '找回密码' }).waitFor();
  await other.getByLabel('手机号').fill(citizen.mobile);
  await other.getByRole('button', { name: '获取验证码' }).click();
  await other.getByRole('status').filter({ hasText: '如果该手机号已注册' }).waitFor();
  await other.getByLabel('验证码').fill(await lastSmsCode(s, citizen.mobile));
  await other.getByLabel(/^新密码/).fill('Autumn-Kite-73-field');
  await other.getByLabel('确认新密码').fill('Autumn-Kite-73-field');
  await expectAccessible(other, 'reset page');
  await shots(other, 'reset');
  await other.getByRole('button', { name: '重置密码' }).click();
  await other.getByText('密码已重置，所有设备上的登录都已退出。').waitFor();
  await other.getByRole('link', { name: '去登录' }).click();
  await citizenLogin(other, citizen.mobile, 'Autumn-Kite-73-field');
  // The phone was signed out by the reset.
  await signedOut(phone);
  await phoneCtx.close();
  await otherCtx.close();
});
