/**
 * The Content-Security-Policy (server/http/security.ts) in real Chromium: public pages, the guide
 * booklet, the API docs and the staff dashboard's ECharts (over the dashboard fixture) load with no
 * CSP violation and no page error.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { startServer, type TestServer } from '../test/support.ts';
import { buildDashboardFixture, type DashboardFixture } from '../test/dashboard-fixture.ts';
import { mutableClock } from '../server/platform/clock.ts';
import { DESKTOP, launch } from './support.ts';
import { newContext, staffLogin } from './journeys.ts';

const clock = mutableClock('2025-09-29T02:00:00Z');
let s: TestServer;
let browser: Browser;
let fx: DashboardFixture;
before(async () => {
  [s, browser] = await Promise.all([startServer({ clock }), launch()]);
  fx = await buildDashboardFixture(s, clock);
});
after(async () => {
  await browser?.close();
  await s?.close();
});

/** Violations and errors the page reports while `fn` runs. */
async function watched(page: Page, fn: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const onConsole = (m: { type(): string; text(): string }) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) seen.push(`${page.url()}: ${m.text()}`);
  };
  const onError = (e: Error) => seen.push(`${page.url()}: ${e.message}`);
  page.on('console', onConsole);
  page.on('pageerror', onError);
  try {
    await fn();
  } finally {
    page.off('console', onConsole);
    page.off('pageerror', onError);
  }
  return seen;
}

test('public pages, the booklet and the API docs load under the policy', async () => {
  const ctx = await newContext(browser, s, DESKTOP);
  const page = await ctx.newPage();
  const seen = await watched(page, async () => {
    for (const [path, ready] of [
      ['/', 'h1'],
      ['/a/daye', 'h1'],
      ['/a/daye/items/DY-23', 'h1'],
      ['/a/daye/offices', 'h1'],
      ['/login', 'h1'],
      ['/api/agencies/daye/guide.html', 'h1'],
      ['/api/docs', '.swagger-ui .info'],
    ] as const) {
      await page.goto(path);
      await page.locator(ready).first().waitFor();
    }
    // The booklet's own styles applied (inline <style> allowed there, and only there).
    await page.goto('/api/agencies/daye/guide.html');
    assert.equal(await page.locator('body').evaluate((b) => getComputedStyle(b).margin), '0px');
    assert.equal(await page.locator('header.cover').evaluate((h) => getComputedStyle(h).display), 'flex');
  });
  assert.deepEqual(seen, []);
  // What the watch listens for does come: an inline script the page itself adds is refused and reported.
  await page.goto('/a/daye');
  await page.locator('h1').waitFor();
  const refused = page.waitForEvent('console', { predicate: (m) => /Content Security Policy/i.test(m.text()) });
  await page.evaluate(() => {
    const el = document.createElement('script');
    el.textContent = 'window.inlineRan = true';
    document.body.append(el);
  });
  await refused;
  assert.equal(await page.evaluate(() => (window as { inlineRan?: boolean }).inlineRan ?? false), false, 'the inline script did not run');
  await ctx.close();
});

test('the staff dashboard draws its charts under the policy', async () => {
  const ctx = await newContext(browser, s, DESKTOP);
  const page = await ctx.newPage();
  const seen = await watched(page, async () => {
    await staffLogin(page, s, fx.admin);
    await page.getByRole('link', { name: '机构运行看板' }).click();
    await page.locator('section.dash[aria-busy="false"]').waitFor();
    await page.locator('.dash-chart svg text').first().waitFor();
    const box = await page.locator('.dash-chart').first().boundingBox();
    if (box) await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  });
  assert.deepEqual(seen, []);
  assert.ok((await page.locator('.dash-chart svg').count()) > 0, 'charts drawn');
  await ctx.close();
});
