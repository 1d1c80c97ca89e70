/**
 * `npm run bench` — the platform's main paths under load, against a real server process.
 *
 *   npm run gen -- --persons 1000000 --units 50000 --cases 2000000 --seed 1   (once, on BENCH_DATABASE_URL)
 *   npm run bench [-- --duration 10 --connections 50 --read-connections 10 --rate 100 --steady-seconds 30 --only static,submit]
 *   npm run bench -- --pglite var/bench-db          (the embedded database instead of PostgreSQL)
 *   npm run bench -- --only roster-parse           (hostile rosters only: needs a migrated database, not npm run gen)
 *
 * This process reads its fixtures from the generated database (accounts, TOTP secrets, item codes),
 * closes it, starts `node server/main.ts` as a child process (BENCH_ROUTES=on, JOBS=off so background
 * jobs do not disturb the figures), logs in through the API, and loads the server with autocannon
 * from here — a separate process. Every scenario reports requests/s, p50, p99 and errors (network
 * errors, timeouts and non-2xx answers); ratios to the two ceilings come from the same run. The table
 * is printed and written to bench/results.json. Nothing here asserts a timing: it measures.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { citizenIdCheckChar, usccCheckChar } from '../common/ids.ts';
import { openDb } from '../server/db/index.ts';
import { base32Encode, hashPassword, totp } from '../server/modules/accounts/index.ts';
import { chinaDate } from '../server/platform/clock.ts';

const { values: args } = parseArgs({
  options: {
    db: { type: 'string' },
    pglite: { type: 'string' },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
    connections: { type: 'string', default: '50' },
    'read-connections': { type: 'string', default: '10' },
    /** the page scenarios are also run at this steady rate (req/s) for their latency targets */
    rate: { type: 'string', default: '100' },
    /** …for this long: 3,000 samples at 100 req/s, so a p99 is not the 10th of only 1,000 */
    'steady-seconds': { type: 'string', default: '30' },
    'roster-rows': { type: 'string', default: '100000' },
    /** rows of each hostile XLSX in the roster-parse scenario */
    'parse-rows': { type: 'string', default: '2000000' },
    seed: { type: 'string', default: '1' },
    only: { type: 'string' },
    out: { type: 'string', default: 'bench/results.json' },
    /** write a V8 CPU profile of the server to this folder (open in Chrome DevTools or speedscope) */
    profile: { type: 'string' },
  },
});
const DURATION = Number(args.duration);
const WARMUP = Number(args.warmup);
const CONNS = Number(args.connections);
const READ_CONNS = Number(args['read-connections']);
const RATE = Number(args.rate);
const STEADY_SECONDS = Number(args['steady-seconds']);
const ROSTER_ROWS = Number(args['roster-rows']);
const PARSE_ROWS = Number(args['parse-rows']);
const only = args.only ? new Set(args.only.split(',')) : null;
const wanted = (name: string) => !only || only.has(name);
/** Scenarios that need the generated accounts (all but the hostile-roster one, which brings its own unit). */
const needsGen = !only || [...only].some((n) => n !== 'roster-parse');
const dbUrl = args.pglite ? undefined : (args.db ?? process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/bench');
const AGENCY = 'haicheng';
const ITEM = 'HC-24'; // 生育津贴: the pre-check reads 5 years of contributions
const ANSWERS = { delivery: 'natural', deliveryDate: '', bankAccount: '6217002870012345678' };
const PDF_BYTES = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

interface Row {
  scenario: string;
  title: string;
  connections: number | null;
  requests: number;
  rps: number | null;
  p50: number | null;
  p99: number | null;
  errors: number;
  seconds: number | null;
  note?: string;
  ratio?: string;
  /** the page scenarios again at a steady rate: latency below saturation */
  steady?: { rate: number; p50: number; p99: number; max: number; byRequest?: Record<string, { n: number; p50: number; p99: number; max: number }> };
  firstError?: string;
  healthzMaxMs?: number;
  rssPeakMb?: number;
}

// ---------- phase 0: fixtures from the generated database ----------
const dbh = await openDb({ url: dbUrl, pgliteDir: args.pglite });
const scale = (
  await sql<{ persons: number; contributions: number; cases: number }>`select
    (select count(*) from persons)::int as persons,
    (select count(*) from contributions)::bigint as contributions,
    (select count(*) from cases)::int as cases`.execute(dbh.db)
).rows[0]!;
if (needsGen && !scale.persons) {
  await dbh.close();
  console.error(`✗ ${dbUrl ?? args.pglite} holds no persons: fill it first with npm run gen (see README, “Benchmarks”).`);
  process.exit(1);
}
const today = chinaDate(new Date());
ANSWERS.deliveryDate = chinaDate(new Date(Date.now() - 20 * 86400_000));
// Citizens of 海城 (women with employee insurance, who could claim 生育津贴), and any citizens for "my cases".
const hcCitizens = (
  await sql<{ login: string }>`select u.login from users u
    join persons p on p.id_no = u.id_no
    join enrolments e on e.person_id = p.id and e.agency_code = ${AGENCY} and e.type = 'employee' and e.status = 'active'
    where u.kind = 'citizen' and u.login like 'gen-c%' and p.sex = 'F'
    order by u.id limit 100`.execute(dbh.db)
).rows.map((r) => r.login);
const anyCitizens = (
  await sql<{ login: string }>`select login from users where kind = 'citizen' and login like 'gen-c%' order by id limit 100`.execute(dbh.db)
).rows.map((r) => r.login);
const staff = await dbh.db
  .selectFrom('users')
  .select(['login', 'totp_secret'])
  .where('login', '=', `gen-${AGENCY}-2`) // acceptor + reviewer
  .executeTakeFirst();
const items = (
  await sql<{ agency_code: string; code: string }>`select distinct iv.agency_code, iv.code from item_versions iv
    join catalog_versions cv on cv.id = iv.catalog_version_id where cv.status = 'published' order by 1, 2`.execute(dbh.db)
).rows;
if (needsGen && (!hcCitizens.length || !staff?.totp_secret)) {
  await dbh.close();
  console.error('✗ the database was not filled by npm run gen (no gen-c… citizens of 海城 or no gen-haicheng-2 staff).');
  process.exit(1);
}
const seedCheck = staff && base32Encode(createHash('sha1').update(`gen:${args.seed}:${staff.login}`).digest());
if (staff && seedCheck !== staff.totp_secret) console.warn(`(gen staff secret does not match --seed ${args.seed}; using the stored one)`);
// The roster scenario's employer: a unit of 大冶 created for this run, so runs never collide.
const run = Number((await sql<{ n: number }>`select count(*)::int as n from units where name like '基准测试单位%'`.execute(dbh.db)).rows[0]!.n);
const u17 = `91420281BM${String(run).padStart(7, '0')}`;
const uscc = u17 + usccCheckChar(u17);
const unitLogin = `bench-unit-${run}`;
if (wanted('roster') || wanted('roster-parse')) {
  const unit = await dbh.db
    .insertInto('units')
    .values({ uscc, name: `基准测试单位${run}`, agency_code: 'daye' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await dbh.db
    .insertInto('users')
    .values({
      kind: 'unit',
      login: unitLogin,
      mobile: null,
      password_hash: await hashPassword('Bench12345'),
      name: `基准测试单位${run}经办人`,
      id_no: null,
      unit_id: Number(unit.id),
      roles: [],
    })
    .returning('id')
    .executeTakeFirstOrThrow()
    .then((u) =>
      // An approved 单位经办人 of the unit (issue 16).
      dbh.db
        .insertInto('unit_clerk_requests')
        .values({
          unit_id: Number(unit.id),
          user_id: Number(u.id),
          agency_code: 'daye',
          status: 'approved',
          decided_as: 'migration',
          decided_at: new Date(),
        })
        .execute(),
    );
}
await dbh.close();

/** A roster XLSX of `n` rows written once with exceljs's streaming writer into the temp dir (reused by later runs). */
async function hostileRoster(n: number): Promise<string> {
  const file = path.join(os.tmpdir(), `yb-bench-roster-${n}.xlsx`);
  if (existsSync(file)) return file;
  const t = performance.now();
  const { default: ExcelJS } = await import('exceljs');
  const part = `${file}.part`;
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: part, useSharedStrings: true, zip: { zlib: { level: 9 } } });
  const ws = wb.addWorksheet('花名册');
  ws.addRow(['操作', '公民身份号码', '姓名', '日期', '缴费基数']).commit();
  // Two cells a row keep the file under the 30 MB upload cap (five take 34 MB), so the parser, not the size check, refuses it.
  for (let i = 0; i < n; i++) ws.addRow(['增员', 5000]).commit();
  ws.commit();
  await wb.commit();
  renameSync(part, file);
  console.log(`  (generated ${file}: ${n} rows in ${Math.round((performance.now() - t) / 1000)} s)`);
  return file;
}

// ---------- the server under test ----------
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const filesDir = mkdtempSync(path.join(os.tmpdir(), 'yb-bench-files-'));
const started = performance.now();
const child: ChildProcess = spawn(process.execPath, [...(args.profile ? ['--cpu-prof', `--cpu-prof-dir=${args.profile}`] : []), 'server/main.ts'], {
  env: {
    ...process.env,
    ...(dbUrl ? { DATABASE_URL: dbUrl } : { DATABASE_URL: '', PGLITE_DIR: args.pglite }),
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    BENCH_ROUTES: 'on',
    JOBS: 'off',
    FILES_DIR: filesDir,
  },
  stdio: ['ignore', 'inherit', 'inherit'],
});
const stop = () => {
  if (child.exitCode === null) child.kill('SIGTERM');
};
process.on('exit', stop);
for (;;) {
  if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
  try {
    if ((await fetch(`${base}/healthz`)).ok) break;
  } catch {
    /* not listening yet */
  }
  await new Promise((r) => setTimeout(r, 100));
}
const startupMs = Math.round(performance.now() - started);
console.log(
  `server ready in ${startupMs} ms on ${dbUrl ? 'PostgreSQL' : 'PGlite'} · ${scale.persons} persons, ${scale.contributions} contributions, ${scale.cases} cases`,
);

// ---------- sessions ----------
interface Session {
  cookie: string;
  csrf: string;
}
async function call(method: string, p: string, body?: unknown, s?: Session, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { ...extra };
  if (s) {
    headers.cookie = s.cookie;
    headers['x-csrf-token'] = s.csrf;
  }
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(base + p, { method, headers, body: payload });
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json, headers: res.headers };
}
async function login(loginName: string, password: string, secret?: string): Promise<Session> {
  const r = await call('POST', '/api/auth/login', { login: loginName, password, ...(secret ? { totp: totp(secret, new Date()) } : {}) });
  if (r.status !== 200) throw new Error(`login ${loginName}: ${r.status} ${JSON.stringify(r.body)}`);
  const cookies = r.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const csrf = cookies.find((c) => c.startsWith('yb_csrf='))!.slice('yb_csrf='.length);
  return { cookie: cookies.join('; '), csrf };
}
async function loginAll(logins: string[]): Promise<Session[]> {
  const out: Session[] = [];
  for (let i = 0; i < logins.length; i += 8) out.push(...(await Promise.all(logins.slice(i, i + 8).map((l) => login(l, 'Gen-Yibao-2026')))));
  return out;
}

// ---------- load ----------
type Req = { method: string; path: string; headers?: Record<string, string>; body?: string };
async function load(
  title: string,
  connections: number,
  next: () => Req | null,
  opts: { warmup?: boolean; amount?: number; rate?: number; onDone?: (req: Req, status: number, body: string) => void } = {},
): Promise<Omit<Row, 'scenario' | 'title'>> {
  let firstError: string | undefined;
  const runOnce = async (duration: number, record: boolean) => {
    const result = await autocannon({
      url: base,
      connections,
      duration,
      ...(opts.amount && record ? { amount: opts.amount } : {}),
      timeout: 10,
      requests: [
        {
          setupRequest: (req: any, context: any) => {
            const n = next();
            if (!n) return req; // the scenario's inputs ran out: repeat the last request (counted below)
            context.req = n;
            return { ...req, method: n.method, path: n.path, headers: n.headers ?? {}, body: n.body };
          },
          onResponse: (status: number, body: string, context: any) => {
            if (record && opts.onDone && context.req) opts.onDone(context.req, status, body);
            if (record && status >= 300 && !firstError) firstError = `${status} ${context.req?.method} ${context.req?.path}: ${body.slice(0, 200)}`;
          },
        },
      ],
    } as any);
    return result;
  };
  if (opts.warmup !== false && WARMUP > 0) await runOnce(WARMUP, false);
  const r = await runOnce(DURATION, true);
  // The same requests at a steady rate below saturation: latency as a user sees it at that load.
  const steady = opts.rate ? await paced(opts.rate, STEADY_SECONDS, next) : null;
  if (steady?.firstError && !firstError) firstError = steady.firstError;
  const errors = r.errors + r.timeouts + r.non2xx + (steady?.errors ?? 0);
  console.log(
    `  ${title}: ${Math.round(r.requests.average)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, errors ${errors}` +
      (steady ? `; at ${opts.rate} req/s: p50 ${steady.p50} ms, p99 ${steady.p99} ms, max ${steady.max} ms (${steady.slowest})` : ''),
  );
  for (const [kind, x] of Object.entries(steady?.byRequest ?? {}))
    console.log(`    ${kind}: p50 ${x.p50} ms, p99 ${x.p99} ms, max ${x.max} ms (${x.n})`);
  const timeouts = r.timeouts;
  const netErrors = r.errors - r.timeouts;
  if (!firstError && (timeouts || netErrors)) firstError = `${timeouts} requests timed out (>10 s), ${netErrors} other network errors`;
  if (firstError) console.log(`    first error: ${firstError}`);
  return {
    connections,
    requests: r.requests.total,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors,
    seconds: r.duration,
    ...(steady
      ? {
          steady: {
            rate: opts.rate!,
            p50: steady.p50,
            p99: steady.p99,
            max: steady.max,
            ...(steady.byRequest ? { byRequest: steady.byRequest } : {}),
          },
        }
      : {}),
    ...(firstError ? { firstError } : {}),
  };
}
/**
 * An open-loop load at a fixed rate: request i is due at t0 + i/rate whatever the earlier ones are
 * doing, and its latency counts from that due time, so a slow answer that delays later requests is
 * charged to them too (no coordinated omission). autocannon's own rate option is not used for this:
 * it sends each second's quota back to back at the start of the second, which measures a burst.
 */
async function paced(
  rate: number,
  seconds: number,
  next: () => Req | null,
): Promise<{
  p50: number;
  p99: number;
  max: number;
  slowest: string;
  errors: number;
  firstError?: string;
  byRequest?: Record<string, { n: number; p50: number; p99: number; max: number }>;
}> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.round(rate * seconds);
  const latencies: number[] = [];
  // per request kind (method and path with its query), to see which variant makes the tail
  const byKind = new Map<string, number[]>();
  let errors = 0;
  let firstError: string | undefined;
  let slowest = { ms: 0, what: '' };
  const one = (r: Req, due: number) =>
    new Promise<void>((resolve) => {
      const req = http.request(base + r.path, { method: r.method, headers: r.headers ?? {}, agent, timeout: 10_000 }, (res) => {
        // the body is kept only for an error's message: a page of 50 rows a request would be garbage to collect
        const failed = (res.statusCode ?? 0) >= 300;
        let body = '';
        if (failed) {
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
        } else res.resume();
        res.on('end', () => {
          const ms = performance.now() - due;
          latencies.push(ms);
          const kind = `${r.method} ${r.path}`;
          const xs = byKind.get(kind);
          if (xs) xs.push(ms);
          else byKind.set(kind, [ms]);
          if (ms > slowest.ms) slowest = { ms, what: `${r.method} ${r.path}` };
          if (failed) {
            errors++;
            firstError ??= `${res.statusCode} ${r.method} ${r.path}: ${body.slice(0, 200)}`;
          }
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timed out (>10 s)')));
      req.on('error', (e) => {
        errors++;
        firstError ??= `${r.method} ${r.path}: ${e.message}`;
        resolve();
      });
      req.end(r.body);
    });
  const inflight: Promise<void>[] = [];
  const t0 = performance.now() + 5;
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait)); // a late timer is charged to the request
    const r = next();
    if (!r) break;
    inflight.push(one(r, due));
  }
  await Promise.all(inflight);
  agent.destroy();
  const at = (xs: number[], q: number) => Math.round(xs[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? 0);
  const stats = (xs: number[]) => {
    xs.sort((a, b) => a - b);
    return { n: xs.length, p50: at(xs, 0.5), p99: at(xs, 0.99), max: Math.round(xs.at(-1) ?? 0) };
  };
  const all = stats(latencies);
  // only where a scenario rotates over a few kinds (the queue's filters); one per citizen or item says nothing
  const byRequest = byKind.size > 1 && byKind.size <= 12 ? Object.fromEntries([...byKind].map(([k, xs]) => [k, stats(xs)])) : undefined;
  return {
    p50: all.p50,
    p99: all.p99,
    max: Math.round(slowest.ms),
    slowest: slowest.what,
    errors,
    ...(firstError ? { firstError } : {}),
    ...(byRequest ? { byRequest } : {}),
  };
}

const rotate = <T>(xs: T[]) => {
  let i = 0;
  return () => xs[i++ % xs.length]!;
};
const json = (s: Session, method: string, p: string, body?: unknown): Req => ({
  method,
  path: p,
  headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
});

const rows: Row[] = [];
const add = (scenario: string, title: string, r: Omit<Row, 'scenario' | 'title'>) => rows.push({ scenario, title, ...r });
try {
  console.log('logging in the generated accounts…');
  const hc = needsGen ? await loginAll(hcCitizens) : [];
  const citizens = needsGen ? await loginAll(anyCitizens) : [];
  const clerk = needsGen ? await login(staff!.login, 'Gen-Yibao-2026', staff!.totp_secret!) : { cookie: '', csrf: '' };

  if (wanted('static')) add('static', '1 ceiling: static JSON', await load('static', CONNS, () => ({ method: 'GET', path: '/api/bench/static' })));
  if (wanted('insert'))
    add(
      'insert',
      '2 ceiling: one INSERT',
      await load('insert', CONNS, () => ({ method: 'POST', path: '/api/bench/insert', headers: { 'content-type': 'application/json' }, body: '{}' })),
    );

  // 3 and 4: drafts made through the API (answers + an uploaded PDF for each material), copied so each request submits a fresh one.
  const submitted: number[] = [];
  if (wanted('submit') || wanted('accept')) {
    const perOwner = Math.ceil((CONNS * (DURATION + WARMUP) * 600) / hc.length / 50); // room for ~600 submissions/s per 50 connections
    const drafts: { id: number; s: Session }[] = [];
    for (const s of hc) {
      const d = await call('POST', '/api/cases', { agencyCode: AGENCY, itemCode: ITEM, answers: ANSWERS }, s);
      if (d.status !== 201) throw new Error(`draft: ${d.status} ${JSON.stringify(d.body)}`);
      // every material that applies, so the clerk can accept without 补正
      for (const i of (d.body.form.materials as { index: number; applies: string }[]).filter((m) => m.applies === 'yes').map((m) => m.index)) {
        const fd = new FormData();
        fd.set('materialIndex', String(i));
        fd.set('file', new Blob([PDF_BYTES], { type: 'application/pdf' }), `m${i}.pdf`);
        const u = await call('POST', `/api/cases/${d.body.id}/materials`, fd, s);
        if (u.status !== 201) throw new Error(`upload: ${u.status} ${JSON.stringify(u.body)}`);
      }
      const c = await call('POST', '/api/bench/clone-draft', { caseId: d.body.id, copies: perOwner });
      if (c.status !== 200) throw new Error(`clone: ${c.status} ${JSON.stringify(c.body)}`);
      for (const id of c.body.ids as number[]) drafts.push({ id, s });
    }
    // interleave owners so concurrent requests come from different citizens
    drafts.sort((a, b) => (a.id % 997) - (b.id % 997) || a.id - b.id);
    let k = 0;
    let ranOut = false;
    const nextDraft = () => {
      const d = drafts[k++];
      if (!d) {
        ranOut = true;
        return null;
      }
      return json(d.s, 'POST', `/api/cases/${d.id}/submit`, {});
    };
    const r = await load('submit', CONNS, nextDraft, {
      onDone: (req, status) => {
        if (status === 200) submitted.push(Number(req.path.split('/')[3]));
      },
    });
    add('submit', '3 submit an application', { ...r, ...(ranOut ? { note: 'ran out of prepared drafts' } : {}) });

    if (wanted('accept')) {
      let j = 0;
      const r4 = await load(
        'accept',
        CONNS,
        () => {
          const id = submitted[j++];
          return id === undefined ? null : json(clerk, 'POST', `/api/cases/${id}/actions/accept`, {});
        },
        { warmup: false, amount: submitted.length },
      );
      add('accept', '4 accept a case', r4);
    }
  }

  if (wanted('queue')) {
    const filters = [
      'status=submitted',
      'status=submitted,accepted,reviewing',
      'status=reviewing&overdue=1',
      'channel=online',
      `item=${ITEM}`,
      'unassigned=1',
    ];
    const f = rotate(filters);
    add(
      'queue',
      '5 staff queue (50 rows, FIFO)',
      await load('queue', READ_CONNS, () => json(clerk, 'GET', `/api/staff/queue?pageSize=50&${f()}`), { rate: RATE }),
    );
  }
  if (wanted('mine')) {
    const s = rotate(citizens);
    add('mine', '6 my cases', await load('mine', READ_CONNS, () => json(s(), 'GET', '/api/cases/mine'), { rate: RATE }));
  }
  if (wanted('guide')) {
    const it = rotate(items);
    add(
      'guide',
      '7 item guide (API)',
      await load(
        'guide',
        READ_CONNS,
        () => {
          const x = it();
          return { method: 'GET', path: `/api/agencies/${x.agency_code}/items/${x.code}` };
        },
        { rate: RATE },
      ),
    );
  }
  if (wanted('precheck')) {
    const s = rotate(hc);
    add(
      'precheck',
      '8 生育津贴 pre-check',
      await load('precheck', READ_CONNS, () => json(s(), 'POST', `/api/agencies/${AGENCY}/items/${ITEM}/precheck`, { answers: ANSWERS }), {
        rate: RATE,
      }),
    );
  }
  if (wanted('sweep')) {
    const r = await call('POST', '/api/bench/sweep', {});
    if (r.status !== 200) throw new Error(`sweep: ${r.status} ${JSON.stringify(r.body)}`);
    console.log(`  sweep: ${r.body.ms} ms over ${r.body.cases} cases (${r.body.running} running), ${r.body.enqueued} jobs`);
    add('sweep', '9 deadline sweep', {
      connections: null,
      requests: 1,
      rps: null,
      p50: null,
      p99: null,
      errors: 0,
      seconds: r.body.ms / 1000,
      note: `${r.body.cases} cases, ${r.body.running} running, ${r.body.enqueued} jobs enqueued`,
    });
  }
  if (wanted('roster')) {
    const unit = await login(unitLogin, 'Bench12345');
    const lines = ['操作,公民身份号码,姓名,日期,缴费基数'];
    // IDs no generated person has: sequence numbers 500–999 (the generator uses 000–021), a block per run.
    for (let i = 0; i < ROSTER_ROWS; i++) {
      const day = i % 18000;
      const seqNo = 500 + ((run * 6 + Math.floor(i / 18000)) % 500);
      const birth = new Date(Date.UTC(1950, 0, 1) + day * 86400_000).toISOString().slice(0, 10).replaceAll('-', '');
      const id17 = `420281${birth}${String(seqNo).padStart(3, '0')}`;
      lines.push(`增员,${id17 + citizenIdCheckChar(id17)},职工${i},${today.slice(0, 8)}01,5000`);
    }
    const fd = new FormData();
    fd.set('file', new Blob([lines.join('\n')]), 'roster.csv');
    const t0 = performance.now();
    const check = await call('POST', '/api/unit/roster', fd, unit);
    const t1 = performance.now();
    const apply = check.status === 201 ? await call('POST', `/api/unit/roster/${check.body.id}/apply`, { mode: 'valid' }, unit) : null;
    const t2 = performance.now();
    const errs = (check.status === 201 ? 0 : 1) + (apply?.status === 200 ? 0 : 1) + (check.body?.errors?.length ?? 0);
    console.log(
      `  roster: check ${Math.round(t1 - t0)} ms (HTTP ${check.status}, ${check.body?.errors?.length ?? '?'} row errors), apply ${Math.round(t2 - t1)} ms (HTTP ${apply?.status}, ${apply?.body?.appliedRows} rows)`,
    );
    add('roster', `10 roster import (${ROSTER_ROWS} rows)`, {
      connections: 1,
      requests: 2,
      rps: null,
      p50: null,
      p99: null,
      errors: errs,
      seconds: Math.round(t2 - t0) / 1000,
      note: `check ${Math.round(t1 - t0)} ms + apply ${Math.round(t2 - t1)} ms, ${apply?.body?.appliedRows ?? 0} rows applied`,
    });
  }
  if (wanted('roster-parse')) {
    // Hostile rosters (issue 17): four 2,000,000-row XLSX files uploaded at once (the 200,000-row cap
    // refuses each while reading), /healthz polled every 100 ms throughout, the server's RSS sampled.
    const file = await hostileRoster(PARSE_ROWS);
    const bytes = readFileSync(file);
    const unit = await login(unitLogin, 'Bench12345');
    // Polled from a thread of its own: this thread is busy sending the uploads, and its stalls are not the server's.
    const poller = new Worker(
      `const { parentPort, workerData: { url, pid } } = require('node:worker_threads');
       const { readFileSync } = require('node:fs');
       const rss = (f) => Math.round(Number(new RegExp(f + ':\\\\s+(\\\\d+) kB').exec(readFileSync('/proc/' + pid + '/status', 'utf8'))[1]) / 1024);
       const s = { maxHealth: 0, polls: 0, failures: 0, rssBefore: rss('VmRSS'), peakRss: 0, hwm: 0, slow: [] };
       const t0 = performance.now();
       const warm = fetch(url).then((r) => r.text(), () => ''); // a connection first: its set-up is the client's
       let done = false;
       parentPort.on('message', () => { done = true; });
       (async () => {
         await warm;
         while (!done) {
           const t = performance.now();
           const ok = await fetch(url).then((r) => r.ok, () => false);
           const ms = performance.now() - t;
           s.maxHealth = Math.max(s.maxHealth, ms);
           if (ms > 250) s.slow.push(Math.round(ms) + ' ms @' + Math.round(t - t0));
           s.polls++;
           if (!ok) s.failures++;
           s.peakRss = Math.max(s.peakRss, rss('VmRSS'));
           await new Promise((r) => setTimeout(r, 100));
         }
         s.hwm = rss('VmHWM');
         parentPort.postMessage(s);
       })();`,
      { eval: true, workerData: { url: `${base}/healthz`, pid: child.pid } },
    );
    const t0 = performance.now();
    const answers = await Promise.all(
      Array.from({ length: 4 }, async (_, i) => {
        const fd = new FormData();
        fd.set('file', new Blob([bytes]), `hostile-${i}.xlsx`);
        const r = await call('POST', '/api/unit/roster', fd, unit).catch((e: Error) => ({ status: 0, body: { error: { code: e.message } } }));
        return { status: r.status, code: r.body?.error?.code as string | undefined, ms: Math.round(performance.now() - t0) };
      }),
    );
    const seconds = Math.round(performance.now() - t0) / 1000;
    await new Promise((r) => setTimeout(r, 300)); // a few polls after the last answer
    const stats = new Promise<{
      maxHealth: number;
      polls: number;
      failures: number;
      rssBefore: number;
      peakRss: number;
      hwm: number;
      slow: string[];
    }>((r) => poller.once('message', r));
    poller.postMessage('stop');
    const { maxHealth, polls, failures: healthFailures, rssBefore, peakRss, hwm, slow } = await stats;
    if (slow.length) console.log(`  roster-parse: /healthz over 250 ms: ${slow.join(', ')}`);
    await poller.terminate();
    const summary = answers.map((a) => `${a.status} ${a.code ?? ''} @${a.ms} ms`).join(', ');
    console.log(
      `  roster-parse: ${summary}; /healthz max ${Math.round(maxHealth)} ms over ${polls} polls (${healthFailures} failed); RSS ${rssBefore} → peak ${peakRss} MB sampled, VmHWM ${hwm} MB`,
    );
    add('roster-parse', `11 hostile rosters (4 × ${PARSE_ROWS} rows XLSX at once)`, {
      connections: 4,
      requests: 4,
      rps: null,
      p50: null,
      p99: null,
      // a 5xx, a dropped connection or a failed /healthz is an error; the refusals (4xx) are the point
      errors: answers.filter((a) => a.status === 0 || a.status >= 500).length + healthFailures,
      seconds,
      note: `${(bytes.length / 2 ** 20).toFixed(1)} MB each; answers ${summary}; /healthz max ${Math.round(maxHealth)} ms (${polls} polls, target < 1000); RSS peak ${peakRss} MB sampled, VmHWM ${hwm} MB (target < 500)`,
      healthzMaxMs: Math.round(maxHealth),
      rssPeakMb: Math.max(peakRss, hwm),
    });
  }
} finally {
  stop();
  await new Promise((r) => child.once('exit', r).once('error', r));
  rmSync(filesDir, { recursive: true, force: true });
}

// ---------- report ----------
const ceiling = (s: string) => rows.find((r) => r.scenario === s)?.rps ?? null;
for (const r of rows) {
  if (r.rps === null || r.scenario === 'static' || r.scenario === 'insert') continue;
  const c1 = ceiling('static');
  const c2 = ceiling('insert');
  const parts = [];
  if (c1) parts.push(`${Math.round((100 * r.rps) / c1)} % of static`);
  if (c2 && ['submit', 'accept'].includes(r.scenario)) parts.push(`${Math.round((100 * r.rps) / c2)} % of INSERT`);
  r.ratio = parts.join(', ');
}
const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
const table = [
  ['scenario', 'conns', 'req/s', 'p50 ms', 'p99 ms', `p99 @${RATE}/s`, 'errors', 'seconds', 'ratio / note'],
  ...rows.map((r) => [
    r.title,
    fmt(r.connections),
    fmt(r.rps),
    fmt(r.p50),
    fmt(r.p99),
    fmt(r.steady?.p99),
    String(r.errors),
    r.rps === null ? fmt(r.seconds) : '',
    [r.ratio, r.note].filter(Boolean).join('; '),
  ]),
];
const width = (s: string) => [...s].reduce((w, ch) => w + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
const cols = table[0]!.map((_, i) => Math.max(...table.map((row) => width(row[i]!))));
console.log('');
for (const row of table) console.log(row.map((c, i) => c + ' '.repeat(cols[i]! - width(c))).join('  '));
const result = {
  at: new Date().toISOString(),
  database: dbUrl ? 'postgres' : 'pglite',
  scale,
  startupMs,
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version },
  settings: {
    duration: DURATION,
    warmup: WARMUP,
    connections: CONNS,
    readConnections: READ_CONNS,
    steadyRate: RATE,
    steadySeconds: STEADY_SECONDS,
    rosterRows: ROSTER_ROWS,
  },
  scenarios: rows,
};
mkdirSync(path.dirname(args.out!), { recursive: true });
writeFileSync(args.out!, JSON.stringify(result, null, 2) + '\n');
console.log(`\nwritten to ${args.out}`);
process.exit(rows.some((r) => r.errors > 0) ? 1 : 0);
