/**
 * An HTTP client for tests that behaves like a browser session: it keeps cookies and sends the
 * CSRF header on writes. Plus factories that create accounts through the real API.
 */
import { citizenIdCheckChar } from '../common/ids.ts';
import { createStaff } from '../server/modules/accounts/service.ts';
import { staffTotp } from './totp.ts';
import type { StaffRole } from '../common/workflow.ts';
import type { TestServer } from './support.ts';

export interface Res<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

let clientSeq = 0;
/** A distinct documentation-range-like address per Client (10.x.y.z), sent as X-Forwarded-For. */
function nextClientIp(): string {
  clientSeq++;
  return `10.${(clientSeq >> 16) & 255}.${(clientSeq >> 8) & 255}.${clientSeq & 255}`;
}

export class Client {
  readonly base: string;
  /** The address this client says it has (the test server trusts X-Forwarded-For). */
  readonly ip: string;
  cookies = new Map<string, string>();
  constructor(base: string, opts: { ip?: string } = {}) {
    this.base = base;
    this.ip = opts.ip ?? nextClientIp();
  }
  get csrf(): string | undefined {
    return this.cookies.get('yb_csrf');
  }
  async request<T = any>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res<T>> {
    const h: Record<string, string> = { 'x-forwarded-for': this.ip, ...headers };
    if (this.cookies.size) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && this.csrf && !('x-csrf-token' in h)) h['x-csrf-token'] = this.csrf;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      h['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const k = pair!.slice(0, i);
      const v = pair!.slice(i + 1);
      if (v === '' || /Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
    const type = res.headers.get('content-type') ?? '';
    const out = type.includes('json') ? await res.json() : Buffer.from(await res.arrayBuffer());
    return { status: res.status, body: out as T, headers: res.headers };
  }
  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body ?? {}, headers);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body ?? {});
  }
  del<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }
  async upload<T = any>(caseId: number, materialIndex: number, name: string, bytes: Uint8Array, type = 'application/octet-stream') {
    const fd = new FormData();
    fd.set('materialIndex', String(materialIndex));
    fd.set('file', new Blob([Buffer.from(bytes)], { type }), name);
    return this.request<T>('POST', `/api/cases/${caseId}/materials`, fd);
  }
}

let seq = 0;
/** A valid 公民身份号码 for tests: region, birth date and sequence (odd = male, even = female) with the right check digit. */
export function testIdNo(region = '420281', birth = '19900101', sex?: 'M' | 'F'): string {
  seq = (seq + 1) % 1000;
  if (sex && (seq % 2 === 1) !== (sex === 'M')) seq = (seq + 1) % 1000;
  const first = `${region}${birth}${String(seq).padStart(3, '0')}`;
  return first + citizenIdCheckChar(first);
}
let phoneSeq = Math.floor(Math.random() * 1e6);
export function testMobile(): string {
  phoneSeq = (phoneSeq + 1) % 1e8;
  return `139${String(phoneSeq).padStart(8, '0')}`;
}

/** The code most recently texted to a number (read from the outbox row the API wrote). */
export async function lastSmsCode(server: TestServer, mobile: string): Promise<string> {
  const row = await server.dbh.db
    .selectFrom('outbox')
    .select('body')
    .where('channel', '=', 'sms')
    .where('recipient', '=', mobile)
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  return /(\d{6})/.exec(row.body)![1]!;
}

export async function registerCitizen(
  server: TestServer,
  opts: {
    name?: string;
    idNo?: string;
    mobile?: string;
    password?: string;
    kind?: 'citizen' | 'agent' | 'unit';
    uscc?: string;
    unitName?: string;
    /**
     * A personal account's ID number verified as a clerk at a window would (default true); false
     * leaves it a claim, as after registering with a number other than the registry's.
     */
    verified?: boolean;
    /** A unit account: the agency that decides its clerk request (default 大冶). */
    agencyCode?: string;
  } = {},
) {
  const c = new Client(server.url);
  const mobile = opts.mobile ?? testMobile();
  const idNo = opts.idNo ?? testIdNo();
  const password = opts.password ?? 'Citizen-Pass-2026';
  const sent = await c.post('/api/auth/sms-code', { mobile, purpose: 'register' });
  if (sent.status !== 200) throw new Error(`sms-code ${sent.status} ${JSON.stringify(sent.body)}`);
  const code = await lastSmsCode(server, mobile);
  const r = await c.post('/api/auth/register', {
    kind: opts.kind ?? 'citizen',
    mobile,
    code,
    password,
    name: opts.name ?? '张三',
    idNo,
    uscc: opts.uscc,
    unitName: opts.unitName,
    agencyCode: opts.kind === 'unit' ? (opts.agencyCode ?? 'daye') : undefined,
  });
  if (r.status !== 201) throw new Error(`register ${r.status} ${JSON.stringify(r.body)}`);
  const kind = opts.kind ?? 'citizen';
  if ((kind === 'citizen' || kind === 'agent') && opts.verified !== false && !r.body.user.idVerified) {
    await verifyAsWindow(server, r.body.user.id);
    r.body.user.idVerified = true;
  }
  return { client: c, mobile, idNo, password, user: r.body.user };
}

/** Fixture: the principal confirmed an authorisation (the code /api/authorisations/:id/confirm checks). */
export async function confirmedByPrincipal(server: TestServer, authorisationId: number): Promise<void> {
  await server.dbh.db
    .updateTable('authorisations')
    .set({ confirmed_at: server.clockNow(), confirmed_via: 'sms' })
    .where('id', '=', authorisationId)
    .execute();
}

/** Fixture: the account's ID number verified at a window (the check /api/staff/identity-checks records). */
export async function verifyAsWindow(server: TestServer, userId: number): Promise<void> {
  await server.dbh.db
    .updateTable('users')
    .set({ id_verified_at: server.clockNow(), id_verified_via: 'window', id_verified_by: null })
    .where('id', '=', userId)
    .execute();
}

export async function staffClient(
  server: TestServer,
  opts: { agency: string; roles: StaffRole[]; login?: string; name?: string; officeCode?: string },
): Promise<{ client: Client; id: number; login: string; password: string; secret: string }> {
  const login = opts.login ?? `${opts.agency}-${opts.roles.join('-')}-${Math.random().toString(36).slice(2, 7)}`;
  const password = 'Staff-Pass-2026';
  const { id, totpSecret } = await createStaff(server.dbh.db, {
    login,
    name: opts.name ?? `${opts.roles.includes('acceptor') ? '受理员' : '审核员'}${login.slice(-3)}`,
    agencyCode: opts.agency,
    roles: opts.roles,
    officeCode: opts.officeCode,
    password,
  });
  const c = new Client(server.url);
  const r = await c.post('/api/auth/login', { login, password, totp: await staffTotp(server, totpSecret) });
  if (r.status !== 200) throw new Error(`staff login ${r.status} ${JSON.stringify(r.body)}`);
  return { client: c, id, login, password, secret: totpSecret };
}

/** Minimal real files: a one-page PDF and a 1×1 PNG. */
export const PDF_BYTES = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
export const PNG_BYTES = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/**
 * An agency admin's catalogue change, as the CLI makes it: a new draft where one material of an
 * item may be supplied late (容缺), published from `today`. Used where a journey needs 容缺 on an
 * item whose seed has none (大冶 lists no 容缺 items).
 */
export async function publishTolerance(
  server: TestServer,
  agency: string,
  itemCode: string,
  materialIndex: number,
  days: number,
  today: string,
): Promise<void> {
  const { importDraft, publish } = await import('../server/modules/catalog/service.ts');
  const { currentVersionRow } = await import('../server/modules/catalog/repository.ts');
  const cur = await currentVersionRow(server.dbh.db, agency, today);
  if (!cur) throw new Error('no published catalogue');
  const cat = structuredClone(cur.doc) as any;
  const it = cat.items.find((i: { code: string }) => i.code === itemCode);
  it.materials[materialIndex].tolerable = true;
  it.materials[materialIndex].toleranceDays = days;
  const r = await importDraft(server.dbh.db, cat, 'test', `容缺：${itemCode} 第${materialIndex + 1}项材料`);
  await publish(server.dbh.db, agency, r.version, today);
}

/** Upload a 授权委托书 for the client's pending 单位经办人 request. */
export function uploadClerkLetter(c: Client, name = '授权委托书.pdf', bytes: Uint8Array = PDF_BYTES) {
  const fd = new FormData();
  fd.set('file', new Blob([Buffer.from(bytes)]), name);
  return c.request('POST', '/api/unit/clerk-request/letter', fd);
}

const approvers = new WeakMap<TestServer, Map<string, Promise<Client>>>();
/** One acceptor per server and agency, logged in once, who approves clerk requests for the tests. */
export function clerkApprover(server: TestServer, agency: string): Promise<Client> {
  let m = approvers.get(server);
  if (!m) approvers.set(server, (m = new Map()));
  let c = m.get(agency);
  if (!c) m.set(agency, (c = staffClient(server, { agency, roles: ['acceptor'] }).then((x) => x.client)));
  return c;
}

/**
 * A unit clerk (单位经办人) with access to the unit: registered through the API, then approved —
 * by `approver` (an approved clerk of the unit) when given, else by the agency's staff after the
 * 授权委托书 is uploaded. Registration alone grants nothing (issue 16).
 */
export async function registerUnitClerk(
  server: TestServer,
  opts: Omit<Parameters<typeof registerCitizen>[1] & object, 'kind'> & { uscc: string; approver?: Client },
) {
  const reg = await registerCitizen(server, { ...opts, kind: 'unit' });
  const mine = await reg.client.get('/api/unit/clerk-request');
  const id: number = mine.body.request.id;
  let r: Res;
  if (opts.approver) r = await opts.approver.post(`/api/unit/clerk-requests/${id}/approve`, {});
  else {
    const up = await uploadClerkLetter(reg.client);
    if (up.status !== 201) throw new Error(`letter ${up.status} ${JSON.stringify(up.body)}`);
    const unit = await server.dbh.db.selectFrom('unit_clerk_requests').select('agency_code').where('id', '=', id).executeTakeFirstOrThrow();
    r = await (await clerkApprover(server, unit.agency_code!)).post(`/api/staff/unit-clerk-requests/${id}/approve`, {});
  }
  if (r.status !== 200) throw new Error(`approve ${r.status} ${JSON.stringify(r.body)}`);
  return { ...reg, requestId: id };
}

/**
 * Turn agencies' separation of duties (common/duties.ts; on by default) off or on, as their admin
 * would at PUT /api/admin/duties. For tests about something else, where one staff member drives a
 * case from acceptance to completion.
 */
export async function setSeparationOfDuties(server: TestServer, on: boolean, ...agencies: string[]): Promise<void> {
  await server.dbh.db.updateTable('agencies').set({ separation_of_duties: on }).where('code', 'in', agencies).execute();
}

/** Upload a roster file (增减员花名册) as the unit clerk `clerk`. */
export function uploadRoster(clerk: Client, name: string, bytes: Buffer | Uint8Array) {
  const fd = new FormData();
  fd.set('file', new Blob([Buffer.from(bytes)]), name);
  return clerk.request('POST', '/api/unit/roster', fd);
}
