/** Browser-test support: the real server (test/support.ts) and Debian's Chromium via playwright-core. */
import { chromium, type Browser, type Page } from 'playwright-core';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = 'screenshots';

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium`);
  if (!existsSync('web/dist/index.html')) throw new Error('web/dist is missing: run `npm run build` first');
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export async function shot(page: Page, name: string) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
}

/** Run axe-core in the page and fail on any WCAG A/AA violation. */
export async function expectAccessible(page: Page, label: string) {
  // Evaluated through the DevTools protocol, not as an inline <script>, which the CSP refuses.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map(
      (v: { id: string; help: string; nodes: { target: string[] }[] }) =>
        `${v.id}: ${v.help} @ ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 3)
          .join(', ')}`,
    );
  });
  assert.deepEqual(violations, [], `axe violations on ${label}`);
}

/** Content-Security-Policy violations and page errors the page reports while `fn` runs. */
export async function watched(page: Page, fn: () => Promise<void>): Promise<string[]> {
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
