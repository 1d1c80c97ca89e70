/**
 * Schema-driven fuzzing over every operation of the OpenAPI document: seeded-random requests (valid-ish
 * values from each schema, and hostile ones: NUL, lone surrogates, huge strings, impossible dates,
 * wrong types, random ids, broken JSON and truncated multipart) as each kind of actor (anonymous,
 * citizen, unit clerk, staff, agency admin, sysadmin), with the CSRF header so writes reach the handlers. No
 * answer may be a 5xx. FUZZ_REQUESTS (default 3000) and FUZZ_SEED (default 17) change the run.
 */
import { before, after, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type TestServer } from '../test/support.ts';
import { Client, PDF_BYTES, registerCitizen, registerUnitClerk, staffClient, testIdNo, testMobile } from '../test/client.ts';
import { submittedCase } from '../test/factories.ts';
import { usccCheckChar } from '../common/ids.ts';
import { mulberry32 } from './cli/prng.ts';

const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 3000);
const SEED = Number(process.env.FUZZ_SEED ?? 17);
const PARALLEL = 4;

type Schema = Record<string, any>;
interface Op {
  method: string;
  path: string;
  params: { name: string; in: string; required?: boolean; schema?: Schema }[];
  body?: Schema;
  multipart: boolean;
}
interface Actor {
  name: string;
  client: Client;
  relogin?: () => Promise<Client>;
}

let s: TestServer;
const actors: Actor[] = [];
/** Ids that exist, so some requests get past "not found". */
const knownIds: number[] = [];

before(async () => {
  s = await startServer();
  const anon = new Client(s.url);
  actors.push({ name: 'anonymous', client: anon });
  const built = await submittedCase({ server: s, item: 'DY-23', answers: {} }).catch(() => null);
  if (built) knownIds.push(built.id);
  const citizen = built?.citizen ?? (await registerCitizen(s));
  actors.push({
    name: 'citizen',
    client: citizen.client,
    relogin: async () => {
      const c = new Client(s.url);
      await c.post('/api/auth/login', { login: citizen.mobile, password: citizen.password });
      return c;
    },
  });
  const u17 = '91420281MA4FTXY0B';
  const clerk = await registerUnitClerk(s, { uscc: u17 + usccCheckChar(u17), unitName: '大冶模糊测试有限公司' });
  actors.push({
    name: 'unit',
    client: clerk.client,
    relogin: async () => {
      const c = new Client(s.url);
      await c.post('/api/auth/login', { login: clerk.mobile, password: clerk.password });
      return c;
    },
  });
  for (const [name, roles] of [
    ['staff', ['acceptor', 'reviewer', 'rechecker', 'supervisor']],
    ['admin', ['agency_admin']],
    ['sysadmin', ['sysadmin']],
  ] as const) {
    const st = await staffClient(s, { agency: 'daye', roles: [...roles] });
    actors.push({
      name,
      client: st.client,
      relogin: async () => (await staffClient(s, { agency: 'daye', roles: [...roles] })).client,
    });
  }
});
after(async () => {
  await s?.close();
});

function operations(doc: Schema): Op[] {
  const ops: Op[] = [];
  for (const [path, item] of Object.entries<Schema>(doc.paths ?? {})) {
    for (const method of ['get', 'post', 'put', 'patch', 'delete']) {
      const op = item[method];
      if (!op) continue;
      const body = op.requestBody?.content?.['application/json']?.schema;
      ops.push({
        method: method.toUpperCase(),
        path,
        params: [...(item.parameters ?? []), ...(op.parameters ?? [])],
        body,
        multipart: method === 'post' && (/multipart/.test(op.summary ?? '') || /\/(materials|roster|letter)$/.test(path)),
      });
    }
  }
  return ops;
}

function fuzzer(seed: number, doc: Schema) {
  const rnd = mulberry32(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const chance = (p: number) => rnd() < p;
  const resolve = (sc: Schema | undefined): Schema => {
    let x = sc ?? {};
    for (let i = 0; i < 10 && typeof x.$ref === 'string'; i++) {
      const name = x.$ref.split('/').pop()!;
      x = doc.components?.schemas?.[name] ?? {};
    }
    return x;
  };

  const HOSTILE_STRINGS = [
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfffy',
    '\ud83d',
    'a'.repeat(5000),
    '界'.repeat(70_000),
    '2026-02-30',
    '2026-13-45',
    '0000-00-00',
    '9999-12-31',
    '2026-02-29T25:61:00Z',
    '-1',
    '1e309',
    'NaN',
    "' or 1=1 --",
    '../../../etc/passwd',
    '%00',
    '<script>alert(1)</script>',
    '\u0001\u0008\u001f',
    '\u202e\u200b',
    '😀'.repeat(30),
    '',
    ' ',
    '__proto__',
    'constructor',
  ];
  const REALISTIC = ['daye', 'dalian', 'DY-23', 'DY-01', '420281', '张三', '1', 'online', 'yes', 'no', '2026-11-20', '2026-12-01', '09:00', 'test'];
  const hostileAny = (): unknown =>
    pick<() => unknown>([
      () => pick(HOSTILE_STRINGS),
      () => pick([-1, 0, 2 ** 31, 2 ** 53 + 1, -(2 ** 63), 1e308, -1e308, 1.5, 0.1]),
      () => null,
      () => pick([true, false]),
      () => [pick(HOSTILE_STRINGS), { a: '\u0000' }],
      () => ({ [pick(HOSTILE_STRINGS)]: pick(HOSTILE_STRINGS) }),
      () => Array.from({ length: 50 }, () => pick(HOSTILE_STRINGS)),
    ])();

  function date(): string {
    const y = pick([2025, 2026, 2027]);
    return `${y}-${String(1 + int(12)).padStart(2, '0')}-${String(1 + int(28)).padStart(2, '0')}`;
  }
  function str(sc: Schema, key: string): string {
    if (
      sc.format === 'date' ||
      /\\d\{4\}-\\d\{2\}-\\d\{2\}/.test(sc.pattern ?? '') ||
      /(date|On|From|To|Before|After|Until|until|from|to)$/.test(key)
    )
      if (chance(0.8)) return date();
    if (sc.format === 'date-time') return `${date()}T0${int(10)}:00:00+08:00`;
    if (/idNo/i.test(key)) return testIdNo();
    if (/mobile|phone/i.test(key)) return testMobile();
    if (/uscc/i.test(key)) return '91420281MA4RQTE0AX';
    const min = sc.minLength ?? 0;
    const max = Math.min(sc.maxLength ?? 40, 200);
    if (chance(0.5)) {
      const v = pick(REALISTIC);
      if (v.length >= min && v.length <= max) return v;
    }
    const n = min + int(Math.max(1, max - min + 1));
    return Array.from({ length: n }, () => pick('abcdefghijk0123456789张王李大冶医保-_ '.split(''))).join('');
  }

  /** A value for the schema; with `hostility` in (0, 1], each node may be swapped for a hostile one. */
  function value(schema: Schema | undefined, hostility: number, key = '', depth = 0): unknown {
    const sc = resolve(schema);
    if (depth > 0 && hostility > 0 && chance(hostility)) return hostileAny();
    if (depth > 8) return null;
    if (sc.const !== undefined) return sc.const;
    if (Array.isArray(sc.enum) && sc.enum.length) return pick(sc.enum);
    const alts = sc.anyOf ?? sc.oneOf;
    if (Array.isArray(alts) && alts.length) return value(pick(alts), hostility, key, depth);
    if (Array.isArray(sc.allOf) && sc.allOf.length)
      return value({ ...sc, allOf: undefined, ...Object.assign({}, ...sc.allOf.map(resolve)) }, hostility, key, depth);
    const type = Array.isArray(sc.type)
      ? pick(sc.type.filter((t: string) => t !== 'null').length ? sc.type.filter((t: string) => t !== 'null') : sc.type)
      : sc.type;
    switch (type) {
      case 'object':
      case undefined: {
        if (type === undefined && !sc.properties) return pick<unknown>([str(sc, key), 1, true]);
        const out: Record<string, unknown> = {};
        const required = new Set<string>(sc.required ?? []);
        for (const [k, p] of Object.entries<Schema>(sc.properties ?? {})) {
          if (required.has(k) || chance(0.6)) out[k] = value(p, hostility, k, depth + 1);
        }
        if (sc.additionalProperties && typeof sc.additionalProperties === 'object' && chance(0.7)) {
          for (let i = 0; i < 1 + int(3); i++)
            out[pick(['q1', 'applicantName', 'a', 'note', str({}, 'k')])] = value(sc.additionalProperties, hostility, 'x', depth + 1);
        }
        return out;
      }
      case 'array': {
        const n = Math.min(sc.maxItems ?? 3, (sc.minItems ?? 0) + int(3));
        return Array.from({ length: n }, () => value(sc.items, hostility, key, depth + 1));
      }
      case 'string':
        return str(sc, key);
      case 'integer':
      case 'number': {
        const lo = sc.minimum ?? (sc.exclusiveMinimum !== undefined ? sc.exclusiveMinimum + 1 : 0);
        const hi = Math.min(sc.maximum ?? lo + 100, lo + 10_000);
        const n = lo + rnd() * (hi - lo);
        return type === 'integer' ? Math.floor(n) : Math.round(n * 100) / 100;
      }
      case 'boolean':
        return chance(0.5);
      case 'null':
        return null;
      default:
        return null;
    }
  }

  function pathValue(p: { name: string; schema?: Schema }, hostility: number): string {
    if (hostility > 0 && chance(hostility))
      return pick([
        '%00',
        'a%00b',
        '%ED%A0%80',
        '-1',
        '0',
        '99999999999999999999',
        '1e3',
        'abc',
        '%F0%9F%98%80',
        encodeURIComponent('2026-02-30'),
        '2026-13-45',
        '..%2F..',
      ]);
    const sc = resolve(p.schema);
    if (sc.type === 'integer' || sc.type === 'number' || /id$/i.test(p.name))
      return String(knownIds.length && chance(0.5) ? pick(knownIds) : 1 + int(50));
    return encodeURIComponent(String(value(sc, 0, p.name)));
  }
  function queryPart(p: { name: string; schema?: Schema }, hostility: number): string {
    if (hostility > 0 && chance(hostility)) {
      const raw = pick(['%00', 'x%00', '%ED%A0%80', '%C0%80', '%FF', '2026-02-30', '2026-13-45', '-1', '99999999999999999999', 'a'.repeat(3000)]);
      return `${encodeURIComponent(p.name)}=${raw}`;
    }
    const v = value(p.schema, 0, p.name);
    return `${encodeURIComponent(p.name)}=${encodeURIComponent(typeof v === 'object' ? JSON.stringify(v) : String(v))}`;
  }

  /** One leaf of a valid value (a string, number or boolean) replaced by a hostile one: the shape passes, one field attacks. */
  function mutateOne(v: unknown): unknown {
    const leaves: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
    const walk = (x: unknown) => {
      if (x === null || typeof x !== 'object') return;
      for (const [k, y] of Object.entries(x)) {
        if (y !== null && typeof y === 'object') walk(y);
        else leaves.push({ parent: x as Record<string, unknown>, key: Array.isArray(x) ? Number(k) : k });
      }
    };
    walk(v);
    if (!leaves.length) return v;
    const { parent, key } = pick(leaves);
    const old = (parent as Record<string | number, unknown>)[key];
    (parent as Record<string | number, unknown>)[key] =
      typeof old === 'string' && chance(0.7)
        ? pick([
            `${old}\u0000`,
            `\u0000${old}`,
            `${old}\ud800`,
            `\udc00${old}`,
            old.repeat(2000).slice(0, 200_000) || 'x'.repeat(5000),
            pick(HOSTILE_STRINGS),
          ])
        : hostileAny();
    return v;
  }

  return { rnd, int, pick, chance, value, pathValue, queryPart, mutateOne };
}

/** A multipart body, sometimes cut short, with a bad boundary or a hostile file name. */
function multipartBody(f: ReturnType<typeof fuzzer>): { body: Buffer; type: string } {
  const boundary = `----fuzz${f.int(1e9)}`;
  const name = f.pick(['m.pdf', 'a\u0000.pdf', '\ud800.pdf', '../../x.pdf', '界'.repeat(300) + '.pdf', '', 'roster.csv', 'r.xlsx']);
  const content = f.pick<Buffer>([
    PDF_BYTES,
    Buffer.from('姓名,公民身份号码\n张三,420281199001010011\n'),
    Buffer.from('PK\u0003\u0004garbage'),
    Buffer.alloc(0),
  ]);
  const parts = [
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="materialIndex"\r\n\r\n${f.pick(['0', '1', '-1', 'x', '\u0000', '99999999999'])}\r\n`,
    ),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ];
  let body = Buffer.concat(f.chance(0.15) ? parts.filter((_, i) => i !== 1 && i !== 2) : parts);
  const mode = f.int(5);
  if (mode === 0) body = body.subarray(0, f.int(body.length)); // truncated
  const type = mode === 1 ? 'multipart/form-data' : mode === 2 ? 'multipart/form-data; boundary=other' : `multipart/form-data; boundary=${boundary}`;
  return { body, type };
}

const SESSION_ENDERS = /\/api\/auth\/(logout|password|reset|sessions)/;

function actorFor(op: Op, f: ReturnType<typeof fuzzer>): Actor {
  if (SESSION_ENDERS.test(op.path) && op.method !== 'GET') return actors[0]!;
  const by = (n: string) => actors.find((a) => a.name === n)!;
  if (f.chance(0.2)) return f.pick(actors);
  if (op.path.startsWith('/api/admin') || op.path.startsWith('/api/calendar')) return f.chance(0.75) ? by('admin') : by('sysadmin');
  if (op.path.startsWith('/api/staff') || op.path.startsWith('/api/dashboard')) return f.chance(0.7) ? by('staff') : by('admin');
  if (op.path.startsWith('/api/unit')) return by('unit');
  return f.chance(0.8) ? by('citizen') : by('anonymous');
}

async function send(
  actor: Actor,
  method: string,
  url: string,
  body: Buffer | string | undefined,
  type: string | undefined,
  extra: Record<string, string>,
) {
  const c = actor.client;
  const h: Record<string, string> = { 'x-forwarded-for': c.ip, ...extra };
  if (c.cookies.size) h.cookie = [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  if (method !== 'GET' && c.csrf) h['x-csrf-token'] = c.csrf;
  if (type) h['content-type'] = type;
  const res = await fetch(s.url + url, {
    method,
    headers: h,
    body: method === 'GET' || body === undefined ? undefined : typeof body === 'string' ? body : new Uint8Array(body),
  });
  const text = await res.text();
  return { status: res.status, text };
}

test(`fuzz: ${REQUESTS} seeded requests over every OpenAPI operation, no 5xx`, { timeout: 600_000 }, async (t) => {
  const doc = (s.app as unknown as { swagger(): Schema }).swagger();
  const ops = operations(doc);
  assert.ok(ops.length > 50, `only ${ops.length} operations in the OpenAPI document`);
  const f = fuzzer(SEED, doc);
  const histogram = new Map<number, number>();
  const offenders: { actor: string; method: string; url: string; body: string; status: number; answer: string }[] = [];
  let n = 0;

  /** Request `i` (every operation gets its turn); `copies` > 1 sends that many identical ones at once (a race). */
  async function one(i: number, copies = 1, list: Op[] = ops): Promise<void> {
    const op = list[i % list.length]!;
    // valid-ish (0), valid with one hostile field (-1), or any node hostile with this chance.
    const mode = copies > 1 ? 0 : f.pick([0, -1, -1, -1, 0.15, 0.4, 1]);
    const hostility = mode === -1 ? 0 : mode;
    // With one hostile field, it is the body's when there is one, else one path or query parameter's.
    const hostileParam = mode === -1 && (!op.body || f.chance(0.3));
    const actor = actorFor(op, f);
    let path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) =>
      f.pathValue(op.params.find((p) => p.name === name && p.in === 'path') ?? { name }, hostileParam ? 0.5 : hostility),
    );
    const q = op.params.filter((p) => p.in === 'query' && (p.required || f.chance(0.6))).map((p) => f.queryPart(p, hostileParam ? 0.5 : hostility));
    if (q.length) path += `?${q.join('&')}`;
    const headers: Record<string, string> = {};
    if (op.params.some((p) => p.in === 'header' && p.name === 'idempotency-key') && f.chance(0.7))
      headers['idempotency-key'] = `fuzz-key-${f.int(20)}`;
    let body: Buffer | string | undefined;
    let type: string | undefined;
    if (op.multipart) {
      const m = multipartBody(f);
      body = m.body;
      type = m.type;
    } else if (op.method !== 'GET' && op.method !== 'DELETE') {
      const r = f.rnd();
      if (r < 0.06) [body, type] = ['{"a":', 'application/json'];
      else if (r < 0.09) [body, type] = ['x=1', 'text/plain'];
      else if (r < 0.12) [body, type] = [JSON.stringify(f.pick([[], [{}], 'str', 42, null])), 'application/json'];
      else if (r < 0.14)
        ({ body, type } = multipartBody(f)); // a form where JSON goes
      else if (r < 0.15)
        [body, type] = ['{"a":"\u0000"}', f.pick(['application/json; charset=latin1', 'application/x-www-form-urlencoded', 'application/xml'])];
      else {
        let v = op.body ? f.value(op.body, hostility) : {};
        if (mode === -1 && !hostileParam) v = f.mutateOne(v);
        body = JSON.stringify(hostility === 1 && f.chance(0.3) ? [v] : v);
        type = 'application/json';
      }
    }
    const attempt = () =>
      send(actor, op.method, path, body, type, headers).catch((e: Error) => ({ status: 599, text: `network error: ${e.message}` }));
    const answers = await Promise.all(Array.from({ length: copies }, attempt));
    if (answers.some((a) => a.status === 401) && actor.relogin && !SESSION_ENDERS.test(op.path)) {
      try {
        actor.client = await actor.relogin();
      } catch {
        /* keep the old one */
      }
    }
    for (const res of answers) {
      n++;
      histogram.set(res.status, (histogram.get(res.status) ?? 0) + 1);
      if (res.status >= 500 && !res.text.includes('FONT_UNAVAILABLE')) {
        offenders.push({
          actor: actor.name,
          method: op.method,
          url: path.slice(0, 300),
          body: typeof body === 'string' ? body.slice(0, 300) : body ? `<${body.length} bytes multipart>` : '',
          status: res.status,
          answer: res.text.slice(0, 300),
        });
      }
    }
  }

  // A tenth of the budget goes to races: one valid write sent 5 times at once (check-then-insert bugs).
  const writes = ops.filter((o) => o.method !== 'GET' && !o.multipart && !SESSION_ENDERS.test(o.path));
  const RACES = Math.floor(REQUESTS / 10 / 5);
  const SINGLES = REQUESTS - RACES * 5;
  for (let i = 0; i < SINGLES; i += PARALLEL) {
    await Promise.all(Array.from({ length: Math.min(PARALLEL, SINGLES - i) }, (_, k) => one(i + k)));
  }
  for (let i = 0; i < RACES; i++) await one(i, 5, writes);
  const hist = [...histogram].sort((a, b) => a[0] - b[0]).map(([k, v]) => `${k}: ${v}`);
  t.diagnostic(`fuzz: ${n} requests over ${ops.length} operations (seed ${SEED}); statuses ${hist.join(', ')}`);
  console.log(`fuzz: ${n} requests over ${ops.length} operations (seed ${SEED}); statuses ${hist.join(', ')}`);
  assert.deepEqual(offenders.slice(0, 20), [], `${offenders.length} answers ≥ 500`);
});
