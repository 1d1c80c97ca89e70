/**
 * Response headers every answer carries (issue 17): @fastify/helmet's set with a CSP that fits the
 * built SPA, Permissions-Policy, and one Cache-Control rule.
 *
 * CSP: the Vite build has no inline script or style (index.html loads /assets/*.js and *.css; React
 * sets `style` through the CSSOM, which style-src does not govern), so scripts and styles are 'self'
 * only; images also from data: (the favicon, CSV links) and blob:. Two relaxations, each on its own
 * routes: the printable guide booklet (server HTML with a <style> block and column widths) may use
 * inline styles and runs no script at all; the Swagger UI at /api/docs gets its own policy.
 *
 * Cache-Control: every /api/* answer is `no-store` (personal data, downloads included) except the
 * public catalogue/guide/search/office/calendar GETs listed in PUBLIC_CACHE_ROUTES; hashed assets are
 * immutable for a year; index.html and other pages are `no-cache`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyHelmet from '@fastify/helmet';
import { AppError } from '../../common/errors.ts';
import type { Config } from '../config.ts';

/** The public, non-personal GET routes that browsers and proxies may keep (issue 20 adds ETags and a max-age). */
export const PUBLIC_CACHE_ROUTES: ReadonlySet<string> = new Set([
  '/api/agencies',
  '/api/agencies/:code',
  '/api/agencies/:code/items',
  '/api/agencies/:code/items/:item',
  '/api/agencies/:code/offices',
  '/api/agencies/:code/versions',
  '/api/agencies/:code/guide.html',
  '/api/agencies/:code/guide.pdf',
  '/api/search',
  '/api/calendar/working-days',
  '/api/calendar/is-working-day',
  '/api/calendar/status',
  '/api/calendar/:region/:year',
  '/api/calendar/:region/:year/versions',
]);
// Cacheable, but revalidated on every use: with no ETag yet (issue 20), a max-age would show an admin
// the guide or calendar as it was before their own publish (e2e/calendar.e2e.test.ts).
export const PUBLIC_CACHE = 'public, no-cache';
export const ASSET_CACHE = 'public, max-age=31536000, immutable';

/** Browser features no page uses (uploads are plain file inputs, which need no camera permission). */
export const PERMISSIONS_POLICY = [
  'camera=()',
  'microphone=()',
  'geolocation=()',
  'payment=()',
  'usb=()',
  'serial=()',
  'hid=()',
  'midi=()',
  'magnetometer=()',
  'gyroscope=()',
  'accelerometer=()',
  'display-capture=()',
  'browsing-topics=()',
].join(', ');

type Directives = Record<string, string[]>;

export function appCsp(https: boolean): Directives {
  return {
    'default-src': ["'self'"],
    'base-uri': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    'style-src': ["'self'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'worker-src': ["'none'"],
    'manifest-src': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
    ...(https ? { 'upgrade-insecure-requests': [] } : {}),
  };
}

/** The printable guide booklet: its own <style> block and inline column widths; no script at all. */
function bookletCsp(https: boolean): Directives {
  return { ...appCsp(https), 'script-src': ["'none'"], 'style-src': ["'self'", "'unsafe-inline'"] };
}

/** Swagger UI (/api/docs): external scripts only, but it sets inline styles and shows data: images. */
export function docsCsp(https: boolean): string {
  return cspString({ ...appCsp(https), 'style-src': ["'self'", "'unsafe-inline'"], 'worker-src': ["'self'", 'blob:'] });
}

export function cspString(d: Directives): string {
  return Object.entries(d)
    .map(([k, v]) => (v.length ? `${k} ${v.join(' ')}` : k))
    .join('; ');
}

const isHttps = (config: Pick<Config, 'PUBLIC_URL'>) => config.PUBLIC_URL.startsWith('https:');

function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

function cacheControlFor(req: FastifyRequest, reply: FastifyReply): string {
  const path = pathOf(req.url);
  if (path.startsWith('/api/') || path === '/api' || path === '/healthz') {
    const route = req.routeOptions.url;
    // A 304 refreshes the stored answer's headers, so it carries the same rule as the 200.
    const ok = reply.statusCode < 300 || reply.statusCode === 304;
    if ((req.method === 'GET' || req.method === 'HEAD') && ok && route && PUBLIC_CACHE_ROUTES.has(route)) return PUBLIC_CACHE;
    return 'no-store';
  }
  if (path.startsWith('/assets/') && (reply.statusCode === 200 || reply.statusCode === 304)) return ASSET_CACHE;
  return 'no-cache';
}

/** Helmet, Permissions-Policy, Cache-Control, and no source maps unless DEV_TOOLS=on. Register before the routes. */
export async function registerSecurity(app: FastifyInstance, config: Pick<Config, 'PUBLIC_URL' | 'DEV_TOOLS'>): Promise<void> {
  const https = isHttps(config);
  /** Routes with a policy of their own (the Swagger UI sets its own through `staticCSP`). */
  const ROUTE_CSP: Record<string, string> = { '/api/agencies/:code/guide.html': cspString(bookletCsp(https)) };
  await app.register(fastifyHelmet, {
    global: true,
    contentSecurityPolicy: { useDefaults: false, directives: appCsp(https) },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    strictTransportSecurity: https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    // Same-origin app: no cross-origin embedding of our responses.
    crossOriginResourcePolicy: { policy: 'same-origin' },
    crossOriginOpenerPolicy: { policy: 'same-origin' },
  });

  app.addHook('onRequest', async (req, reply) => {
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    // Source maps are built 'hidden' for debugging a production stack trace off-line; never served
    // unless the developer tools are on.
    if (config.DEV_TOOLS !== 'on' && pathOf(req.url).endsWith('.map')) throw new AppError('NOT_FOUND');
  });

  app.addHook('onSend', async (req, reply, payload) => {
    reply.header('cache-control', cacheControlFor(req, reply));
    const own = req.routeOptions.url && ROUTE_CSP[req.routeOptions.url];
    if (own) reply.header('content-security-policy', own);
    return payload;
  });
}
