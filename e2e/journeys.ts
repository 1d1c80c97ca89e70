/**
 * Shared steps of the browser journeys: contexts, two-width screenshots, staff and citizen log-in
 * through /login, and the staff 办理 panel. Each journey file keeps only its own story.
 */
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestServer } from '../test/support.ts';
import { createStaff } from '../server/modules/accounts/service.ts';
import { staffTotp } from '../test/totp.ts';
import type { StaffRole } from '../common/workflow.ts';
import { DESKTOP, PHONE, shot } from './support.ts';

/**
 * A browser context for a journey against `server`: Chinese locale, China time, and the page's
 * clock installed at the server's time (so a page's "today" is the server's, whatever the machine's
 * date); after the server's clock jumps, call syncClock.
 */
export async function newContext(browser: Browser, server: TestServer, viewport = PHONE): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', baseURL: server.url });
  await ctx.clock.install({ time: server.clockNow() });
  return ctx;
}

/** Move a context's clock to the server's time (after a test moved the server's clock). */
export async function syncClock(ctx: BrowserContext, server: TestServer): Promise<void> {
  await ctx.clock.setSystemTime(server.clockNow());
}

/**
 * The same page at phone and desktop widths (`<prefix>-<name>-phone.png` / `-desktop.png`), scrolled
 * to the top first; at phone width the page itself must not scroll sideways.
 */
export async function shots(page: Page, prefix: string, name: string): Promise<void> {
  const was = page.viewportSize();
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const [suffix, size] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    await page.setViewportSize(size);
    // Charts and other resize-observing widgets re-layout a few frames after the viewport changes
    // (later still on a busy machine): give the page up to 3 s to fit before measuring.
    await page.waitForFunction((w) => document.documentElement.scrollWidth <= w, size.width, { timeout: 3000 }).catch(() => undefined);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(wide <= size.width, `${name} at ${size.width}px: the page is ${wide}px wide`);
    await shot(page, `${prefix}-${name}-${suffix}`);
  }
  if (was) await page.setViewportSize(was);
}

export interface Staff {
  login: string;
  password: string;
  secret: string;
}
let staffSeq = 0;
/** An agency administrator's job: a staff account with roles and a TOTP secret. */
export async function newStaff(server: TestServer, agency: string, roles: StaffRole[], name: string): Promise<Staff> {
  const login = `${agency}-${roles[0]}-${++staffSeq}-${Math.random().toString(36).slice(2, 6)}`;
  const password = 'Staff-Pass-2026';
  const { totpSecret } = await createStaff(server.dbh.db, { login, name, agencyCode: agency, roles, password });
  return { login, password, secret: totpSecret };
}

/** 工作人员登录 on /login with the code the authenticator shows at the server's time. */
export async function staffLogin(page: Page, server: TestServer, st: Staff): Promise<void> {
  await page.goto('/login');
  await page.getByRole('tab', { name: '工作人员登录' }).click();
  await page.getByRole('textbox', { name: /^账号/ }).fill(st.login);
  await page.getByLabel('密码').fill(st.password);
  await page.getByLabel('动态验证码').fill(await staffTotp(server, st.secret));
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '工作台 · 待办队列' }).waitFor();
}

export async function citizenLogin(page: Page, mobile: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('手机号').fill(mobile);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: '我的办件' }).waitFor();
}

/** The case as the page's own session sees it (same cookies as the browser). */
export async function apiCase(page: Page, id: number): Promise<any> {
  const r = await page.request.get(`/api/cases/${id}`);
  assert.equal(r.status(), 200);
  return r.json();
}

export const file = (name: string, buffer: Buffer, mimeType = 'application/pdf') => ({ name, mimeType, buffer });

/** Pick an action in the staff 办理 panel; returns its form. */
export async function pickAction(page: Page, label: string) {
  await page.getByRole('group', { name: '选择操作' }).getByRole('button', { name: label, exact: true }).click();
  const form = page.getByRole('form', { name: label });
  await form.waitFor();
  return form;
}
export async function confirmAction(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: `确认${label}` }).click();
  await page
    .getByRole('status')
    .filter({ hasText: `已完成“${label}”` })
    .waitFor();
}

export const mainText = (page: Page) => page.locator('main').innerText();
