/**
 * Security headers and Cache-Control through HTTP on the real app (issue 17): an HTML page, a JSON
 * answer, a download, a 404 and an error all carry the headers; personal JSON is no-store, public
 * guides are cacheable, hashed assets immutable; HSTS only for an https PUBLIC_URL; no *.map served.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, type TestServer } from '../../test/support.ts';
import { PDF_BYTES, registerCitizen } from '../../test/client.ts';
import { draftCase } from '../../test/factories.ts';
import { ASSET_CACHE, PUBLIC_CACHE, PUBLIC_CACHE_ROUTES } from './security.ts';

let s: TestServer;
let dist: string;

before(async () => {
  // A built web app of its own: index.html and a hashed asset with its (hidden) source map.
  dist = mkdtempSync(path.join(tmpdir(), 'yb-web-'));
  mkdirSync(path.join(dist, 'assets'));
  writeFileSync(
    path.join(dist, 'index.html'),
    '<!doctype html><html><head><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>',
  );
  writeFileSync(path.join(dist, 'assets', 'index-AbC123.js'), 'console.log(1);\n');
  writeFileSync(path.join(dist, 'assets', 'index-AbC123.js.map'), '{"version":3,"sources":["../src/main.tsx"],"mappings":""}');
  s = await startServer({ webDist: dist, config: { DEV_TOOLS: 'off' } });
});
after(async () => {
  await s?.close();
  rmSync(dist, { recursive: true, force: true });
});

function csp(h: Headers): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (h.get('content-security-policy') ?? '').split(';')) {
    const [k, ...v] = part.trim().split(/\s+/);
    if (k) out.set(k, v.join(' '));
  }
  return out;
}

/** The headers every answer carries, whatever it is. */
function assertHardened(h: Headers, what: string) {
  const c = csp(h);
  assert.ok(c.size > 0, `${what}: a CSP`);
  assert.equal(c.get('frame-ancestors'), "'none'", `${what}: frame-ancestors`);
  assert.equal(c.get('object-src'), "'none'", `${what}: object-src`);
  assert.ok(!/unsafe-inline|unsafe-eval/.test(c.get('script-src') ?? ''), `${what}: no inline scripts`);
  assert.equal(h.get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  assert.equal(h.get('x-content-type-options'), 'nosniff', `${what}: nosniff`);
  assert.equal(h.get('referrer-policy'), 'strict-origin-when-cross-origin', `${what}: Referrer-Policy`);
  const pp = h.get('permissions-policy') ?? '';
  for (const f of ['camera=()', 'microphone=()', 'geolocation=()', 'payment=()']) assert.ok(pp.includes(f), `${what}: Permissions-Policy ${f}`);
  assert.equal(h.get('strict-transport-security'), null, `${what}: no HSTS over http`);
  assert.ok(!c.has('upgrade-insecure-requests'), `${what}: no upgrade over http`);
}

test('an HTML page: the SPA policy (scripts and styles from the origin only) and no-cache', async () => {
  const r = await fetch(`${s.url}/a/daye`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') ?? '', /text\/html/);
  assertHardened(r.headers, 'SPA page');
  const c = csp(r.headers);
  assert.equal(c.get('script-src'), "'self'");
  assert.equal(c.get('style-src'), "'self'");
  assert.match(c.get('img-src') ?? '', /data:/);
  assert.equal(r.headers.get('cache-control'), 'no-cache');
});

test('hashed assets are immutable for a year; source maps are not served', async () => {
  const js = await fetch(`${s.url}/assets/index-AbC123.js`);
  assert.equal(js.status, 200);
  assert.equal(js.headers.get('cache-control'), ASSET_CACHE);
  assertHardened(js.headers, 'asset');
  // Revalidating keeps it immutable (a 304's headers replace the stored ones).
  const etag = js.headers.get('etag');
  assert.ok(etag, 'the static files have ETags');
  // (fetch adds `Cache-Control: no-cache` to a conditional request unless told otherwise.)
  const again = await fetch(`${s.url}/assets/index-AbC123.js`, { headers: { 'if-none-match': etag, 'cache-control': 'max-age=0' } });
  assert.equal(again.status, 304);
  assert.equal(again.headers.get('cache-control'), ASSET_CACHE);
  const map = await fetch(`${s.url}/assets/index-AbC123.js.map`);
  assert.equal(map.status, 404);
  assert.equal(((await map.json()) as { error: { code: string } }).error.code, 'NOT_FOUND');
  assertHardened(map.headers, 'refused map');
});

test('personal JSON is no-store; a public guide stays cacheable', async () => {
  const { client } = await registerCitizen(s);
  const me = await client.get('/api/auth/me');
  assert.equal(me.status, 200);
  assertHardened(me.headers, '/api/auth/me');
  assert.equal(me.headers.get('cache-control'), 'no-store');

  for (const p of ['/api/agencies', '/api/agencies/daye/items/DY-23', '/api/agencies/daye/offices', `/api/search?q=${encodeURIComponent('生育')}`]) {
    const r = await fetch(s.url + p);
    assert.equal(r.status, 200, p);
    assert.equal(r.headers.get('cache-control'), PUBLIC_CACHE, p);
    assertHardened(r.headers, p);
  }
  // A public route that fails is not cached.
  const missing = await fetch(`${s.url}/api/agencies/daye/items/DY-99`);
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('cache-control'), 'no-store');
});

test('every listed cacheable route exists as a GET route (a rename cannot drop it silently)', () => {
  for (const url of PUBLIC_CACHE_ROUTES) assert.ok(s.app.hasRoute({ method: 'GET', url }), url);
});

test('a download of a personal file: no-store, nosniff and the policy', async () => {
  const d = await draftCase({ server: s, item: 'DY-23', materials: [] });
  const up = await d.client.upload(d.id, 0, '身份证.pdf', PDF_BYTES);
  assert.equal(up.status, 201, JSON.stringify(up.body));
  const file = await d.client.get(`/api/cases/${d.id}/materials/${up.body.id}/file`);
  assert.equal(file.status, 200);
  assert.match(file.headers.get('content-type') ?? '', /application\/pdf/);
  assert.equal(file.headers.get('cache-control'), 'no-store');
  assertHardened(file.headers, 'material download');
  // The case itself.
  const c = await d.client.get(`/api/cases/${d.id}`);
  assert.equal(c.headers.get('cache-control'), 'no-store');
});

test('a 404 and an error answer carry the headers and are not stored', async () => {
  const nf = await fetch(`${s.url}/api/no-such-thing`);
  assert.equal(nf.status, 404);
  assertHardened(nf.headers, 'API 404');
  assert.equal(nf.headers.get('cache-control'), 'no-store');

  const bad = await fetch(`${s.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"login":' });
  assert.equal(bad.status, 400);
  assertHardened(bad.headers, 'bad JSON');
  assert.equal(bad.headers.get('cache-control'), 'no-store');

  const unauth = await fetch(`${s.url}/api/staff/persons?idNo=420281199001010011`);
  assert.ok(unauth.status === 401 || unauth.status === 403, String(unauth.status));
  assertHardened(unauth.headers, 'unauthorised');
});

test('the guide booklet may use inline styles and runs no script; the API docs have their own policy', async () => {
  const g = await fetch(`${s.url}/api/agencies/daye/guide.html`);
  assert.equal(g.status, 200);
  const c = csp(g.headers);
  assert.equal(c.get('script-src'), "'none'");
  assert.match(c.get('style-src') ?? '', /'unsafe-inline'/);
  assert.equal(c.get('frame-ancestors'), "'none'");
  assert.equal(g.headers.get('cache-control'), PUBLIC_CACHE);

  const docs = await fetch(`${s.url}/api/docs/static/index.html`);
  assert.equal(docs.status, 200);
  const dc = csp(docs.headers);
  assert.equal(dc.get('script-src'), "'self'");
  assert.equal(dc.get('frame-ancestors'), "'none'");
  assertHardened(docs.headers, 'API docs');
});

test('HSTS and upgrade-insecure-requests only when PUBLIC_URL is https; DEV_TOOLS=on serves source maps', async () => {
  const https = await startServer({ webDist: dist, config: { SEED: 'off', PUBLIC_URL: 'https://yibao.example', DEV_TOOLS: 'on' } });
  try {
    for (const p of ['/', '/api/auth/me', '/healthz']) {
      const r = await fetch(https.url + p);
      assert.match(r.headers.get('strict-transport-security') ?? '', /max-age=31536000/, p);
      assert.ok(csp(r.headers).has('upgrade-insecure-requests'), p);
    }
    const map = await fetch(`${https.url}/assets/index-AbC123.js.map`);
    assert.equal(map.status, 200);
  } finally {
    await https.close();
  }
});
